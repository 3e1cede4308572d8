package localaddr

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// emptyHash is the SHA-256 of the empty body a GET sends.
var emptyHash = func() string { h := sha256.Sum256(nil); return hex.EncodeToString(h[:]) }()

// Fetch asks the endpoint at endpointURL for the listeners of the caller's account in cfg's
// region, signing with cfg's credentials and sending with cfg's HTTP client (the default one when
// cfg has none). A refusal is an *Error; an endpoint that does not serve the request (another
// emulator, AWS) answers something that is not a Response, which is an error too.
func Fetch(ctx context.Context, cfg aws.Config, endpointURL string) ([]Listener, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(endpointURL, "/")+Path, nil)
	if err != nil {
		return nil, fmt.Errorf("localaddr: %w", err)
	}
	if cfg.Credentials == nil {
		return nil, fmt.Errorf("localaddr: no credentials to sign with")
	}
	creds, err := cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("localaddr: credentials: %w", err)
	}
	req.Header.Set("X-Amz-Content-Sha256", emptyHash)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, emptyHash, Service, cfg.Region, time.Now()); err != nil {
		return nil, fmt.Errorf("localaddr: sign: %w", err)
	}
	var client aws.HTTPClient = http.DefaultClient
	if cfg.HTTPClient != nil {
		client = cfg.HTTPClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("localaddr: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return nil, fmt.Errorf("localaddr: read the answer: %w", err)
	}
	if len(body) > maxResponse {
		return nil, fmt.Errorf("localaddr: the answer is larger than %d bytes", maxResponse)
	}
	reqID := resp.Header.Get("x-amzn-RequestId")
	if resp.StatusCode != http.StatusOK {
		e := &Error{Status: resp.StatusCode, RequestID: reqID, Code: "Unknown", Message: http.StatusText(resp.StatusCode)}
		var refusal struct{ Code, Message string }
		if json.Unmarshal(body, &refusal) == nil && refusal.Code != "" {
			e.Code, e.Message = refusal.Code, refusal.Message
		}
		return nil, e
	}
	var out Response
	if err := json.Unmarshal(body, &out); err != nil || out.Listeners == nil {
		return nil, fmt.Errorf("localaddr: %s does not answer %s (request id %q)", endpointURL, Path, reqID)
	}
	return out.Listeners, nil
}
