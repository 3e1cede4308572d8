"""Every Classic ELB action through boto3, with the two instance waiters.
Subnets and security groups are declared by the Go test beforehand."""
import os

from elbclient import body, client, emit

A, B = os.environ["INST_A"], os.environ["INST_B"]
SUBNET_A, SUBNET_B = os.environ["SUBNET_A"], os.environ["SUBNET_B"]
SG_ONE, SG_TWO = os.environ["SG_ONE"], os.environ["SG_TWO"]
CERT_ONE, CERT_TWO = os.environ["CERT_ONE"], os.environ["CERT_TWO"]

elb = client()
out = {}

out["create_web"] = body(elb.create_load_balancer(
    LoadBalancerName="web", AvailabilityZones=["us-east-1a"],
    Listeners=[
        {"Protocol": "HTTP", "LoadBalancerPort": 80, "InstanceProtocol": "HTTP", "InstancePort": 8080},
        {"Protocol": "TCP", "LoadBalancerPort": 9000, "InstanceProtocol": "TCP", "InstancePort": 9000},
    ],
    Tags=[{"Key": "env", "Value": "test"}]))
out["create_app"] = body(elb.create_load_balancer(
    LoadBalancerName="app", Subnets=[SUBNET_A], SecurityGroups=[SG_ONE], Scheme="internal",
    Listeners=[{"Protocol": "TCP", "LoadBalancerPort": 5432, "InstancePort": 5432}]))

elb.create_load_balancer_listeners(LoadBalancerName="web", Listeners=[
    {"Protocol": "HTTPS", "LoadBalancerPort": 443, "InstanceProtocol": "HTTP", "InstancePort": 8080,
     "SSLCertificateId": CERT_ONE},
    {"Protocol": "SSL", "LoadBalancerPort": 8443, "InstanceProtocol": "TCP", "InstancePort": 9000,
     "SSLCertificateId": CERT_ONE}])
elb.set_load_balancer_listener_ssl_certificate(LoadBalancerName="web", LoadBalancerPort=443, SSLCertificateId=CERT_TWO)
elb.delete_load_balancer_listeners(LoadBalancerName="web", LoadBalancerPorts=[8443])

elb.create_lb_cookie_stickiness_policy(LoadBalancerName="web", PolicyName="lbc", CookieExpirationPeriod=60)
elb.create_app_cookie_stickiness_policy(LoadBalancerName="web", PolicyName="appc", CookieName="SESSIONID")
elb.create_load_balancer_policy(
    LoadBalancerName="web", PolicyName="proxy", PolicyTypeName="ProxyProtocolPolicyType",
    PolicyAttributes=[{"AttributeName": "ProxyProtocol", "AttributeValue": "true"}])
elb.set_load_balancer_policies_of_listener(LoadBalancerName="web", LoadBalancerPort=80, PolicyNames=["lbc"])
# A predefined SSL policy may be enabled without creating it first.
elb.set_load_balancer_policies_of_listener(
    LoadBalancerName="web", LoadBalancerPort=443, PolicyNames=["ELBSecurityPolicy-TLS-1-2-2017-01"])
elb.set_load_balancer_policies_for_backend_server(LoadBalancerName="web", InstancePort=9000, PolicyNames=["proxy"])
out["policies_web"] = body(elb.describe_load_balancer_policies(LoadBalancerName="web"))
out["policies_sample"] = body(elb.describe_load_balancer_policies(PolicyNames=["ELBSecurityPolicy-TLS-1-2-2017-01"]))
out["policy_types"] = body(elb.describe_load_balancer_policy_types(PolicyTypeNames=["LBCookieStickinessPolicyType"]))
out["policy_types_all"] = sorted(
    t["PolicyTypeName"] for t in elb.describe_load_balancer_policy_types()["PolicyTypeDescriptions"])

out["register"] = body(elb.register_instances_with_load_balancer(
    LoadBalancerName="web", Instances=[{"InstanceId": A}, {"InstanceId": B}]))
elb.get_waiter("instance_in_service").wait(
    LoadBalancerName="web", Instances=[{"InstanceId": A}, {"InstanceId": B}],
    WaiterConfig={"Delay": 1, "MaxAttempts": 2})
out["waited_in_service"] = True
out["health"] = body(elb.describe_instance_health(LoadBalancerName="web"))
out["deregister"] = body(elb.deregister_instances_from_load_balancer(
    LoadBalancerName="web", Instances=[{"InstanceId": B}]))
# The waiter accepts InvalidInstance (no longer registered) as success.
elb.get_waiter("instance_deregistered").wait(
    LoadBalancerName="web", Instances=[{"InstanceId": B}], WaiterConfig={"Delay": 1, "MaxAttempts": 2})
out["waited_deregistered"] = True

out["health_check"] = body(elb.configure_health_check(LoadBalancerName="web", HealthCheck={
    "Target": "HTTP:8080/ping", "Interval": 15, "Timeout": 4, "UnhealthyThreshold": 2, "HealthyThreshold": 3}))
out["attrs_before"] = body(elb.describe_load_balancer_attributes(LoadBalancerName="web"))
out["attrs_modified"] = body(elb.modify_load_balancer_attributes(LoadBalancerName="web", LoadBalancerAttributes={
    "CrossZoneLoadBalancing": {"Enabled": True},
    "ConnectionDraining": {"Enabled": True, "Timeout": 45},
    "ConnectionSettings": {"IdleTimeout": 120}}))
out["attrs_after"] = body(elb.describe_load_balancer_attributes(LoadBalancerName="web"))

out["zones_enabled"] = body(elb.enable_availability_zones_for_load_balancer(
    LoadBalancerName="web", AvailabilityZones=["us-east-1b", "us-east-1c"]))
out["zones_disabled"] = body(elb.disable_availability_zones_for_load_balancer(
    LoadBalancerName="web", AvailabilityZones=["us-east-1c"]))
out["subnets_attached"] = body(elb.attach_load_balancer_to_subnets(LoadBalancerName="app", Subnets=[SUBNET_B]))
out["subnets_detached"] = body(elb.detach_load_balancer_from_subnets(LoadBalancerName="app", Subnets=[SUBNET_A]))
out["sgs"] = body(elb.apply_security_groups_to_load_balancer(LoadBalancerName="app", SecurityGroups=[SG_TWO]))

elb.add_tags(LoadBalancerNames=["web"], Tags=[{"Key": "team", "Value": "core"}, {"Key": "env", "Value": "prod"}])
elb.remove_tags(LoadBalancerNames=["web"], Tags=[{"Key": "team"}])
out["tags"] = body(elb.describe_tags(LoadBalancerNames=["web", "app"]))
out["limits"] = body(elb.describe_account_limits())

out["describe"] = body(elb.describe_load_balancers())
elb.set_load_balancer_policies_of_listener(LoadBalancerName="web", LoadBalancerPort=80, PolicyNames=[])
elb.delete_load_balancer_policy(LoadBalancerName="web", PolicyName="lbc")
out["policies_left"] = sorted(
    p["PolicyName"] for p in elb.describe_load_balancer_policies(LoadBalancerName="web")["PolicyDescriptions"])
elb.delete_load_balancer(LoadBalancerName="app")
out["names_left"] = [d["LoadBalancerName"] for d in elb.describe_load_balancers()["LoadBalancerDescriptions"]]

out["succeeded"] = sorted(elb.succeeded)
emit(out)
