package iam

import (
	"maps"
	"slices"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/internal/modelcheck"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// The actions served exist in botocore's model, and what they answer has its shapes.
func TestAgainstTheModel(t *testing.T) {
	m := modelcheck.Parse(t, testenv.Model(t, "iam", APIVersion))
	m.HasOperations(t, slices.Collect(maps.Keys(New(nil, nil).Room().Query.Actions))...)
	m.CheckShape(t, uploadResult{}, "UploadServerCertificateResponse")
	m.CheckShape(t, xmlMetadata{}, "ServerCertificateMetadata")
	m.CheckShape(t, getResult{}, "GetServerCertificateResponse")
	m.CheckShape(t, xmlServerCertificate{}, "ServerCertificate")
	m.CheckShape(t, listResult{}, "ListServerCertificatesResponse")
	m.CheckShape(t, xmlTag{}, "Tag")
}
