package elb

import (
	"context"
	"sync/atomic"

	"github.com/aws/smithy-go/middleware"

	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
)

// Creating a policy is the one Classic ELB change that is not idempotent: when the answer to
// the first attempt is lost, the SDK's retry meets DuplicatePolicyName although the policy
// was made as asked. createPolicy tells that case apart by counting attempts: a duplicate met
// on a retry is checked against the request, and is success if the policy that exists is
// the one asked for. A duplicate on the first attempt stays an error, as on AWS.
func (c *Client) createPolicy(ctx context.Context, op, lbName, policyName, policyType string, attrs map[string]string,
	send func(ctx context.Context, opt func(*elbsdk.Options)) error) error {
	var attempts atomic.Int32
	err := send(ctx, countAttempts(&attempts))
	if err != nil && attempts.Load() > 1 && hasCode(err, "DuplicatePolicyName") {
		if pols, derr := c.DescribeBalancerPolicies(ctx, lbName, policyName); derr == nil &&
			len(pols) == 1 && samePolicy(pols[0], policyType, attrs) {
			return nil
		}
	}
	return wrap(op, err)
}

// countAttempts adds a step after the SDK's retry loop, so it sees every attempt.
func countAttempts(n *atomic.Int32) func(*elbsdk.Options) {
	return func(o *elbsdk.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Finalize.Add(middleware.FinalizeMiddlewareFunc("lbcloudCountAttempts",
				func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
					n.Add(1)
					return next.HandleFinalize(ctx, in)
				}), middleware.After)
		})
	}
}

// samePolicy reports whether an existing policy has the requested type and attributes. The
// described attributes may add defaults the request left out, so the request need only be
// a subset; an attribute requested empty must be absent or empty.
func samePolicy(p Policy, policyType string, attrs map[string]string) bool {
	if p.Type != policyType {
		return false
	}
	for k, v := range attrs {
		if p.Attributes[k] != v {
			return false
		}
	}
	return true
}
