package analytics

import (
	"slices"

	"cobuild"
)

// coverIndex inverts a census's coverers: whom each coverer serves, and how many of them
// are on each community's patch, in each park and in each industry.
type coverIndex struct {
	served                          map[string][]int
	byCommunity, byPark, byIndustry map[string]map[string]int
}

func newCoverIndex(rows []cobuild.CensusRow) *coverIndex {
	x := &coverIndex{served: map[string][]int{}, byCommunity: map[string]map[string]int{},
		byPark: map[string]map[string]int{}, byIndustry: map[string]map[string]int{}}
	count := func(m map[string]map[string]int, place, coverer string) {
		if place == "" {
			return
		}
		if m[place] == nil {
			m[place] = map[string]int{}
		}
		m[place][coverer]++
	}
	for i, r := range rows {
		for j, k := range r.Coverers {
			if slices.Contains(r.Coverers[:j], k) {
				continue // covered twice by the same one counts once
			}
			x.served[k] = append(x.served[k], i)
			count(x.byCommunity, r.CommunityID, k)
			count(x.byPark, r.ParkID, k)
			count(x.byIndustry, r.IndustryID, k)
		}
	}
	return x
}

// Candidates returns who could cover an organisation on the census's day, unranked: the
// joint, regional and industry party organisations and the instructors that already serve
// an organisation sharing its community, park or industry (with those counts and their
// load, the organisation itself left out), and its own community (with its co-building
// links in force as its load). Names, kinds and the community's load come from the
// projection of the same day, which holds every coverer through its ties. An id the
// census does not hold has no candidates.
func (c *Census) Candidates(p *Projection, id string) []cobuild.Candidate {
	i, ok := c.Row(id)
	if !ok {
		return nil
	}
	x := c.covers()
	r := c.Rows[i]
	own := map[string]bool{}
	for _, k := range r.Coverers {
		own[k] = true
	}
	found := map[string]*cobuild.Candidate{}
	var order []string
	add := func(m map[string]map[string]int, place string, set func(*cobuild.Candidate, int)) {
		for k, n := range m[place] {
			if own[k] {
				n-- // the organisation itself shares its own place
			}
			if n <= 0 {
				continue
			}
			cand, ok := found[k]
			if !ok {
				cand = &cobuild.Candidate{ID: k}
				found[k] = cand
				order = append(order, k)
			}
			set(cand, n)
		}
	}
	if r.CommunityID != "" {
		add(x.byCommunity, r.CommunityID, func(c *cobuild.Candidate, n int) { c.SharedCommunity = n })
	}
	if r.ParkID != "" {
		add(x.byPark, r.ParkID, func(c *cobuild.Candidate, n int) { c.SharedPark = n })
	}
	if r.IndustryID != "" {
		add(x.byIndustry, r.IndustryID, func(c *cobuild.Candidate, n int) { c.SharedIndustry = n })
	}
	slices.Sort(order)
	out := make([]cobuild.Candidate, 0, len(order)+1)
	for _, k := range order {
		cand := *found[k]
		cand.Load = len(x.served[k])
		if own[k] {
			cand.Load--
		}
		cand.Label, _ = cobuild.LabelOf(k)
		if v, ok := p.Graph.Lookup(k); ok {
			cand.Name, cand.Kind = p.Nodes[v].Name, p.Nodes[v].Kind
		}
		out = append(out, cand)
	}
	if r.CommunityID != "" {
		cand := cobuild.Candidate{ID: r.CommunityID, Label: "Organization", Kind: string(cobuild.OrgCommunity), SharedCommunity: 1}
		if j, ok := c.Row(r.CommunityID); ok {
			cand.Name = c.Rows[j].Name
		}
		if v, ok := p.Graph.Lookup(r.CommunityID); ok {
			p.Graph.Neighbours(v, func(_, tie int) {
				if p.Ties[tie].Type == "CO_BUILDS_WITH" {
					cand.Load++
				}
			})
		}
		out = append(out, cand)
	}
	return out
}
