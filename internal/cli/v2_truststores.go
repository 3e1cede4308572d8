package cli

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/spf13/cobra"
)

// Trust stores hold the CA certificates (a PEM bundle in S3) that an ALB's https listener
// verifies client certificates with (mutual TLS), and the revocation lists (CRLs in S3).

// s3Object is an S3 object named by flags: --PREFIX-bucket, --PREFIX-key, --PREFIX-version.
type s3Object struct{ bucket, key, version string }

func (o *s3Object) add(c *cobra.Command, prefix, what string, required bool) {
	f := c.Flags()
	f.StringVar(&o.bucket, prefix+"bucket", "", "S3 bucket of the "+what)
	f.StringVar(&o.key, prefix+"key", "", "S3 key of the "+what)
	f.StringVar(&o.version, prefix+"version", "", "S3 object version of the "+what+" (default: the latest)")
	if required {
		_ = c.MarkFlagRequired(prefix + "bucket")
		_ = c.MarkFlagRequired(prefix + "key")
	}
}

// onTrustStore builds a command on the trust store its first argument names (name or ARN),
// completed by name.
func (a *app) onTrustStore(c *cobra.Command, run func(ctx context.Context, s *session, arn string, args []string) error) *cobra.Command {
	c.ValidArgsFunction = a.completeArgs(false, trustStoreNames)
	return a.onResource(c, trustStoreArg, run)
}

func (a *app) trustStoresCommand() *cobra.Command {
	list := a.command(&cobra.Command{
		Use:   "list",
		Short: "List trust stores",
		Args:  noArgs,
	}, func(ctx context.Context, s *session, _ []string) error {
		ts, err := collect(s.v2.TrustStores(ctx, nil))
		if err != nil {
			return err
		}
		return a.renderTrustStores(ts)
	})

	var (
		ca   s3Object
		tags []string
		kv   map[string]string
	)
	create := a.command(&cobra.Command{
		Use:     "create STORE --ca-bucket BUCKET --ca-key KEY",
		Short:   "Create a trust store from a PEM bundle of CA certificates in S3",
		Example: "  lbctl --api alb trust-stores create clients --ca-bucket pki --ca-key ca-bundle.pem",
		Args:    nArgs(1, 1),
		PreRunE: func(cmd *cobra.Command, _ []string) (err error) {
			kv, err = parseKeyValues(cmd, "--tag", tags)
			return err
		},
	}, func(ctx context.Context, s *session, args []string) error {
		ts, err := s.v2.CreateTrustStore(ctx, &elbv2sdk.CreateTrustStoreInput{Name: aws.String(args[0]),
			CaCertificatesBundleS3Bucket: aws.String(ca.bucket), CaCertificatesBundleS3Key: aws.String(ca.key),
			CaCertificatesBundleS3ObjectVersion: optional(ca.version), Tags: toTags(kv)})
		if err != nil {
			return err
		}
		return a.renderTrustStores([]types.TrustStore{ts})
	})
	ca.add(create, "ca-", "CA certificates bundle", true)
	create.Flags().StringArrayVar(&tags, "tag", nil, "tag KEY=VALUE (repeatable)")

	var newCA s3Object
	modify := a.onTrustStore(&cobra.Command{
		Use:   "modify STORE --ca-bucket BUCKET --ca-key KEY",
		Short: "Replace a trust store's CA certificates with another bundle in S3",
		Args:  nArgs(1, 1),
	}, func(ctx context.Context, s *session, arn string, _ []string) error {
		ts, err := s.v2.ModifyTrustStore(ctx, &elbv2sdk.ModifyTrustStoreInput{TrustStoreArn: aws.String(arn),
			CaCertificatesBundleS3Bucket: aws.String(newCA.bucket), CaCertificatesBundleS3Key: aws.String(newCA.key),
			CaCertificatesBundleS3ObjectVersion: optional(newCA.version)})
		if err != nil {
			return err
		}
		return a.renderTrustStores([]types.TrustStore{ts})
	})
	newCA.add(modify, "ca-", "CA certificates bundle", true)

	del := a.command(&cobra.Command{
		Use:               "delete STORE...",
		Short:             "Delete trust stores (by name or ARN); one a listener uses is refused",
		Args:              nArgs(1, -1),
		ValidArgsFunction: a.completeArgs(true, trustStoreNames),
	}, func(ctx context.Context, s *session, args []string) error {
		for _, n := range args {
			arn, err := s.trustStoreARN(ctx, n)
			if err != nil {
				return err
			}
			if err := s.v2.DeleteTrustStore(ctx, arn); err != nil {
				return err
			}
		}
		return a.done(actionResult{Action: "deleted trust stores", Items: args})
	})

	return onlyFor(group("trust-stores", "Create, list, change and delete the trust stores of ALB mutual TLS, their revocations and associations",
		list, create, modify, del, a.caBundleCommand(), a.trustStorePolicyCommand(), a.revocationsCommand(), a.associationsCommand()),
		"mutual TLS is an ALB's: trust stores verify the client certificates of its https listeners", apiALB)
}

