package reliability

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
)

// childStateEnv, when set, makes the test binary an endpoint serving that state file on a
// loopback port instead of running tests: the crash test re-executes itself this way and
// kills the child with SIGKILL.
const childStateEnv = "LBCLOUD_RELIABILITY_CHILD_STATE"

func TestMain(m *testing.M) {
	if path := os.Getenv(childStateEnv); path != "" {
		os.Exit(serveChild(path))
	}
	os.Exit(m.Run())
}

// serveChild serves until killed, announcing its URL on stdout. A bounded lifetime keeps
// an orphan (should the parent die first) from running forever.
func serveChild(path string) int {
	srv, err := elbserver.New(elbserver.Options{StatePath: path, Limits: map[string]int{"classic-load-balancers": 1 << 20}})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 3
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "child:", err)
		return 3
	}
	fmt.Printf("LISTEN http://%s\n", ln.Addr())
	go func() {
		time.Sleep(2 * time.Minute)
		os.Exit(4)
	}()
	_ = http.Serve(ln, srv)
	return 0
}
