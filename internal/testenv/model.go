package testenv

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Model returns the JSON of botocore's model of service at version (for example "elbv2",
// "2015-12-01"): the official API model, which the tests read as the spec. It skips (or fails
// under CI) when botocore is missing, and fails when botocore is there without the model.
func Model(t testing.TB, service, version string) []byte {
	t.Helper()
	py := RequirePython(t, "botocore")
	out, err := exec.Command(py, "-c", "import botocore,os;print(os.path.dirname(botocore.__file__))").Output()
	if err != nil {
		t.Fatalf("testenv: locate botocore: %v", err)
	}
	raw, err := readModel(filepath.Join(strings.TrimSpace(string(out)), "data"), service, version)
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	return raw
}

// readModel reads data/SERVICE/VERSION/service-2.json.gz, as pip's botocore ships it, or
// service-2.json, as Debian's does.
func readModel(data, service, version string) ([]byte, error) {
	dir := filepath.Join(data, service, version)
	if f, err := os.Open(filepath.Join(dir, "service-2.json.gz")); err == nil {
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("model %s/%s: %w", service, version, err)
		}
		return io.ReadAll(zr)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	raw, err := os.ReadFile(filepath.Join(dir, "service-2.json"))
	if err != nil {
		return nil, fmt.Errorf("botocore at %s has no model of %s %s (neither service-2.json.gz nor service-2.json): %w", data, service, version, err)
	}
	return raw, nil
}
