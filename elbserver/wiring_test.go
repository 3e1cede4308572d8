package elbserver_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ec2sdk "github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	lbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/elbv2/roomtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/certtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// The tests of the hooks between rooms (wiring.go): each fails when its hook is not wired.

// network makes a VPC with a subnet in two zones and a security group, through EC2.
func network(t *testing.T, e *ec2sdk.Client) (vpc string, subnets []string, group string) {
	t.Helper()
	ctx := context.Background()
	v, err := e.CreateVpc(ctx, &ec2sdk.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	sdkcheck.NoErr(t, err)
	vpc = aws.ToString(v.Vpc.VpcId)
	for i, zone := range []string{"us-east-1a", "us-east-1b"} {
		s, err := e.CreateSubnet(ctx, &ec2sdk.CreateSubnetInput{VpcId: &vpc, CidrBlock: aws.String([]string{"10.0.1.0/24", "10.0.2.0/24"}[i]), AvailabilityZone: aws.String(zone)})
		sdkcheck.NoErr(t, err)
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	g, err := e.CreateSecurityGroup(ctx, &ec2sdk.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web"), VpcId: &vpc})
	sdkcheck.NoErr(t, err)
	return vpc, subnets, aws.ToString(g.GroupId)
}

// alb creates an Application Load Balancer on subnets with group and returns its ARN.
func alb(t *testing.T, c *lbv2.Client, name string, subnets []string, group string) string {
	t.Helper()
	out, err := c.CreateLoadBalancer(context.Background(), &lbv2.CreateLoadBalancerInput{Name: aws.String(name), Subnets: subnets, SecurityGroups: []string{group}})
	sdkcheck.NoErr(t, err)
	return aws.ToString(out.LoadBalancers[0].LoadBalancerArn)
}

// httpsListener adds an HTTPS listener on port with certificate cert to the balancer lb.
func httpsListener(c *lbv2.Client, lb string, port int32, cert string) (*lbv2.CreateListenerOutput, error) {
	return c.CreateListener(context.Background(), &lbv2.CreateListenerInput{LoadBalancerArn: &lb, Port: &port, Protocol: v2types.ProtocolEnumHttps,
		Certificates:   []v2types.Certificate{{CertificateArn: &cert}},
		DefaultActions: []v2types.Action{{Type: v2types.ActionTypeEnumFixedResponse, FixedResponseConfig: &v2types.FixedResponseActionConfig{StatusCode: aws.String("200")}}}})
}

// withCertificate starts an endpoint with o, holding one certificate uploaded to IAM (named
// web) and imported into ACM, whose ARNs it returns.
func withCertificate(t *testing.T, o elbserver.Options) (srv *elbtest.Server, iamARN, acmARN string) {
	t.Helper()
	srv = elbtest.NewServer(elbtest.WithOptions(o))
	t.Cleanup(srv.Close)
	web := certtest.NewServer(t, certtest.Options{})
	iamARN, err := srv.UploadServerCertificate(context.Background(), "web", web.Cert, web.Chain, web.Key)
	sdkcheck.NoErr(t, err)
	acmARN, err = srv.ImportCertificate(context.Background(), web.Cert, web.Chain, web.Key)
	sdkcheck.NoErr(t, err)
	return srv, iamARN, acmARN
}

func httpsClassic(cert string) elbtypes.Listener {
	return elbtypes.Listener{Protocol: aws.String("HTTPS"), LoadBalancerPort: 443, InstancePort: aws.Int32(80), InstanceProtocol: aws.String("HTTP"), SSLCertificateId: &cert}
}

// Trust stores read their CA bundle and revocation lists from the S3 room, of the caller's
// own buckets: a missing bucket, key or version, or another account's bucket, is not found.
func TestTrustStoresReadS3(t *testing.T) {
	other := sigv4auth.Credential{AccessKeyID: "AKIDOTHER0000000", SecretAccessKey: "other-secret", AccountID: "222233334444"}
	srv := elbtest.NewServer(elbtest.WithOptions(elbserver.Options{Credentials: []sigv4auth.Credential{sigv4auth.DefaultCredential, other}}))
	defer srv.Close()
	ctx := context.Background()
	ca, err := roomtest.NewCA("wiring CA")
	sdkcheck.NoErr(t, err)
	crl, err := ca.CRL(5, 6)
	sdkcheck.NoErr(t, err)
	sdkcheck.NoErr(t, srv.PutObject(ctx, "pki", "ca.pem", ca.BundlePEM()))
	sdkcheck.NoErr(t, srv.PutObject(ctx, "pki", "crl.der", crl))
	c := lbv2.NewFromConfig(sdkcheck.Config(srv))
	create := func(c *lbv2.Client, name, key, version string) (*lbv2.CreateTrustStoreOutput, error) {
		in := &lbv2.CreateTrustStoreInput{Name: aws.String(name), CaCertificatesBundleS3Bucket: aws.String("pki"), CaCertificatesBundleS3Key: aws.String(key)}
		if version != "" {
			in.CaCertificatesBundleS3ObjectVersion = aws.String(version)
		}
		return c.CreateTrustStore(ctx, in)
	}
	out, err := create(c, "ts", "ca.pem", "")
	sdkcheck.NoErr(t, err)
	if n := aws.ToInt32(out.TrustStores[0].NumberOfCaCertificates); n != 1 {
		t.Errorf("trust store of one CA has %d", n)
	}
	// The room keeps no versions: an object's one version is S3's "null".
	_, err = create(c, "null-version", "ca.pem", "null")
	sdkcheck.NoErr(t, err)
	_, err = create(c, "old-version", "ca.pem", "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrH")
	sdkcheck.WantCode(t, err, "CaCertificatesBundleNotFound")
	_, err = create(c, "missing", "none.pem", "")
	sdkcheck.WantCode(t, err, "CaCertificatesBundleNotFound")
	cfg := sdkcheck.Config(srv)
	cfg.Credentials = credentials.NewStaticCredentialsProvider(other.AccessKeyID, other.SecretAccessKey, "")
	_, err = create(lbv2.NewFromConfig(cfg), "foreign", "ca.pem", "")
	sdkcheck.WantCode(t, err, "CaCertificatesBundleNotFound")

	revoke := func(key string) (*lbv2.AddTrustStoreRevocationsOutput, error) {
		return c.AddTrustStoreRevocations(ctx, &lbv2.AddTrustStoreRevocationsInput{TrustStoreArn: out.TrustStores[0].TrustStoreArn,
			RevocationContents: []v2types.RevocationContent{{S3Bucket: aws.String("pki"), S3Key: aws.String(key), RevocationType: v2types.RevocationTypeCrl}}})
	}
	rev, err := revoke("crl.der")
	sdkcheck.NoErr(t, err)
	if n := aws.ToInt64(rev.TrustStoreRevocations[0].NumberOfRevokedEntries); n != 2 {
		t.Errorf("a CRL of two serials revoked %d", n)
	}
	_, err = revoke("none.der")
	sdkcheck.WantCode(t, err, "RevocationContentNotFound")
}

// In strict mode, Classic and ELBv2 listeners name only certificates IAM holds for the
// account or ACM for the region (CertificateNotFound otherwise); outside it, any well-formed
// ARN.
func TestStrictListenersNameKnownCertificates(t *testing.T) {
	srv, iamARN, acmARN := withCertificate(t, elbserver.Options{Strict: true})
	ctx := context.Background()
	unknown := strings.TrimSuffix(iamARN, "web") + "nope"
	otherRegion := strings.Replace(acmARN, ":us-east-1:", ":eu-west-1:", 1)

	v2 := lbv2.NewFromConfig(sdkcheck.Config(srv))
	_, subnets, group := network(t, ec2sdk.NewFromConfig(sdkcheck.Config(srv)))
	lb := alb(t, v2, "strict", subnets, group)
	for _, arn := range []string{unknown, otherRegion} {
		_, err := httpsListener(v2, lb, 443, arn)
		sdkcheck.WantCode(t, err, "CertificateNotFound")
	}
	l, err := httpsListener(v2, lb, 443, iamARN)
	sdkcheck.NoErr(t, err)
	_, err = v2.AddListenerCertificates(ctx, &lbv2.AddListenerCertificatesInput{ListenerArn: l.Listeners[0].ListenerArn,
		Certificates: []v2types.Certificate{{CertificateArn: &acmARN}}})
	sdkcheck.NoErr(t, err)

	classic := elb.NewFromConfig(sdkcheck.Config(srv))
	create := func(name, cert string) error {
		_, err := classic.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String(name),
			Listeners: []elbtypes.Listener{httpsClassic(cert)}, AvailabilityZones: []string{"us-east-1a"}})
		return err
	}
	sdkcheck.WantCode(t, create("unknown", unknown), "CertificateNotFound")
	sdkcheck.NoErr(t, create("known", iamARN))
	l2 := httpsClassic(otherRegion)
	l2.LoadBalancerPort = 8443
	_, err = classic.CreateLoadBalancerListeners(ctx, &elb.CreateLoadBalancerListenersInput{LoadBalancerName: aws.String("known"), Listeners: []elbtypes.Listener{l2}})
	sdkcheck.WantCode(t, err, "CertificateNotFound")
	set := func(cert string) error {
		_, err := classic.SetLoadBalancerListenerSSLCertificate(ctx, &elb.SetLoadBalancerListenerSSLCertificateInput{
			LoadBalancerName: aws.String("known"), LoadBalancerPort: 443, SSLCertificateId: &cert})
		return err
	}
	sdkcheck.WantCode(t, set(unknown), "CertificateNotFound")
	sdkcheck.NoErr(t, set(acmARN))

	lax := elbtest.NewServer()
	defer lax.Close()
	_, err = elb.NewFromConfig(sdkcheck.Config(lax)).CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("lax"),
		Listeners: []elbtypes.Listener{httpsClassic(unknown)}, AvailabilityZones: []string{"us-east-1a"}})
	sdkcheck.NoErr(t, err)
}

