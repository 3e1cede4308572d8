package migrate_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
	"github.com/lbcloud/lbcloud/migrate"
)

// env is one backend a migration runs against: lbcloud's endpoint or moto, reached through the
// SDK like any other endpoint URL.
type env struct {
	kind      string // "endpoint" or "moto"
	srv       *elbtest.Server
	cfg       aws.Config
	url       string
	m         *migrate.Migrator
	classic   *elb.Client
	v2        *elbv2sdk.Client // the test's own view of what was made
	ec2       *ec2.Client
	vpc       string
	subnets   []string // the default VPC's, one per zone, by zone
	zones     []string // the zones of subnets
	instances []string
	cert      string // a server certificate's ARN
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// endpointEnv is an env on a fresh in-process endpoint.
func endpointEnv(t *testing.T, opts ...elbtest.Option) *env {
	t.Helper()
	srv := elbtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	e := newEnv(t, "endpoint", srv.AWSConfig(), srv.URL)
	e.srv = srv
	certPEM, keyPEM := certificate(t)
	arn, err := srv.UploadServerCertificate(context.Background(), "migrate", certPEM, nil, keyPEM)
	must(t, err)
	e.cert = arn
	return e
}

// motoEnv is an env on the shared moto server, reset: skipped by hand without moto, failed in CI.
func motoEnv(t *testing.T) *env {
	t.Helper()
	url := testenv.Moto(t)
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDMIGRATE", "migrate-secret", "")}
	e := newEnv(t, "moto", cfg, url)
	e.cert = "arn:aws:iam::123456789012:server-certificate/migrate" // moto does not look certificates up
	return e
}

func newEnv(t *testing.T, kind string, cfg aws.Config, url string) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{kind: kind, cfg: cfg, url: url, m: migrate.New(cfg, migrate.WithEndpoint(url))}
	e.classic = elb.NewClient(cfg, elb.WithEndpoint(url))
	e.v2 = elbv2sdk.NewFromConfig(cfg, func(o *elbv2sdk.Options) { o.BaseEndpoint = aws.String(url) })
	e.ec2 = ec2.NewFromConfig(cfg, func(o *ec2.Options) { o.BaseEndpoint = aws.String(url) })
	out, err := e.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("default-for-az"), Values: []string{"true"}}}})
	must(t, err)
	subnets := out.Subnets
	slices.SortFunc(subnets, func(a, b ec2types.Subnet) int {
		return strings.Compare(aws.ToString(a.AvailabilityZone), aws.ToString(b.AvailabilityZone))
	})
	for _, s := range subnets {
		e.subnets = append(e.subnets, aws.ToString(s.SubnetId))
		e.zones = append(e.zones, aws.ToString(s.AvailabilityZone))
		e.vpc = aws.ToString(s.VpcId)
	}
	if len(e.subnets) < 3 {
		t.Fatalf("%s: want default subnets in three zones, have %v", kind, e.subnets)
	}
	image := "ami-12345678"
	if imgs, err := e.ec2.DescribeImages(ctx, &ec2.DescribeImagesInput{}); err == nil && len(imgs.Images) > 0 {
		image = aws.ToString(imgs.Images[0].ImageId)
	}
	run, err := e.ec2.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String(image), MinCount: aws.Int32(2), MaxCount: aws.Int32(2),
		InstanceType: ec2types.InstanceTypeT3Micro, SubnetId: aws.String(e.subnets[0])})
	must(t, err)
	for _, in := range run.Instances {
		e.instances = append(e.instances, aws.ToString(in.InstanceId))
	}
	slices.Sort(e.instances)
	return e
}

// certificate is net/http/httptest's self-signed server certificate and its key, in PEM.
func certificate(t *testing.T) (certPEM, keyPEM []byte) {
	t.Helper()
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	cert := srv.TLS.Certificates[0]
	key, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	must(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: key})
}

func equalJSON(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
}
