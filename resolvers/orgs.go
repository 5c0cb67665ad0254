package resolvers

import (
	"context"
	"time"

	"cobuild"
	"cobuild/analytics"
	"cobuild/gqlmodel"
	"cobuild/snapshot"
)

// orgResolver resolves the fields the seven organisation types share
// (gqlmodel.OrgResolver).
type orgResolver struct{ *Resolver }

var _ gqlmodel.OrgResolver = orgResolver{}

func (r orgResolver) Area(ctx context.Context, o *cobuild.Organization) (*cobuild.Area, error) {
	return end[*cobuild.Area](ctx, r.Resolver, orgArea, o.ID)
}

func (r orgResolver) Park(ctx context.Context, o *cobuild.Organization) (*cobuild.Area, error) {
	return end[*cobuild.Area](ctx, r.Resolver, orgPark, o.ID)
}

func (r orgResolver) Community(ctx context.Context, o *cobuild.Organization) (*gqlmodel.Community, error) {
	c, err := end[*cobuild.Organization](ctx, r.Resolver, orgCommunity, o.ID)
	if c == nil || err != nil {
		return nil, err
	}
	w, _ := r.wrap(c).(*gqlmodel.Community)
	return w, nil
}

func (r orgResolver) Industry(ctx context.Context, o *cobuild.Organization) (*cobuild.Industry, error) {
	return end[*cobuild.Industry](ctx, r.Resolver, orgIndustry, o.ID)
}

// Coverage applies the coverage rules to the organisation's ties on the day: from the
// census of the day when it is built, else from the facts read with the organisation.
func (r orgResolver) Coverage(ctx context.Context, o *cobuild.Organization, asOf *time.Time) (*gqlmodel.Coverage, error) {
	day := r.day(ctx, asOf)
	if c, ok := r.cachedCensus(ctx, day); ok {
		if i, ok := c.Row(o.ID); ok {
			return gqlmodel.NewCoverage(day, c.Coverage.At(i)), nil
		}
	}
	f, err := r.loaders(ctx).Facts(ctx, o.ID, day)
	if err != nil {
		return nil, err
	}
	return gqlmodel.NewCoverage(day, r.rules.CoverageOf(f)), nil
}

func (r orgResolver) CoverageCandidates(ctx context.Context, o *cobuild.Organization, first *int, asOf *time.Time) ([]*gqlmodel.CoverageCandidate, error) {
	n, err := bounded("first", first, 3, 0, analytics.MaxCandidates)
	if err != nil {
		return nil, err
	}
	cs, _, err := r.candidates(ctx, o.ID, n, r.day(ctx, asOf))
	return cs, err
}

func (r orgResolver) PartyOrganizations(ctx context.Context, o *cobuild.Organization, asOf *time.Time) ([]*gqlmodel.PartyOrganizationTie, error) {
	ns, err := r.follow(ctx, orgPartyOrgs, o.ID, asOf)
	out := make([]*gqlmodel.PartyOrganizationTie, 0, len(ns))
	for _, n := range ns {
		if po, ok := n.Node.(*cobuild.PartyOrg); ok {
			out = append(out, &gqlmodel.PartyOrganizationTie{Organization: r.wrap(o), PartyOrganization: po, Since: n.Tie.Since, Until: n.Tie.Until})
		}
	}
	return out, err
}

func (r orgResolver) CoveredBy(ctx context.Context, o *cobuild.Organization, asOf *time.Time) ([]*gqlmodel.CoverTie, error) {
	ns, err := r.follow(ctx, orgCoveredBy, o.ID, asOf)
	out := make([]*gqlmodel.CoverTie, 0, len(ns))
	for _, n := range ns {
		if po, ok := n.Node.(*cobuild.PartyOrg); ok {
			out = append(out, r.coverTie(o, po, n.Tie))
		}
	}
	return out, err
}

func (r *Resolver) coverTie(o *cobuild.Organization, po *cobuild.PartyOrg, t cobuild.Tie) *gqlmodel.CoverTie {
	return &gqlmodel.CoverTie{Organization: r.wrap(o), PartyOrganization: po, Mode: t.Mode,
		ModeLabel: cobuild.Label("CoverMode", t.Mode), Since: t.Since, Until: t.Until}
}

// People lists the person ties of the types asked (all by default) into the organisation.
func (r orgResolver) People(ctx context.Context, o *cobuild.Organization, types []cobuild.TieType, asOf *time.Time) ([]*gqlmodel.PersonTie, error) {
	if len(types) == 0 {
		types = PersonTieTypes
	}
	var out []*gqlmodel.PersonTie
	for _, t := range types {
		ns, err := r.follow(ctx, personTie(t, cobuild.In), o.ID, asOf)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			if p, ok := n.Node.(*cobuild.Person); ok {
				out = append(out, r.personTie(n.Tie, p, o))
			}
		}
	}
	return out, nil
}

