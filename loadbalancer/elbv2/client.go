package elbv2

import (
	"context"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// wrap classifies an SDK error from action op.
func (c *Client) wrap(op string, err error) error { return awsclient.Wrap(string(c.typ), op, err) }

// notFound reports a missing resource found by the driver itself.
func (c *Client) notFound(op, code, format string, args ...any) *driver.Error {
	return awsclient.NotFound(string(c.typ), op, code, format, args...)
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
// than failing the call.
func (c *Client) tags(ctx context.Context, arns []string, skipGone bool) (map[string]map[string]string, error) {
	var gone func(error) bool
	if skipGone {
		gone = isGone
	}
	return awsclient.Tags(ctx, arns, tagBatch, c.tagLimit, gone,
		func(ctx context.Context, batch []string) (map[string]map[string]string, error) {
			res, err := c.api.DescribeTags(ctx, &elbv2sdk.DescribeTagsInput{ResourceArns: batch})
			if err != nil {
				return nil, c.wrap("DescribeTags", err)
			}
			out := make(map[string]map[string]string, len(res.TagDescriptions))
			for _, td := range res.TagDescriptions {
				out[aws.ToString(td.ResourceArn)] = fromSDKTags(td.Tags)
			}
			return out, nil
		})
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
	return awsclient.KeyValueList(tags, func(k, v *string) types.Tag { return types.Tag{Key: k, Value: v} })
}

func fromSDKTags(tags []types.Tag) map[string]string {
	return awsclient.KeyValueMap(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}
