package acm

import (
	"maps"
	"slices"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/internal/modelcheck"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// The operations served exist in botocore's model, and what they answer has its shapes.
func TestAgainstTheModel(t *testing.T) {
	m := modelcheck.Parse(t, testenv.Model(t, "acm", "2015-12-08"))
	m.HasOperations(t, slices.Collect(maps.Keys(New(nil, nil).ops))...)
	m.CheckShape(t, detail{}, "CertificateDetail")
	m.CheckShape(t, summary{}, "CertificateSummary")
	m.CheckShape(t, keyUsage{}, "KeyUsage")
	m.CheckShape(t, extKeyUsage{}, "ExtendedKeyUsage")
	m.CheckShape(t, jsonTag{}, "Tag")
	m.CheckShape(t, importInput{}, "ImportCertificateRequest")
	m.CheckShape(t, listInput{}, "ListCertificatesRequest")
}
