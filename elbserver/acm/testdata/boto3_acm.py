"""Drives the endpoint's ACM through boto3, checking what comes back.

CERTS names a directory of PEM files made by the test: web (EC P-256 with its chain), rsa and
rsa2 (RSA 2048), expired (EC, past its NotAfter), other.key (a key of none of them). NOT_AFTER
is web's NotAfter in seconds.
"""
import json
import os

import boto3
from checks import ENDPOINT, check, code, done

EP, CERTS = ENDPOINT, os.environ["CERTS"]


def pem(name):
    with open(os.path.join(CERTS, name), "rb") as f:
        return f.read()


acm = boto3.client("acm", endpoint_url=EP, region_name="us-east-1")
web = acm.import_certificate(Certificate=pem("web.crt"), CertificateChain=pem("web.chain"), PrivateKey=pem("web.key"),
                             Tags=[{"Key": "team", "Value": "edge"}])["CertificateArn"]
check("arn", web.startswith("arn:aws:acm:us-east-1:000000000000:certificate/") and len(web.split("/")[1]) == 36, web)
rsa = acm.import_certificate(Certificate=pem("rsa.crt"), PrivateKey=pem("rsa.key"))["CertificateArn"]
expired = acm.import_certificate(Certificate=pem("expired.crt"), PrivateKey=pem("expired.key"))["CertificateArn"]

d = acm.describe_certificate(CertificateArn=web)["Certificate"]
check("domain", d["DomainName"] == "www.example.test" and d["SubjectAlternativeNames"] == ["www.example.test", "static.example.test"], d)
check("subject and issuer", d["Subject"] == "CN=www.example.test" and d["Issuer"] == "lbcloud tests", d)
check("dates", int(d["NotAfter"].timestamp()) == int(os.environ["NOT_AFTER"]) and d["NotBefore"] < d["NotAfter"], d)
check("kind", (d["Status"], d["Type"], d["KeyAlgorithm"], d["InUseBy"]) == ("ISSUED", "IMPORTED", "EC_prime256v1", []), d)
check("usages", d["KeyUsages"] == [{"Name": "DIGITAL_SIGNATURE"}, {"Name": "KEY_ENCIPHERMENT"}]
      and d["ExtendedKeyUsages"] == [{"Name": "TLS_WEB_SERVER_AUTHENTICATION", "OID": "1.3.6.1.5.5.7.3.1"}], d)
check("serial", len(d["Serial"].split(":")) > 4 and d["SignatureAlgorithm"] == "SHA256WITHECDSA", d)
check("expired", acm.describe_certificate(CertificateArn=expired)["Certificate"]["Status"] == "EXPIRED")
got = acm.get_certificate(CertificateArn=web)
check("get", got["Certificate"] == pem("web.crt").decode() and got["CertificateChain"] == pem("web.chain").decode())
check("no key in answers", "PRIVATE KEY" not in json.dumps([d, got], default=str))
check("tags", acm.list_tags_for_certificate(CertificateArn=web)["Tags"] == [{"Key": "team", "Value": "edge"}])


def listed(**kw):
    arns = []
    for page in acm.get_paginator("list_certificates").paginate(PaginationConfig={"PageSize": 1}, **kw):
        arns += [s["CertificateArn"] for s in page["CertificateSummaryList"]]
    return sorted(arns)


# By default ACM lists RSA 1024 and 2048 keys only.
check("default list", listed() == [rsa], listed())
check("key types", listed(Includes={"keyTypes": ["EC_prime256v1", "RSA_2048"]}) == sorted([web, rsa, expired]))
check("statuses", listed(Includes={"keyTypes": ["EC_prime256v1"]}, CertificateStatuses=["EXPIRED"]) == [expired])
check("usage filter", listed(Includes={"keyTypes": ["EC_prime256v1"], "extendedKeyUsage": ["CODE_SIGNING"]}) == [])
summary = acm.list_certificates()["CertificateSummaryList"][0]
check("summary", (summary["DomainName"], summary["Status"], summary["Type"], summary["InUse"]) == ("api.example.test", "ISSUED", "IMPORTED", False), summary)

# Re-import: the same ARN, the new certificate, the old tags.
again = acm.import_certificate(CertificateArn=web, Certificate=pem("rsa2.crt"), PrivateKey=pem("rsa2.key"))["CertificateArn"]
d = acm.describe_certificate(CertificateArn=web)["Certificate"]
check("reimport", again == web and d["DomainName"] == "www2.example.test" and d["KeyAlgorithm"] == "RSA_2048", d)
check("reimport keeps tags", acm.list_tags_for_certificate(CertificateArn=web)["Tags"] == [{"Key": "team", "Value": "edge"}])

missing = web.rsplit("/", 1)[0] + "/00000000-0000-4000-8000-000000000000"
code("reimport with tags", lambda: acm.import_certificate(CertificateArn=web, Certificate=pem("rsa.crt"), PrivateKey=pem("rsa.key"), Tags=[{"Key": "a", "Value": "b"}]))
code("reimport missing", lambda: acm.import_certificate(CertificateArn=missing, Certificate=pem("rsa.crt"), PrivateKey=pem("rsa.key")))
code("malformed", lambda: acm.import_certificate(Certificate=b"not a certificate", PrivateKey=pem("rsa.key")))
code("key mismatch", lambda: acm.import_certificate(Certificate=pem("rsa.crt"), PrivateKey=pem("other.key")))
code("wrong chain", lambda: acm.import_certificate(Certificate=pem("rsa.crt"), PrivateKey=pem("rsa.key"), CertificateChain=pem("web.chain")))
code("quota", lambda: acm.import_certificate(Certificate=pem("rsa.crt"), PrivateKey=pem("rsa.key")))
code("reserved tag", lambda: acm.import_certificate(Certificate=pem("rsa.crt"), PrivateKey=pem("rsa.key"), Tags=[{"Key": "aws:x", "Value": "y"}]))
code("describe missing", lambda: acm.describe_certificate(CertificateArn=missing))
code("delete missing", lambda: acm.delete_certificate(CertificateArn=missing))
code("not an acm arn", lambda: acm.describe_certificate(CertificateArn="arn:aws:s3:::a-bucket-not-a-certificate"))
eu = boto3.client("acm", endpoint_url=EP, region_name="eu-west-1")
code("another region", lambda: eu.describe_certificate(CertificateArn=web))
check("eu lists none", eu.list_certificates(Includes={"keyTypes": ["EC_prime256v1", "RSA_2048"]})["CertificateSummaryList"] == [])
code("wrong secret", lambda: boto3.client("acm", endpoint_url=EP, region_name="us-east-1", aws_access_key_id="test",
                                          aws_secret_access_key="wrong").list_certificates())
code("unknown key", lambda: boto3.client("acm", endpoint_url=EP, region_name="us-east-1", aws_access_key_id="nobody",
                                         aws_secret_access_key="x").list_certificates())

for arn in [web, rsa, expired]:
    acm.delete_certificate(CertificateArn=arn)
check("all deleted", listed(Includes={"keyTypes": ["EC_prime256v1", "RSA_2048"]}) == [])
done()
