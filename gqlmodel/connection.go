package gqlmodel

import (
	"context"
	"slices"
	"sync"
	"time"

	"cobuild"
	"cobuild/loaders"
)

// page is a list page whose total is counted only when asked.
type page[T any] struct {
	Nodes    []T
	PageInfo *PageInfo
	count    func(context.Context) (int, error)
}

// TotalCount counts every row the filter selects; it runs a query only when asked.
func (p *page[T]) TotalCount(ctx context.Context) (int, error) { return p.count(ctx) }

func newPage[T, D any](pg cobuild.Page[D], wrap func(D) T, count func(context.Context) (int, error)) page[T] {
	p := page[T]{PageInfo: pageInfo(pg.Cursors, pg.HasNext), count: count, Nodes: make([]T, 0, len(pg.Items))}
	for _, it := range pg.Items {
		p.Nodes = append(p.Nodes, wrap(it))
	}
	return p
}

func same[T any](v T) T { return v }

// The connections of the schema.
type (
	OrganizationConnection      struct{ page[Organization] }
	PartyOrganizationConnection struct{ page[*cobuild.PartyOrg] }
	EvaluationConnection        struct{ page[*Evaluation] }
	PersonConnection            struct{ page[*cobuild.Person] }
	CertificationConnection     struct{ page[*cobuild.Certification] }
	MassBranchConnection        struct{ page[*cobuild.MassBranch] }
	EventConnection             struct {
		page[*cobuild.Event]
		totals func() (cobuild.EventTotals, error)
	}
)

// PersonTimes sums personTimes over every matching event.
func (c *EventConnection) PersonTimes(ctx context.Context) (int, error) {
	t, err := c.totals()
	return t.PersonTimes, err
}

// Attendance sums attendance over every matching event.
func (c *EventConnection) Attendance(ctx context.Context) (int, error) {
	t, err := c.totals()
	return t.Attendance, err
}

// OrganizationWhere is the filter input of organisation lists.
type OrganizationWhere struct {
	Kind            []cobuild.OrgKind
	Sector          []cobuild.Sector
	AreaID          *string
	ParkID          *string
	CommunityID     *string
	IndustryID      *string
	MemberOfID      *string
	CoveredByID     *string
	AboveScale      *bool
	Operating       *bool
	SizeBand        []cobuild.SizeBand
	PartyMembersMin *int
	PartyMembersMax *int
	Coverage        []cobuild.CoverageStatus
	Isolated        *bool
	ShouldHaveOwn   *bool
	Tier            []cobuild.Tier
	Round           *string
	NameContains    *string
	AsOf            *time.Time
}

// OrganizationSort is the sort input of organisation lists.
type OrganizationSort struct {
	Field     string
	Direction *string
}

// setID puts a where-id into a filter field fixed by the parent object (if any); two
// different ids for one field can never both hold, so they are refused.
func setID(field *string, name string, v *string) error {
	if v == nil {
		return nil
	}
	if *field != "" && *field != *v {
		return cobuild.Errorf(cobuild.EINVALID, "%s is fixed to %s here", name, *field)
	}
	*field = *v
	return nil
}

// Filter merges the input into a base filter (the parent's constraint).
func (w *OrganizationWhere) Filter(base cobuild.OrgFilter) (cobuild.OrgFilter, error) {
	f := base
	if f.AsOf.IsZero() {
		f.AsOf = Today()
	}
	if w == nil {
		return f, nil
	}
	for _, s := range []struct {
		field *string
		name  string
		v     *string
	}{
		{&f.AreaID, "areaId", w.AreaID}, {&f.ParkID, "parkId", w.ParkID}, {&f.CommunityID, "communityId", w.CommunityID},
		{&f.IndustryID, "industryId", w.IndustryID}, {&f.MemberOfID, "memberOfId", w.MemberOfID}, {&f.CoveredByID, "coveredById", w.CoveredByID},
	} {
		if err := setID(s.field, s.name, s.v); err != nil {
			return f, err
		}
	}
	if w.PartyMembersMin != nil && w.PartyMembersMax != nil && *w.PartyMembersMin > *w.PartyMembersMax {
		return f, cobuild.Errorf(cobuild.EINVALID, "partyMembersMin %d is above partyMembersMax %d", *w.PartyMembersMin, *w.PartyMembersMax)
	}
	f.Kinds, f.Sectors, f.SizeBands, f.Coverage = w.Kind, w.Sector, w.SizeBand, w.Coverage
	f.AboveScale, f.Operating, f.PartyMembersMin, f.PartyMembersMax = w.AboveScale, w.Operating, w.PartyMembersMin, w.PartyMembersMax
	f.Isolated, f.ShouldHaveOwn, f.Tiers = w.Isolated, w.ShouldHaveOwn, w.Tier
	if w.Round != nil {
		f.Round = *w.Round
	}
	if w.NameContains != nil {
		f.NameContains = *w.NameContains
	}
	if w.AsOf != nil {
		f.AsOf = *w.AsOf
	}
	return f, nil
}

// SortOf turns a sort input into the store's sort.
func SortOf(field string, direction *string) cobuild.Sort {
	return cobuild.Sort{Field: field, Desc: direction != nil && *direction == "DESC"}
}

