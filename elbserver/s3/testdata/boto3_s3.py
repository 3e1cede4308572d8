"""Drives every S3 operation the endpoint serves through boto3, checking what comes back.

The endpoint is served over TLS with the CA in AWS_CA_BUNDLE; OTHER_KEY/OTHER_SECRET are a
second account's credentials. What failed and the error cases are printed by checks.done().
"""
import base64
import hashlib
import os
import ssl
import urllib.error
import urllib.request
import zlib

import boto3
from botocore.config import Config
from checks import ENDPOINT, check, code, done, record

EP = ENDPOINT


def client(region="us-east-1", **cfg):
    return boto3.client("s3", endpoint_url=EP, region_name=region, config=Config(**cfg))


s3 = client()
eu = client("eu-west-1")

# Buckets: us-east-1 and a located one; names global; us-east-1's legacy 200 on re-create.
s3.create_bucket(Bucket="ca-bundles")
check("head us-east-1", s3.head_bucket(Bucket="ca-bundles")["BucketRegion"] == "us-east-1")
s3.create_bucket(Bucket="ca-bundles")
eu.create_bucket(Bucket="eu-crls", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
check("head eu", s3.head_bucket(Bucket="eu-crls")["BucketRegion"] == "eu-west-1")
check("location eu", s3.get_bucket_location(Bucket="eu-crls")["LocationConstraint"] == "eu-west-1")
check("location us", s3.get_bucket_location(Bucket="ca-bundles").get("LocationConstraint") in (None, ""))
code("owned again eu", lambda: eu.create_bucket(Bucket="eu-crls", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}))
code("no constraint in eu", lambda: eu.create_bucket(Bucket="eu-other"))
code("us-east-1 constraint", lambda: s3.create_bucket(Bucket="bad-constraint", CreateBucketConfiguration={"LocationConstraint": "us-east-1"}))
for bad in ["Bad_Name", "ab", "192.168.1.1", "-dash-first", "two..dots", "xn--punycode"]:
    code("invalid name " + bad, lambda b=bad: s3.create_bucket(Bucket=b))

other = boto3.client("s3", endpoint_url=EP, region_name="us-east-1",
                     aws_access_key_id=os.environ["OTHER_KEY"], aws_secret_access_key=os.environ["OTHER_SECRET"])
code("taken by another account", lambda: other.create_bucket(Bucket="ca-bundles"))
code("head another's bucket", lambda: other.head_bucket(Bucket="ca-bundles"))
code("list another's bucket", lambda: other.list_objects_v2(Bucket="ca-bundles"))
check("other lists none", other.list_buckets()["Buckets"] == [], other.list_buckets()["Buckets"])
names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
check("list buckets", names == ["ca-bundles", "eu-crls"], names)
page = s3.list_buckets(MaxBuckets=1)
check("list buckets paged", [b["Name"] for b in page["Buckets"]] == ["ca-bundles"] and page.get("ContinuationToken"), page)
check("list buckets by region", [b["Name"] for b in s3.list_buckets(BucketRegion="eu-west-1")["Buckets"]] == ["eu-crls"])

# Uploads in each payload mode; over TLS botocore sends an aws-chunked body with a trailing
# CRC32 by default.
bundle = b"-----BEGIN CERTIFICATE-----\n" + b"MIIB" * 3000 + b"\n-----END CERTIFICATE-----\n"
crc = base64.b64encode(zlib.crc32(bundle).to_bytes(4, "big")).decode()
put = s3.put_object(Bucket="ca-bundles", Key="bundle.pem", Body=bundle, ContentType="application/x-pem-file",
                    Metadata={"purpose": "trust-store"})
check("put returns crc32", put.get("ChecksumCRC32") == crc, put.get("ChecksumCRC32"))
check("put etag", put["ETag"].strip('"') == hashlib.md5(bundle).hexdigest())
s3.put_object(Bucket="ca-bundles", Key="sha256.pem", Body=bundle, ChecksumAlgorithm="SHA256")
signed = client(s3={"payload_signing_enabled": True}, request_checksum_calculation="when_required")
signed.put_object(Bucket="ca-bundles", Key="signed.pem", Body=bundle)
unsigned = client(s3={"payload_signing_enabled": False}, request_checksum_calculation="when_required")
unsigned.put_object(Bucket="ca-bundles", Key="unsigned.pem", Body=bundle)
for key in ["bundle.pem", "sha256.pem", "signed.pem", "unsigned.pem"]:
    got = s3.get_object(Bucket="ca-bundles", Key=key, ChecksumMode="ENABLED")
    check("get " + key, got["Body"].read() == bundle)
