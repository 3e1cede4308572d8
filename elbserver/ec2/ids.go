package ec2

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
)

// Id syntax: 8 or 17 hexadecimal digits after the prefix.
var (
	InstanceIDRE      = regexp.MustCompile(`^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)
	SubnetIDRE        = regexp.MustCompile(`^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)
	SecurityGroupIDRE = regexp.MustCompile(`^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)
	VPCIDRE           = regexp.MustCompile(`^vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)
	imageIDRE         = regexp.MustCompile(`^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)
)

// newID returns a fresh id with prefix ("vpc", "subnet", "sg", "i", "r") and 17 hexadecimal
// digits, a zero then 16 random ones, as EC2 issues them.
func newID(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return prefix + "-0" + hex.EncodeToString(b[:])
}