func (r *Resolver) personTie(t cobuild.Tie, p *cobuild.Person, o *cobuild.Organization) *gqlmodel.PersonTie {
	pt := &gqlmodel.PersonTie{Type: t.Type, TypeLabel: cobuild.Label("PersonTieType", string(t.Type)), Person: p,
		Organization: r.wrap(o), Since: t.Since, Until: t.Until}
	if t.Role != "" {
		role, label := t.Role, cobuild.Label("PersonTieRole", t.Role)
		pt.Role, pt.RoleLabel = &role, &label
	}
	return pt
}

func (r orgResolver) Memberships(ctx context.Context, o *cobuild.Organization, asOf *time.Time) ([]*gqlmodel.Membership, error) {
	ns, err := r.follow(ctx, orgMemberships, o.ID, asOf)
	out := make([]*gqlmodel.Membership, 0, len(ns))
	for _, n := range ns {
		out = append(out, r.membership(o, n.Node, n.Tie))
	}
	return out, err
}

func (r *Resolver) membership(o *cobuild.Organization, hub any, t cobuild.Tie) *gqlmodel.Membership {
	return &gqlmodel.Membership{Organization: r.wrap(o), Hub: hub, Role: t.Role, RoleLabel: cobuild.Label("MemberRole", t.Role),
		Since: t.Since, Until: t.Until}
}

// CoBuilds lists the organisation's community co-building links, from either end.
func (r orgResolver) CoBuilds(ctx context.Context, o *cobuild.Organization, asOf *time.Time) ([]*gqlmodel.CoBuild, error) {
	ns, err := r.follow(ctx, orgCoBuilds, o.ID, asOf)
	out := make([]*gqlmodel.CoBuild, 0, len(ns))
	for _, n := range ns {
		other, ok := n.Node.(*cobuild.Organization)
		if !ok {
			continue
		}
		org, community := o, other
		if n.Tie.FromID != o.ID {
			org, community = other, o
		}
		out = append(out, &gqlmodel.CoBuild{Organization: r.wrap(org), Community: r.wrap(community), Mode: n.Tie.Mode,
			ModeLabel: cobuild.Label("CoBuildMode", n.Tie.Mode), Since: n.Tie.Since, Until: n.Tie.Until})
	}
	return out, err
}

func (r orgResolver) Events(ctx context.Context, o *cobuild.Organization) ([]*cobuild.Event, error) {
	return r.events(ctx, o.ID, orgHeld, orgAttended)
}

