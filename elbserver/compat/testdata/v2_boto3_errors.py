"""Every ELBv2 error the endpoint can give, each provoked once, as botocore parses it: the code,
the exception class botocore maps it to and the HTTP status. The endpoint runs with low
limits (the Go test sets them); trust store cases run against the room server."""
import os

from botocore.exceptions import ClientError

from v2client import client, emit

SUBNET_A, SUBNET_B, SUBNET_OTHER = os.environ["SUBNET_A"], os.environ["SUBNET_B"], os.environ["SUBNET_OTHER"]
VPC = os.environ["VPC"]
CERT = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555"
GONE_TG = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/gone/0123456789abcdef"

elb = client()
ts = client("TS_ENDPOINT")
errors = {}


def case(label, fn, **kwargs):
    try:
        fn(**kwargs)
        errors[label] = {"succeeded": True}
    except ClientError as e:
        err = e.response["Error"]
        errors[label] = {"code": err["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"],
                         "exception": type(e).__name__, "message": err.get("Message", "")}


def fixed(code="200"):
    return [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": code}}]


lb = elb.create_load_balancer(Name="web", Subnets=[SUBNET_A, SUBNET_B])["LoadBalancers"][0]
LB = lb["LoadBalancerArn"]
net = elb.create_load_balancer(Name="net", Type="network", Subnets=[SUBNET_A])["LoadBalancers"][0]
tg = elb.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=VPC)["TargetGroups"][0]["TargetGroupArn"]
tcp = elb.create_target_group(Name="tcp", Protocol="TCP", Port=80, VpcId=VPC)["TargetGroups"][0]["TargetGroupArn"]
web2 = elb.create_target_group(Name="web2", Protocol="HTTP", Port=80, VpcId=VPC)["TargetGroups"][0]["TargetGroupArn"]
elb.create_listener(LoadBalancerArn=net["LoadBalancerArn"], Protocol="TCP", Port=80, DefaultActions=[{"Type": "forward", "TargetGroupArn": tcp}])
net2 = elb.create_load_balancer(Name="net2", Type="network", Subnets=[SUBNET_A])["LoadBalancers"][0]
https = elb.create_listener(LoadBalancerArn=LB, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": CERT}],
                            DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])["Listeners"][0]["ListenerArn"]
rule = elb.create_rule(ListenerArn=https, Priority=1, Conditions=[{"Field": "path-pattern", "Values": ["/a"]}],
                       Actions=fixed())["Rules"][0]["RuleArn"]

case("LoadBalancerNotFound", elb.describe_load_balancers, Names=["nope"])
case("DuplicateLoadBalancerName", elb.create_load_balancer, Name="web", Subnets=[SUBNET_A, SUBNET_B], Scheme="internal")
case("TooManyLoadBalancers", elb.create_load_balancer, Name="third", Subnets=[SUBNET_A, SUBNET_B])
case("InvalidScheme", elb.create_load_balancer, Name="s", Subnets=[SUBNET_A, SUBNET_B], Scheme="public")
case("SubnetNotFound", elb.create_load_balancer, Name="s", Subnets=["subnet-zz", SUBNET_B])
case("InvalidSubnet", elb.create_load_balancer, Name="s", Subnets=[SUBNET_A, SUBNET_OTHER])
case("InvalidSecurityGroup", elb.create_load_balancer, Name="s", Subnets=[SUBNET_A, SUBNET_B], SecurityGroups=["sg-zz"])
case("AllocationIdNotFound", elb.create_load_balancer, Name="s", Type="network",
     SubnetMappings=[{"SubnetId": SUBNET_A, "AllocationId": "eip-1"}])
