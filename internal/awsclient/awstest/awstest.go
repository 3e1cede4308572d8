// Package awstest holds what the tests of every AWS provider share: members started as EC2
// instances on the endpoint a Service talks to, the check that a provider's errors carry the
// SDK's own error types, a scripted Query API endpoint (Fake) and a recording HTTP client
// (Recorder), and the API models read as the spec.
package awstest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

// RunInstances starts n instances of image, or of the first image the EC2 client behind svc
// lists (moto's, AWS's) when image is "", and returns them as members, each with its ID and
// private IP.
func RunInstances(ctx context.Context, svc *loadbalancer.Service, image string, n int) ([]loadbalancer.Member, error) {
	var c *ec2.Client
	if !svc.As(&c) {
		return nil, errors.New("no EC2 client behind the service")
	}
	if image == "" {
		imgs, err := c.DescribeImages(ctx, &ec2.DescribeImagesInput{})
		if err != nil || len(imgs.Images) == 0 {
			return nil, fmt.Errorf("no image to start instances from: %v", err)
		}
		image = aws.ToString(imgs.Images[0].ImageId)
	}
	out, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: &image,
		MinCount: aws.Int32(int32(n)), MaxCount: aws.Int32(int32(n)), InstanceType: ec2types.InstanceTypeT2Micro})
	if err != nil {
		return nil, err
	}
	ms := make([]loadbalancer.Member, 0, n)
	for _, in := range out.Instances {
		ms = append(ms, loadbalancer.Member{ID: aws.ToString(in.InstanceId), IP: aws.ToString(in.PrivateIpAddress)})
	}
	return ms, nil
}

// StartInstances is RunInstances for a test, from the first image listed: it fails t on an
// error and returns the instances' IDs and private IPs.
func StartInstances(t testing.TB, ctx context.Context, svc *loadbalancer.Service, n int) (ids, ips []string) {
	t.Helper()
	ms, err := RunInstances(ctx, svc, "", n)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		ids = append(ids, m.ID)
		ips = append(ips, m.IP)
	}
	return ids, ips
}

// CheckErrorAs is the ErrorCheck of an AWS provider's drivertest.AsTest: svc.ErrorAs finds in
// err the SDK's API error with code, and its HTTP response error with status 400 and a
// request ID.
func CheckErrorAs(svc *loadbalancer.Service, err error, code string) error {
	var ae smithy.APIError
	if !svc.ErrorAs(err, &ae) || ae.ErrorCode() != code {
		return fmt.Errorf("want ErrorAs to find the smithy.APIError %s in %v", code, err)
	}
	var re *awshttp.ResponseError
	if !svc.ErrorAs(err, &re) || re.HTTPStatusCode() != http.StatusBadRequest || re.ServiceRequestID() == "" {
		return fmt.Errorf("want ErrorAs to find the HTTP response error, with status 400 and a request ID, in %v", err)
	}
	return nil
}
