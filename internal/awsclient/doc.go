// Package awsclient holds what every AWS-backed provider shares: building an aws.Config from
// the portable options (credentials, region, profile, the retry policy), turning SDK errors
// into classified *driver.Error values, the EC2 lookups of a load balancer driver (members
// given by address, the region's zones) and running list calls in bounded batches. The
// Classic and ELBv2 drivers and lbctl use it, so every path retries and classifies the same
// way.
package awsclient
