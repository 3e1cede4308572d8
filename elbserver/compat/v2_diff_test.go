package compat

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	lbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// v2Side is one implementation under comparison in the ELBv2 differential test, with the EC2
// resources made for it and the placeholders its ids are normalised to.
type v2Side struct {
	name    string
	c       *lbv2.Client
	inst    [2]string
	subnets [2]string
	sgs     [2]string
	certs   [2]string // ACM certificate ARNs
	vpc     string
	account string
	pairs   []string // id, placeholder, ...
	state   v2State
}

// label gives the resource whose ARN is arn a placeholder shared by both sides: the last
// segment of an ELBv2 ARN is the resource's random id.
func (s *v2Side) label(arn, placeholder string) {
	if i := strings.LastIndexByte(arn, '/'); i >= 0 && arn != "" {
		s.pairs = append(s.pairs, arn[i+1:], placeholder)
	}
}

func (s *v2Side) replacer() *strings.Replacer {
	return strings.NewReplacer(append([]string{
		s.inst[0], "<instance-1>", s.inst[1], "<instance-2>", s.subnets[0], "<subnet-1>", s.subnets[1], "<subnet-2>",
		s.sgs[0], "<sg-1>", s.sgs[1], "<sg-2>", s.certs[0], "<cert-1>", s.certs[1], "<cert-2>", s.vpc, "<vpc>",
		s.account, "<account>"}, s.pairs...)...)
}

// motoV2Side makes moto's EC2 resources (instances, a VPC with subnets in two zones, two
// security groups) and returns an ELBv2 client on moto.
func motoV2Side(ctx context.Context, t *testing.T) *v2Side {
	t.Helper()
	url := testenv.Moto(t)
	ec2Side := motoSide(ctx, t) // resets moto, then makes the EC2 resources
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(url), RetryMaxAttempts: 1}
	s := &v2Side{name: "moto", c: lbv2.NewFromConfig(cfg), inst: ec2Side.inst, subnets: ec2Side.subnets, sgs: ec2Side.sgs,
		vpc: ec2Side.vpc, account: ec2Side.account}
	for i := range s.certs {
		s.certs[i] = motoCertificate(ctx, t, cfg, fmt.Sprintf("www%d.example.com", i))
	}
	return s
}

// motoCertificate requests a certificate from moto's ACM (moto's ELBv2 refuses listener
// certificates its ACM does not have) and returns its ARN. The module has no ACM client: the
// request is ACM's JSON protocol, signed.
func motoCertificate(ctx context.Context, t *testing.T, cfg aws.Config, domain string) string {
	t.Helper()
	body := fmt.Sprintf(`{"DomainName":%q}`, domain)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, *cfg.BaseEndpoint+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "CertificateManager.RequestCertificate")
	sum := sha256.Sum256([]byte(body))
	creds, _ := cfg.Credentials.Retrieve(ctx)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "acm", cfg.Region, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("moto ACM: %v", err)
	}
	defer resp.Body.Close()
	var out struct{ CertificateArn string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.CertificateArn == "" {
		t.Fatalf("moto ACM RequestCertificate: status %s, %v", resp.Status, err)
	}
	return out.CertificateArn
}

// oursV2Side starts the endpoint and declares the same resources to it.
func oursV2Side(t *testing.T) *v2Side {
	t.Helper()
	srv := startServer(t)
	ep := srv.Endpoint
	s := &v2Side{name: "ours", inst: [2]string{instA, instB}, subnets: [2]string{subnetA, subnetB}, sgs: [2]string{sgOne, sgTwo},
		certs: [2]string{diffCert, certTwo}, vpc: vpcID, account: "000000000000"}
	for i, zone := range []string{"us-east-1a", "us-east-1b"} {
		for _, err := range []error{
			ep.DeclareInstance("", "", elbserver.Instance{ID: s.inst[i], PrivateIP: "10.1.0.1", SubnetID: s.subnets[i], VPCID: vpcID, AvailabilityZone: zone}),
			ep.DeclareSubnet("", "", elbserver.Subnet{ID: s.subnets[i], VPCID: vpcID, AvailabilityZone: zone}),
			ep.DeclareSecurityGroupNamed("", "", s.sgs[i], vpcID, []string{"web", "db"}[i]),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	cfg := srv.AWSConfig()
	cfg.RetryMaxAttempts = 1
	s.c = lbv2.NewFromConfig(cfg)
	return s
}

// v2Step is one call of the scenario; names gives placeholders to what it created.
type v2Step struct {
	action string
	call   func(ctx context.Context, s *v2Side) (any, error)
}

// TestV2DifferentialMoto runs one scenario over moto's 37 ELBv2 actions with aws-sdk-go-v2
// against moto and against the endpoint, and fails on any difference in the normalised
// responses that intendedV2Differences does not list, and on any entry of that table that
// no longer matches a difference.
func TestV2DifferentialMoto(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	moto := motoV2Side(ctx, t)
	ours := oursV2Side(t)
	run := v2Differences.tally()
	for i, st := range v2Scenario {
		mo, merr := st.call(ctx, moto)
		oo, oerr := st.call(ctx, ours)
		run.note(t, compareOutcomes(i+1, st.action, normalise(mo, merr, moto.replacer(), v2Rules), normalise(oo, oerr, ours.replacer(), v2Rules)))
	}
	run.done(t)
}

// v2ListKeys identify the members of ELBv2 response lists, tried in order.
var v2ListKeys = []string{"LoadBalancerName", "TargetGroupName", "ListenerArn", "RuleArn", "ResourceArn", "Key", "Name",
	"ZoneName", "Field", "Type", "CertificateArn", "TargetGroupArn", "Target"}

// v2Rules normalise ELBv2 responses.
var v2Rules = apiRules{keyList: keyV2List, times: []string{"CreatedTime", "LastModifiedTime"}, dnsNames: []string{"DNSName"}, dropEmpty: true}

// keyV2List maps list members onto "[id]" keys by the first field all of them have.
func keyV2List(x []any) map[string]any {
	for _, f := range v2ListKeys {
		out := map[string]any{}
		for _, e := range x {
			m, ok := e.(map[string]any)
			if !ok {
				return nil
			}
			id, ok := m[f]
			if !ok {
				break
			}
			if t, isMap := id.(map[string]any); isMap {
				id = fmt.Sprintf("%v:%v", t["Id"], t["Port"])
			}
			out[fmt.Sprintf("[%v]", id)] = m
		}
		if len(out) == len(x) {
			return out
		}
	}
	return nil
}
