package analytics

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"cobuild"
)

// GroupDimension is what coverage counts can be grouped by.
type GroupDimension string

// The dimensions coverage counts can be grouped by.
const (
	ByArea       GroupDimension = "AREA"
	ByPark       GroupDimension = "PARK"
	ByCommunity  GroupDimension = "COMMUNITY"
	ByIndustry   GroupDimension = "INDUSTRY"
	ByKind       GroupDimension = "KIND"
	BySector     GroupDimension = "SECTOR"
	BySizeBand   GroupDimension = "SIZE_BAND"
	ByAboveScale GroupDimension = "ABOVE_SCALE"
)

// CoverageFilter keeps the census rows that coverage counts count; zero fields keep all.
type CoverageFilter struct {
	Kinds      []cobuild.OrgKind
	Sectors    []cobuild.Sector
	AboveScale *bool
	// Areas keeps the organisations located in one of these towns or subdistricts.
	Areas                           map[string]bool
	ParkID, CommunityID, IndustryID string
}

// Keeps reports whether the filter keeps a row.
func (f CoverageFilter) Keeps(r cobuild.CensusRow) bool {
	same := func(want, got string) bool { return want == "" || want == got }
	return (len(f.Kinds) == 0 || slices.Contains(f.Kinds, r.Kind)) &&
		(len(f.Sectors) == 0 || slices.Contains(f.Sectors, r.Sector)) &&
		(f.AboveScale == nil || *f.AboveScale == r.AboveScale) &&
		(f.Areas == nil || f.Areas[r.AreaID]) &&
		same(f.ParkID, r.ParkID) && same(f.CommunityID, r.CommunityID) && same(f.IndustryID, r.IndustryID)
}

// CoverageStats are coverage counts and rates, in all and by group.
type CoverageStats struct {
	By     []GroupDimension
	Total  *CoverageGroup
	Groups []*CoverageGroup
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
	Dimension GroupDimension
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
	case cobuild.CoverageUncovered:
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
	g.CoverageRate, g.OwnRate = Rate(g.Own+g.Joint, g.Operating), Rate(g.Own, g.Operating)
}

// Rate is part / whole, or nil when whole is 0.
func Rate(part, whole int) *float64 {
	if whole == 0 {
		return nil
	}
	r := float64(part) / float64(whole)
	return &r
}

// GroupSort orders the groups of coverage stats by a field (ORGANIZATIONS, OPERATING,
// UNCOVERED, ISOLATED_UNCOVERED, SHOULD_HAVE_OWN, COVERAGE_RATE, OWN_RATE or LABEL).
type GroupSort struct {
	Field string
	Desc  bool
}

// NewCoverageStats counts the rows of a census the filter keeps, in all and grouped by up
// to two dimensions; names gives the names of the areas, parks, communities and
// industries by id.
func NewCoverageStats(c *Census, by []GroupDimension, keep CoverageFilter, sort GroupSort, names map[string]string) (*CoverageStats, error) {
	if len(by) > 2 {
		return nil, cobuild.Errorf(cobuild.EINVALID, "group by at most two dimensions, got %d", len(by))
	}
	if len(by) == 2 && by[0] == by[1] {
		return nil, cobuild.Errorf(cobuild.EINVALID, "group by two different dimensions, got %s twice", by[0])
	}
	out := &CoverageStats{By: by, Total: &CoverageGroup{Keys: []*GroupKey{}}, Groups: []*CoverageGroup{}}
	if out.By == nil {
		out.By = []GroupDimension{}
	}
	groups := map[string]*CoverageGroup{}
	for i, r := range c.Rows {
		if !keep.Keeps(r) {
			continue
		}
		cov := c.Coverage.At(i)
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
				g.Keys = append(g.Keys, KeyOf(d, values[j], names))
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
func sortGroups(groups []*CoverageGroup, sort GroupSort) {
	if sort.Field == "" {
		sort = GroupSort{Field: "ORGANIZATIONS", Desc: true}
	}
	rateOf := func(r *float64) float64 {
		if r == nil {
			return -1 // no operating organisation: below every rate
		}
		return *r
	}
	value := func(g *CoverageGroup) float64 {
		switch sort.Field {
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
		if sort.Field == "LABEL" {
			c = strings.Compare(a.Keys[0].Label, b.Keys[0].Label)
		}
		if sort.Desc {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.key, b.key))
	})
}

// valueOf is a row's value of a dimension; "" for none.
func valueOf(r cobuild.CensusRow, d GroupDimension) string {
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

// KeyOf is the key of a dimension's value, labelled with its name or Chinese label.
func KeyOf(d GroupDimension, v string, names map[string]string) *GroupKey {
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
