package elbtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// What listeners and trust stores read from the endpoint's IAM, ACM and S3, put there through
// those APIs (signed, validated and stored as any client's request), for Go tests that have
// no client of them.

// Error is a refusal by the endpoint: the API's code, message and HTTP status, and the
// request id.
type Error struct {
	Service, Operation string
	Status             int
	Code, Message      string
	RequestID          string
}

func (e *Error) Error() string {
	return fmt.Sprintf("elbtest: %s %s: %s: %s (HTTP %d, request %s)", e.Service, e.Operation, e.Code, e.Message, e.Status, e.RequestID)
}

// UploadServerCertificate uploads an IAM server certificate (PEM certificate, chain, which
// may be empty, and private key) under name, and returns its ARN.
func (s *Server) UploadServerCertificate(ctx context.Context, name string, cert, chain, key []byte) (string, error) {
	form := url.Values{"Action": {"UploadServerCertificate"}, "Version": {"2010-05-08"}, "ServerCertificateName": {name},
		"CertificateBody": {string(cert)}, "PrivateKey": {string(key)}}
	if len(chain) > 0 {
		form.Set("CertificateChain", string(chain))
	}
	req, err := s.request(ctx, http.MethodPost, "/", []byte(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	var out struct {
		ARN string `xml:"UploadServerCertificateResult>ServerCertificateMetadata>Arn"`
	}
	// IAM is global: clients sign it for us-east-1.
	err = s.do(req, "iam", "us-east-1", "UploadServerCertificate", func(b []byte) error { return xml.Unmarshal(b, &out) })
	return out.ARN, err
}

// ImportCertificate imports a certificate into ACM in the server's region (PEM certificate,
// chain, which may be empty, and private key), and returns its ARN.
func (s *Server) ImportCertificate(ctx context.Context, cert, chain, key []byte) (string, error) {
	body, err := json.Marshal(map[string][]byte{"Certificate": cert, "CertificateChain": chain, "PrivateKey": key})
	if err != nil {
		return "", err
	}
	req, err := s.request(ctx, http.MethodPost, "/", body)
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "CertificateManager.ImportCertificate")
	var out struct{ CertificateArn string }
	err = s.do(req, "acm", s.Region, "ImportCertificate", func(b []byte) error { return json.Unmarshal(b, &out) })
	return out.CertificateArn, err
}

// PutObject stores data as the S3 object bucket/key, creating the bucket in the server's
// region first unless the account has it already.
func (s *Server) PutObject(ctx context.Context, bucket, key string, data []byte) error {
	var cfg []byte
	if s.Region != "us-east-1" {
		cfg = fmt.Appendf(nil, "<CreateBucketConfiguration><LocationConstraint>%s</LocationConstraint></CreateBucketConfiguration>", s.Region)
	}
	err := s.putS3(ctx, "CreateBucket", "/"+bucket, cfg)
	if e := (*Error)(nil); errors.As(err, &e) && e.Code == "BucketAlreadyOwnedByYou" {
		err = nil
	}
	if err != nil {
		return err
	}
	return s.putS3(ctx, "PutObject", (&url.URL{Path: "/" + bucket + "/" + key}).EscapedPath(), data)
}

func (s *Server) putS3(ctx context.Context, op, path string, body []byte) error {
	req, err := s.request(ctx, http.MethodPut, path, body)
	if err != nil {
		return err
	}
	return s.do(req, "s3", s.Region, op, nil)
}

func (s *Server) request(ctx context.Context, method, path string, body []byte) (*http.Request, error) {
	return http.NewRequestWithContext(ctx, method, s.URL+path, bytes.NewReader(body))
}

// do signs req for service and region as that service's clients do, sends it, and decodes a
// successful answer with decode (nil: the answer is not read).
func (s *Server) do(req *http.Request, service, region, op string, decode func([]byte) error) error {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return err
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Content-Sha256", hash)
	creds := aws.Credentials{AccessKeyID: s.AccessKeyID, SecretAccessKey: s.SecretAccessKey}
	// S3 signs the path as sent; the other services escape it once more.
	if err := v4.NewSigner().SignHTTP(req.Context(), creds, req, hash, service, region, time.Now(),
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = service == "s3" }); err != nil {
		return err
	}
	resp, err := s.AWSConfig().HTTPClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		return refusal(service, op, resp, answer)
	}
	if decode == nil {
		return nil
	}
	return decode(answer)
}

// refusal reads an error answer: XML with Code and Message elements (IAM, S3) or JSON with
// __type and message (ACM).
func refusal(service, op string, resp *http.Response, body []byte) *Error {
	e := &Error{Service: service, Operation: op, Status: resp.StatusCode, RequestID: resp.Header.Get("x-amzn-RequestId")}
	if e.RequestID == "" {
		e.RequestID = resp.Header.Get("x-amz-request-id")
	}
	var j struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	var x struct {
		Code    string `xml:"Error>Code"` // IAM's ErrorResponse
		Message string `xml:"Error>Message"`
		S3Code  string `xml:"Code"` // S3's Error
		S3Msg   string `xml:"Message"`
	}
	if json.Unmarshal(body, &j) == nil {
		e.Code, e.Message = j.Type[strings.LastIndexByte(j.Type, '#')+1:], j.Message
	} else if xml.Unmarshal(body, &x) == nil {
		e.Code, e.Message = x.Code+x.S3Code, x.Message+x.S3Msg
	}
	return e
}
