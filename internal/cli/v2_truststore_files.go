package cli

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/spf13/cobra"
)

// What a trust store holds, read back: its CA bundle and revocation lists (ELBv2 answers
// where to download them) and its resource policy.

// maxDownload bounds a downloaded CA bundle or revocation list (AWS takes bundles and CRLs
// far smaller than this).
const maxDownload = 64 << 20

// emptySHA256 is the SHA-256 of an empty body, which a signed GET declares.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// downloadJSON is the output of the download commands: where the file is and, with --file,
// where it went.
type downloadJSON struct {
	TrustStore   string `json:"trust_store"`
	RevocationID int64  `json:"revocation_id,omitempty"`
	Location     string `json:"location"`
	File         string `json:"file,omitempty"`
	Bytes        int    `json:"bytes,omitempty"`
}

// downloadCommand builds a command that asks ELBv2 for a file's location (locate) and prints
// it or, with --file, saves the file there.
func (a *app) downloadCommand(c *cobra.Command, locate func(ctx context.Context, s *session, arn string, args []string) (downloadJSON, error)) *cobra.Command {
	var file string
	check := c.PreRunE
	c.PreRunE = func(cmd *cobra.Command, args []string) error {
		if check != nil {
			if err := check(cmd, args); err != nil {
				return err
			}
		}
		if !cmd.Flags().Changed("file") {
			return nil
		}
		if file == "" {
			return usagef(cmd, "--file must name a file")
		}
		if st, err := os.Stat(filepath.Dir(file)); err != nil || !st.IsDir() {
			return usagef(cmd, "--file %s: its directory does not exist", file)
		}
		return nil
	}
	c = a.onTrustStore(c, func(ctx context.Context, s *session, arn string, args []string) error {
		v, err := locate(ctx, s, arn, args)
		if err != nil {
			return err
		}
		if file != "" {
			data, err := s.fetch(ctx, v.Location)
			if err != nil {
				return err
			}
			if err := os.WriteFile(file, data, 0o644); err != nil {
				return err
			}
			v.File, v.Bytes = file, len(data)
		}
		return a.render(v, func() table {
			if v.File == "" {
				return table{header: []string{"LOCATION"}, rows: [][]string{{v.Location}}}
			}
			return table{header: []string{"FILE", "BYTES", "LOCATION"}, rows: [][]string{{v.File, strconv.Itoa(v.Bytes), v.Location}}}
		})
	})
	c.Flags().StringVar(&file, "file", "", "download the file and write it to FILE")
	return c
}

func (a *app) caBundleCommand() *cobra.Command {
	return a.downloadCommand(&cobra.Command{
		Use:     "ca-bundle STORE [--file FILE]",
		Short:   "Show where a trust store's CA certificates bundle is, or download it",
		Example: "  lbctl --api alb trust-stores ca-bundle clients --file ca-bundle.pem",
		Args:    nArgs(1, 1),
	}, func(ctx context.Context, s *session, arn string, args []string) (downloadJSON, error) {
		loc, err := s.v2.TrustStoreCaCertificatesBundle(ctx, arn)
		return downloadJSON{TrustStore: args[0], Location: loc}, err
	})
}

func (a *app) revocationContentCommand() *cobra.Command {
	var id int64
	return a.downloadCommand(&cobra.Command{
		Use:   "content STORE ID [--file FILE]",
		Short: "Show where a revocation list of a trust store is, or download it",
		Args:  nArgs(2, 2),
		PreRunE: func(cmd *cobra.Command, args []string) (err error) {
			id, err = strconv.ParseInt(args[1], 10, 64)
			if err != nil || id < 1 {
				return usagef(cmd, "revocation id %q must be a positive number", args[1])
			}
			return nil
		},
	}, func(ctx context.Context, s *session, arn string, args []string) (downloadJSON, error) {
		loc, err := s.v2.TrustStoreRevocationContent(ctx, arn, id)
		return downloadJSON{TrustStore: args[0], RevocationID: id, Location: loc}, err
	})
}

