package gqlmodel

import (
	"context"
	"time"

	"cobuild"
	"cobuild/analytics"
)

// Organization is any of the seven organisation types.
type Organization interface {
	// Org returns the domain value behind the GraphQL object.
	Org() *cobuild.Organization
}

// OrgResolver resolves the fields of the seven organisation types that need the store;
// resolvers/ implements it. The seven types share these fields, and GraphQL resolves
// fields per concrete type, so each type forwards them here rather than gqlgen asking for
// seven resolvers of each field.
type OrgResolver interface {
	Area(ctx context.Context, o *cobuild.Organization) (*cobuild.Area, error)
	Park(ctx context.Context, o *cobuild.Organization) (*cobuild.Area, error)
	Community(ctx context.Context, o *cobuild.Organization) (*Community, error)
	Industry(ctx context.Context, o *cobuild.Organization) (*cobuild.Industry, error)
	Coverage(ctx context.Context, o *cobuild.Organization, asOf *time.Time) (*Coverage, error)
	CoverageCandidates(ctx context.Context, o *cobuild.Organization, first *int, asOf *time.Time) ([]*CoverageCandidate, error)
	PartyOrganizations(ctx context.Context, o *cobuild.Organization, asOf *time.Time) ([]*PartyOrganizationTie, error)
	CoveredBy(ctx context.Context, o *cobuild.Organization, asOf *time.Time) ([]*CoverTie, error)
	People(ctx context.Context, o *cobuild.Organization, types []cobuild.TieType, asOf *time.Time) ([]*PersonTie, error)
	Memberships(ctx context.Context, o *cobuild.Organization, asOf *time.Time) ([]*Membership, error)
	CoBuilds(ctx context.Context, o *cobuild.Organization, asOf *time.Time) ([]*CoBuild, error)
	Events(ctx context.Context, o *cobuild.Organization) ([]*cobuild.Event, error)
	MassBranches(ctx context.Context, o *cobuild.Organization) ([]*cobuild.MassBranch, error)
	DemoSites(ctx context.Context, o *cobuild.Organization) ([]*cobuild.DemoSite, error)
	Brands(ctx context.Context, o *cobuild.Organization) ([]*cobuild.Brand, error)
	LatestEvaluation(ctx context.Context, o *cobuild.Organization) (*analytics.Evaluation, error)
	// CommunityOrganizations lists the organisations on a community's patch.
	CommunityOrganizations(ctx context.Context, community *cobuild.Organization, where *OrganizationWhere, sort *OrganizationSort, first *int, after *string) (*OrganizationConnection, error)
	// MassBranches lists the branches formed under a district mass organisation.
	Branches(ctx context.Context, body *cobuild.Organization) ([]*cobuild.MassBranch, error)
}

// OrgFields holds what the seven organisation types share: the organisation and the
// resolver of its fields.
type OrgFields struct {
	*cobuild.Organization
	R OrgResolver
}

// Org implements Organization.
func (o OrgFields) Org() *cobuild.Organization { return o.Organization }

// The seven organisation types of the schema.
type (
	Enterprise         struct{ OrgFields }
	SocialOrganization struct{ OrgFields }
	Hospital           struct{ OrgFields }
	School             struct{ OrgFields }
	Community          struct{ OrgFields }
	Department         struct{ OrgFields }
	MassOrganization   struct{ OrgFields }
)

// Wrap returns the GraphQL type of an organisation by its kind; nil stays nil.
func Wrap(o *cobuild.Organization, r OrgResolver) Organization {
	if o == nil {
		return nil
	}
	f := OrgFields{o, r}
	switch o.Kind {
	case cobuild.OrgEnterprise:
		return &Enterprise{f}
	case cobuild.OrgSocial:
		return &SocialOrganization{f}
	case cobuild.OrgHospital:
		return &Hospital{f}
	case cobuild.OrgSchool:
		return &School{f}
	case cobuild.OrgCommunity:
		return &Community{f}
	case cobuild.OrgDepartment:
		return &Department{f}
	}
	return &MassOrganization{f}
}

