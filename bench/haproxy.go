package bench

import (
	"fmt"
	"strings"
)

// HAProxyConfig is the configuration of the HAProxy the data-plane benchmark compares with,
// set up as the balancer under test: an HTTP front end on httpAddr balancing round robin, with
// keep-alive, over the HTTP back ends (health checked with GET / every second, as `lbctl serve`
// checks by default), with X-Forwarded-For; and a TCP front end on tcpAddr over the TCP back ends
// (TCP connect checks). Every address is host:port on loopback.
func HAProxyConfig(httpAddr string, httpBackends []string, tcpAddr string, tcpBackends []string) string {
	var b strings.Builder
	b.WriteString(`global
	maxconn 4096

defaults
	timeout connect 5s
	timeout client 60s
	timeout server 60s
	timeout http-request 10s

frontend http_in
	mode http
	option http-keep-alive
	option forwardfor
`)
	fmt.Fprintf(&b, "\tbind %s\n\tdefault_backend http_servers\n\nbackend http_servers\n", httpAddr)
	b.WriteString("\tmode http\n\tbalance roundrobin\n\toption httpchk GET /\n")
	for i, a := range httpBackends {
		fmt.Fprintf(&b, "\tserver h%d %s check inter 1s\n", i+1, a)
	}
	fmt.Fprintf(&b, "\nfrontend tcp_in\n\tmode tcp\n\tbind %s\n\tdefault_backend tcp_servers\n\nbackend tcp_servers\n", tcpAddr)
	b.WriteString("\tmode tcp\n\tbalance roundrobin\n")
	for i, a := range tcpBackends {
		fmt.Fprintf(&b, "\tserver t%d %s check inter 1s\n", i+1, a)
	}
	return b.String()
}
