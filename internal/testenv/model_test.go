package testenv

import (
	"compress/gzip"
	"os"
	"path/filepath"
	"testing"
)

// Debian's botocore ships its models uncompressed and pip's compressed: both must read.
func TestReadModelBothForms(t *testing.T) {
	data := t.TempDir()
	const body = `{"metadata":{"apiVersion":"2015-12-01"}}`
	plain := filepath.Join(data, "elbv2", "2015-12-01")
	if err := os.MkdirAll(plain, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(plain, "service-2.json"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	zipped := filepath.Join(data, "elb", "2012-06-01")
	if err := os.MkdirAll(zipped, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(filepath.Join(zipped, "service-2.json.gz"))
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	zw.Write([]byte(body))
	zw.Close()
	f.Close()
	for _, c := range [][2]string{{"elbv2", "2015-12-01"}, {"elb", "2012-06-01"}} {
		raw, err := readModel(data, c[0], c[1])
		if err != nil || string(raw) != body {
			t.Errorf("readModel(%s): %q, %v; want %q", c[0], raw, err, body)
		}
	}
	if _, err := readModel(data, "ec2", "2016-11-15"); err == nil {
		t.Error("a missing model read without error")
	}
}

// The installed botocore holds the models the tests use as the spec.
func TestModelInstalled(t *testing.T) {
	for _, c := range [][2]string{{"elb", "2012-06-01"}, {"elbv2", "2015-12-01"}} {
		if raw := Model(t, c[0], c[1]); len(raw) < 10000 {
			t.Errorf("model %s is %d bytes", c[0], len(raw))
		}
	}
}
