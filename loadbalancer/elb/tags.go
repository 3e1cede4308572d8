package elb

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// Tags returns the tags of each named balancer, keyed by name. Names go to DescribeTags in
// batches of 20 (its limit), run concurrently up to the tag concurrency.
func (c *Client) Tags(ctx context.Context, names ...string) (map[string]map[string]string, error) {
	if err := needSome("load balancer name", names); err != nil {
		return nil, err
	}
	return c.tags(ctx, names, false)
}

// tags fetches tags in concurrent batches of 20. While listing, a balancer deleted between its
// page and its tags must not fail the whole inventory: with skipGone, the balancers that are
// gone are left out.
func (c *Client) tags(ctx context.Context, names []string, skipGone bool) (map[string]map[string]string, error) {
	var gone func(error) bool
	if skipGone {
		gone = func(err error) bool { return hasCode(err, "LoadBalancerNotFound") }
	}
	return awsclient.Tags(ctx, names, tagBatch, c.tagLimit, gone,
		func(ctx context.Context, batch []string) (map[string]map[string]string, error) {
			res, err := c.elb.DescribeTags(ctx, &elbsdk.DescribeTagsInput{LoadBalancerNames: batch})
			if err != nil {
				return nil, wrap("DescribeTags", err)
			}
			out := make(map[string]map[string]string, len(res.TagDescriptions))
			for _, td := range res.TagDescriptions {
				out[aws.ToString(td.LoadBalancerName)] = fromSDKTags(td.Tags)
			}
			return out, nil
		})
}

// AddTags adds (or overwrites) tags on each named balancer; ELB takes one name per call.
func (c *Client) AddTags(ctx context.Context, names []string, tags map[string]string) error {
	if err := needSome("load balancer name", names); err != nil {
		return err
	}
	if len(tags) == 0 {
		return driver.Invalid(ProviderName, "at least one tag is required")
	}
	if err := c.allExist(ctx, names); err != nil {
		return err
	}
	for _, n := range names {
		if _, err := c.elb.AddTags(ctx, &elbsdk.AddTagsInput{LoadBalancerNames: []string{n}, Tags: toSDKTags(tags)}); err != nil {
			return wrap("AddTags", err)
		}
	}
	return nil
}

// RemoveTags removes tag keys from each named balancer.
func (c *Client) RemoveTags(ctx context.Context, names []string, keys ...string) error {
	if err := needSome("load balancer name", names); err != nil {
		return err
	}
	if err := needSome("tag key", keys); err != nil {
		return err
	}
	ks := make([]types.TagKeyOnly, len(keys))
	for i, k := range keys {
		ks[i] = types.TagKeyOnly{Key: aws.String(k)}
	}
	if err := c.allExist(ctx, names); err != nil {
		return err
	}
	for _, n := range names {
		if _, err := c.elb.RemoveTags(ctx, &elbsdk.RemoveTagsInput{LoadBalancerNames: []string{n}, Tags: ks}); err != nil {
			return wrap("RemoveTags", err)
		}
	}
	return nil
}

// AccountLimits lists the account's ELB limits (all pages).
func (c *Client) AccountLimits(ctx context.Context) ([]Limit, error) {
	var out []Limit
	in := &elbsdk.DescribeAccountLimitsInput{}
	for {
		res, err := c.elb.DescribeAccountLimits(ctx, in)
		if err != nil {
			return nil, wrap("DescribeAccountLimits", err)
		}
		for _, l := range res.Limits {
			out = append(out, Limit{Name: aws.ToString(l.Name), Max: aws.ToString(l.Max)})
		}
		if aws.ToString(res.NextMarker) == "" {
			return out, nil
		}
		in.Marker = res.NextMarker
	}
}

// allExist checks, before a change made one balancer per call, that every named balancer
// exists, so that a missing one is refused up front instead of after the earlier ones were
// changed. One name needs no check: its own call fails cleanly.
func (c *Client) allExist(ctx context.Context, names []string) error {
	if len(names) < 2 {
		return nil
	}
	_, err := c.Tags(ctx, names...)
	return err
}