case("InvalidConfigurationRequest", elb.create_load_balancer, Name="s", Subnets=[SUBNET_A])
case("ValidationError", elb.create_load_balancer, Name="-bad-", Subnets=[SUBNET_A, SUBNET_B])
case("DuplicateTargetGroupName", elb.create_target_group, Name="web", Protocol="HTTP", Port=81, VpcId=VPC)
case("TooManyTargetGroups", elb.create_target_group, Name="third", Protocol="HTTP", Port=80, VpcId=VPC)
case("TargetGroupNotFound", elb.describe_target_groups, TargetGroupArns=[GONE_TG])
case("ResourceInUse", elb.delete_target_group, TargetGroupArn=tg)
case("OperationNotPermitted", elb.remove_listener_certificates, ListenerArn=https, Certificates=[{"CertificateArn": CERT}])
case("DuplicateListener", elb.create_listener, LoadBalancerArn=LB, Protocol="HTTP", Port=443, DefaultActions=fixed())
case("TooManyListeners", elb.create_listener, LoadBalancerArn=LB, Protocol="HTTP", Port=80, DefaultActions=fixed())
case("ListenerNotFound", elb.describe_listeners, ListenerArns=[https + "0"])
case("UnsupportedProtocol", elb.create_listener, LoadBalancerArn=LB, Protocol="TCP", Port=80, DefaultActions=fixed())
case("IncompatibleProtocols", elb.create_listener, LoadBalancerArn=net["LoadBalancerArn"], Protocol="UDP", Port=53,
     DefaultActions=[{"Type": "forward", "TargetGroupArn": tcp}])
case("CertificateNotFound", elb.add_listener_certificates, ListenerArn=https, Certificates=[{"CertificateArn": "cert"}])
case("TooManyCertificates", elb.add_listener_certificates, ListenerArn=https, Certificates=[
    {"CertificateArn": "arn:aws:iam::000000000000:server-certificate/a"}, {"CertificateArn": "arn:aws:iam::000000000000:server-certificate/b"}])
case("SSLPolicyNotFound", elb.describe_ssl_policies, Names=["ELBSecurityPolicy-Nope"])
case("ALPNPolicyNotFound", elb.create_listener, LoadBalancerArn=net["LoadBalancerArn"], Protocol="TLS", Port=443,
     Certificates=[{"CertificateArn": CERT}], AlpnPolicy=["HTTP3"], DefaultActions=[{"Type": "forward", "TargetGroupArn": tcp}])
case("InvalidLoadBalancerAction", elb.create_rule, ListenerArn=https, Priority=2, Conditions=[{"Field": "path-pattern", "Values": ["/b"]}],
     Actions=[{"Type": "redirect", "RedirectConfig": {"StatusCode": "HTTP_301"}}])
case("TooManyActions", elb.create_rule, ListenerArn=https, Priority=2, Conditions=[{"Field": "path-pattern", "Values": ["/b"]}],
     Actions=fixed() * 3)
case("PriorityInUse", elb.create_rule, ListenerArn=https, Priority=1, Conditions=[{"Field": "path-pattern", "Values": ["/b"]}], Actions=fixed())
case("TooManyRules", elb.create_rule, ListenerArn=https, Priority=2, Conditions=[{"Field": "path-pattern", "Values": ["/b"]}], Actions=fixed())
case("RuleNotFound", elb.describe_rules, RuleArns=[rule + "0"])
case("TargetGroupAssociationLimit", elb.create_listener, LoadBalancerArn=net2["LoadBalancerArn"], Protocol="TCP", Port=80,
     DefaultActions=[{"Type": "forward", "TargetGroupArn": tcp}])
elb.register_targets(TargetGroupArn=tg, Targets=[{"Id": "i-0123456789abcdef0"}, {"Id": "i-0123456789abcdef1"}])
case("TooManyTargets", elb.register_targets, TargetGroupArn=tg, Targets=[{"Id": "i-0123456789abcdef2"}])
elb.register_targets(TargetGroupArn=tcp, Targets=[{"Id": "i-0123456789abcdef0", "Port": 1}])
case("TooManyRegistrationsForTargetId", elb.register_targets, TargetGroupArn=tcp, Targets=[{"Id": "i-0123456789abcdef0", "Port": 2}])
case("InvalidTarget", elb.register_targets, TargetGroupArn=tg, Targets=[{"Id": "10.0.0.1"}])
case("TooManyUniqueTargetGroupsPerLoadBalancer", elb.modify_listener, ListenerArn=https,
     DefaultActions=[{"Type": "forward", "ForwardConfig": {"TargetGroups": [{"TargetGroupArn": tg}, {"TargetGroupArn": web2}]}}])
