package iam

import (
	"slices"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/internal/modelcheck"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// The actions served exist in botocore's model, and what they answer has its shapes.
func TestAgainstTheModel(t *testing.T) {
	m := modelcheck.Parse(t, testenv.Model(t, "iam", APIVersion))
	var actions []string
	for a := range New(nil, nil).Room().Query.Actions {
		actions = append(actions, a)
	}
	if slices.Sort(actions); len(actions) != 4 {
		t.Fatalf("actions %v", actions)
	}
	m.HasOperations(t, actions...)
	m.CheckShape(t, uploadResult{}, "UploadServerCertificateResponse")
	m.CheckShape(t, xmlMetadata{}, "ServerCertificateMetadata")
	m.CheckShape(t, getResult{}, "GetServerCertificateResponse")
	m.CheckShape(t, xmlServerCertificate{}, "ServerCertificate")
	m.CheckShape(t, listResult{}, "ListServerCertificatesResponse")
	m.CheckShape(t, xmlTag{}, "Tag")
}
