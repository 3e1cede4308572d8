package testenv

import (
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
)

func TestAWSEnvIsolates(t *testing.T) {
	t.Setenv("AWS_PROFILE", "production")
	t.Setenv("AWS_ENDPOINT_URL", "https://example.invalid")
	dir := AWSEnv(t)
	if _, ok := os.LookupEnv("AWS_PROFILE"); ok {
		t.Error("AWS_PROFILE is still set")
	}
	if _, ok := os.LookupEnv("AWS_ENDPOINT_URL"); ok {
		t.Error("AWS_ENDPOINT_URL is still set")
	}
	if got := os.Getenv("AWS_ACCESS_KEY_ID"); got != "test" {
		t.Errorf("AWS_ACCESS_KEY_ID = %q", got)
	}
	cfg := os.Getenv("AWS_CONFIG_FILE")
	if !strings.HasPrefix(cfg, dir) {
		t.Errorf("AWS_CONFIG_FILE = %q, not under %q", cfg, dir)
	}
	if b, err := os.ReadFile(cfg); err != nil || len(b) != 0 {
		t.Errorf("config file: %q, %v; want empty", b, err)
	}
}

func TestMotoAnswersAndResets(t *testing.T) {
	url := Moto(t)
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("url = %q, want a loopback URL", url)
	}
	// Create a balancer through moto's query API, then check Moto's reset removes it.
	create := url + "/?Action=CreateLoadBalancer&Version=2012-06-01&LoadBalancerName=reset-me" +
		"&Listeners.member.1.LoadBalancerPort=80&Listeners.member.1.InstancePort=80" +
		"&Listeners.member.1.Protocol=HTTP&AvailabilityZones.member.1=us-east-1a"
	if body := motoGet(t, create); !strings.Contains(body, "reset-me") {
		t.Fatalf("create: %s", body)
	}
	describe := url + "/?Action=DescribeLoadBalancers&Version=2012-06-01"
	if body := motoGet(t, describe); !strings.Contains(body, "reset-me") {
		t.Fatalf("balancer not listed before reset: %s", body)
	}
	if again := Moto(t); again != url {
		t.Fatalf("second call started another server: %q vs %q", again, url)
	}
	if body := motoGet(t, describe); strings.Contains(body, "reset-me") {
		t.Fatalf("balancer survived the reset: %s", body)
	}
}

// motoGet sends a signed-looking request; moto routes by the Authorization header's service.
func motoGet(t *testing.T, url string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestRequireAWSCLI(t *testing.T) {
	if p := RequireAWSCLI(t); p == "" {
		t.Fatal("empty path returned without skipping")
	}
}

func TestWellFormedXML(t *testing.T) {
	for doc, ok := range map[string]bool{
		`<a><b>x &amp; y</b></a>`: true,
		`<a><b></a>`:              false,
		`<a/><b/>`:                false,
		`<a>`:                     false,
		``:                        false,
		`<a>&bogus;</a>`:          false,
	} {
		if err := WellFormedXML([]byte(doc)); (err == nil) != ok {
			t.Errorf("WellFormedXML(%q) = %v, want ok=%v", doc, err, ok)
		}
	}
}
