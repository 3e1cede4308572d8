"""botocore's paginators over many balancers and over the account limits."""
import os

from elbclient import client, emit

N = int(os.environ["LB_COUNT"])
elb = client()
for i in range(N):
    elb.create_load_balancer(
        LoadBalancerName="lb-%04d" % i, AvailabilityZones=["us-east-1a"],
        Listeners=[{"Protocol": "TCP", "LoadBalancerPort": 80, "InstancePort": 80}])

out = {}
pages = elb.get_paginator("describe_load_balancers").paginate(PaginationConfig={"PageSize": 100})
sizes, names = [], []
for page in pages:
    sizes.append(len(page["LoadBalancerDescriptions"]))
    names += [d["LoadBalancerName"] for d in page["LoadBalancerDescriptions"]]
out["page_sizes"], out["names"] = sizes, names

# MaxItems stops early and hands out a token that resumes where it stopped.
first = elb.get_paginator("describe_load_balancers").paginate(
    PaginationConfig={"PageSize": 40, "MaxItems": 150}).build_full_result()
rest = elb.get_paginator("describe_load_balancers").paginate(
    PaginationConfig={"PageSize": 400, "StartingToken": first["NextToken"]}).build_full_result()
out["first_count"] = len(first["LoadBalancerDescriptions"])
out["resumed"] = [d["LoadBalancerName"] for d in first["LoadBalancerDescriptions"] + rest["LoadBalancerDescriptions"]]

limit_pages = list(elb.get_paginator("describe_account_limits").paginate(PaginationConfig={"PageSize": 1}))
out["limit_pages"] = [[l["Name"] for l in p["Limits"]] for p in limit_pages]
out["default_page"] = len(elb.describe_load_balancers()["LoadBalancerDescriptions"])
emit(out)
