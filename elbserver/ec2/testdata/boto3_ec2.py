"""Builds a network with boto3 against the endpoint at $ENDPOINT_URL (in strict mode), puts a
Classic balancer over it, takes it down, and prints what it saw as JSON for the Go test to
check: one process for every call."""
import json
import os

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

cfg = Config(retries={"max_attempts": 1, "mode": "standard"})
ec2 = boto3.client("ec2", endpoint_url=os.environ["ENDPOINT_URL"], config=cfg)
elb = boto3.client("elb", endpoint_url=os.environ["ENDPOINT_URL"], config=cfg)
out = {"errors": {}}


def error(name, fn, **kw):
    """Records the error code fn(**kw) fails with."""
    try:
        fn(**kw)
        out["errors"][name] = "succeeded"
    except ClientError as e:
        out["errors"][name] = e.response["Error"]["Code"]


def tags(kind, **kv):
    return [{"ResourceType": kind, "Tags": [{"Key": k.replace("_", ":"), "Value": v} for k, v in kv.items()]}]


def instance_ids(**kw):
    ids = []
    for page in ec2.get_paginator("describe_instances").paginate(**kw):
        ids += [i["InstanceId"] for r in page["Reservations"] for i in r["Instances"]]
    return ids


vpc = ec2.create_vpc(CidrBlock="10.30.0.0/16", TagSpecifications=tags("vpc", Name="boto3"))["Vpc"]
vpc_id = vpc["VpcId"]
out["vpc"] = vpc
a = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.30.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
b = ec2.create_subnet(VpcId=vpc_id, CidrBlock="10.30.2.0/24", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
sg = ec2.create_security_group(GroupName="web", Description="web servers", VpcId=vpc_id)["GroupId"]
out.update(subnets=[a, b], group=sg)

web = ec2.run_instances(ImageId="ami-12345678", MinCount=2, MaxCount=2, InstanceType="t3.micro", SubnetId=a,
                        SecurityGroupIds=[sg], TagSpecifications=tags("instance", role="web", lbcloud_address="127.0.0.1:9001"))
out["run"] = web
ids = [i["InstanceId"] for i in web["Instances"]]
ec2.get_waiter("instance_running").wait(InstanceIds=ids, WaiterConfig={"Delay": 1, "MaxAttempts": 3})
more = ec2.run_instances(ImageId="ami-12345678", MinCount=7, MaxCount=7, SubnetId=b)
more_ids = [i["InstanceId"] for i in more["Instances"]]

pages = ec2.get_paginator("describe_instances").paginate(PaginationConfig={"PageSize": 5})
out["instance_pages"] = [sum(len(r["Instances"]) for r in p["Reservations"]) for p in pages]
out["by_ip"] = instance_ids(Filters=[{"Name": "private-ip-address", "Values": ["10.30.1.5"]}])
out["by_tag"] = instance_ids(Filters=[{"Name": "tag:role", "Values": ["w*"]}, {"Name": "subnet-id", "Values": [a]}])
out["in_b"] = instance_ids(Filters=[{"Name": "availability-zone", "Values": ["us-east-1b"]}, {"Name": "vpc-id", "Values": [vpc_id]}])
out["default_subnets"] = [[s["AvailabilityZone"], s["DefaultForAz"], s["CidrBlock"]]
                          for s in ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]]
out["default_vpc"] = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
out["tag_pages"] = [len(p["Tags"]) for p in ec2.get_paginator("describe_tags").paginate(PaginationConfig={"PageSize": 5})]
out["groups"] = [g["GroupName"] for g in ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["SecurityGroups"]]
out["zones"] = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]

error("in_use", ec2.run_instances, ImageId="ami-12345678", MinCount=1, MaxCount=1, SubnetId=a, PrivateIpAddress="10.30.1.4")
error("malformed", ec2.describe_instances, InstanceIds=["i-xyz"])
error("not_found", ec2.describe_instances, InstanceIds=["i-0123456789abcdef0"])
error("subnet_in_use", ec2.delete_subnet, SubnetId=a)
error("reserved_key", ec2.create_tags, Resources=[vpc_id], Tags=[{"Key": "aws:owner", "Value": "x"}])
error("bad_address", ec2.create_tags, Resources=[ids[0]], Tags=[{"Key": "lbcloud:address", "Value": "127.0.0.1:99999"}])
error("duplicate_group", ec2.create_security_group, GroupName="web", Description="again", VpcId=vpc_id)
error("range", ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.30.3.0/29")
error("conflict", ec2.create_subnet, VpcId=vpc_id, CidrBlock="10.30.0.0/20")
error("vpc_not_found", ec2.describe_vpcs, VpcIds=["vpc-0123456789abcdef0"])
error("group_not_found", ec2.describe_security_groups, GroupIds=["sg-0123456789abcdef0"])
error("bad_token", ec2.describe_instances, MaxResults=5, NextToken="garbage!")
error("small_page", ec2.describe_tags, MaxResults=2)  # the model leaves it unbounded; the API says 5 to 1000
error("dry_run", ec2.create_vpc, CidrBlock="10.40.0.0/16", DryRun=True)
error("vpc_in_use", ec2.delete_vpc, VpcId=vpc_id)
error("unknown_subnet", elb.create_load_balancer, LoadBalancerName="x", Subnets=["subnet-0123456789abcdef0"],
      Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 8080}])

elb.create_load_balancer(LoadBalancerName="boto3", Subnets=[a, b], SecurityGroups=[sg],
                         Listeners=[{"Protocol": "HTTP", "LoadBalancerPort": 80, "InstancePort": 9001}])
elb.register_instances_with_load_balancer(LoadBalancerName="boto3", Instances=[{"InstanceId": i} for i in ids])
out["lb"] = elb.describe_load_balancers(LoadBalancerNames=["boto3"])["LoadBalancerDescriptions"][0]

out["terminate"] = ec2.terminate_instances(InstanceIds=ids + more_ids)["TerminatingInstances"]
ec2.get_waiter("instance_terminated").wait(InstanceIds=ids, WaiterConfig={"Delay": 1, "MaxAttempts": 3})
error("register_terminated", elb.register_instances_with_load_balancer, LoadBalancerName="boto3", Instances=[{"InstanceId": ids[0]}])
elb.delete_load_balancer(LoadBalancerName="boto3")
ec2.delete_security_group(GroupId=sg)
ec2.delete_subnet(SubnetId=a)
ec2.delete_subnet(SubnetId=b)
ec2.delete_vpc(VpcId=vpc_id)
error("deleted", ec2.describe_vpcs, VpcIds=[vpc_id])
print(json.dumps(out, default=str))
