package gqlmodel

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"cobuild"
	"cobuild/analytics"
	"cobuild/loaders"
)

// The dimensions coverage counts can be grouped by.
const (
	ByArea       = "AREA"
	ByPark       = "PARK"
	ByCommunity  = "COMMUNITY"
	ByIndustry   = "INDUSTRY"
	ByKind       = "KIND"
	BySector     = "SECTOR"
	BySizeBand   = "SIZE_BAND"
	ByAboveScale = "ABOVE_SCALE"
)

// CoverageStatsWhere narrows the organisations counted.
type CoverageStatsWhere struct {
	Kind        []cobuild.OrgKind
	Sector      []cobuild.Sector
	AboveScale  *bool
	AreaID      *string
	ParkID      *string
	CommunityID *string
	IndustryID  *string
}

// CoverageStats are coverage counts and rates, in all and by group.
type CoverageStats struct {
	AsOf       time.Time
	By         []string
	Total      *CoverageGroup
	Groups     []*CoverageGroup
	Provenance *Provenance
}

// CoverageGroup counts one group's organisations.
type CoverageGroup struct {
	Keys                        []*GroupKey
	Organizations, Operating    int
	Own, Joint, Work, Uncovered int
	Isolated, IsolatedUncovered int
	ShouldHaveOwn               int
	CoverageRate, OwnRate       *float64
	key                         string
}

// GroupKey is a group's value of one dimension.
type GroupKey struct {
	Dimension string
	Value     *string
	Label     string
}

func (g *CoverageGroup) add(r cobuild.CensusRow, c cobuild.Coverage) {
	g.Organizations++
	if !r.Operating {
		return
	}
	g.Operating++
	switch c.Status {
	case cobuild.CoverageOwn:
		g.Own++
	case cobuild.CoverageJoint:
		g.Joint++
	case cobuild.CoverageWork:
		g.Work++
	default:
		g.Uncovered++
	}
	if c.Isolated {
		g.Isolated++
		if c.Status == cobuild.CoverageUncovered {
			g.IsolatedUncovered++
		}
	}
	if c.ShouldHaveOwn {
		g.ShouldHaveOwn++
	}
}

func (g *CoverageGroup) rates() {
	if g.Operating == 0 {
		return
	}
	cov := float64(g.Own+g.Joint) / float64(g.Operating)
	own := float64(g.Own) / float64(g.Operating)
	g.CoverageRate, g.OwnRate = &cov, &own
}

// CensusProvenance describes a census.
func CensusProvenance(c *analytics.Census, parameters string) *Provenance {
	return &Provenance{ComputedAt: c.BuiltAt.Format(time.RFC3339), GraphVersion: c.Version, AsOf: c.AsOf,
		Parameters: parameters, Nodes: len(c.Rows), BuildMs: int(c.BuildTime.Milliseconds())}
}

// NewCoverageStats counts the census of the day by up to two dimensions.
func NewCoverageStats(ctx context.Context, by []string, where *CoverageStatsWhere, sort *CoverageGroupSort, asOf *time.Time) (*CoverageStats, error) {
	if len(by) > 2 {
		return nil, cobuild.Errorf(cobuild.EINVALID, "group by at most two dimensions, got %d", len(by))
	}
	if len(by) == 2 && by[0] == by[1] {
		return nil, cobuild.Errorf(cobuild.EINVALID, "group by two different dimensions, got %s twice", by[0])
	}
	keep, err := where.match(ctx)
	if err != nil {
		return nil, err
	}
	c, err := loaders.Census(ctx, DayOr(asOf))
	if err != nil {
		return nil, err
	}
	names, err := placeNames(ctx, c, by)
	if err != nil {
		return nil, err
	}
	out := &CoverageStats{AsOf: c.AsOf, By: by, Total: &CoverageGroup{Keys: []*GroupKey{}}, Groups: []*CoverageGroup{},
		Provenance: CensusProvenance(c, fmt.Sprintf("asOf=%s by=%s", c.AsOf.Format(time.DateOnly), strings.Join(by, ",")))}
	groups := map[string]*CoverageGroup{}
	for i, r := range c.Rows {
		if !keep(r) {
			continue
		}
		cov := c.Coverage[i]
		out.Total.add(r, cov)
		if len(by) == 0 {
			continue
		}
		values := make([]string, len(by))
		for j, d := range by {
			values[j] = valueOf(r, d)
		}
		k := strings.Join(values, "\x00")
		g, ok := groups[k]
		if !ok {
			g = &CoverageGroup{key: k}
			for j, d := range by {
				g.Keys = append(g.Keys, keyOf(d, values[j], names))
			}
			groups[k] = g
			out.Groups = append(out.Groups, g)
		}
		g.add(r, cov)
	}
	out.Total.rates()
	for _, g := range out.Groups {
		g.rates()
	}
	sortGroups(out.Groups, sort)
	return out, nil
}

