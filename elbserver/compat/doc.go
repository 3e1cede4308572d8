// Package compat proves the embedded Classic ELB endpoint (elbserver) against
// independent implementations of the 2012-06-01 API.
//
// It holds only tests:
//
//   - awscli: every one of the 29 actions driven through the real `aws elb`
//     command, with the main error codes as the CLI reports them;
//   - boto3: Python scenarios using boto3's elb client, its paginators and
//     botocore's own error parsing;
//   - moto: one differential scenario run with aws-sdk-go-v2 against moto and
//     against the endpoint, whose normalised responses must agree except for
//     the differences listed in the table of differences_test.go (also
//     written out as DIFFERENCES.md).
//
// The tools are found through internal/testenv: the tests skip when run by
// hand without them and fail when CI=true.
package compat
