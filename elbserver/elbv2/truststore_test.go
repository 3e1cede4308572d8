package elbv2_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	lbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver/ec2"
	"github.com/lbcloud/lbcloud/elbserver/elbv2"
	"github.com/lbcloud/lbcloud/elbserver/elbv2/roomtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

// roomClient serves the room with the given sources and returns a client of it.
func roomClient(t *testing.T, o roomtest.Options) (*lbv2.Client, *roomtest.Server) {
	t.Helper()
	srv := roomtest.NewServer(o)
	t.Cleanup(srv.Close)
	return lbv2.NewFromConfig(srv.AWSConfig()), srv
}

func TestTrustStores(t *testing.T) {
	objects := &roomtest.Objects{}
	ca, err := roomtest.NewCA("test CA")
	sdkcheck.NoErr(t, err)
	leaf, err := ca.LeafPEM(7)
	sdkcheck.NoErr(t, err)
	crl, err := ca.CRL(7, 8, 9)
	sdkcheck.NoErr(t, err)
	objects.Put("pki", "ca.pem", append(ca.BundlePEM(), ca.BundlePEM()...))
	objects.Put("pki", "leaf.pem", leaf)
	objects.Put("pki", "junk.pem", []byte("not a certificate"))
	objects.Put("pki", "crl.der", crl)
	c, _ := roomClient(t, roomtest.Options{Sources: elbv2.Sources{Objects: objects}})

	create := func(name, key string) (*lbv2.CreateTrustStoreOutput, error) {
		return c.CreateTrustStore(ctx, &lbv2.CreateTrustStoreInput{Name: aws.String(name), CaCertificatesBundleS3Bucket: aws.String("pki"),
			CaCertificatesBundleS3Key: aws.String(key), Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}}})
	}
	out, err := create("ts", "ca.pem")
	sdkcheck.NoErr(t, err)
	ts := out.TrustStores[0]
	if *ts.NumberOfCaCertificates != 2 || ts.Status != "ACTIVE" || !strings.Contains(*ts.TrustStoreArn, ":truststore/ts/") {
		t.Errorf("created: %+v", ts)
	}
	for key, code := range map[string]string{"leaf.pem": "InvalidCaCertificatesBundle", "junk.pem": "InvalidCaCertificatesBundle", "none.pem": "CaCertificatesBundleNotFound"} {
		_, err := create("other", key)
		sdkcheck.WantCode(t, err, code)
	}
	_, err = create("ts", "ca.pem")
	sdkcheck.WantCode(t, err, "DuplicateTrustStoreName")

	rev, err := c.AddTrustStoreRevocations(ctx, &lbv2.AddTrustStoreRevocationsInput{TrustStoreArn: ts.TrustStoreArn,
		RevocationContents: []types.RevocationContent{{S3Bucket: aws.String("pki"), S3Key: aws.String("crl.der"), RevocationType: "CRL"}}})
	sdkcheck.NoErr(t, err)
	if r := rev.TrustStoreRevocations[0]; *r.RevocationId != 1 || *r.NumberOfRevokedEntries != 3 {
		t.Errorf("revocation %+v", r)
	}
	_, err = c.AddTrustStoreRevocations(ctx, &lbv2.AddTrustStoreRevocationsInput{TrustStoreArn: ts.TrustStoreArn,
		RevocationContents: []types.RevocationContent{{S3Bucket: aws.String("pki"), S3Key: aws.String("ca.pem")}}})
	sdkcheck.WantCode(t, err, "InvalidRevocationContent")
	_, err = c.AddTrustStoreRevocations(ctx, &lbv2.AddTrustStoreRevocationsInput{TrustStoreArn: ts.TrustStoreArn,
		RevocationContents: []types.RevocationContent{{S3Bucket: aws.String("pki"), S3Key: aws.String("gone.crl")}}})
	sdkcheck.WantCode(t, err, "RevocationContentNotFound")
	desc, err := c.DescribeTrustStores(ctx, &lbv2.DescribeTrustStoresInput{Names: []string{"ts"}})
	sdkcheck.NoErr(t, err)
	if *desc.TrustStores[0].TotalRevokedEntries != 3 {
		t.Errorf("described: %+v", desc.TrustStores[0])
	}
	loc, err := c.GetTrustStoreRevocationContent(ctx, &lbv2.GetTrustStoreRevocationContentInput{TrustStoreArn: ts.TrustStoreArn, RevocationId: aws.Int64(1)})
	sdkcheck.NoErr(t, err)
	if *loc.Location != "https://pki.s3.us-east-1.amazonaws.com/crl.der" {
		t.Errorf("revocation location %s", *loc.Location)
	}
	_, err = c.GetTrustStoreRevocationContent(ctx, &lbv2.GetTrustStoreRevocationContentInput{TrustStoreArn: ts.TrustStoreArn, RevocationId: aws.Int64(2)})
	sdkcheck.WantCode(t, err, "RevocationIdNotFound")
	bundle, err := c.GetTrustStoreCaCertificatesBundle(ctx, &lbv2.GetTrustStoreCaCertificatesBundleInput{TrustStoreArn: ts.TrustStoreArn})
	sdkcheck.NoErr(t, err)
	if *bundle.Location != "https://pki.s3.us-east-1.amazonaws.com/ca.pem" {
		t.Errorf("bundle location %s", *bundle.Location)
	}

	// A listener verifying clients with it keeps it from being deleted.
	alb, err := c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{"subnet-0000000a", "subnet-0000000b"}})
	sdkcheck.NoErr(t, err)
	l, err := c.CreateListener(ctx, &lbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancers[0].LoadBalancerArn, Protocol: "HTTPS", Port: aws.Int32(443),
		Certificates: []types.Certificate{{CertificateArn: aws.String(certARN)}}, DefaultActions: fixed("200"),
		MutualAuthentication: &types.MutualAuthenticationAttributes{Mode: aws.String("verify"), TrustStoreArn: ts.TrustStoreArn}})
	sdkcheck.NoErr(t, err)
	if m := l.Listeners[0].MutualAuthentication; *m.TrustStoreArn != *ts.TrustStoreArn || *m.IgnoreClientCertificateExpiry || m.AdvertiseTrustStoreCaNames != "off" {
		t.Errorf("mutual authentication %+v", m)
	}
	assoc, err := c.DescribeTrustStoreAssociations(ctx, &lbv2.DescribeTrustStoreAssociationsInput{TrustStoreArn: ts.TrustStoreArn})
	sdkcheck.NoErr(t, err)
	if len(assoc.TrustStoreAssociations) != 1 || *assoc.TrustStoreAssociations[0].ResourceArn != *l.Listeners[0].ListenerArn {
		t.Errorf("associations %+v", assoc.TrustStoreAssociations)
	}
	_, err = c.DeleteTrustStore(ctx, &lbv2.DeleteTrustStoreInput{TrustStoreArn: ts.TrustStoreArn})
	sdkcheck.WantCode(t, err, "TrustStoreInUse")
	_, err = c.DeleteSharedTrustStoreAssociation(ctx, &lbv2.DeleteSharedTrustStoreAssociationInput{TrustStoreArn: ts.TrustStoreArn, ResourceArn: l.Listeners[0].ListenerArn})
	sdkcheck.WantCode(t, err, "DeleteAssociationSameAccount")
	other := strings.Replace(*l.Listeners[0].ListenerArn, "000000000000", "111111111111", 1)
	_, err = c.DeleteSharedTrustStoreAssociation(ctx, &lbv2.DeleteSharedTrustStoreAssociationInput{TrustStoreArn: ts.TrustStoreArn, ResourceArn: &other})
	sdkcheck.WantCode(t, err, "AssociationNotFound")

	_, err = c.ModifyListener(ctx, &lbv2.ModifyListenerInput{ListenerArn: l.Listeners[0].ListenerArn,
		MutualAuthentication: &types.MutualAuthenticationAttributes{Mode: aws.String("off")}})
	sdkcheck.NoErr(t, err)
	mod, err := c.ModifyTrustStore(ctx, &lbv2.ModifyTrustStoreInput{TrustStoreArn: ts.TrustStoreArn, CaCertificatesBundleS3Bucket: aws.String("pki"),
		CaCertificatesBundleS3Key: aws.String("ca.pem")})
	sdkcheck.NoErr(t, err)
	if *mod.TrustStores[0].NumberOfCaCertificates != 2 {
		t.Errorf("modified %+v", mod.TrustStores[0])
	}
	_, err = c.RemoveTrustStoreRevocations(ctx, &lbv2.RemoveTrustStoreRevocationsInput{TrustStoreArn: ts.TrustStoreArn, RevocationIds: []int64{1}})
	sdkcheck.NoErr(t, err)
	revs, err := c.DescribeTrustStoreRevocations(ctx, &lbv2.DescribeTrustStoreRevocationsInput{TrustStoreArn: ts.TrustStoreArn})
	sdkcheck.NoErr(t, err)
	if len(revs.TrustStoreRevocations) != 0 {
		t.Errorf("revocations left %+v", revs.TrustStoreRevocations)
	}
	_, err = c.DeleteTrustStore(ctx, &lbv2.DeleteTrustStoreInput{TrustStoreArn: ts.TrustStoreArn})
	sdkcheck.NoErr(t, err)
	_, err = c.DescribeTrustStores(ctx, &lbv2.DescribeTrustStoresInput{TrustStoreArns: []string{*ts.TrustStoreArn}})
	sdkcheck.WantCode(t, err, "TrustStoreNotFound")
}