case("TooManyTags", elb.add_tags, ResourceArns=[LB], Tags=[{"Key": "k%d" % i} for i in range(51)])
case("DuplicateTagKeys", elb.add_tags, ResourceArns=[LB], Tags=[{"Key": "k"}, {"Key": "k"}])
case("ResourceNotFound", elb.get_resource_policy, ResourceArn=LB)
case("CapacityUnitsLimitExceeded", elb.modify_capacity_reservation, LoadBalancerArn=LB, MinimumLoadBalancerCapacity={"CapacityUnits": 1})
elb.modify_capacity_reservation(LoadBalancerArn=LB, MinimumLoadBalancerCapacity={"CapacityUnits": 400})
case("CapacityReservationPending", elb.modify_capacity_reservation, LoadBalancerArn=LB, MinimumLoadBalancerCapacity={"CapacityUnits": 500})

# Decreases: twice a day, each once the change before it is provisioned (the Go test moves the
# endpoint's clock on between calls).
for units in (300, 200):
    while True:
        try:
            elb.modify_capacity_reservation(LoadBalancerArn=LB, MinimumLoadBalancerCapacity={"CapacityUnits": units})
            break
        except ClientError as e:
            if e.response["Error"]["Code"] != "CapacityReservationPending":
                raise
while True:
    case("CapacityDecreaseRequestLimitExceeded", elb.modify_capacity_reservation, LoadBalancerArn=LB,
         MinimumLoadBalancerCapacity={"CapacityUnits": 100})
    if errors["CapacityDecreaseRequestLimitExceeded"].get("code") != "CapacityReservationPending":
        break

# Trust stores, on the room server.
case("CaCertificatesBundleNotFound", ts.create_trust_store, Name="missing", CaCertificatesBundleS3Bucket="pki", CaCertificatesBundleS3Key="none.pem")
case("InvalidCaCertificatesBundle", ts.create_trust_store, Name="junk", CaCertificatesBundleS3Bucket="pki", CaCertificatesBundleS3Key="crl.der")
store = ts.create_trust_store(Name="ca", CaCertificatesBundleS3Bucket="pki", CaCertificatesBundleS3Key="ca.pem")["TrustStores"][0]["TrustStoreArn"]
case("DuplicateTrustStoreName", ts.create_trust_store, Name="ca", CaCertificatesBundleS3Bucket="pki", CaCertificatesBundleS3Key="ca.pem")
case("TrustStoreNotFound", ts.describe_trust_stores, Names=["nope"])
case("RevocationContentNotFound", ts.add_trust_store_revocations, TrustStoreArn=store,
     RevocationContents=[{"S3Bucket": "pki", "S3Key": "none.crl"}])
case("InvalidRevocationContent", ts.add_trust_store_revocations, TrustStoreArn=store,
     RevocationContents=[{"S3Bucket": "pki", "S3Key": "ca.pem"}])
case("TooManyTrustStoreRevocationEntries", ts.add_trust_store_revocations, TrustStoreArn=store,
     RevocationContents=[{"S3Bucket": "pki", "S3Key": "crl.der"}] * 31)
case("RevocationIdNotFound", ts.remove_trust_store_revocations, TrustStoreArn=store, RevocationIds=[9])
mlb = ts.create_load_balancer(Name="mtls", Subnets=["subnet-0000000a", "subnet-0000000b"])["LoadBalancers"][0]["LoadBalancerArn"]
mtls = ts.create_listener(LoadBalancerArn=mlb, Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": CERT}], DefaultActions=fixed(),
                          MutualAuthentication={"Mode": "verify", "TrustStoreArn": store})["Listeners"][0]["ListenerArn"]
case("TrustStoreInUse", ts.delete_trust_store, TrustStoreArn=store)
case("DeleteAssociationSameAccount", ts.delete_shared_trust_store_association, TrustStoreArn=store, ResourceArn=mtls)
case("AssociationNotFound", ts.delete_shared_trust_store_association, TrustStoreArn=store,
     ResourceArn=mtls.replace("000000000000", "111111111111"))
for i in range(19):
    ts.create_trust_store(Name="ts%d" % i, CaCertificatesBundleS3Bucket="pki", CaCertificatesBundleS3Key="ca.pem")
case("TooManyTrustStores", ts.create_trust_store, Name="one-more", CaCertificatesBundleS3Bucket="pki", CaCertificatesBundleS3Key="ca.pem")

model = elb.meta.service_model
emit({"errors": errors, "model": {s.error_code: {"status": s.metadata["error"]["httpStatusCode"], "shape": s.name}
                                  for s in model.error_shapes}})
