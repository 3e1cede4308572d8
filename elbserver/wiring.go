package elbserver

import (
	"context"
	"errors"
	"fmt"

	"github.com/lbcloud/lbcloud/elbserver/acm"
	"github.com/lbcloud/lbcloud/elbserver/certs"
	"github.com/lbcloud/lbcloud/elbserver/classic"
	"github.com/lbcloud/lbcloud/elbserver/ec2"
	"github.com/lbcloud/lbcloud/elbserver/elbv2"
	"github.com/lbcloud/lbcloud/elbserver/iam"
	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/s3"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// build makes the rooms, each wired to what it reads of the others, and lists them (the first
// Query room, Classic, writes the refusals of requests that name no room):
//   - Classic and ELBv2 place balancers with EC2, which refuses to delete a VPC, subnet or
//     security group their balancers use;
//   - ELBv2 reads trust stores' CA bundles and revocation lists from S3;
//   - in strict mode, listeners name only certificates IAM or ACM hold (store.LookupCertificate:
//     ELBv2 through its certificate source, Classic inside its own transactions);
//   - IAM and ACM ask Classic and ELBv2 which balancers use a certificate.
//
// The hooks read env.Store when they are called: it is opened once every room has declared
// itself.
func (s *Server) build(env *room.Env) []room.Room {
	s.ec2 = ec2.New(env)
	s.classic = classic.New(env, s.ec2)
	objectStore := s3.New(env)
	v2 := elbv2.New(env, s.ec2, elbv2.Sources{Objects: objects{objectStore}, Certificates: certificates{env}})
	s.ec2.AddDependents(classic.DependsOn)
	s.ec2.AddDependents(elbv2.DependsOn)
	inUse := certificateUsers(env)
	return []room.Room{s.classic.Room(), s.ec2.Room(), v2.Room(), objectStore.Room(),
		iam.New(env, inUse).Room(), acm.New(env, inUse).Room()}
}

// objects is ELBv2's object source: the S3 room. It keeps no versions, so an object's only
// version is "null", which S3 gives every object of a bucket never versioned; another version
// id is not found. A bucket of another account is not found either: the caller may not read it.
type objects struct{ s3 *s3.Room }

func (o objects) Object(_ context.Context, account, region, bucket, key, version string) ([]byte, error) {
	if version != "" && version != "null" {
		return nil, fmt.Errorf("s3://%s/%s has no version %q: %w", bucket, key, version, elbv2.ErrObjectNotFound)
	}
	b, err := o.s3.Object(account, region, bucket, key)
	if errors.Is(err, s3.ErrNoSuchBucket) || errors.Is(err, s3.ErrNoSuchKey) || errors.Is(err, s3.ErrAccessDenied) {
		return nil, fmt.Errorf("%w: %w", elbv2.ErrObjectNotFound, err)
	}
	return b, err
}

// certificates is ELBv2's certificate source: whether an IAM certificate of the account, or an
// ACM certificate of the region, has the ARN.
type certificates struct{ env *room.Env }

func (c certificates) Known(_ context.Context, account, region, arn string) (bool, error) {
	var known bool
	err := c.env.Store.View(account, region, func(p *store.Part) error {
		cert, err := store.LookupCertificate(p, arn)
		known = cert != nil
		return err
	})
	return known, err
}

// certificateUsers is IAM's and ACM's in-use hook: the ARNs of the Classic and ELBv2 balancers
// whose listeners name the certificate, in region, or in every region of the account for ""
// (an IAM certificate serves them all). Each region costs one read of the rooms' certificate
// indexes.
func certificateUsers(env *room.Env) certs.InUse {
	return func(account, region, arn string) ([]string, error) {
		regions := []string{region}
		if region == "" {
			var err error
			if regions, err = env.Store.Regions(account); err != nil {
				return nil, err
			}
		}
		var users []string
		for _, rg := range regions {
			err := env.Store.View(account, rg, func(p *store.Part) error {
				for _, usersOf := range []func(*store.Part, string) ([]string, error){classic.CertificateUsers, elbv2.CertificateUsers} {
					u, err := usersOf(p, arn)
					if err != nil {
						return err
					}
					users = append(users, u...)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
		return users, nil
	}
}
