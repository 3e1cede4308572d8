package elbv2

import (
	"context"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// Trust stores hold the CA bundle and revocation lists that mutual TLS listeners check
// client certificates against.

// CreateTrustStore creates a trust store from a CA bundle in S3.
func (c *Client) CreateTrustStore(ctx context.Context, in *elbv2sdk.CreateTrustStoreInput) (types.TrustStore, error) {
	out, err := c.api.CreateTrustStore(ctx, in)
	if err != nil {
		return types.TrustStore{}, c.wrap("CreateTrustStore", err)
	}
	return one(c, "CreateTrustStore", out.TrustStores)
}

// ModifyTrustStore replaces a trust store's CA bundle.
func (c *Client) ModifyTrustStore(ctx context.Context, in *elbv2sdk.ModifyTrustStoreInput) (types.TrustStore, error) {
	out, err := c.api.ModifyTrustStore(ctx, in)
	if err != nil {
		return types.TrustStore{}, c.wrap("ModifyTrustStore", err)
	}
	return one(c, "ModifyTrustStore", out.TrustStores)
}

// DeleteTrustStore deletes a trust store no listener uses.
func (c *Client) DeleteTrustStore(ctx context.Context, arn string) error {
	_, err := c.api.DeleteTrustStore(ctx, &elbv2sdk.DeleteTrustStoreInput{TrustStoreArn: aws.String(arn)})
	return c.wrap("DeleteTrustStore", err)
}

// TrustStores iterates DescribeTrustStores; in may be nil (all of them) or name ARNs or
// names.
func (c *Client) TrustStores(ctx context.Context, in *elbv2sdk.DescribeTrustStoresInput) iter.Seq2[types.TrustStore, error] {
	req := deref(in)
	return pages(ctx, req.Marker, func(ctx context.Context, m *string) ([]types.TrustStore, *string, error) {
		r := req
		r.Marker = m
		out, err := c.api.DescribeTrustStores(ctx, &r)
		if err != nil {
			return nil, nil, c.wrap("DescribeTrustStores", err)
		}
		return out.TrustStores, out.NextMarker, nil
	})
}

// TrustStoreAssociations iterates the resources (listeners) a trust store is associated
// with.
func (c *Client) TrustStoreAssociations(ctx context.Context, trustStoreARN string) iter.Seq2[types.TrustStoreAssociation, error] {
	return pages(ctx, nil, func(ctx context.Context, m *string) ([]types.TrustStoreAssociation, *string, error) {
		out, err := c.api.DescribeTrustStoreAssociations(ctx, &elbv2sdk.DescribeTrustStoreAssociationsInput{
			TrustStoreArn: aws.String(trustStoreARN), Marker: m})
		if err != nil {
			return nil, nil, c.wrap("DescribeTrustStoreAssociations", err)
		}
		return out.TrustStoreAssociations, out.NextMarker, nil
	})
}

// DeleteSharedTrustStoreAssociation removes the association between a trust store shared
// from another account and a listener of this one.
func (c *Client) DeleteSharedTrustStoreAssociation(ctx context.Context, trustStoreARN, resourceARN string) error {
	_, err := c.api.DeleteSharedTrustStoreAssociation(ctx, &elbv2sdk.DeleteSharedTrustStoreAssociationInput{
		TrustStoreArn: aws.String(trustStoreARN), ResourceArn: aws.String(resourceARN)})
	return c.wrap("DeleteSharedTrustStoreAssociation", err)
}

// TrustStoreCaCertificatesBundle returns a pre-signed URL to download a trust store's CA
// bundle.
func (c *Client) TrustStoreCaCertificatesBundle(ctx context.Context, trustStoreARN string) (string, error) {
	out, err := c.api.GetTrustStoreCaCertificatesBundle(ctx, &elbv2sdk.GetTrustStoreCaCertificatesBundleInput{
		TrustStoreArn: aws.String(trustStoreARN)})
	if err != nil {
		return "", c.wrap("GetTrustStoreCaCertificatesBundle", err)
	}
	return aws.ToString(out.Location), nil
}

// AddTrustStoreRevocations adds revocation lists from S3 and returns them with their IDs.
func (c *Client) AddTrustStoreRevocations(ctx context.Context, trustStoreARN string, contents ...types.RevocationContent) ([]types.TrustStoreRevocation, error) {
	out, err := c.api.AddTrustStoreRevocations(ctx, &elbv2sdk.AddTrustStoreRevocationsInput{
		TrustStoreArn: aws.String(trustStoreARN), RevocationContents: contents})
	if err != nil {
		return nil, c.wrap("AddTrustStoreRevocations", err)
	}
	return out.TrustStoreRevocations, nil
}

// RemoveTrustStoreRevocations removes revocation lists by ID.
func (c *Client) RemoveTrustStoreRevocations(ctx context.Context, trustStoreARN string, revocationIDs ...int64) error {
	_, err := c.api.RemoveTrustStoreRevocations(ctx, &elbv2sdk.RemoveTrustStoreRevocationsInput{
		TrustStoreArn: aws.String(trustStoreARN), RevocationIds: revocationIDs})
	return c.wrap("RemoveTrustStoreRevocations", err)
}

// TrustStoreRevocations iterates a trust store's revocation lists, or those given by ID.
func (c *Client) TrustStoreRevocations(ctx context.Context, trustStoreARN string, revocationIDs ...int64) iter.Seq2[types.DescribeTrustStoreRevocation, error] {
	return pages(ctx, nil, func(ctx context.Context, m *string) ([]types.DescribeTrustStoreRevocation, *string, error) {
		out, err := c.api.DescribeTrustStoreRevocations(ctx, &elbv2sdk.DescribeTrustStoreRevocationsInput{
			TrustStoreArn: aws.String(trustStoreARN), RevocationIds: revocationIDs, Marker: m})
		if err != nil {
			return nil, nil, c.wrap("DescribeTrustStoreRevocations", err)
		}
		return out.TrustStoreRevocations, out.NextMarker, nil
	})
}

// TrustStoreRevocationContent returns a pre-signed URL to download one revocation list.
func (c *Client) TrustStoreRevocationContent(ctx context.Context, trustStoreARN string, revocationID int64) (string, error) {
	out, err := c.api.GetTrustStoreRevocationContent(ctx, &elbv2sdk.GetTrustStoreRevocationContentInput{
		TrustStoreArn: aws.String(trustStoreARN), RevocationId: aws.Int64(revocationID)})
	if err != nil {
		return "", c.wrap("GetTrustStoreRevocationContent", err)
	}
	return aws.ToString(out.Location), nil
}