// events lists the events a node held, then those it attended.
func (r *Resolver) events(ctx context.Context, id string, held, attended tieSpec) ([]*cobuild.Event, error) {
	var out []*cobuild.Event
	for _, s := range []tieSpec{held, attended} {
		es, err := ends[*cobuild.Event](ctx, r, s, id)
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	return out, nil
}

func (r orgResolver) MassBranches(ctx context.Context, o *cobuild.Organization) ([]*cobuild.MassBranch, error) {
	return ends[*cobuild.MassBranch](ctx, r.Resolver, orgMassBranches, o.ID)
}

func (r orgResolver) DemoSites(ctx context.Context, o *cobuild.Organization) ([]*cobuild.DemoSite, error) {
	return ends[*cobuild.DemoSite](ctx, r.Resolver, orgDemoSites, o.ID)
}

func (r orgResolver) Brands(ctx context.Context, o *cobuild.Organization) ([]*cobuild.Brand, error) {
	return ends[*cobuild.Brand](ctx, r.Resolver, orgBrands, o.ID)
}

// LatestEvaluation is the newest evaluation of the party organisations it has today.
func (r orgResolver) LatestEvaluation(ctx context.Context, o *cobuild.Organization) (*analytics.Evaluation, error) {
	pos, err := r.follow(ctx, orgPartyOrgs, o.ID, nil)
	if err != nil {
		return nil, err
	}
	var latest *cobuild.Evaluation
	for _, n := range pos {
		e, err := r.loaders(ctx).LatestEvaluation(ctx, n.Tie.ToID)
		if err != nil {
			return nil, err
		}
		if e != nil && (latest == nil || e.Round > latest.Round) {
			latest = e
		}
	}
	return r.grade(latest)
}

func (r orgResolver) CommunityOrganizations(ctx context.Context, c *cobuild.Organization, where *gqlmodel.OrganizationWhere, sort *gqlmodel.OrganizationSort, first *int, after *string) (*gqlmodel.OrganizationConnection, error) {
	return r.organizations(ctx, cobuild.OrgFilter{CommunityID: c.ID}, where, sort, first, after)
}

func (r orgResolver) Branches(ctx context.Context, body *cobuild.Organization) ([]*cobuild.MassBranch, error) {
	return ends[*cobuild.MassBranch](ctx, r.Resolver, massOrgBranches, body.ID)
}

// organizations lists organisations under a parent's constraint and the client's filter.
//
// When the organisations' places are at hand (and, for a filter about coverage, the census
// of its day), the rows a filter keeps are chosen in memory; when the places answer the
// whole filter and the sort, the page is cut in memory too, and the store reads only the
// page's rows by id, with what the operation asks of them, in one statement. Otherwise
// the store answers in Cypher, narrowed to the chosen rows. The total is counted only
// when asked, and a list asked only for its total reads no row.
func (r *Resolver) organizations(ctx context.Context, base cobuild.OrgFilter, where *gqlmodel.OrganizationWhere, sort *gqlmodel.OrganizationSort, first *int, after *string) (*gqlmodel.OrganizationConnection, error) {
	f, err := r.orgFilter(ctx, base, where)
	if err != nil {
		return nil, err
	}
	p, err := r.pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	if err := checkOrgFilter(f); err != nil {
		return nil, err
	}
	var s cobuild.Sort
	if sort != nil {
		s = sortOf(sort.Field, sort.Direction)
	}
	conn := &gqlmodel.OrganizationConnection{Nodes: []gqlmodel.Organization{}, Edges: []*gqlmodel.OrganizationEdge{}}
	conn.PageInfo = &gqlmodel.PageInfo{HasPreviousPage: p.After != ""}
	places, coverage, err := r.orgSnapshots(ctx, f, s)
	if err != nil {
		return nil, err
	}
	needPage := asks(ctx, "OrganizationConnection", "nodes", "edges", "pageInfo")
	if places != nil && (analytics.PlacesAnswer(f) || analytics.NeedsCoverage(f)) {
		rows := analytics.Select(places, coverage, f)
		if analytics.PlacesAnswer(f) {
			conn.Count = func(context.Context) (int, error) { return len(rows), nil }
			if analytics.SortsInMemory(s) {
				if !needPage {
					return conn, nil
				}
				ties, err := r.tieCounts(ctx, f, s, places)
				if err != nil {
					return nil, err
				}
				pg, err := analytics.Order(places, rows, s, ties, p.After, p.First)
				if err != nil {
					return nil, err
				}
				return conn, r.fillPage(ctx, conn, places, pg)
			}
		}
		ids := make([]string, len(rows))
		for i, row := range rows {
			ids[i] = places.Rows[row].ID
		}
		f.IDs = ids
		f.Coverage, f.Isolated, f.ShouldHaveOwn = nil, nil, nil // decided by the census already
	}
	if conn.Count == nil {
		conn.Count = func(ctx context.Context) (int, error) { return r.reader(ctx).CountOrganizations(ctx, f) }
	}
	if !needPage {
		return conn, nil
	}
	p.With = r.planConnection(ctx, "OrganizationConnection", "Organization")
	pg, err := r.reader(ctx).Organizations(ctx, f, s, p)
	if err != nil {
		return nil, err
	}
	r.loaders(ctx).Prime(pg.Fetched)
	for i, o := range pg.Items {
		w := r.wrap(o)
		conn.Nodes = append(conn.Nodes, w)
		conn.Edges = append(conn.Edges, &gqlmodel.OrganizationEdge{Cursor: pg.Cursors[i], Node: w})
	}
	setPageInfo(conn.PageInfo, pg.Cursors, pg.HasNext)
	return conn, nil
}

// checkOrgFilter refuses ids that name no node of the kind the filter needs.
func checkOrgFilter(f cobuild.OrgFilter) error {
	for _, c := range []struct {
		id    string
		label cobuild.NodeLabel
	}{{f.AreaID, cobuild.LabelArea}, {f.ParkID, cobuild.LabelArea}, {f.CommunityID, cobuild.LabelOrganization},
		{f.IndustryID, cobuild.LabelIndustry}, {f.CoveredByID, cobuild.LabelPartyOrg}} {
		if c.id != "" {
			if err := cobuild.CheckID(c.id, c.label); err != nil {
				return err
			}
		}
	}
	if f.MemberOfID != "" {
		if _, err := cobuild.LabelOf(f.MemberOfID); err != nil {
			return err
		}
	}
	return nil
}

// orgSnapshots returns what a list can choose its rows from in memory: the census of the
// filter's day for a filter about coverage (built when missing), else the places when they
// are built already; nil when the list is left to the store.
func (r *Resolver) orgSnapshots(ctx context.Context, f cobuild.OrgFilter, s cobuild.Sort) (*analytics.Places, *analytics.Coverages, error) {
	view := r.loaders(ctx).Snapshots
	if view == nil {
		return nil, nil, nil
	}
	if analytics.NeedsCoverage(f) {
		c, err := view.Census(ctx, f.AsOf)
		if err != nil {
			return nil, nil, err
		}
		return c.Places, &c.Coverage, nil
	}
	if p, ok := view.CachedPlaces(ctx); ok {
		return p.Places, nil, nil
	}
	if s.Field == "TIES" {
		// The ties come from the projection; the places are built with it at start.
		p, err := view.Places(ctx)
		if err != nil {
			return nil, nil, err
		}
		return p.Places, nil, nil
	}
	return nil, nil, nil
}

// tieCounts returns, for each row of the places, the count of the organisation's
// joint-building ties on the filter's day, from the projection of the day, when the sort
// needs them.
func (r *Resolver) tieCounts(ctx context.Context, f cobuild.OrgFilter, s cobuild.Sort, places *analytics.Places) ([]int32, error) {
	if s.Field != "TIES" {
		return nil, nil
	}
	proj, err := r.projection(ctx, &f.AsOf, nil)
	if err != nil {
		return nil, err
	}
	return proj.DegreesOf(places), nil
}

// fillPage reads the rows of an in-memory page by id, with what the operation asks of
// them, in one statement.
func (r *Resolver) fillPage(ctx context.Context, conn *gqlmodel.OrganizationConnection, places *analytics.Places, pg analytics.Page) error {
	ids := make([]string, len(pg.Rows))
	for i, row := range pg.Rows {
		ids[i] = places.Rows[row].ID
	}
	fetched, err := r.reader(ctx).Expand(ctx, ids, r.planConnection(ctx, "OrganizationConnection", "Organization"))
	if err != nil {
		return err
	}
	r.loaders(ctx).Prime(fetched)
	var cursors []string
	for i, id := range ids {
		o, ok := fetched.Nodes[id].(*cobuild.Organization)
		if !ok {
			continue // gone since the places were read
		}
		w := r.wrap(o)
		conn.Nodes = append(conn.Nodes, w)
		conn.Edges = append(conn.Edges, &gqlmodel.OrganizationEdge{Cursor: pg.Cursors[i], Node: w})
		cursors = append(cursors, pg.Cursors[i])
	}
	setPageInfo(conn.PageInfo, cursors, pg.HasNext)
	return nil
}

// setPageInfo records a page's first and last cursors and whether more rows follow.
func setPageInfo(pi *gqlmodel.PageInfo, cursors []string, hasNext bool) {
	pi.HasNextPage = hasNext
	if len(cursors) > 0 {
		first, last := cursors[0], cursors[len(cursors)-1]
		pi.StartCursor, pi.EndCursor = &first, &last
	}
}

// candidates ranks the candidate coverers of an organisation on a day, from the census and
// the projection of the day (both cached): no statement per organisation.
func (r *Resolver) candidates(ctx context.Context, id string, first int, day time.Time) ([]*gqlmodel.CoverageCandidate, *snapshot.Projection, error) {
	p, err := r.projection(ctx, &day, analytics.CandidateTies)
	if err != nil {
		return nil, nil, err
	}
	c, err := r.census(ctx, day)
	if err != nil {
		return nil, nil, err
	}
	v, ok := p.Graph.Lookup(id)
	if !ok {
		v = -1
	}
	ranked := analytics.RankCandidates(r.rules, p.Projection, v, c.Candidates(p.Projection, id), first)
	out := make([]*gqlmodel.CoverageCandidate, 0, len(ranked))
	for _, rc := range ranked {
		cc := &gqlmodel.CoverageCandidate{Rank: rc.Rank, Score: rc.Score, Load: rc.Load, SharedCommunity: rc.SharedCommunity,
			SharedPark: rc.SharedPark, SharedIndustry: rc.SharedIndustry, Reasons: rc.Reasons, ReasonLabels: rc.ReasonLabels,
			Node: &gqlmodel.NetworkNode{ID: rc.ID, Label: string(rc.Label), Kind: gqlmodel.Optional(rc.Kind), Name: rc.Name}}
		if rc.Hops >= 0 {
			h := rc.Hops
			cc.Hops = &h
		}
		out = append(out, cc)
	}
	return out, p, nil
}
