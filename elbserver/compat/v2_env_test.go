package compat

import (
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/elbv2"
	"github.com/lbcloud/lbcloud/elbserver/elbv2/roomtest"
)

// The ELBv2 scenarios run against two servers: the endpoint itself, and the ELBv2 room alone
// with an object source holding a CA bundle and a revocation list (roomtest), for the trust
// store actions the endpoint cannot serve until its S3 room is wired.

// sharedTrustStore is a trust store ARN with a resource policy on the room server.
const sharedTrustStore = "arn:aws:elasticloadbalancing:us-east-1:000000000000:truststore/shared/0123456789abcdef"

// clockSpeed is how much faster than real time the endpoint's clock runs in these scenarios,
// so that the health and capacity life cycles pass while the clients' waiters poll.
const clockSpeed = 20

// subnetOther is a declared subnet in another VPC than subnetA and subnetB.
const subnetOther = "subnet-0cccccccccccccccc"

// v2Servers are the two servers of a scenario.
type v2Servers struct {
	srv  *elbtest.Server
	room *roomtest.Server
}

// startV2 starts the servers of a scenario: the endpoint with limits and its clock speed up
// by speed, its subnets (two in one VPC, subnetOther in another) and security group declared.
func startV2(t *testing.T, limits map[string]int, speed time.Duration) v2Servers {
	t.Helper()
	start := time.Now()
	fast := func() time.Time { return start.Add(time.Since(start) * speed) }
	s := v2Servers{srv: startServer(t, elbtest.WithOptions(elbserver.Options{Now: fast, Limits: limits}))}
	for _, sub := range []elbserver.Subnet{{ID: subnetA, VPCID: vpcID, AvailabilityZone: "us-east-1a"},
		{ID: subnetB, VPCID: vpcID, AvailabilityZone: "us-east-1b"}, {ID: subnetOther, VPCID: "vpc-0ffffffffffffffff", AvailabilityZone: "us-east-1c"}} {
		if err := s.srv.Endpoint.DeclareSubnet("", "", sub); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.srv.Endpoint.DeclareSecurityGroupNamed("", "", sgOne, vpcID, "web"); err != nil {
		t.Fatal(err)
	}
	objects := &roomtest.Objects{}
	ca, err := roomtest.NewCA("compat CA")
	if err != nil {
		t.Fatal(err)
	}
	crl, err := ca.CRL(5, 6)
	if err != nil {
		t.Fatal(err)
	}
	objects.Put("pki", "ca.pem", ca.BundlePEM())
	objects.Put("pki", "crl.der", crl)
	s.room = roomtest.NewServer(roomtest.Options{Sources: elbv2.Sources{Objects: objects}, Now: fast})
	t.Cleanup(s.room.Close)
	if err := s.room.Room.PutResourcePolicy(roomtest.Account, roomtest.Region, sharedTrustStore, `{"Version":"2012-10-17","Statement":[]}`); err != nil {
		t.Fatal(err)
	}
	return s
}

// extraEnv is what a client process needs beyond clientEnv: the room server and the
// declared resources.
func (s v2Servers) extraEnv() []string {
	return []string{"TS_ENDPOINT=" + s.room.URL, "SUBNET_A=" + subnetA, "SUBNET_B=" + subnetB, "SUBNET_OTHER=" + subnetOther,
		"VPC=" + vpcID, "SG=" + sgOne, "SHARED_ARN=" + sharedTrustStore}
}

// v2ModelScript prints the operations of the official ELBv2 model with their CLI command
// names, and the error codes each may return.
const v2ModelScript = `
import json, botocore.session
from botocore import xform_name
m = botocore.session.get_session().get_service_model("elbv2", api_version="2015-12-01")
print(json.dumps({op: {"cli": xform_name(op, "-"), "errors": [e.error_code for e in m.operation_model(op).error_shapes]}
                  for op in m.operation_names}))
`

type v2Op struct {
	CLI    string   `json:"cli"`
	Errors []string `json:"errors"`
}

// v2Model is the ELBv2 model's operations.
var v2Model = &botocoreModel[v2Op]{api: "ELBv2", version: "2015-12-01", operations: 51, script: v2ModelScript}
