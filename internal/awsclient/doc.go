// Package awsclient holds what every AWS-backed provider shares: building an aws.Config from
// the portable options (credentials, region, profile, endpoint, the retry policy) and turning
// SDK errors into classified *driver.Error values. The Classic and ELBv2 drivers and lbctl
// use it, so every path retries and classifies the same way.
package awsclient
