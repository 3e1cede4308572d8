package s3

import (
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/internal/modelcheck"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// The operations served exist in botocore's model, and what they answer has its shapes.
func TestAgainstTheModel(t *testing.T) {
	m := modelcheck.Parse(t, testenv.Model(t, "s3", "2006-03-01"))
	m.HasOperations(t, "ListBuckets", "CreateBucket", "HeadBucket", "DeleteBucket", "GetBucketLocation",
		"PutObject", "GetObject", "HeadObject", "DeleteObject", "ListObjects", "ListObjectsV2")
	m.CheckShape(t, listAllMyBucketsResult{}, "ListBucketsOutput")
	m.CheckShape(t, bucketEntry{}, "Bucket")
	m.CheckShape(t, owner{}, "Owner")
	m.CheckShape(t, listBucketResult{}, "ListObjectsV2Output", "ListObjectsOutput")
	m.CheckShape(t, objectEntry{}, "Object")
	m.CheckShape(t, commonPrefix{}, "CommonPrefix")
	m.CheckShape(t, createBucketConfiguration{}, "CreateBucketConfiguration")
}