// sortGroups orders groups by a field (largest first by default), then by key.
func sortGroups(groups []*CoverageGroup, sort *CoverageGroupSort) {
	field, desc := "ORGANIZATIONS", true
	if sort != nil {
		field, desc = sort.Field, sort.Direction == nil || *sort.Direction != "ASC"
	}
	rateOf := func(r *float64) float64 {
		if r == nil {
			return -1 // no operating organisation: below every rate
		}
		return *r
	}
	value := func(g *CoverageGroup) float64 {
		switch field {
		case "OPERATING":
			return float64(g.Operating)
		case "UNCOVERED":
			return float64(g.Uncovered)
		case "ISOLATED_UNCOVERED":
			return float64(g.IsolatedUncovered)
		case "SHOULD_HAVE_OWN":
			return float64(g.ShouldHaveOwn)
		case "COVERAGE_RATE":
			return rateOf(g.CoverageRate)
		case "OWN_RATE":
			return rateOf(g.OwnRate)
		}
		return float64(g.Organizations)
	}
	slices.SortFunc(groups, func(a, b *CoverageGroup) int {
		c := cmp.Compare(value(a), value(b))
		if field == "LABEL" {
			c = strings.Compare(a.Keys[0].Label, b.Keys[0].Label)
		}
		if desc {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.key, b.key))
	})
}

// valueOf is a row's value of a dimension; "" for none.
func valueOf(r cobuild.CensusRow, d string) string {
	switch d {
	case ByArea:
		return r.AreaID
	case ByPark:
		return r.ParkID
	case ByCommunity:
		return r.CommunityID
	case ByIndustry:
		return r.IndustryID
	case ByKind:
		return string(r.Kind)
	case BySector:
		return string(r.Sector)
	case BySizeBand:
		return string(cobuild.SizeBandOf(r.Headcount))
	}
	return strconv.FormatBool(r.AboveScale)
}

func keyOf(d, v string, names map[string]string) *GroupKey {
	k := &GroupKey{Dimension: d, Label: "无"}
	if v == "" {
		return k
	}
	k.Value = &v
	switch d {
	case ByKind:
		k.Label = cobuild.Label("OrgKind", v)
	case BySector:
		k.Label = cobuild.Label("Sector", v)
	case BySizeBand:
		k.Label = cobuild.Label("SizeBand", v)
	case ByAboveScale:
		k.Label = map[string]string{"true": "规上", "false": "规下"}[v]
	default:
		k.Label = cmp.Or(names[v], v)
	}
	return k
}

// placeNames names the areas, parks, industries and communities of the dimensions asked.
func placeNames(ctx context.Context, c *analytics.Census, by []string) (map[string]string, error) {
	var labels []string
	if slices.Contains(by, ByArea) || slices.Contains(by, ByPark) {
		labels = append(labels, "Area")
	}
	if slices.Contains(by, ByIndustry) {
		labels = append(labels, "Industry")
	}
	names, err := hubNames(ctx, labels...)
	if err != nil {
		return nil, err
	}
	if slices.Contains(by, ByCommunity) {
		for _, row := range c.Rows {
			if row.Kind == cobuild.OrgCommunity {
				names[row.ID] = row.Name
			}
		}
	}
	return names, nil
}

// hubNames names every area or industry (the labels asked), by id: one read per label.
func hubNames(ctx context.Context, labels ...string) (map[string]string, error) {
	names := map[string]string{}
	for _, label := range labels {
		hubs, err := loaders.For(ctx).Reader().Hubs(ctx, label, nil)
		if err != nil {
			return nil, err
		}
		for _, h := range hubs {
			switch h := h.(type) {
			case *cobuild.Area:
				names[h.ID] = h.Name
			case *cobuild.Industry:
				names[h.ID] = h.Name
			}
		}
	}
	return names, nil
}

// match returns the test of the filter: the managed sectors unless it names sectors, and
// an area of the district kind keeps every organisation located in the district.
func (w *CoverageStatsWhere) match(ctx context.Context) (func(cobuild.CensusRow) bool, error) {
	if w == nil {
		w = &CoverageStatsWhere{}
	}
	if w.Sector == nil {
		c := *w
		c.Sector = cobuild.ManagedSectors
		w = &c
	}
	ids := []struct {
		v     *string
		label string
		of    func(cobuild.CensusRow) string
	}{
		{w.ParkID, "Area", func(r cobuild.CensusRow) string { return r.ParkID }},
		{w.CommunityID, "Organization", func(r cobuild.CensusRow) string { return r.CommunityID }},
		{w.IndustryID, "Industry", func(r cobuild.CensusRow) string { return r.IndustryID }},
		{w.AreaID, "Area", func(r cobuild.CensusRow) string { return r.AreaID }},
	}
	for _, f := range ids {
		if f.v != nil {
			if err := cobuild.CheckID(*f.v, f.label); err != nil {
				return nil, err
			}
		}
	}
	inDistrict := map[string]bool{}
	wholeDistrict := false
	if w.AreaID != nil {
		areas, err := loaders.For(ctx).Reader().Hubs(ctx, "Area", nil)
		if err != nil {
			return nil, err
		}
		for _, a := range areas {
			a := a.(*cobuild.Area)
			inDistrict[a.ID] = a.InDistrict
			if a.ID == *w.AreaID && a.Kind == "DISTRICT" {
				wholeDistrict = true
			}
		}
	}
	return func(r cobuild.CensusRow) bool {
		if len(w.Kind) > 0 && !slices.Contains(w.Kind, r.Kind) {
			return false
		}
		if len(w.Sector) > 0 && !slices.Contains(w.Sector, r.Sector) {
			return false
		}
		if w.AboveScale != nil && *w.AboveScale != r.AboveScale {
			return false
		}
		for _, f := range ids {
			if f.v == nil {
				continue
			}
			if f.v == w.AreaID && wholeDistrict {
				if !inDistrict[r.AreaID] {
					return false
				}
				continue
			}
			if f.of(r) != *f.v {
				return false
			}
		}
		return true
	}, nil
}

// CoverageGroupSort orders the groups of coverage stats.
type CoverageGroupSort struct {
	Field     string
	Direction *string
}