got = s3.get_object(Bucket="ca-bundles", Key="bundle.pem", ChecksumMode="ENABLED")
check("get crc32 header", got.get("ChecksumCRC32") == crc, got.get("ChecksumCRC32"))
check("get content type", got["ContentType"] == "application/x-pem-file", got["ContentType"])
check("get metadata", got["Metadata"] == {"purpose": "trust-store"}, got["Metadata"])
head = s3.head_object(Bucket="ca-bundles", Key="bundle.pem")
check("head length", head["ContentLength"] == len(bundle) and head["ETag"] == put["ETag"], head)
rng = s3.get_object(Bucket="ca-bundles", Key="bundle.pem", Range="bytes=5-10")
check("range", rng["Body"].read() == bundle[5:11] and rng["ContentRange"] == "bytes 5-10/%d" % len(bundle), rng.get("ContentRange"))
tail = s3.get_object(Bucket="ca-bundles", Key="bundle.pem", Range="bytes=-4")
check("suffix range", tail["Body"].read() == bundle[-4:])
code("range past the end", lambda: s3.get_object(Bucket="ca-bundles", Key="bundle.pem", Range="bytes=999999-"))
code("bad content md5", lambda: s3.put_object(Bucket="ca-bundles", Key="x", Body=b"abc", ContentMD5="AAAAAAAAAAAAAAAAAAAAAA=="))
code("bad crc32", lambda: s3.put_object(Bucket="ca-bundles", Key="x", Body=b"abc", ChecksumCRC32="AAAAAA=="))
code("too large", lambda: s3.put_object(Bucket="ca-bundles", Key="big", Body=b"x" * (600 << 10)))
code("no such key", lambda: s3.get_object(Bucket="ca-bundles", Key="missing.pem"))
code("head no such key", lambda: s3.head_object(Bucket="ca-bundles", Key="missing.pem"))
code("no such bucket", lambda: s3.get_object(Bucket="no-such-bucket", Key="k"))
code("put no such bucket", lambda: s3.put_object(Bucket="no-such-bucket", Key="k", Body=b"x"))
code("head no such bucket", lambda: s3.head_bucket(Bucket="no-such-bucket"))
code("expected owner", lambda: s3.head_object(Bucket="ca-bundles", Key="bundle.pem", ExpectedBucketOwner="999999999999"))
code("not implemented", lambda: s3.get_bucket_acl(Bucket="ca-bundles"))
code("not empty", lambda: s3.delete_bucket(Bucket="ca-bundles"))

# Listings: pages, delimiter, prefixes, keys that URL encoding must carry.
keys = ["crl/2024/a.crl", "crl/2024/b.crl", "crl/2025/a b+c.crl", "crl/root.crl", "crl/é.crl", "zz"]
for k in keys:
    s3.put_object(Bucket="eu-crls", Key=k, Body=k.encode())
seen, prefixes = [], []
for p in s3.get_paginator("list_objects_v2").paginate(Bucket="eu-crls", PaginationConfig={"PageSize": 2}):
    seen += [c["Key"] for c in p.get("Contents", [])]
check("v2 pages", seen == sorted(keys, key=lambda s: s.encode()), seen)
seen = []
for p in s3.get_paginator("list_objects_v2").paginate(Bucket="eu-crls", Prefix="crl/", Delimiter="/", PaginationConfig={"PageSize": 1}):
    seen += [c["Key"] for c in p.get("Contents", [])]
    prefixes += [c["Prefix"] for c in p.get("CommonPrefixes", [])]
check("v2 delimiter", seen == ["crl/root.crl", "crl/é.crl"] and prefixes == ["crl/2024/", "crl/2025/"], (seen, prefixes))
v2 = s3.list_objects_v2(Bucket="eu-crls", StartAfter="crl/2025/", MaxKeys=2)
check("v2 start after", [c["Key"] for c in v2["Contents"]] == ["crl/2025/a b+c.crl", "crl/root.crl"] and v2["KeyCount"] == 2 and v2["IsTruncated"], v2)
v1 = []
for p in s3.get_paginator("list_objects").paginate(Bucket="eu-crls", PaginationConfig={"PageSize": 4}):
    v1 += [c["Key"] for c in p.get("Contents", [])]
check("v1 pages", v1 == sorted(keys, key=lambda s: s.encode()), v1)
code("list no such bucket", lambda: s3.list_objects_v2(Bucket="no-such-bucket"))

# A presigned GET works with no client at all; a tampered one is refused in S3's XML.
ctx = ssl.create_default_context(cafile=os.environ["AWS_CA_BUNDLE"])
v4 = client(signature_version="s3v4")
url = v4.generate_presigned_url("get_object", Params={"Bucket": "ca-bundles", "Key": "bundle.pem"}, ExpiresIn=300)
check("presigned with sigv4", "X-Amz-Signature=" in url, url)
check("presigned get", urllib.request.urlopen(url, context=ctx).read() == bundle)
try:
    urllib.request.urlopen(url.replace("bundle.pem", "signed.pem"), context=ctx)
    check("tampered presigned refused", False)
except urllib.error.HTTPError as e:
    body = e.read().decode()
    record("tampered presigned", body.split("<Code>")[1].split("</Code>")[0], e.code)
v2url = s3.generate_presigned_url("get_object", Params={"Bucket": "ca-bundles", "Key": "bundle.pem"}, ExpiresIn=300)
try:
    urllib.request.urlopen(v2url, context=ctx)
    check("sigv2 presigned refused", False, v2url)
except urllib.error.HTTPError as e:
    body = e.read().decode()
    record("sigv2 presigned", body.split("<Code>")[1].split("</Code>")[0], e.code)

wrong = boto3.client("s3", endpoint_url=EP, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="wrong")
code("wrong secret", lambda: wrong.list_buckets())
code("wrong secret put", lambda: wrong.put_object(Bucket="ca-bundles", Key="evil", Body=b"x"))
unknown = boto3.client("s3", endpoint_url=EP, region_name="us-east-1", aws_access_key_id="nobody", aws_secret_access_key="x")
code("unknown key", lambda: unknown.list_buckets())

# Deletes: objects (twice: the second is no error), then buckets.
for k in keys:
    s3.delete_object(Bucket="eu-crls", Key=k)
s3.delete_object(Bucket="eu-crls", Key="zz")
s3.delete_bucket(Bucket="eu-crls")
code("deleted bucket", lambda: s3.head_bucket(Bucket="eu-crls"))
check("after deletes", [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["ca-bundles"])
done()