// A certificate a Classic or ELBv2 listener names, in any region for IAM's and in its own
// for ACM's, cannot be deleted: IAM answers DeleteConflict, ACM ResourceInUseException and
// lists the balancers in InUseBy. Once no listener names it, it goes.
func TestCertificatesInUseCannotBeDeleted(t *testing.T) {
	srv, iamARN, acmARN := withCertificate(t, elbserver.Options{})
	ctx := context.Background()

	// IAM's certificate: a Classic listener in eu-west-1 names it.
	west := sdkcheck.Config(srv)
	west.Region = "eu-west-1"
	classic := elb.NewFromConfig(west)
	_, err := classic.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("edge"),
		Listeners: []elbtypes.Listener{httpsClassic(iamARN)}, AvailabilityZones: []string{"eu-west-1a"}})
	sdkcheck.NoErr(t, err)
	deleteIAM := func() (int, string) {
		status, body, _ := sdkcheck.RawCall(t, srv, "iam", map[string][]string{"Action": {"DeleteServerCertificate"}, "Version": {"2010-05-08"}, "ServerCertificateName": {"web"}})
		return status, body
	}
	if status, body := deleteIAM(); status != 409 || !strings.Contains(body, "DeleteConflict") || !strings.Contains(body, "arn:aws:elasticloadbalancing:eu-west-1:000000000000:loadbalancer/edge") {
		t.Fatalf("deleting the certificate of a Classic listener in another region: %d %s", status, body)
	}

	// ACM's certificate: the default of one ELBv2 listener and in the list of another, of one
	// balancer; ACM describes it used by that balancer.
	v2 := lbv2.NewFromConfig(sdkcheck.Config(srv))
	_, subnets, group := network(t, ec2sdk.NewFromConfig(sdkcheck.Config(srv)))
	lb := alb(t, v2, "app", subnets, group)
	l1, err := httpsListener(v2, lb, 443, acmARN)
	sdkcheck.NoErr(t, err)
	l2, err := httpsListener(v2, lb, 8443, iamARN)
	sdkcheck.NoErr(t, err)
	_, err = v2.AddListenerCertificates(ctx, &lbv2.AddListenerCertificatesInput{ListenerArn: l2.Listeners[0].ListenerArn,
		Certificates: []v2types.Certificate{{CertificateArn: &acmARN}}})
	sdkcheck.NoErr(t, err)
	acm := func(op string) (int, string) {
		status, body, _ := sdkcheck.JSONCall(t, srv, "acm", "CertificateManager."+op, map[string]string{"CertificateArn": acmARN})
		return status, body
	}
	_, body := acm("DescribeCertificate")
	var d struct{ Certificate struct{ InUseBy []string } }
	sdkcheck.NoErr(t, json.Unmarshal([]byte(body), &d))
	if !slices.Equal(d.Certificate.InUseBy, []string{lb}) {
		t.Errorf("InUseBy %v, want the balancer %s", d.Certificate.InUseBy, lb)
	}
	if status, body := acm("DeleteCertificate"); status != 400 || !strings.Contains(body, "ResourceInUseException") {
		t.Fatalf("deleting a certificate in use: %d %s", status, body)
	}

	// Undone listener by listener: the certificates are free, then deleted.
	_, err = v2.DeleteListener(ctx, &lbv2.DeleteListenerInput{ListenerArn: l1.Listeners[0].ListenerArn})
	sdkcheck.NoErr(t, err)
	if status, _ := acm("DeleteCertificate"); status != 400 {
		t.Fatalf("deleting a certificate still in a listener's list: %d", status)
	}
	_, err = v2.RemoveListenerCertificates(ctx, &lbv2.RemoveListenerCertificatesInput{ListenerArn: l2.Listeners[0].ListenerArn,
		Certificates: []v2types.Certificate{{CertificateArn: &acmARN}}})
	sdkcheck.NoErr(t, err)
	if status, body := acm("DeleteCertificate"); status != 200 {
		t.Fatalf("deleting a certificate no listener names: %d %s", status, body)
	}
	_, err = classic.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("edge")})
	sdkcheck.NoErr(t, err)
	if status, body := deleteIAM(); status != 409 || !strings.Contains(body, lb) {
		t.Fatalf("deleting the certificate of an ELBv2 listener: %d %s", status, body)
	}
	_, err = v2.DeleteLoadBalancer(ctx, &lbv2.DeleteLoadBalancerInput{LoadBalancerArn: &lb})
	sdkcheck.NoErr(t, err)
	if status, body := deleteIAM(); status != 200 {
		t.Fatalf("deleting a certificate no listener names: %d %s", status, body)
	}
}

