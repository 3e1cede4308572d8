package elbserver_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

const crashEnv = "ELBSERVER_CRASH_STATE"

// TestKill9KeepsAcknowledgedWrites runs the endpoint in a child process,
// SIGKILLs it right after a create is acknowledged and checks the balancer
// is in the state file.
func TestKill9KeepsAcknowledgedWrites(t *testing.T) {
	if path := os.Getenv(crashEnv); path != "" {
		srv := elbtest.NewServer(elbtest.WithOptions(elbserver.Options{StatePath: path}))
		c := elb.NewFromConfig(srv.AWSConfig())
		sdkcheck.CreateLB(t, c, "survivor")
		fmt.Println("acknowledged")
		time.Sleep(time.Minute) // killed long before this returns
		return
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKill9KeepsAcknowledgedWrites$", "-test.v")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	out, err := cmd.StdoutPipe()
	sdkcheck.NoErr(t, err)
	sdkcheck.NoErr(t, cmd.Start())
	sc := bufio.NewScanner(out)
	acked := false
	for sc.Scan() {
		if strings.Contains(sc.Text(), "acknowledged") {
			acked = true
			break
		}
	}
	sdkcheck.NoErr(t, cmd.Process.Kill())
	_ = cmd.Wait()
	if !acked {
		t.Fatal("child never acknowledged the create")
	}
	srv := elbtest.NewServer(elbtest.WithOptions(elbserver.Options{StatePath: path}))
	defer srv.Close()
	sdkcheck.DescribeOne(t, elb.NewFromConfig(srv.AWSConfig()), "survivor")
}
