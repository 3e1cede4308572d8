package elbtest_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/certtest"
	"github.com/lbcloud/lbcloud/elbserver/store"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

func TestNewServerDefaults(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	if srv.Region != "us-east-1" || srv.AccessKeyID != "test" || srv.SecretAccessKey != "test" || srv.Endpoint == nil {
		t.Fatalf("unexpected defaults: %+v", srv)
	}
	c := elb.NewFromConfig(srv.AWSConfig())
	out, err := c.CreateLoadBalancer(context.Background(), &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String("t"), Listeners: []types.Listener{{Protocol: aws.String("TCP"), LoadBalancerPort: 22, InstancePort: aws.Int32(22)}},
	})
	if err != nil || aws.ToString(out.DNSName) == "" {
		t.Fatalf("create: %v", err)
	}
}

func TestWithOptionsCredentialsAndState(t *testing.T) {
	cred := sigv4auth.Credential{AccessKeyID: "AKIDEXAMPLE12345", SecretAccessKey: "s3cr3t-value", AccountID: "111122223333"}
	path := filepath.Join(t.TempDir(), "s.db")
	srv := elbtest.NewServer(elbtest.WithOptions(elbserver.Options{StatePath: path, Credentials: []sigv4auth.Credential{cred}}))
	defer srv.Close()
	if srv.AccessKeyID != cred.AccessKeyID {
		t.Fatalf("access key %q", srv.AccessKeyID)
	}
	c := elb.NewFromConfig(srv.AWSConfig())
	if _, err := c.DescribeLoadBalancers(context.Background(), &elb.DescribeLoadBalancersInput{}); err != nil {
		t.Fatal(err)
	}
	// The control hooks address the first credential's account by default.
	if err := srv.Endpoint.DeclareInstance("", "", elbserver.Instance{ID: "i-12345678"}); err != nil {
		t.Fatal(err)
	}
	out, err := ec2.NewFromConfig(srv.AWSConfig()).DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{InstanceIds: []string{"i-12345678"}})
	if err != nil {
		t.Fatalf("instance declared by the hook is not in the credential's account: %v", err)
	}
	if len(out.Reservations) != 1 || aws.ToString(out.Reservations[0].OwnerId) != cred.AccountID {
		t.Fatalf("reservations %+v, want one owned by %s", out.Reservations, cred.AccountID)
	}
}

func TestNewServerPanicsOnBadState(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("NewServer did not panic on an unusable state path")
		}
	}()
	elbtest.NewServer(elbtest.WithOptions(elbserver.Options{StatePath: filepath.Join(t.TempDir(), "missing-dir", "x.db")}))
}

// The SDK's EC2 client, whose request bodies offer WriteTo, once lost about one call in a
// thousand against a loopback endpoint to a connection closed under its response (see
// awsclient.Shield). Single attempts, so nothing is retried away.
func TestNoConnectionClosedUnderAResponse(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	cfg := srv.AWSConfig()
	cfg.RetryMaxAttempts = 1
	c := ec2.NewFromConfig(cfg)
	ctx := context.Background()
	if _, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(5), MaxCount: aws.Int32(5)}); err != nil {
		t.Fatal(err)
	}
	for i := range 5000 {
		if _, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5)}); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
}

// The helpers for certificates and trust store files go through IAM, ACM and S3: what they
// store is what listeners and trust stores read, and a refusal carries the API's code.
func TestTLSFiles(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	web := certtest.NewServer(t, certtest.Options{})
	iamARN, err := srv.UploadServerCertificate(ctx, "web", web.Cert, web.Chain, web.Key)
	if err != nil || iamARN != "arn:aws:iam::000000000000:server-certificate/web" {
		t.Fatalf("upload: %q, %v", iamARN, err)
	}
	acmARN, err := srv.ImportCertificate(ctx, web.Cert, nil, web.Key)
	if err != nil || !strings.HasPrefix(acmARN, "arn:aws:acm:us-east-1:000000000000:certificate/") {
		t.Fatalf("import: %q, %v", acmARN, err)
	}
	if err := srv.PutObject(ctx, "pki", "certs/ca bundle.pem", web.Root); err != nil {
		t.Fatal(err)
	}
	if err := srv.PutObject(ctx, "pki", "again.pem", web.Root); err != nil {
		t.Fatalf("a second object in the bucket: %v", err)
	}
	err = srv.Endpoint.Store().View("000000000000", "us-east-1", func(p *store.Part) error {
		for _, arn := range []string{iamARN, acmARN} {
			if c, err := store.LookupCertificate(p, arn); err != nil || c == nil || c.Body != string(web.Cert) {
				t.Errorf("listeners find %s: %+v, %v", arn, c, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = srv.Endpoint.Store().View(store.S3Account, store.S3Region, func(p *store.Part) error {
		if d, err := store.S3ObjectData.Get(p, store.ObjectKey("pki", "certs/ca bundle.pem")); err != nil || d == nil || !bytes.Equal(d.Bytes, web.Root) {
			t.Errorf("stored object: %+v, %v", d, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	var e *elbtest.Error
	_, err = srv.UploadServerCertificate(ctx, "web", web.Cert, web.Chain, web.Key)
	if !errors.As(err, &e) || e.Code != "EntityAlreadyExists" || e.Status != 409 || e.RequestID == "" {
		t.Errorf("uploading a name twice: %v", err)
	}
	other := certtest.NewServer(t, certtest.Options{})
	_, err = srv.ImportCertificate(ctx, web.Cert, nil, other.Key)
	if !errors.As(err, &e) || e.Code != "ValidationException" || e.Message == "" {
		t.Errorf("importing with another certificate's key: %v", err)
	}
	if err := srv.PutObject(ctx, "Not_A_Bucket", "k", nil); !errors.As(err, &e) || e.Code != "InvalidBucketName" {
		t.Errorf("an invalid bucket name: %v", err)
	}
}