func (a *app) renderTrustStores(ts []types.TrustStore) error {
	out := make([]trustStoreJSON, len(ts))
	for i, t := range ts {
		out[i] = trustStoreView(t)
	}
	return a.render(out, func() table {
		t := table{header: []string{"NAME", "STATUS", "CA CERTIFICATES", "REVOKED", "ARN"}}
		for _, s := range out {
			t.add(s.Name, s.Status, strconv.Itoa(s.CACertificates), strconv.FormatInt(s.RevokedEntries, 10), s.ARN)
		}
		return t
	})
}

func (a *app) revocationsCommand() *cobra.Command {
	list := a.onTrustStore(&cobra.Command{
		Use:   "list STORE",
		Short: "List a trust store's revocation lists",
		Args:  nArgs(1, 1),
	}, func(ctx context.Context, s *session, arn string, _ []string) error {
		return a.showRevocations(ctx, s, arn)
	})

	var crl s3Object
	add := a.onTrustStore(&cobra.Command{
		Use:   "add STORE --crl-bucket BUCKET --crl-key KEY",
		Short: "Add a certificate revocation list (CRL, in S3) to a trust store",
		Args:  nArgs(1, 1),
	}, func(ctx context.Context, s *session, arn string, _ []string) error {
		rs, err := s.v2.AddTrustStoreRevocations(ctx, arn, types.RevocationContent{S3Bucket: aws.String(crl.bucket),
			S3Key: aws.String(crl.key), S3ObjectVersion: optional(crl.version), RevocationType: types.RevocationTypeCrl})
		if err != nil {
			return err
		}
		added := make([]int64, len(rs))
		for i, r := range rs {
			added[i] = aws.ToInt64(r.RevocationId)
		}
		return a.showRevocations(ctx, s, arn, added...)
	})
	crl.add(add, "crl-", "revocation list", true)

	var ids []int64
	remove := a.onTrustStore(&cobra.Command{
		Use:   "remove STORE ID...",
		Short: "Remove revocation lists from a trust store, by the ids 'list' shows",
		Args:  nArgs(2, -1),
		PreRunE: func(cmd *cobra.Command, args []string) error {
			ids = ids[:0]
			for _, s := range args[1:] {
				id, err := strconv.ParseInt(s, 10, 64)
				if err != nil || id < 1 {
					return usagef(cmd, "revocation id %q must be a positive number", s)
				}
				ids = append(ids, id)
			}
			return nil
		},
	}, func(ctx context.Context, s *session, arn string, args []string) error {
		if err := s.v2.RemoveTrustStoreRevocations(ctx, arn, ids...); err != nil {
			return err
		}
		return a.done(actionResult{Action: "removed revocations from " + args[0], Items: args[1:]})
	})
	return group("revocations", "List, add, remove and download a trust store's certificate revocation lists", list, add, remove, a.revocationContentCommand())
}

// showRevocations shows the revocation lists of a trust store: all, or those of ids.
func (a *app) showRevocations(ctx context.Context, s *session, arn string, ids ...int64) error {
	out := []revocationJSON{}
	for r, err := range s.v2.TrustStoreRevocations(ctx, arn, ids...) {
		if err != nil {
			return err
		}
		out = append(out, revocationJSON{ID: aws.ToInt64(r.RevocationId), Type: string(r.RevocationType), Entries: aws.ToInt64(r.NumberOfRevokedEntries)})
	}
	return a.render(out, func() table {
		t := table{header: []string{"ID", "TYPE", "REVOKED ENTRIES"}}
		for _, r := range out {
			t.add(strconv.FormatInt(r.ID, 10), r.Type, strconv.FormatInt(r.Entries, 10))
		}
		return t
	})
}

func (a *app) associationsCommand() *cobra.Command {
	list := a.onTrustStore(&cobra.Command{
		Use:   "list STORE",
		Short: "List the resources (listeners) a trust store is associated with",
		Args:  nArgs(1, 1),
	}, func(ctx context.Context, s *session, arn string, _ []string) error {
		out := []string{}
		for as, err := range s.v2.TrustStoreAssociations(ctx, arn) {
			if err != nil {
				return err
			}
			out = append(out, aws.ToString(as.ResourceArn))
		}
		return a.render(out, func() table {
			t := table{header: []string{"RESOURCE"}}
			for _, r := range out {
				t.add(r)
			}
			return t
		})
	})
	del := a.onTrustStore(&cobra.Command{
		Use:   "delete STORE RESOURCE_ARN",
		Short: "Remove a shared trust store's association with another account's resource",
		Args:  nArgs(2, 2),
	}, func(ctx context.Context, s *session, arn string, args []string) error {
		if err := s.v2.DeleteSharedTrustStoreAssociation(ctx, arn, args[1]); err != nil {
			return err
		}
		return a.done(actionResult{Action: "deleted the association of " + args[0], Items: args[1:]})
	})
	return group("associations", "List and delete a trust store's associations", list, del)
}
