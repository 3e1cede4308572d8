"""Shared set-up of the ELBv2 boto3 scenarios: elbv2 clients aimed at the endpoint under test
(ELB_ENDPOINT) or at the room server with object sources (TS_ENDPOINT), recording the
operations that succeeded."""
import json
import os
import sys

import boto3
from botocore.config import Config

succeeded = set()


def client(endpoint_var="ELB_ENDPOINT"):
    c = boto3.client(
        "elbv2",
        endpoint_url=os.environ[endpoint_var],
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )

    def record(http_response, model, **_):
        if http_response.status_code == 200:
            succeeded.add(model.name)

    c.meta.events.register("after-call.elastic-load-balancing-v2", record)
    return c


def body(resp):
    """A response without its ResponseMetadata (request id, headers)."""
    return {k: v for k, v in resp.items() if k != "ResponseMetadata"}


def error_of(fn, **kwargs):
    """Calls fn and returns the error code it fails with ("" when it succeeds)."""
    try:
        fn(**kwargs)
    except fn.__self__.exceptions.ClientError as e:
        return e.response["Error"]["Code"]
    return ""


def emit(obj):
    obj["succeeded"] = sorted(succeeded)
    json.dump(obj, sys.stdout, default=str, sort_keys=True)
    sys.stdout.write("\n")
