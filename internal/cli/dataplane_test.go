package cli

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// TestServeCarriesTraffic: 'lbctl serve' runs the data plane: a balancer created with lbctl
// forwards to its instance's lbcloud:address, 'balancers get' shows each listener's
// local_address, and the endpoint's own port serves the balancer by its DNS name.
func TestServeCarriesTraffic(t *testing.T) {
	localEnv(t)
	url, stop := startServe(t, "--max-check-interval", "20ms")
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello from the app, via "+r.Header.Get("X-Forwarded-Port"))
	}))
	defer app.Close()
	cfg := aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(url), Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	run, err := ec2.NewFromConfig(cfg).RunInstances(context.Background(), &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"),
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), TagSpecifications: []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance,
			Tags: []ec2types.Tag{{Key: aws.String("lbcloud:address"), Value: aws.String(app.Listener.Addr().String())}}}}})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(run.Instances[0].InstanceId)
	ok(t, "--endpoint", url, "balancers", "create", "web", "--port", "80", "--protocol", "http", "--member", id)
	var lb struct {
		DNSName   string `json:"dns_name"`
		Listeners []struct {
			Port         int    `json:"port"`
			LocalAddress string `json:"local_address"`
		} `json:"listeners"`
	}
	out := ok(t, "--endpoint", url, "balancers", "get", "web", "-o", "json")
	if err := json.Unmarshal([]byte(out), &lb); err != nil || len(lb.Listeners) != 1 || lb.Listeners[0].LocalAddress == "" {
		t.Fatalf("balancers get -o json: %v\n%s", err, out)
	}
	if table := ok(t, "--endpoint", url, "balancers", "get", "web"); !strings.Contains(table, "local="+lb.Listeners[0].LocalAddress) {
		t.Fatalf("the table shows no local address:\n%s", table)
	}
	fetch := func(target, host string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, target, nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		code, body := fetch("http://"+lb.Listeners[0].LocalAddress+"/", "")
		if code == 200 && body == "hello from the app, via 80" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the balancer's local address answered %d %q", code, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if code, body := fetch(url+"/", lb.DNSName); code != 200 || body != "hello from the app, via 80" {
		t.Fatalf("the endpoint's port with Host %s: %d %q", lb.DNSName, code, body)
	}
	if code, stderr := stop(); code != ExitOK {
		t.Fatalf("serve: exit %d\n%s", code, stderr)
	}
	fails(t, ExitUsage, "serve", "--listen", "127.0.0.1:0", "--max-check-interval", "-1s")
}

// An ALB's and an NLB's listeners have their local addresses too: a Classic balancer and an
// ALB of the same name each show their own.
func TestServeShowsELBv2LocalAddresses(t *testing.T) {
	localEnv(t)
	url, stop := startServe(t, "--max-check-interval", "20ms")
	seen := map[string]string{}
	for _, tc := range []struct{ api, name, proto string }{{"classic", "web", "http"}, {"alb", "web", "http"}, {"nlb", "db", "tcp"}} {
		ok(t, "--endpoint", url, "--api", tc.api, "balancers", "create", tc.name, "--port", "80", "--protocol", tc.proto)
		var lb struct {
			Listeners []struct {
				LocalAddress string `json:"local_address"`
			} `json:"listeners"`
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			okJSON(t, &lb, "--endpoint", url, "--api", tc.api, "balancers", "get", tc.name)
			if len(lb.Listeners) == 1 && strings.HasPrefix(lb.Listeners[0].LocalAddress, "127.0.0.1:") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("--api %s balancers get: %+v", tc.api, lb)
			}
			time.Sleep(20 * time.Millisecond)
		}
		addr := lb.Listeners[0].LocalAddress
		if other, dup := seen[addr]; dup {
			t.Errorf("--api %s shows %s, the address of the %s balancer", tc.api, addr, other)
		}
		seen[addr] = tc.api
	}
	if code, stderr := stop(); code != ExitOK {
		t.Fatalf("serve: exit %d\n%s", code, stderr)
	}
}