// EC2 refuses to delete a VPC, subnet or security group an ELBv2 balancer uses
// (DependencyViolation), and deletes them once it is gone.
func TestEC2KeepsWhatELBv2BalancersUse(t *testing.T) {
	srv := elbtest.NewServer(elbtest.WithOptions(elbserver.Options{Strict: true}))
	defer srv.Close()
	ctx := context.Background()
	e := ec2sdk.NewFromConfig(sdkcheck.Config(srv))
	v2 := lbv2.NewFromConfig(sdkcheck.Config(srv))
	vpc, subnets, group := network(t, e)
	lb := alb(t, v2, "deps", subnets, group)
	// The group, the subnets, then the VPC, as EC2 takes them apart.
	deleteNetwork := func() []error {
		_, err := e.DeleteSecurityGroup(ctx, &ec2sdk.DeleteSecurityGroupInput{GroupId: &group})
		errs := []error{err}
		for _, s := range subnets {
			_, err = e.DeleteSubnet(ctx, &ec2sdk.DeleteSubnetInput{SubnetId: &s})
			errs = append(errs, err)
		}
		_, err = e.DeleteVpc(ctx, &ec2sdk.DeleteVpcInput{VpcId: &vpc})
		return append(errs, err)
	}
	for _, err := range deleteNetwork() {
		sdkcheck.WantCode(t, err, "DependencyViolation")
	}
	_, err := v2.DeleteLoadBalancer(ctx, &lbv2.DeleteLoadBalancerInput{LoadBalancerArn: &lb})
	sdkcheck.NoErr(t, err)
	for _, err := range deleteNetwork() {
		sdkcheck.NoErr(t, err)
	}
}
