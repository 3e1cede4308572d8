"""Drives the endpoint's IAM server certificates through boto3, checking what comes back.

CERTS names a directory of PEM files made by the test: web (an EC certificate with its
chain and key), rsa (an RSA one without a chain), and other.key (a key of neither).
EXPIRES is web's NotAfter in seconds.
"""
import json
import os

import boto3
from checks import ENDPOINT, check, code, done

EP, CERTS = ENDPOINT, os.environ["CERTS"]


def pem(name):
    with open(os.path.join(CERTS, name)) as f:
        return f.read()


iam = boto3.client("iam", endpoint_url=EP, region_name="us-east-1")
web = iam.upload_server_certificate(
    Path="/cloudfront/test/", ServerCertificateName="web", CertificateBody=pem("web.crt"),
    CertificateChain=pem("web.chain"), PrivateKey=pem("web.key"), Tags=[{"Key": "team", "Value": "edge"}])
meta = web["ServerCertificateMetadata"]
check("arn", meta["Arn"] == "arn:aws:iam::000000000000:server-certificate/cloudfront/test/web", meta["Arn"])
check("id", meta["ServerCertificateId"].startswith("ASCA") and len(meta["ServerCertificateId"]) == 21, meta["ServerCertificateId"])
check("expiration", int(meta["Expiration"].timestamp()) == int(os.environ["EXPIRES"]), meta["Expiration"])
check("tags on upload", web["Tags"] == [{"Key": "team", "Value": "edge"}], web.get("Tags"))
iam.upload_server_certificate(ServerCertificateName="api", CertificateBody=pem("rsa.crt"), PrivateKey=pem("rsa.key"))

got = iam.get_server_certificate(ServerCertificateName="web")["ServerCertificate"]
check("body", got["CertificateBody"] == pem("web.crt"))
check("chain", got["CertificateChain"] == pem("web.chain"))
check("no key in get", "PrivateKey" not in json.dumps(got, default=str))
check("get tags", got["Tags"] == [{"Key": "team", "Value": "edge"}], got.get("Tags"))
check("no chain", "CertificateChain" not in iam.get_server_certificate(ServerCertificateName="api")["ServerCertificate"])

# IAM is global: a client of another region sees the same certificates.
eu = boto3.client("iam", endpoint_url=EP, region_name="eu-west-1")
names = [m["ServerCertificateName"] for m in eu.list_server_certificates()["ServerCertificateMetadataList"]]
check("list", names == ["api", "web"], names)
names = [m["ServerCertificateName"] for m in iam.list_server_certificates(PathPrefix="/cloudfront/")["ServerCertificateMetadataList"]]
check("list by path", names == ["web"], names)
first = iam.list_server_certificates(MaxItems=1)
check("first page", first["IsTruncated"] and len(first["ServerCertificateMetadataList"]) == 1, first)
names = []
for page in iam.get_paginator("list_server_certificates").paginate(PaginationConfig={"PageSize": 1}):
    names += [m["ServerCertificateName"] for m in page["ServerCertificateMetadataList"]]
check("pages", names == ["api", "web"], names)

code("already exists", lambda: iam.upload_server_certificate(ServerCertificateName="web", CertificateBody=pem("rsa.crt"), PrivateKey=pem("rsa.key")))
code("quota", lambda: iam.upload_server_certificate(ServerCertificateName="third", CertificateBody=pem("rsa.crt"), PrivateKey=pem("rsa.key")))
code("malformed body", lambda: iam.upload_server_certificate(ServerCertificateName="bad", CertificateBody="not a certificate", PrivateKey=pem("rsa.key")))
code("malformed key", lambda: iam.upload_server_certificate(ServerCertificateName="bad", CertificateBody=pem("rsa.crt"), PrivateKey="not a key"))
code("key mismatch", lambda: iam.upload_server_certificate(ServerCertificateName="bad", CertificateBody=pem("rsa.crt"), PrivateKey=pem("other.key")))
code("wrong chain", lambda: iam.upload_server_certificate(ServerCertificateName="bad", CertificateBody=pem("rsa.crt"), PrivateKey=pem("rsa.key"), CertificateChain=pem("web.chain")))
code("bad name", lambda: iam.upload_server_certificate(ServerCertificateName="bad name!", CertificateBody=pem("rsa.crt"), PrivateKey=pem("rsa.key")))
code("bad path", lambda: iam.upload_server_certificate(ServerCertificateName="bad", Path="no-slashes", CertificateBody=pem("rsa.crt"), PrivateKey=pem("rsa.key")))
code("reserved tag", lambda: iam.upload_server_certificate(ServerCertificateName="bad", CertificateBody=pem("rsa.crt"), PrivateKey=pem("rsa.key"), Tags=[{"Key": "aws:x", "Value": "y"}]))
code("get missing", lambda: iam.get_server_certificate(ServerCertificateName="missing"))
code("delete missing", lambda: iam.delete_server_certificate(ServerCertificateName="missing"))
code("wrong secret", lambda: boto3.client("iam", endpoint_url=EP, region_name="us-east-1", aws_access_key_id="test",
                                          aws_secret_access_key="wrong").list_server_certificates())

iam.delete_server_certificate(ServerCertificateName="web")
iam.delete_server_certificate(ServerCertificateName="api")
check("all deleted", iam.list_server_certificates()["ServerCertificateMetadataList"] == [])
done()
