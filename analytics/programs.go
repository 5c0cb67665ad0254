package analytics

import (
	"cmp"
	"slices"

	"cobuild"
)

// CertificationFunnel is the red-leader review and certification, in all and by the
// industry and park of the holders' organisations.
type CertificationFunnel struct {
	Reviewed, Certified int
	Rate                *float64
	ByIndustry, ByPark  []*FunnelGroup
}

// FunnelGroup is the funnel of one industry or park.
type FunnelGroup struct {
	Key                 *GroupKey
	Reviewed, Certified int
	Rate                *float64
}

// NewCertificationFunnel counts the certifications; names names the industries and parks
// by id. Groups come most reviewed first, then by label.
func NewCertificationFunnel(rows []cobuild.CertificationRow, names map[string]string) *CertificationFunnel {
	f := &CertificationFunnel{}
	byIndustry, byPark := map[string]*FunnelGroup{}, map[string]*FunnelGroup{}
	add := func(groups map[string]*FunnelGroup, dim GroupDimension, v string, certified bool) {
		g, ok := groups[v]
		if !ok {
			g = &FunnelGroup{Key: KeyOf(dim, v, names)}
			groups[v] = g
		}
		g.Reviewed++
		if certified {
			g.Certified++
		}
	}
	for _, c := range rows {
		f.Reviewed++
		if c.Certified {
			f.Certified++
		}
		add(byIndustry, ByIndustry, c.IndustryID, c.Certified)
		add(byPark, ByPark, c.ParkID, c.Certified)
	}
	f.Rate = Rate(f.Certified, f.Reviewed)
	list := func(groups map[string]*FunnelGroup) []*FunnelGroup {
		out := make([]*FunnelGroup, 0, len(groups))
		for _, g := range groups {
			g.Rate = Rate(g.Certified, g.Reviewed)
			out = append(out, g)
		}
		slices.SortFunc(out, func(a, b *FunnelGroup) int {
			return cmp.Or(cmp.Compare(b.Reviewed, a.Reviewed), cmp.Compare(a.Key.Label, b.Key.Label))
		})
		return out
	}
	f.ByIndustry, f.ByPark = list(byIndustry), list(byPark)
	return f
}

// MassBranchFollowUp is what followed the mass-organisation branches.
type MassBranchFollowUp struct {
	Formed, Recommended, HelpedForm int
	Followed                        []*BranchFollowed
	MeanDelayDays, MedianDelayDays  *float64
}

// BranchFollowed is a branch and a party organisation it helped form, with the days
// between the branch's formation and the party organisation's founding.
type BranchFollowed struct {
	cobuild.BranchFollowed
	DelayDays *int
}

// NewMassBranchFollowUp sums up the branches and the delays before the party
// organisations they helped form.
func NewMassBranchFollowUp(facts cobuild.MassBranchFacts) *MassBranchFollowUp {
	out := &MassBranchFollowUp{Formed: facts.Formed, Recommended: facts.Recommended, HelpedForm: len(facts.Followed),
		Followed: []*BranchFollowed{}}
	var delays []int
	for _, f := range facts.Followed {
		b := &BranchFollowed{BranchFollowed: f}
		if f.FormedOn != nil && f.FoundedOn != nil {
			d := int(f.FoundedOn.Sub(*f.FormedOn).Hours() / 24)
			b.DelayDays = &d
			delays = append(delays, d)
		}
		out.Followed = append(out.Followed, b)
	}
	if len(delays) > 0 {
		sum := 0
		for _, d := range delays {
			sum += d
		}
		mean := float64(sum) / float64(len(delays))
		slices.Sort(delays)
		median := float64(delays[len(delays)/2])
		if len(delays)%2 == 0 {
			median = float64(delays[len(delays)/2-1]+delays[len(delays)/2]) / 2
		}
		out.MeanDelayDays, out.MedianDelayDays = &mean, &median
	}
	return out
}

// TiersOf counts the tiers of the newest evaluations of some party organisations (one per
// entry, repeats counted), every tier listed.
func TiersOf(rules cobuild.Rules, partyOrgs []string, latest map[string]*cobuild.Evaluation) []*TierCount {
	count := map[cobuild.Tier]int{}
	for _, po := range partyOrgs {
		if e := latest[po]; e != nil {
			if t, err := rules.TierOf(e.Score); err == nil {
				count[t]++
			}
		}
	}
	return TierCounts(count)
}
