"""Every ELBv2 action through boto3, with all five waiters and the paginators. Subnets and the
security group are declared by the Go test; trust stores run against the room server
(TS_ENDPOINT), whose object source holds pki/ca.pem and pki/crl.der."""
import os

from v2client import body, client, emit, error_of

SUBNET_A, SUBNET_B = os.environ["SUBNET_A"], os.environ["SUBNET_B"]
VPC, SG = os.environ["VPC"], os.environ["SG"]
SHARED = os.environ["SHARED_ARN"]
CERT = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555"
CERT2 = "arn:aws:iam::000000000000:server-certificate/extra"
INST = "i-0123456789abcdef0"
FAST = {"Delay": 1, "MaxAttempts": 30}

elb = client()
ts = client("TS_ENDPOINT")
out = {}


def fwd(arn):
    return [{"Type": "forward", "TargetGroupArn": arn}]


def pages(name, **kwargs):
    return [body(p) for p in elb.get_paginator(name).paginate(**kwargs)]


# Balancers, target groups, listeners.
lb = elb.create_load_balancer(Name="web", Subnets=[SUBNET_A, SUBNET_B], SecurityGroups=[SG],
                              Tags=[{"Key": "env", "Value": "test"}])["LoadBalancers"][0]
out["create_lb"] = lb
elb.get_waiter("load_balancer_exists").wait(Names=["web"], WaiterConfig=FAST)
elb.get_waiter("load_balancer_available").wait(Names=["web"], WaiterConfig=FAST)
net = elb.create_load_balancer(Name="net", Type="network", Scheme="internal", Subnets=[SUBNET_A])["LoadBalancers"][0]
out["create_net"] = net
tg = elb.create_target_group(Name="web", Protocol="HTTP", Port=8080, VpcId=VPC, HealthCheckPath="/ping",
                             HealthCheckIntervalSeconds=60, HealthCheckTimeoutSeconds=2, HealthyThresholdCount=2)["TargetGroups"][0]