// Without an object source (the endpoint until S3 is wired) every bundle is missing.
func TestTrustStoreWithoutObjects(t *testing.T) {
	c, _ := client(t)
	_, err := c.CreateTrustStore(ctx, &lbv2.CreateTrustStoreInput{Name: aws.String("ts"), CaCertificatesBundleS3Bucket: aws.String("pki"),
		CaCertificatesBundleS3Key: aws.String("ca.pem")})
	sdkcheck.WantCode(t, err, "CaCertificatesBundleNotFound")
}

// In strict mode the certificate source decides which certificates exist.
func TestStrictCertificates(t *testing.T) {
	known := roomtest.Certificates{certARN: true}
	c, _ := roomClient(t, roomtest.Options{Strict: false, Sources: elbv2.Sources{Certificates: known}})
	sc, ssrv := roomClient(t, roomtest.Options{Strict: true, Sources: elbv2.Sources{Certificates: known}})
	sdkcheck.NoErr(t, ssrv.Room.PutResourcePolicy(roomtest.Account, roomtest.Region, "arn:aws:elasticloadbalancing:us-east-1:000000000000:truststore/ts/0123456789abcdef", `{"Version":"2012-10-17"}`))
	pol, err := sc.GetResourcePolicy(ctx, &lbv2.GetResourcePolicyInput{ResourceArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:000000000000:truststore/ts/0123456789abcdef")})
	sdkcheck.NoErr(t, err)
	if *pol.Policy != `{"Version":"2012-10-17"}` {
		t.Errorf("policy %s", *pol.Policy)
	}
	for _, cl := range []*lbv2.Client{c, sc} {
		alb, err := cl.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String("web"),
			Subnets: []string{roomtestDefaultSubnet("a"), roomtestDefaultSubnet("b")}})
		sdkcheck.NoErr(t, err)
		in := &lbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancers[0].LoadBalancerArn, Protocol: "HTTPS", Port: aws.Int32(443), DefaultActions: fixed("200"),
			Certificates: []types.Certificate{{CertificateArn: aws.String(certARN + "0")}}}
		_, err = cl.CreateListener(ctx, in)
		if cl == c {
			sdkcheck.NoErr(t, err) // any well-formed ARN outside strict mode
			continue
		}
		sdkcheck.WantCode(t, err, "CertificateNotFound")
		in.Certificates[0].CertificateArn = aws.String(certARN)
		_, err = cl.CreateListener(ctx, in)
		sdkcheck.NoErr(t, err)
	}
}

func roomtestDefaultSubnet(zone string) string {
	return ec2.DefaultVPCOf(roomtest.Account, roomtest.Region).Subnet(roomtest.Region + zone)
}
