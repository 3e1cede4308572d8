package elb

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// ListenerSpec describes a listener to create. InstanceProtocol defaults to the front-end
// protocol; CertificateID (an IAM or ACM certificate ARN) is required for HTTPS and SSL.
type ListenerSpec struct {
	LoadBalancerPort int
	InstancePort     int
	Protocol         loadbalancer.Protocol
	InstanceProtocol loadbalancer.Protocol
	CertificateID    string
}

// sdk checks the spec and builds the SDK listener.
func (s ListenerSpec) sdk() (types.Listener, error) {
	if err := checkPort("load balancer port", s.LoadBalancerPort); err != nil {
		return types.Listener{}, err
	}
	if err := checkPort("instance port", s.InstancePort); err != nil {
		return types.Listener{}, err
	}
	p, err := normProtocol(s.Protocol)
	if err != nil {
		return types.Listener{}, err
	}
	ip := instanceProtocolFor(p)
	if s.InstanceProtocol != "" {
		if ip, err = normProtocol(s.InstanceProtocol); err != nil {
			return types.Listener{}, err
		}
	}
	l := types.Listener{
		LoadBalancerPort: int32(s.LoadBalancerPort),
		InstancePort:     aws.Int32(int32(s.InstancePort)),
		Protocol:         aws.String(string(p)),
		InstanceProtocol: aws.String(string(ip)),
	}
	switch {
	case needsCertificate(p) && s.CertificateID == "":
		return types.Listener{}, driver.Invalid(ProviderName, "a %s listener on port %d needs a certificate ID", p, s.LoadBalancerPort)
	case !needsCertificate(p) && s.CertificateID != "":
		return types.Listener{}, driver.Invalid(ProviderName, "a %s listener takes no certificate", p)
	case s.CertificateID != "":
		l.SSLCertificateId = aws.String(s.CertificateID)
	}
	return l, nil
}

func checkPort(what string, p int) error {
	if p < 1 || p > 65535 {
		return driver.Invalid(ProviderName, "%s %d is out of range 1-65535", what, p)
	}
	return nil
}

// ParseListenerTuple reads a listener in libcloud's tuple shape:
// [load balancer port, instance port, protocol] optionally followed by a certificate ID, or
// by an instance protocol and then a certificate ID, e.g. (1024, 65533, "HTTPS",
// "arn:aws:iam::123456789012:server-certificate/servercert"). Ports may be integers, whole
// floats (as JSON decodes them) or decimal strings.
func ParseListenerTuple(fields ...any) (ListenerSpec, error) {
	if len(fields) < 3 || len(fields) > 5 {
		return ListenerSpec{}, driver.Invalid(ProviderName,
			"a listener is [lb port, instance port, protocol[, certificate id]] or [lb port, instance port, protocol, instance protocol, certificate id]; got %d fields", len(fields))
	}
	var s ListenerSpec
	var err error
	if s.LoadBalancerPort, err = tuplePort("load balancer port", fields[0]); err != nil {
		return ListenerSpec{}, err
	}
	if s.InstancePort, err = tuplePort("instance port", fields[1]); err != nil {
		return ListenerSpec{}, err
	}
	proto, err := tupleString("protocol", fields[2])
	if err != nil {
		return ListenerSpec{}, err
	}
	if s.Protocol, err = normProtocol(driver.Protocol(proto)); err != nil {
		return ListenerSpec{}, err
	}
	rest := fields[3:]
	if len(rest) == 2 {
		ip, err := tupleString("instance protocol", rest[0])
		if err != nil {
			return ListenerSpec{}, err
		}
		if ip != "" {
			if s.InstanceProtocol, err = normProtocol(driver.Protocol(ip)); err != nil {
				return ListenerSpec{}, err
			}
		}
		rest = rest[1:]
	}
	if len(rest) == 1 {
		if s.CertificateID, err = tupleString("certificate id", rest[0]); err != nil {
			return ListenerSpec{}, err
		}
	}
	if _, err := s.sdk(); err != nil {
		return ListenerSpec{}, err
	}
	return s, nil
}

func tuplePort(what string, v any) (int, error) {
	var n int
	switch x := v.(type) {
	case int:
		n = x
	case int32:
		n = int(x)
	case int64:
		n = int(x)
	case float64:
		if x != math.Trunc(x) {
			return 0, driver.Invalid(ProviderName, "%s %v is not a whole number", what, x)
		}
		n = int(x)
	case string:
		i, err := strconv.Atoi(strings.TrimSpace(x))
		if err != nil {
			return 0, driver.Invalid(ProviderName, "%s %q is not a number", what, x)
		}
		n = i
	default:
		return 0, driver.Invalid(ProviderName, "%s has type %T, want a number", what, v)
	}
	return n, checkPort(what, n)
}

func tupleString(what string, v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case fmt.Stringer:
		return x.String(), nil
	case driver.Protocol:
		return string(x), nil
	case nil:
		return "", nil
	}
	return "", driver.Invalid(ProviderName, "%s has type %T, want a string", what, v)
}

// CreateBalancerListeners adds listeners (HTTP, HTTPS, TCP or SSL) to a balancer in one
// CreateLoadBalancerListeners call.
func (c *Client) CreateBalancerListeners(ctx context.Context, name string, listeners []ListenerSpec) error {
	if err := needSome("listener", listeners); err != nil {
		return err
	}
	ls, err := sdkListeners(listeners)
	if err != nil {
		return err
	}
	_, err = c.elb.CreateLoadBalancerListeners(ctx, &elbsdk.CreateLoadBalancerListenersInput{
		LoadBalancerName: aws.String(name), Listeners: ls})
	return wrap("CreateLoadBalancerListeners", err)
}

// sdkListeners checks each spec and builds the SDK listeners.
func sdkListeners(specs []ListenerSpec) ([]types.Listener, error) {
	ls := make([]types.Listener, 0, len(specs))
	for _, s := range specs {
		l, err := s.sdk()
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
	}
	return ls, nil
}

// DeleteBalancerListeners removes the listeners on the given front-end ports.
func (c *Client) DeleteBalancerListeners(ctx context.Context, name string, ports ...int) error {
	if err := needSome("listener port", ports); err != nil {
		return err
	}
	ps := make([]int32, 0, len(ports))
	for _, p := range ports {
		if err := checkPort("load balancer port", p); err != nil {
			return err
		}
		ps = append(ps, int32(p))
	}
	_, err := c.elb.DeleteLoadBalancerListeners(ctx, &elbsdk.DeleteLoadBalancerListenersInput{
		LoadBalancerName: aws.String(name), LoadBalancerPorts: ps})
	return wrap("DeleteLoadBalancerListeners", err)
}

// SetListenerSSLCertificate replaces the certificate of the HTTPS or SSL listener on port.
func (c *Client) SetListenerSSLCertificate(ctx context.Context, name string, port int, certID string) error {
	if err := checkPort("load balancer port", port); err != nil {
		return err
	}
	if certID == "" {
		return driver.Invalid(ProviderName, "a certificate ID is required")
	}
	_, err := c.elb.SetLoadBalancerListenerSSLCertificate(ctx, &elbsdk.SetLoadBalancerListenerSSLCertificateInput{
		LoadBalancerName: aws.String(name), LoadBalancerPort: int32(port), SSLCertificateId: aws.String(certID)})
	return wrap("SetLoadBalancerListenerSSLCertificate", err)
}