out["create_tg"] = tg
tcp = elb.create_target_group(Name="tcp", Protocol="TCP", Port=9000, VpcId=VPC)["TargetGroups"][0]
http = elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTP", Port=80, DefaultActions=[
    {"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}])["Listeners"][0]
out["create_http"] = http
https = elb.create_listener(LoadBalancerArn=lb["LoadBalancerArn"], Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": CERT}],
                            SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06", DefaultActions=fwd(tg["TargetGroupArn"]))["Listeners"][0]
tls = elb.create_listener(LoadBalancerArn=net["LoadBalancerArn"], Protocol="TLS", Port=443, Certificates=[{"CertificateArn": CERT}],
                          AlpnPolicy=["HTTP2Preferred"], DefaultActions=fwd(tcp["TargetGroupArn"]))["Listeners"][0]
out["modify_tls"] = body(elb.modify_listener(ListenerArn=tls["ListenerArn"], Port=8443))
elb.add_listener_certificates(ListenerArn=https["ListenerArn"], Certificates=[{"CertificateArn": CERT2}])
out["listener_certs"] = body(elb.describe_listener_certificates(ListenerArn=https["ListenerArn"]))
elb.remove_listener_certificates(ListenerArn=https["ListenerArn"], Certificates=[{"CertificateArn": CERT2}])
out["listener_attrs_modified"] = body(elb.modify_listener_attributes(ListenerArn=https["ListenerArn"], Attributes=[
    {"Key": "routing.http.response.server.enabled", "Value": "false"}]))
out["listener_attrs"] = body(elb.describe_listener_attributes(ListenerArn=https["ListenerArn"]))

# Rules.
r1 = elb.create_rule(ListenerArn=https["ListenerArn"], Priority=10, Conditions=[{"Field": "path-pattern", "Values": ["/api/*"]}],
                     Actions=fwd(tg["TargetGroupArn"]))["Rules"][0]
r2 = elb.create_rule(ListenerArn=https["ListenerArn"], Priority=20,
                     Conditions=[{"Field": "host-header", "HostHeaderConfig": {"Values": ["*.example.com"]}}],
                     Actions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain", "MessageBody": "gone"}}],
                     Transforms=[{"Type": "url-rewrite", "UrlRewriteConfig": {"Rewrites": [{"Regex": "^/old/(.*)$", "Replace": "/new/$1"}]}}])["Rules"][0]
out["create_rule"] = r2
out["modify_rule"] = body(elb.modify_rule(RuleArn=r1["RuleArn"], Conditions=[{"Field": "path-pattern", "Values": ["/v2/*"]}]))
out["set_priorities"] = body(elb.set_rule_priorities(RulePriorities=[
    {"RuleArn": r1["RuleArn"], "Priority": 30}, {"RuleArn": r2["RuleArn"], "Priority": 10}]))
out["rules"] = pages("describe_rules", ListenerArn=https["ListenerArn"], PaginationConfig={"PageSize": 1})
elb.delete_rule(RuleArn=r2["RuleArn"])

# Targets: registration, the health life cycle (the endpoint's clock runs fast: a 60 s interval is
# 3 s of registration in progress, time enough for the next call on a loaded machine), draining.
elb.register_targets(TargetGroupArn=tg["TargetGroupArn"], Targets=[{"Id": INST}])
out["health_initial"] = body(elb.describe_target_health(TargetGroupArn=tg["TargetGroupArn"]))
elb.get_waiter("target_in_service").wait(TargetGroupArn=tg["TargetGroupArn"], Targets=[{"Id": INST}], WaiterConfig=FAST)
out["health"] = body(elb.describe_target_health(TargetGroupArn=tg["TargetGroupArn"], Include=["All"]))
out["tg_attrs_modified"] = body(elb.modify_target_group_attributes(TargetGroupArn=tg["TargetGroupArn"], Attributes=[
    {"Key": "deregistration_delay.timeout_seconds", "Value": "0"}, {"Key": "load_balancing.algorithm.type", "Value": "least_outstanding_requests"}]))
elb.deregister_targets(TargetGroupArn=tg["TargetGroupArn"], Targets=[{"Id": INST}])
elb.get_waiter("target_deregistered").wait(TargetGroupArn=tg["TargetGroupArn"], Targets=[{"Id": INST}], WaiterConfig=FAST)
out["modify_tg"] = body(elb.modify_target_group(TargetGroupArn=tg["TargetGroupArn"], HealthCheckPath="/health", Matcher={"HttpCode": "200-299"}))
out["tgs_of_lb"] = body(elb.describe_target_groups(LoadBalancerArn=lb["LoadBalancerArn"]))
out["tgs"] = pages("describe_target_groups", PaginationConfig={"PageSize": 1})
out["tg_attrs"] = body(elb.describe_target_group_attributes(TargetGroupArn=tg["TargetGroupArn"]))

# Balancer settings.
out["lb_attrs_modified"] = body(elb.modify_load_balancer_attributes(LoadBalancerArn=lb["LoadBalancerArn"], Attributes=[
    {"Key": "idle_timeout.timeout_seconds", "Value": "120"}]))
out["lb_attrs"] = body(elb.describe_load_balancer_attributes(LoadBalancerArn=lb["LoadBalancerArn"]))
out["security_groups"] = body(elb.set_security_groups(LoadBalancerArn=lb["LoadBalancerArn"], SecurityGroups=[SG]))
out["subnets"] = body(elb.set_subnets(LoadBalancerArn=lb["LoadBalancerArn"], Subnets=[SUBNET_B, SUBNET_A]))
out["ip_type"] = body(elb.set_ip_address_type(LoadBalancerArn=lb["LoadBalancerArn"], IpAddressType="dualstack"))
out["ip_pools"] = body(elb.modify_ip_pools(LoadBalancerArn=lb["LoadBalancerArn"], IpamPools={"Ipv4IpamPoolId": "ipam-pool-0abc"}))
out["capacity_modified"] = body(elb.modify_capacity_reservation(LoadBalancerArn=lb["LoadBalancerArn"],
                                                               MinimumLoadBalancerCapacity={"CapacityUnits": 200}))
out["capacity"] = body(elb.describe_capacity_reservation(LoadBalancerArn=lb["LoadBalancerArn"]))
elb.add_tags(ResourceArns=[lb["LoadBalancerArn"], tg["TargetGroupArn"], https["ListenerArn"]],
             Tags=[{"Key": "team", "Value": "core"}, {"Key": "tier", "Value": "web"}])
elb.remove_tags(ResourceArns=[lb["LoadBalancerArn"]], TagKeys=["tier"])
out["tags"] = body(elb.describe_tags(ResourceArns=[lb["LoadBalancerArn"], tg["TargetGroupArn"], https["ListenerArn"]]))
out["limits"] = pages("describe_account_limits", PaginationConfig={"PageSize": 10})
out["ssl"] = body(elb.describe_ssl_policies(Names=["ELBSecurityPolicy-2016-08"]))
out["ssl_all"] = [p["Name"] for page in pages("describe_ssl_policies", LoadBalancerType="application",
                                             PaginationConfig={"PageSize": 7}) for p in page["SslPolicies"]]
out["listeners"] = pages("describe_listeners", LoadBalancerArn=lb["LoadBalancerArn"], PaginationConfig={"PageSize": 1})
out["lbs"] = pages("describe_load_balancers", PaginationConfig={"PageSize": 1})
out["no_policy"] = error_of(elb.get_resource_policy, ResourceArn=lb["LoadBalancerArn"])

# Trust stores, on the room server with objects.
store = ts.create_trust_store(Name="ca", CaCertificatesBundleS3Bucket="pki", CaCertificatesBundleS3Key="ca.pem",
                              Tags=[{"Key": "env", "Value": "test"}])["TrustStores"][0]
out["create_ts"] = store
out["modify_ts"] = body(ts.modify_trust_store(TrustStoreArn=store["TrustStoreArn"], CaCertificatesBundleS3Bucket="pki",
                                              CaCertificatesBundleS3Key="ca.pem"))
out["revocations_added"] = body(ts.add_trust_store_revocations(TrustStoreArn=store["TrustStoreArn"], RevocationContents=[
    {"S3Bucket": "pki", "S3Key": "crl.der", "RevocationType": "CRL"}]))
out["revocations"] = body(ts.describe_trust_store_revocations(TrustStoreArn=store["TrustStoreArn"]))
out["revocation_content"] = body(ts.get_trust_store_revocation_content(TrustStoreArn=store["TrustStoreArn"], RevocationId=1))
out["bundle"] = body(ts.get_trust_store_ca_certificates_bundle(TrustStoreArn=store["TrustStoreArn"]))
mlb = ts.create_load_balancer(Name="mtls", Subnets=["subnet-0000000a", "subnet-0000000b"])["LoadBalancers"][0]
mtls = ts.create_listener(LoadBalancerArn=mlb["LoadBalancerArn"], Protocol="HTTPS", Port=443, Certificates=[{"CertificateArn": CERT}],
                          DefaultActions=[{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200"}}],
                          MutualAuthentication={"Mode": "verify", "TrustStoreArn": store["TrustStoreArn"]})["Listeners"][0]
out["mtls"] = mtls
out["associations"] = body(ts.describe_trust_store_associations(TrustStoreArn=store["TrustStoreArn"]))
out["shared_same_account"] = error_of(ts.delete_shared_trust_store_association, TrustStoreArn=store["TrustStoreArn"],
                                      ResourceArn=mtls["ListenerArn"])
out["in_use"] = error_of(ts.delete_trust_store, TrustStoreArn=store["TrustStoreArn"])
out["policy"] = body(ts.get_resource_policy(ResourceArn=SHARED))
ts.delete_listener(ListenerArn=mtls["ListenerArn"])
ts.remove_trust_store_revocations(TrustStoreArn=store["TrustStoreArn"], RevocationIds=[1])
ts.delete_trust_store(TrustStoreArn=store["TrustStoreArn"])
out["trust_stores_left"] = body(ts.describe_trust_stores())

# Clean-up: a balancer takes its listeners with it.
elb.delete_listener(ListenerArn=http["ListenerArn"])
elb.delete_load_balancer(LoadBalancerArn=net["LoadBalancerArn"])
elb.get_waiter("load_balancers_deleted").wait(Names=["net"], WaiterConfig=FAST)
elb.delete_target_group(TargetGroupArn=tcp["TargetGroupArn"])
out["lbs_left"] = [l["LoadBalancerName"] for l in elb.describe_load_balancers()["LoadBalancers"]]
out["tgs_left"] = [g["TargetGroupName"] for g in elb.describe_target_groups()["TargetGroups"]]
emit(out)