// Organizations lists organisations under a parent's constraint and the client's filter.
func Organizations(ctx context.Context, base cobuild.OrgFilter, where *OrganizationWhere, sort *OrganizationSort, first *int, after *string) (*OrganizationConnection, error) {
	l := loaders.For(ctx)
	f, err := where.Filter(base)
	if err != nil {
		return nil, err
	}
	p, err := PageArgs(l.Settings(), first, after)
	if err != nil {
		return nil, err
	}
	f, counted, err := resolveCoverage(ctx, f)
	if err != nil {
		return nil, err
	}
	var s cobuild.Sort
	if sort != nil {
		s = SortOf(sort.Field, sort.Direction)
	}
	pg, err := l.Reader().Organizations(ctx, f, s, p)
	if err != nil {
		return nil, err
	}
	for _, o := range pg.Items {
		loaders.Prime(ctx, o.ID, o)
	}
	return &OrganizationConnection{newPage(pg, WrapOrg, func(ctx context.Context) (int, error) {
		if counted {
			return len(f.IDs), nil
		}
		return l.Reader().CountOrganizations(ctx, f)
	})}, nil
}

// resolveCoverage turns the coverage, isolation and should-have-own conditions of a
// filter into the ids of the census of the day that meet them: one pass over a cached
// census instead of subqueries for every organisation in Neo4j. The conditions a census
// row answers too (kind, sector, park, community, industry, above-scale, operating, size,
// party members) narrow the ids as well, and stay in the filter for Neo4j; when no other
// condition remains, the number of ids is the list's total, and counted says so. Without
// a census service the store's own predicates decide.
func resolveCoverage(ctx context.Context, f cobuild.OrgFilter) (out cobuild.OrgFilter, counted bool, err error) {
	if (len(f.Coverage) == 0 && f.Isolated == nil && f.ShouldHaveOwn == nil) || loaders.For(ctx).Settings().Network == nil {
		return f, false, nil
	}
	c, err := loaders.Census(ctx, f.AsOf)
	if err != nil {
		return f, false, err
	}
	var within map[string]bool
	if f.IDs != nil {
		within = make(map[string]bool, len(f.IDs))
		for _, id := range f.IDs {
			within[id] = true
		}
	}
	ids := []string{}
	for i, cov := range c.Coverage {
		r := c.Rows[i]
		if (len(f.Coverage) == 0 || slices.Contains(f.Coverage, cov.Status)) &&
			(f.Isolated == nil || *f.Isolated == cov.Isolated) &&
			(f.ShouldHaveOwn == nil || *f.ShouldHaveOwn == cov.ShouldHaveOwn) &&
			(within == nil || within[r.ID]) && censusKeeps(f, r) {
			ids = append(ids, r.ID)
		}
	}
	counted = f.AreaID == "" && f.MemberOfID == "" && f.CoveredByID == "" && len(f.Tiers) == 0 && f.NameContains == ""
	f.IDs, f.Coverage, f.Isolated, f.ShouldHaveOwn = ids, nil, nil, nil
	return f, counted, nil
}

// censusKeeps applies the conditions of a filter that a census row answers.
func censusKeeps(f cobuild.OrgFilter, r cobuild.CensusRow) bool {
	same := func(want, got string) bool { return want == "" || want == got }
	return (len(f.Kinds) == 0 || slices.Contains(f.Kinds, r.Kind)) &&
		(len(f.Sectors) == 0 || slices.Contains(f.Sectors, r.Sector)) &&
		same(f.ParkID, r.ParkID) && same(f.CommunityID, r.CommunityID) && same(f.IndustryID, r.IndustryID) &&
		(f.AboveScale == nil || *f.AboveScale == r.AboveScale) &&
		(f.Operating == nil || *f.Operating == r.Operating) &&
		(len(f.SizeBands) == 0 || slices.Contains(f.SizeBands, cobuild.SizeBandOf(r.Headcount))) &&
		(f.PartyMembersMin == nil || r.PartyMembers >= *f.PartyMembersMin) &&
		(f.PartyMembersMax == nil || r.PartyMembers <= *f.PartyMembersMax)
}

// NewPartyOrganizationConnection wraps a page of party organisations.
func NewPartyOrganizationConnection(pg cobuild.Page[*cobuild.PartyOrg], count func(context.Context) (int, error)) *PartyOrganizationConnection {
	return &PartyOrganizationConnection{newPage(pg, same[*cobuild.PartyOrg], count)}
}

// NewEvaluationConnection grades and wraps a page of evaluations.
func NewEvaluationConnection(r cobuild.Rules, pg cobuild.Page[*cobuild.Evaluation], count func(context.Context) (int, error)) (*EvaluationConnection, error) {
	var gradeErr error
	c := &EvaluationConnection{newPage(pg, func(e *cobuild.Evaluation) *Evaluation {
		ev, err := NewEvaluation(r, e)
		if err != nil {
			gradeErr = err
		}
		return ev
	}, count)}
	return c, gradeErr
}

// NewPersonConnection wraps a page of people.
func NewPersonConnection(pg cobuild.Page[*cobuild.Person], count func(context.Context) (int, error)) *PersonConnection {
	return &PersonConnection{newPage(pg, same[*cobuild.Person], count)}
}

// NewCertificationConnection wraps a page of certifications.
func NewCertificationConnection(pg cobuild.Page[*cobuild.Certification], count func(context.Context) (int, error)) *CertificationConnection {
	return &CertificationConnection{newPage(pg, same[*cobuild.Certification], count)}
}

// NewMassBranchConnection wraps a page of mass-organisation branches.
func NewMassBranchConnection(pg cobuild.Page[*cobuild.MassBranch], count func(context.Context) (int, error)) *MassBranchConnection {
	return &MassBranchConnection{newPage(pg, same[*cobuild.MassBranch], count)}
}

// NewEventConnection wraps a page of events; the totals are summed once, when first asked.
func NewEventConnection(ctx context.Context, pg cobuild.Page[*cobuild.Event], count func(context.Context) (int, error), totals func(context.Context) (cobuild.EventTotals, error)) *EventConnection {
	return &EventConnection{page: newPage(pg, same[*cobuild.Event], count),
		totals: sync.OnceValues(func() (cobuild.EventTotals, error) { return totals(ctx) })}
}