// resourcePolicyJSON is a resource's policy; the document is JSON, shown as it is.
type resourcePolicyJSON struct {
	ResourceARN string          `json:"resource_arn"`
	Policy      json.RawMessage `json:"policy"`
}

func (a *app) trustStorePolicyCommand() *cobra.Command {
	return a.onTrustStore(&cobra.Command{
		Use:   "policy STORE",
		Short: "Show the resource policy of a trust store shared through AWS RAM",
		Args:  nArgs(1, 1),
	}, func(ctx context.Context, s *session, arn string, _ []string) error {
		doc, err := s.v2.ResourcePolicy(ctx, arn)
		if err != nil {
			return err
		}
		v := resourcePolicyJSON{ResourceARN: arn, Policy: json.RawMessage(doc)}
		if !json.Valid(v.Policy) {
			v.Policy, _ = json.Marshal(doc)
		}
		return a.render(v, func() table { return table{header: []string{"POLICY"}, rows: [][]string{{doc}}} })
	})
}

// fetch downloads the S3 object at location. AWS answers a presigned URL, fetched as it
// is. Any other endpoint (the embedded one, 'lbctl serve') serves S3 on its own URL, path
// style: the bucket of https://BUCKET.s3.REGION.amazonaws.com/KEY is asked for there, signed
// as S3 clients sign.
func (s *session) fetch(ctx context.Context, location string) ([]byte, error) {
	u, err := url.Parse(location)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("ELBv2 answered a location that is not a URL: %q", location)
	}
	shown := u.Scheme + "://" + u.Host + u.Path // a presigned URL's query is a credential
	if s.endpoint != "" {
		bucket, _, ok := strings.Cut(u.Host, ".s3.")
		if !ok {
			return nil, fmt.Errorf("ELBv2 answered a location that is not in S3: %s", shown)
		}
		u, err = url.Parse(strings.TrimRight(s.endpoint, "/") + "/" + bucket + u.EscapedPath() + "?" + u.RawQuery)
		if err != nil {
			return nil, err
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	if s.endpoint != "" {
		if s.cfg.Credentials == nil {
			return nil, errors.New("no credentials to sign the download with")
		}
		creds, err := s.cfg.Credentials.Retrieve(ctx)
		if err != nil {
			return nil, fmt.Errorf("credentials: %w", err)
		}
		req.Header.Set("X-Amz-Content-Sha256", emptySHA256)
		if err := v4.NewSigner().SignHTTP(ctx, creds, req, emptySHA256, "s3", s.region, time.Now(),
			func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }); err != nil {
			return nil, err
		}
	}
	var client aws.HTTPClient = http.DefaultClient
	if s.cfg.HTTPClient != nil {
		client = s.cfg.HTTPClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %w", shown, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxDownload+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("download %s: %w", shown, err)
	case resp.StatusCode != http.StatusOK:
		e := &downloadError{Location: shown, Status: resp.StatusCode, RequestID: resp.Header.Get("x-amz-request-id")}
		_ = xml.Unmarshal(data, e)
		return nil, e
	case len(data) > maxDownload:
		return nil, fmt.Errorf("download %s: larger than %d bytes", shown, maxDownload)
	}
	return data, nil
}

// downloadError is S3's refusal of a download, with its code and request id.
type downloadError struct {
	Location  string `xml:"-"`
	Status    int    `xml:"-"`
	RequestID string `xml:"RequestId"`
	Code      string `xml:"Code"`
	Message   string `xml:"Message"`
}

func (e *downloadError) Error() string {
	msg := fmt.Sprintf("download %s: S3 answered %d %s", e.Location, e.Status, e.Code)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.RequestID != "" {
		msg += " (request id " + e.RequestID + ")"
	}
	return msg
}
