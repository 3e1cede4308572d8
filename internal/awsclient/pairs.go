package awsclient

import (
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// KeyValueList turns m into the list of key-value elements an SDK call takes (tags,
// attributes, policy attributes), sorted by key so that identical calls send identical
// requests; mk builds one element. An empty m gives nil, which the Query protocol sends as
// no list at all.
func KeyValueList[T any](m map[string]string, mk func(k, v *string) T) []T {
	if len(m) == 0 {
		return nil
	}
	out := make([]T, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, mk(aws.String(k), aws.String(m[k])))
	}
	return out
}

// KeyValueMap turns an SDK list of key-value elements into a map; kv reads one element.
func KeyValueMap[T any](list []T, kv func(T) (k, v *string)) map[string]string {
	out := make(map[string]string, len(list))
	for _, e := range list {
		k, v := kv(e)
		out[aws.ToString(k)] = aws.ToString(v)
	}
	return out
}
