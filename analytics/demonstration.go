package analytics

import (
	"cmp"
	"slices"

	"cobuild"
)

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

// CountKinds counts values by kind, ordered by kind; enum names the enum whose Chinese
// labels the kinds get.
func CountKinds(kinds []string, enum string) []*KindCount {
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

// NewHubStats describes the hubs of the kinds asked (all when none); tierOf gives the tier
// of each party organisation in the round of the members' tiers.
func NewHubStats(rows []cobuild.HubRow, kinds []string, tierOf map[string]cobuild.Tier) []*HubStats {
	out := []*HubStats{}
	for _, h := range rows {
		if len(kinds) > 0 && !slices.Contains(kinds, h.Kind) {
			continue
		}
		s := &HubStats{ID: h.ID, Name: h.Name, Kind: h.Kind, KindLabel: cobuild.Label("HubKind", h.Kind), Members: h.Members,
			AboveScaleMembers: h.AboveScale, Events: []*KindCount{}, MemberKinds: CountKinds(h.MemberKinds, "OrgKind")}
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
			if t, ok := tierOf[po]; ok {
				count[t]++
			}
		}
		s.MemberTiers = TierCounts(count)
		out = append(out, s)
	}
	return out
}
