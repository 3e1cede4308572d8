"""Error cases as botocore parses them: code, HTTP status, fault type, the
modeled exception class, and the model's own code -> (shape, status) map."""
from botocore.exceptions import ClientError

from elbclient import client, emit

elb = client()
HTTP80 = {"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 8080}
TCP9000 = {"Protocol": "TCP", "LoadBalancerPort": 9000, "InstancePort": 9000}
elb.create_load_balancer(LoadBalancerName="web", AvailabilityZones=["us-east-1a"], Listeners=[HTTP80, TCP9000])
elb.create_load_balancer(LoadBalancerName="second", AvailabilityZones=["us-east-1a"], Listeners=[HTTP80])
elb.create_lb_cookie_stickiness_policy(LoadBalancerName="web", PolicyName="lbc")
for i in range(10):
    elb.add_tags(LoadBalancerNames=["web"], Tags=[{"Key": "k%d" % i, "Value": "v"}])

cases = {
    "not_found": lambda: elb.describe_load_balancers(LoadBalancerNames=["nope"]),
    "duplicate_name": lambda: elb.create_load_balancer(
        LoadBalancerName="web", AvailabilityZones=["us-east-1a"], Listeners=[TCP9000]),
    "bad_name": lambda: elb.create_load_balancer(
        LoadBalancerName="bad_name!", AvailabilityZones=["us-east-1a"], Listeners=[HTTP80]),
    "too_many_lbs": lambda: elb.create_load_balancer(
        LoadBalancerName="third", AvailabilityZones=["us-east-1a"], Listeners=[HTTP80]),
    "invalid_scheme": lambda: elb.create_load_balancer(
        LoadBalancerName="web", AvailabilityZones=["us-east-1a"], Listeners=[HTTP80], Scheme="internal"),
    "duplicate_listener": lambda: elb.create_load_balancer_listeners(
        LoadBalancerName="web", Listeners=[{"Protocol": "TCP", "LoadBalancerPort": 80, "InstancePort": 80}]),
    "certificate_not_found": lambda: elb.create_load_balancer_listeners(
        LoadBalancerName="web", Listeners=[{"Protocol": "HTTPS", "LoadBalancerPort": 443, "InstancePort": 80,
                                            "SSLCertificateId": "not-a-certificate-arn"}]),
    "listener_not_found": lambda: elb.set_load_balancer_listener_ssl_certificate(
        LoadBalancerName="web", LoadBalancerPort=8443,
        SSLCertificateId="arn:aws:iam::000000000000:server-certificate/one"),
    "policy_not_found": lambda: elb.set_load_balancer_policies_of_listener(
        LoadBalancerName="web", LoadBalancerPort=80, PolicyNames=["nope"]),
    "policy_type_not_found": lambda: elb.create_load_balancer_policy(
        LoadBalancerName="web", PolicyName="x", PolicyTypeName="NoSuchPolicyType"),
    "duplicate_policy": lambda: elb.create_lb_cookie_stickiness_policy(LoadBalancerName="web", PolicyName="lbc"),
    "sticky_on_tcp": lambda: elb.set_load_balancer_policies_of_listener(
        LoadBalancerName="web", LoadBalancerPort=9000, PolicyNames=["lbc"]),
    "invalid_instance": lambda: elb.register_instances_with_load_balancer(
        LoadBalancerName="web", Instances=[{"InstanceId": "not-an-instance"}]),
    "attribute_not_found": lambda: elb.modify_load_balancer_attributes(
        LoadBalancerName="web", LoadBalancerAttributes={"AdditionalAttributes": [{"Key": "elb.nope", "Value": "x"}]}),
    "too_many_tags": lambda: elb.add_tags(LoadBalancerNames=["web"], Tags=[{"Key": "one-more", "Value": "v"}]),
    "duplicate_tag_keys": lambda: elb.add_tags(
        LoadBalancerNames=["second"], Tags=[{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]),
    "bad_marker": lambda: elb.describe_load_balancers(Marker="not-a-marker"),
}

got = {}
for label, call in cases.items():
    try:
        call()
        got[label] = {"succeeded": True}
    except ClientError as e:
        r = e.response
        got[label] = {
            "code": r["Error"]["Code"],
            "type": r["Error"].get("Type", ""),
            "message": r["Error"].get("Message", ""),
            "status": r["ResponseMetadata"]["HTTPStatusCode"],
            "request_id": r["ResponseMetadata"].get("RequestId", ""),
            "exception": type(e).__name__,
        }

model = {}
for shape in elb.meta.service_model.error_shapes:
    err = shape.metadata["error"]
    model[err["code"]] = {"shape": shape.name, "status": err["httpStatusCode"]}

emit({"errors": got, "model": model})
