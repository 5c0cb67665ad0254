package gqlmodel

import (
	"context"
	"time"

	"cobuild"
	"cobuild/loaders"
)

// Organization is any of the seven organisation types.
type Organization interface {
	// Org returns the domain value behind the GraphQL object.
	Org() *cobuild.Organization
}

// OrgFields resolves the fields that every organisation type shares; each type embeds it.
type OrgFields struct {
	*cobuild.Organization
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

// WrapOrg returns the GraphQL type of an organisation by its kind; nil stays nil.
func WrapOrg(o *cobuild.Organization) Organization {
	if o == nil {
		return nil
	}
	f := OrgFields{o}
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

// Wrap returns the GraphQL value of any domain value: organisations get their type,
// everything else is already its own GraphQL type.
func Wrap(v any) any {
	if o, ok := v.(*cobuild.Organization); ok {
		return WrapOrg(o)
	}
	return v
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

// firstNeighbour follows a tie that has at most one end of interest.
func firstNeighbour(ctx context.Context, id string, q cobuild.TieQuery) (any, error) {
	ns, err := loaders.Ties(ctx, q, id)
	if err != nil || len(ns) == 0 {
		return nil, err
	}
	return ns[0].Node, nil
}

// Area is the town or subdistrict.
func (o OrgFields) Area(ctx context.Context) (*cobuild.Area, error) {
	v, err := firstNeighbour(ctx, o.ID, cobuild.TieQuery{Type: "LOCATED_IN", Dir: cobuild.Out})
	a, _ := v.(*cobuild.Area)
	return a, err
}

// Park is the park it sits in.
func (o OrgFields) Park(ctx context.Context) (*cobuild.Area, error) {
	v, err := firstNeighbour(ctx, o.ID, cobuild.TieQuery{Type: "IN_PARK", Dir: cobuild.Out})
	a, _ := v.(*cobuild.Area)
	return a, err
}

// Community is the community whose patch it is on.
func (o OrgFields) Community(ctx context.Context) (*Community, error) {
	v, err := firstNeighbour(ctx, o.ID, cobuild.TieQuery{Type: "IN_COMMUNITY", Dir: cobuild.Out})
	c, _ := v.(*cobuild.Organization)
	if c == nil {
		return nil, err
	}
	return &Community{OrgFields{c}}, err
}

// Industry is its industry.
func (o OrgFields) Industry(ctx context.Context) (*cobuild.Industry, error) {
	v, err := firstNeighbour(ctx, o.ID, cobuild.TieQuery{Type: "IN_INDUSTRY", Dir: cobuild.Out})
	i, _ := v.(*cobuild.Industry)
	return i, err
}

// Coverage applies the coverage rules to the organisation's ties on the day.
func (o OrgFields) Coverage(ctx context.Context, asOf *time.Time) (*Coverage, error) {
	day := DayOr(asOf)
	f, err := loaders.CoverageFacts(ctx, o.ID, day)
	if err != nil {
		return nil, err
	}
	c := loaders.For(ctx).Settings().Rules.CoverageOf(f)
	return &Coverage{AsOf: day, Status: c.Status, StatusLabel: cobuild.Label("CoverageStatus", string(c.Status)),
		Isolated: c.Isolated, ShouldHaveOwn: c.ShouldHaveOwn, Reason: c.Reason, ReasonLabel: c.ReasonZh}, nil
}

func (o OrgFields) ties(ctx context.Context, typ string, dir cobuild.Direction, asOf *time.Time) ([]cobuild.Neighbour, error) {
	day := DayOr(asOf)
	return loaders.Ties(ctx, cobuild.TieQuery{Type: typ, Dir: dir, AsOf: &day}, o.ID)
}

// PartyOrganizations are its own party organisations in force on the day.
func (o OrgFields) PartyOrganizations(ctx context.Context, asOf *time.Time) ([]*PartyOrganizationTie, error) {
	ns, err := o.ties(ctx, "HAS_PARTY_ORG", cobuild.Out, asOf)
	out := make([]*PartyOrganizationTie, 0, len(ns))
	for _, n := range ns {
		out = append(out, &PartyOrganizationTie{Organization: WrapOrg(o.Organization), PartyOrganization: n.Node.(*cobuild.PartyOrg), Since: n.Tie.Since, Until: n.Tie.Until})
	}
	return out, err
}

// CoveredBy are the party organisations that cover it on the day.
func (o OrgFields) CoveredBy(ctx context.Context, asOf *time.Time) ([]*CoverTie, error) {
	ns, err := o.ties(ctx, "COVERED_BY", cobuild.Out, asOf)
	out := make([]*CoverTie, 0, len(ns))
	for _, n := range ns {
		out = append(out, NewCoverTie(o.Organization, n.Node.(*cobuild.PartyOrg), n.Tie))
	}
	return out, err
}

// PersonTieTypes lists the person–organisation ties in the order people lists them.
var PersonTieTypes = []string{"ASSIGNED_TO", "WORKS_AT", "PLACED_AT", "APPRENTICED_AT"}

// People are the person ties of the given types (all by default) in force on the day.
func (o OrgFields) People(ctx context.Context, types []string, asOf *time.Time) ([]*PersonTie, error) {
	if len(types) == 0 {
		types = PersonTieTypes
	}
	var out []*PersonTie
	for _, t := range types {
		ns, err := o.ties(ctx, t, cobuild.In, asOf)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			out = append(out, NewPersonTie(n.Tie, n.Node.(*cobuild.Person), o.Organization))
		}
	}
	return out, nil
}

// Memberships are the alliances, committees and red zones it belongs to on the day.
func (o OrgFields) Memberships(ctx context.Context, asOf *time.Time) ([]*Membership, error) {
	ns, err := o.ties(ctx, "MEMBER_OF", cobuild.Out, asOf)
	out := make([]*Membership, 0, len(ns))
	for _, n := range ns {
		out = append(out, NewMembership(o.Organization, n.Node, n.Tie))
	}
	return out, err
}

// CoBuilds are its community co-building links on the day, from either end.
func (o OrgFields) CoBuilds(ctx context.Context, asOf *time.Time) ([]*CoBuild, error) {
	ns, err := o.ties(ctx, "CO_BUILDS_WITH", cobuild.Both, asOf)
	out := make([]*CoBuild, 0, len(ns))
	for _, n := range ns {
		other := n.Node.(*cobuild.Organization)
		org, community := o.Organization, other
		if n.Tie.FromID != o.ID {
			org, community = other, o.Organization
		}
		out = append(out, &CoBuild{Organization: WrapOrg(org), Community: WrapOrg(community), Mode: n.Tie.Mode,
			ModeLabel: cobuild.Label("CoBuildMode", n.Tie.Mode), Since: n.Tie.Since, Until: n.Tie.Until})
	}
	return out, err
}

// Events are the events it attended or held, by id.
func (o OrgFields) Events(ctx context.Context) ([]*cobuild.Event, error) {
	return EventsOf(ctx, o.ID)
}

// EventsOf returns the events a node attended or held.
func EventsOf(ctx context.Context, id string) ([]*cobuild.Event, error) {
	var out []*cobuild.Event
	for _, t := range []string{"HELD", "ATTENDED"} {
		ns, err := loaders.Ties(ctx, cobuild.TieQuery{Type: t, Dir: cobuild.Out}, id)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			out = append(out, n.Node.(*cobuild.Event))
		}
	}
	return out, nil
}

// MassBranches are the mass-organisation branches formed in it.
func (o OrgFields) MassBranches(ctx context.Context) ([]*cobuild.MassBranch, error) {
	return Ends[*cobuild.MassBranch](ctx, o.ID, cobuild.TieQuery{Type: "FORMED_IN", Dir: cobuild.In})
}

// DemoSites are the demonstration points it was designated as.
func (o OrgFields) DemoSites(ctx context.Context) ([]*cobuild.DemoSite, error) {
	return Ends[*cobuild.DemoSite](ctx, o.ID, cobuild.TieQuery{Type: "DESIGNATED", Dir: cobuild.Out})
}

// Brands are the brands and study routes it owns.
func (o OrgFields) Brands(ctx context.Context) ([]*cobuild.Brand, error) {
	return Ends[*cobuild.Brand](ctx, o.ID, cobuild.TieQuery{Type: "OWNS_BRAND", Dir: cobuild.Out})
}

// LatestEvaluation is the newest evaluation of the party organisations it has today.
func (o OrgFields) LatestEvaluation(ctx context.Context) (*Evaluation, error) {
	today := Today()
	pos, err := loaders.Ties(ctx, cobuild.TieQuery{Type: "HAS_PARTY_ORG", Dir: cobuild.Out, AsOf: &today}, o.ID)
	if err != nil {
		return nil, err
	}
	var latest *cobuild.Evaluation
	for _, n := range pos {
		e, err := loaders.LatestEvaluation(ctx, n.Tie.ToID)
		if err != nil {
			return nil, err
		}
		if e != nil && (latest == nil || e.Round > latest.Round) {
			latest = e
		}
	}
	if latest == nil {
		return nil, nil
	}
	return NewEvaluation(loaders.For(ctx).Settings().Rules, latest)
}

// Organizations lists the organisations on a community's patch.
func (c *Community) Organizations(ctx context.Context, where *OrganizationWhere, sort *OrganizationSort, first *int, after *string) (*OrganizationConnection, error) {
	return Organizations(ctx, cobuild.OrgFilter{CommunityID: c.ID}, where, sort, first, after)
}

// Branches lists the branches formed under a district mass organisation.
func (m *MassOrganization) Branches(ctx context.Context) ([]*cobuild.MassBranch, error) {
	return Ends[*cobuild.MassBranch](ctx, m.ID, cobuild.TieQuery{Type: "BRANCH_OF", Dir: cobuild.In})
}

// Ends follows a tie and returns the nodes at its other ends as T.
func Ends[T any](ctx context.Context, id string, q cobuild.TieQuery) ([]T, error) {
	ns, err := loaders.Ties(ctx, q, id)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(ns))
	for _, n := range ns {
		if v, ok := n.Node.(T); ok {
			out = append(out, v)
		}
	}
	return out, nil
}
