package elbserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// The regions the endpoint knows are botocore's, every partition's: regenerate with
// 'go generate ./elbserver' when botocore gains one.
func TestKnownRegionsAreBotocores(t *testing.T) {
	py := testenv.RequirePython(t, "botocore")
	dir, err := exec.Command(py, "-c", "import botocore,os;print(os.path.dirname(botocore.__file__))").Output()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "data", "endpoints.json"))
	if err != nil {
		t.Fatal(err)
	}
	var data struct {
		Partitions []struct {
			Regions map[string]any `json:"regions"`
		} `json:"partitions"`
	}
	if err := json.Unmarshal(raw, &data); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range data.Partitions {
		for r := range p.Regions {
			n++
			if !elbserver.KnownRegion(r) {
				t.Errorf("botocore's region %s is unknown to the endpoint", r)
			}
		}
	}
	if n < 30 {
		t.Fatalf("only %d regions in botocore's data", n)
	}
	for _, r := range []string{"zz-fake-9", "us-east-9", "", "US-EAST-1"} {
		if elbserver.KnownRegion(r) {
			t.Errorf("%q is known", r)
		}
	}
}

// A request signed for a region AWS does not have is refused as AWS refuses it: a new
// partition, with limits of its own, cannot be made up. AllowRegions admits named others.
func TestRegionsAWSDoesNotHaveAreRefused(t *testing.T) {
	call := func(srv *elbtest.Server, region string) error {
		cfg := srv.AWSConfig()
		cfg.Region = region
		_, err := elb.NewFromConfig(cfg).DescribeAccountLimits(context.Background(), &elb.DescribeAccountLimitsInput{})
		return err
	}
	srv := elbtest.NewServer()
	defer srv.Close()
	for _, r := range []string{"us-east-1", "eu-central-2", "cn-north-1", "us-gov-west-1"} {
		sdkcheck.NoErr(t, call(srv, r))
	}
	err := call(srv, "zz-fake-9")
	sdkcheck.WantCode(t, err, "SignatureDoesNotMatch")
	if !strings.Contains(err.Error(), "Credential should be scoped to a valid region, not 'zz-fake-9'") || !strings.Contains(err.Error(), "403") {
		t.Errorf("unknown region: %v", err)
	}

	local := elbtest.NewServer(elbtest.WithOptions(elbserver.Options{AllowRegions: []string{"local-1"}}))
	defer local.Close()
	sdkcheck.NoErr(t, call(local, "local-1"))
	sdkcheck.WantCode(t, call(local, "local-2"), "SignatureDoesNotMatch")

	path := filepath.Join(t.TempDir(), "state.db")
	_, err = elbserver.New(elbserver.Options{StatePath: path, AllowRegions: []string{"Local_1"}})
	if !errors.Is(err, elbserver.ErrInvalidRegion) || !strings.Contains(err.Error(), `"Local_1"`) {
		t.Errorf("invalid allowed region: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused options created the state file: %v", err)
	}
}
