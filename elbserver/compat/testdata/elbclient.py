"""Shared set-up of the boto3 scenarios: a client aimed at the endpoint under
test (ELB_ENDPOINT) that records the operations that succeeded."""
import json
import os
import sys

import boto3
from botocore.config import Config


def client():
    c = boto3.client(
        "elb",
        endpoint_url=os.environ["ELB_ENDPOINT"],
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}),
    )
    c.succeeded = set()

    def record(http_response, model, **_):
        if http_response.status_code == 200:
            c.succeeded.add(model.name)

    c.meta.events.register("after-call.elastic-load-balancing", record)
    return c


def body(resp):
    """A response without its ResponseMetadata (request id, headers)."""
    return {k: v for k, v in resp.items() if k != "ResponseMetadata"}


def emit(obj):
    json.dump(obj, sys.stdout, default=str, sort_keys=True)
    sys.stdout.write("\n")