// KindLabel is the Chinese name of the kind.
func (o OrgFields) KindLabel() string { return cobuild.Label("OrgKind", string(o.Kind)) }

// SizeBand is the headcount band.
func (o OrgFields) SizeBand() cobuild.SizeBand { return cobuild.SizeBandOf(o.Headcount) }

// Location is the coordinate, if known.
func (o OrgFields) Location() *GeoPoint {
	if o.Lat == nil || o.Lng == nil {
		return nil
	}
	return &GeoPoint{Lat: *o.Lat, Lng: *o.Lng}
}

// The fields below forward to the OrgResolver.

func (o OrgFields) Area(ctx context.Context) (*cobuild.Area, error) {
	return o.R.Area(ctx, o.Organization)
}
func (o OrgFields) Park(ctx context.Context) (*cobuild.Area, error) {
	return o.R.Park(ctx, o.Organization)
}
func (o OrgFields) Community(ctx context.Context) (*Community, error) {
	return o.R.Community(ctx, o.Organization)
}
func (o OrgFields) Industry(ctx context.Context) (*cobuild.Industry, error) {
	return o.R.Industry(ctx, o.Organization)
}
func (o OrgFields) Coverage(ctx context.Context, asOf *time.Time) (*Coverage, error) {
	return o.R.Coverage(ctx, o.Organization, asOf)
}
func (o OrgFields) CoverageCandidates(ctx context.Context, first *int, asOf *time.Time) ([]*CoverageCandidate, error) {
	return o.R.CoverageCandidates(ctx, o.Organization, first, asOf)
}
func (o OrgFields) PartyOrganizations(ctx context.Context, asOf *time.Time) ([]*PartyOrganizationTie, error) {
	return o.R.PartyOrganizations(ctx, o.Organization, asOf)
}
func (o OrgFields) CoveredBy(ctx context.Context, asOf *time.Time) ([]*CoverTie, error) {
	return o.R.CoveredBy(ctx, o.Organization, asOf)
}
func (o OrgFields) People(ctx context.Context, types []cobuild.TieType, asOf *time.Time) ([]*PersonTie, error) {
	return o.R.People(ctx, o.Organization, types, asOf)
}
func (o OrgFields) Memberships(ctx context.Context, asOf *time.Time) ([]*Membership, error) {
	return o.R.Memberships(ctx, o.Organization, asOf)
}
func (o OrgFields) CoBuilds(ctx context.Context, asOf *time.Time) ([]*CoBuild, error) {
	return o.R.CoBuilds(ctx, o.Organization, asOf)
}
func (o OrgFields) Events(ctx context.Context) ([]*cobuild.Event, error) {
	return o.R.Events(ctx, o.Organization)
}
func (o OrgFields) MassBranches(ctx context.Context) ([]*cobuild.MassBranch, error) {
	return o.R.MassBranches(ctx, o.Organization)
}
func (o OrgFields) DemoSites(ctx context.Context) ([]*cobuild.DemoSite, error) {
	return o.R.DemoSites(ctx, o.Organization)
}
func (o OrgFields) Brands(ctx context.Context) ([]*cobuild.Brand, error) {
	return o.R.Brands(ctx, o.Organization)
}
func (o OrgFields) LatestEvaluation(ctx context.Context) (*analytics.Evaluation, error) {
	return o.R.LatestEvaluation(ctx, o.Organization)
}

// Organizations lists the organisations on a community's patch.
func (c *Community) Organizations(ctx context.Context, where *OrganizationWhere, sort *OrganizationSort, first *int, after *string) (*OrganizationConnection, error) {
	return c.R.CommunityOrganizations(ctx, c.Organization, where, sort, first, after)
}

// Branches lists the branches formed under a district mass organisation.
func (m *MassOrganization) Branches(ctx context.Context) ([]*cobuild.MassBranch, error) {
	return m.R.Branches(ctx, m.Organization)
}
