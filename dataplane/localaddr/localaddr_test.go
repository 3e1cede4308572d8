package localaddr_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/lbcloud/lbcloud/dataplane/localaddr"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// lister answers for one account and region and records what it was asked.
type lister struct{ asked []string }

func (l *lister) LocalListeners(_ context.Context, account, region string) ([]localaddr.Listener, error) {
	l.asked = append(l.asked, account+"/"+region)
	if account != "000000000000" || region != "eu-west-1" {
		return nil, nil
	}
	return []localaddr.Listener{{LoadBalancerName: "web", Type: "classic", Port: 80, Protocol: "HTTP", LocalAddress: "127.0.0.1:1234"}}, nil
}

// TestHandlerAndFetch: Fetch signs for the service lbcloud and the config's region; the handler
// answers the signer's account and region, refuses unsigned requests with AWS's code, and passes
// every other path on.
func TestHandlerAndFetch(t *testing.T) {
	l := &lister{}
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTeapot) })
	srv := httptest.NewServer(localaddr.Handler(l, nil, next))
	defer srv.Close()
	cfg := aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	ls, err := localaddr.Fetch(context.Background(), cfg, srv.URL+"/")
	if err != nil || len(ls) != 1 || ls[0].LocalAddress != "127.0.0.1:1234" || len(l.asked) != 1 || l.asked[0] != "000000000000/eu-west-1" {
		t.Fatalf("Fetch: %+v, %v; asked %v", ls, err, l.asked)
	}
	resp, err := http.Get(srv.URL + localaddr.Path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("unsigned: %d", resp.StatusCode)
	}
	cfg.Credentials = credentials.NewStaticCredentialsProvider("unknown", "test", "")
	var le *localaddr.Error
	if _, err := localaddr.Fetch(context.Background(), cfg, srv.URL); !errors.As(err, &le) || le.Code != sigv4auth.CodeInvalidClientTokenID {
		t.Fatalf("unknown key: %v", err)
	}
	resp, err = http.Get(srv.URL + "/other")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTeapot {
		t.Fatalf("another path: %d", resp.StatusCode)
	}
}
