package elbv2

import (
	"context"
	"iter"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"golang.org/x/sync/errgroup"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// Client has one typed method for each of the 51 actions of the ELBv2 API (2015-12-01); see
// Operations. Every paged describe is an iterator that follows the Marker to the end. Errors
// are *driver.Error values with the provider's code and request ID, matched with errors.Is
// against the loadbalancer error kinds. Reach it from a Service with As:
//
//	var c *elbv2.Client
//	if svc.As(&c) { ... }
//
// It is safe for concurrent use.
type Client struct {
	api      *elbv2sdk.Client
	ec2      *ec2.Client
	provider string // "alb" or "nlb": the provider errors are reported under
	region   string
	tagLimit int // DescribeTags batches in flight at once
}

// API is the SDK client, for options the methods do not cover.
func (c *Client) API() *elbv2sdk.Client { return c.api }

// EC2 is the EC2 client used to resolve members given by IP and to find default subnets.
func (c *Client) EC2() *ec2.Client { return c.ec2 }

// Region is the AWS region the client talks to.
func (c *Client) Region() string { return c.region }

// wrap classifies an SDK error from action op.
func (c *Client) wrap(op string, err error) error { return awsclient.Wrap(c.provider, op, err) }

// notFound reports a missing resource found by the driver itself.
func (c *Client) notFound(op, code, format string, args ...any) *driver.Error {
	return awsclient.NotFound(c.provider, op, code, format, args...)
}

// pages walks a Marker-paged describe from marker: fetch returns one page's items and the
// next marker. An error ends the sequence as its last pair.
func pages[T any](ctx context.Context, marker *string, fetch func(context.Context, *string) ([]T, *string, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for {
			items, next, err := fetch(ctx, marker)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if aws.ToString(next) == "" {
				return
			}
			marker = next
		}
	}
}

// collect gathers a sequence into a slice, stopping at the first error.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// tagBatch is the most resource ARNs DescribeTags accepts in one call.
const tagBatch = 20

// Tags returns the tags of each resource (load balancers, target groups, listeners, rules,
// trust stores) by ARN, in DescribeTags batches of 20 run concurrently. A missing resource
// fails the call.
func (c *Client) Tags(ctx context.Context, arns ...string) (map[string]map[string]string, error) {
	return c.tags(ctx, arns, false)
}

// tags reads tags in batches. With skipGone, a resource deleted meanwhile is left out rather
// than failing the call: its batch is asked again one ARN at a time.
func (c *Client) tags(ctx context.Context, arns []string, skipGone bool) (map[string]map[string]string, error) {
	var mu sync.Mutex
	out := make(map[string]map[string]string, len(arns))
	keep := func(res *elbv2sdk.DescribeTagsOutput) {
		mu.Lock()
		defer mu.Unlock()
		for _, td := range res.TagDescriptions {
			out[aws.ToString(td.ResourceArn)] = fromSDKTags(td.Tags)
		}
	}
	describe := func(ctx context.Context, batch []string) error {
		res, err := c.api.DescribeTags(ctx, &elbv2sdk.DescribeTagsInput{ResourceArns: batch})
		if err != nil {
			return err
		}
		keep(res)
		return nil
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.tagLimit)
	for _, batch := range chunks(arns, tagBatch) {
		g.Go(func() error {
			err := describe(gctx, batch)
			if err == nil || !skipGone || !isGone(err) {
				return c.wrap("DescribeTags", err)
			}
			for _, arn := range batch {
				if err := describe(gctx, []string{arn}); err != nil && !isGone(err) {
					return c.wrap("DescribeTags", err)
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}

// isGone reports an error saying a tagged resource no longer exists.
func isGone(err error) bool {
	for _, code := range []string{"LoadBalancerNotFound", "TargetGroupNotFound", "ListenerNotFound", "RuleNotFound", "TrustStoreNotFound"} {
		if awsclient.HasCode(err, code) {
			return true
		}
	}
	return false
}

// AddTags adds (or overwrites) tags on each resource, in one call.
func (c *Client) AddTags(ctx context.Context, arns []string, tags map[string]string) error {
	_, err := c.api.AddTags(ctx, &elbv2sdk.AddTagsInput{ResourceArns: arns, Tags: toSDKTags(tags)})
	return c.wrap("AddTags", err)
}

// RemoveTags removes tag keys from each resource, in one call.
func (c *Client) RemoveTags(ctx context.Context, arns []string, keys ...string) error {
	_, err := c.api.RemoveTags(ctx, &elbv2sdk.RemoveTagsInput{ResourceArns: arns, TagKeys: keys})
	return c.wrap("RemoveTags", err)
}

func toSDKTags(tags map[string]string) []types.Tag {
	if len(tags) == 0 {
		return nil
	}
	out := make([]types.Tag, 0, len(tags))
	for _, k := range sortedKeys(tags) {
		out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(tags[k])})
	}
	return out
}

func fromSDKTags(tags []types.Tag) map[string]string {
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		out[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return out
}
