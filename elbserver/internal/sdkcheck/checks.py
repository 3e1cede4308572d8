"""What the endpoint's boto3 scripts share (run by sdkcheck.Script, which puts this folder
on PYTHONPATH): the endpoint's URL, checks that collect their failures, and error cases that
record the code, HTTP status and named resource each met. done() prints it all as JSON.
"""
import json
import os

from botocore.exceptions import ClientError

ENDPOINT = os.environ["ENDPOINT"]
_out = {"failures": [], "codes": {}}


def check(name, cond, detail=""):
    if not cond:
        _out["failures"].append("%s: %s" % (name, detail))


def code(name, fn):
    try:
        fn()
        _out["codes"][name] = ["no error", 200, ""]
    except ClientError as e:
        err = e.response.get("Error", {})
        _out["codes"][name] = [err.get("Code"), e.response["ResponseMetadata"]["HTTPStatusCode"],
                               err.get("BucketName") or err.get("Key") or ""]


def record(name, code_, status):
    _out["codes"][name] = [code_, status, ""]


def done():
    print(json.dumps(_out))
