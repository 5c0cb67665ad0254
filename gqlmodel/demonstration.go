package gqlmodel

import (
	"cmp"
	"context"
	"slices"
	"time"

	"cobuild"
	"cobuild/loaders"
)

// Demonstration is the hubs, sites, brands and leading industries on a day.
type Demonstration struct {
	AsOf          time.Time
	Round         *string
	Sites, Brands []*KindCount
	rows          []cobuild.HubRow
	tierOf        map[string]cobuild.Tier
	industries    []cobuild.LeadingIndustryRow
}

// HubStats is one hub's members, events and members' tiers.
type HubStats struct {
	ID, Name, Kind, KindLabel  string
	Members, AboveScaleMembers int
	MemberKinds, Events        []*KindCount
	MemberTiers                []*TierCount
}

// KindCount counts one kind, with person-times for events.
type KindCount struct {
	Kind, Label        string
	Count, PersonTimes int
}

// LeadingIndustry is a leading industry with its above-scale enterprises.
type LeadingIndustry struct {
	row                               cobuild.LeadingIndustryRow
	AboveScale, InCommitteeOrAlliance int
}

// NewDemonstration reads the hubs and leading industries on a day and the tiers of a
// round (the newest when empty).
func NewDemonstration(ctx context.Context, asOf *time.Time, round string) (*Demonstration, error) {
	day := DayOr(asOf)
	l := loaders.For(ctx)
	r := l.Reader()
	d := &Demonstration{AsOf: day, tierOf: map[string]cobuild.Tier{}}
	rows, err := r.HubRows(ctx, day)
	if err != nil {
		return nil, err
	}
	d.rows = rows
	if rd, _, err := roundsAround(ctx, round); err == nil {
		d.Round = &rd
		graded, err := gradeRounds(ctx, rd)
		if err != nil {
			return nil, err
		}
		for _, e := range graded[rd] {
			d.tierOf[e.PartyOrgID] = e.Tier
		}
	} else if round != "" {
		return nil, err
	}
	if d.industries, err = r.LeadingIndustries(ctx, day); err != nil {
		return nil, err
	}
	for _, k := range []struct {
		label, enum string
		out         *[]*KindCount
	}{{"DemoSite", "DemoSiteKind", &d.Sites}, {"Brand", "BrandKind", &d.Brands}} {
		nodes, err := r.Hubs(ctx, k.label, nil)
		if err != nil {
			return nil, err
		}
		count := map[string]int{}
		var kinds []string
		for _, n := range nodes {
			kind := ""
			switch n := n.(type) {
			case *cobuild.DemoSite:
				kind = n.Kind
			case *cobuild.Brand:
				kind = n.Kind
			}
			if count[kind] == 0 {
				kinds = append(kinds, kind)
			}
			count[kind]++
		}
		slices.Sort(kinds)
		*k.out = []*KindCount{}
		for _, kind := range kinds {
			*k.out = append(*k.out, &KindCount{Kind: kind, Label: cobuild.Label(k.enum, kind), Count: count[kind]})
		}
	}
	return d, nil
}

// countKinds counts values by kind, in the order of the kinds.
func countKinds(kinds []string, enum string) []*KindCount {
	count := map[string]*KindCount{}
	out := []*KindCount{}
	for _, k := range kinds {
		c, ok := count[k]
		if !ok {
			c = &KindCount{Kind: k, Label: cobuild.Label(enum, k)}
			count[k] = c
			out = append(out, c)
		}
		c.Count++
	}
	slices.SortFunc(out, func(a, b *KindCount) int { return cmp.Compare(a.Kind, b.Kind) })
	return out
}

// Hubs lists the hubs of the kinds asked (all when none).
func (d *Demonstration) Hubs(kind []string) []*HubStats {
	out := []*HubStats{}
	for _, h := range d.rows {
		if len(kind) > 0 && !slices.Contains(kind, h.Kind) {
			continue
		}
		s := &HubStats{ID: h.ID, Name: h.Name, Kind: h.Kind, KindLabel: cobuild.Label("HubKind", h.Kind), Members: h.Members, AboveScaleMembers: h.AboveScale,
			Events: []*KindCount{}}
		s.MemberKinds = countKinds(h.MemberKinds, "OrgKind")
		events := map[string]*KindCount{}
		for _, e := range h.Events {
			k, ok := events[e.Kind]
			if !ok {
				k = &KindCount{Kind: e.Kind, Label: cobuild.Label("EventKind", e.Kind)}
				events[e.Kind] = k
				s.Events = append(s.Events, k)
			}
			k.Count++
			k.PersonTimes += e.PersonTimes
		}
		slices.SortFunc(s.Events, func(a, b *KindCount) int { return cmp.Compare(a.Kind, b.Kind) })
		count := map[cobuild.Tier]int{}
		for _, po := range h.MemberPartyOrgs {
			if t, ok := d.tierOf[po]; ok {
				count[t]++
			}
		}
		s.MemberTiers = tierCounts(count)
		out = append(out, s)
	}
	return out
}

// LeadingIndustries lists the leading industries.
func (d *Demonstration) LeadingIndustries() []*LeadingIndustry {
	out := make([]*LeadingIndustry, 0, len(d.industries))
	for _, r := range d.industries {
		out = append(out, &LeadingIndustry{row: r, AboveScale: r.AboveScale, InCommitteeOrAlliance: r.InEither})
	}
	return out
}

// Industry loads the industry.
func (i *LeadingIndustry) Industry(ctx context.Context) (*cobuild.Industry, error) {
	return mustNode[*cobuild.Industry](ctx, i.row.IndustryID)
}

// Committee loads its industry party committee, if any.
func (i *LeadingIndustry) Committee(ctx context.Context) (*cobuild.Alliance, error) {
	if i.row.CommitteeID == "" {
		return nil, nil
	}
	return mustNode[*cobuild.Alliance](ctx, i.row.CommitteeID)
}

// Alliance loads its cluster alliance, if any.
func (i *LeadingIndustry) Alliance(ctx context.Context) (*cobuild.Alliance, error) {
	if i.row.AllianceID == "" {
		return nil, nil
	}
	return mustNode[*cobuild.Alliance](ctx, i.row.AllianceID)
}

// InNeither loads the above-scale enterprises in neither.
func (i *LeadingIndustry) InNeither(ctx context.Context) ([]Organization, error) {
	orgs, err := loaders.Nodes[*cobuild.Organization](ctx, i.row.InNeither)
	if err != nil {
		return nil, err
	}
	out := make([]Organization, len(orgs))
	for k, o := range orgs {
		out[k] = WrapOrg(o)
	}
	return out, nil
}
