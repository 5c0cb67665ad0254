package analytics

import (
	"cmp"
	"slices"
	"strings"

	"cobuild"
)

// coverIndex inverts a census's coverers: whom each coverer serves, and how many of them
// are on each community's patch, in each park and in each industry.
type coverIndex struct {
	served                          map[string][]int
	byCommunity, byPark, byIndustry map[string]map[string]int
}

func newCoverIndex(rows []cobuild.CensusRow, coverersOf func(int) []string) *coverIndex {
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
		coverers := coverersOf(i)
		for j, k := range coverers {
			if slices.Contains(coverers[:j], k) {
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
	for _, k := range c.CoverersOf(i) {
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
		cand := cobuild.Candidate{ID: r.CommunityID, Label: cobuild.LabelOrganization, Kind: string(cobuild.OrgCommunity), SharedCommunity: 1}
		if j, ok := c.Row(r.CommunityID); ok {
			cand.Name = c.Rows[j].Name
		}
		if v, ok := p.Graph.Lookup(r.CommunityID); ok {
			p.Graph.Neighbours(v, func(_, tie int) {
				if p.Ties[tie].Type == cobuild.CoBuildsWith {
					cand.Load++
				}
			})
		}
		out = append(out, cand)
	}
	return out
}

// How far the ranking looks for a path between an organisation and a candidate coverer:
// at most CandidateMaxHops ties, among the CandidateSearchNodes nearest nodes.
const (
	CandidateMaxHops     = 6
	CandidateSearchNodes = 20000
	// MaxCandidates caps the candidates listed for one organisation.
	MaxCandidates = 50
)

// CandidateTies are the ties over which a candidate's hops are counted: the joint-building
// and the coverage ties.
var CandidateTies = cobuild.NetworkTies

// RankedCandidate is a candidate with its score, the hops between it and the organisation
// (-1 when no chain joins them within reach), and the reasons for the score.
type RankedCandidate struct {
	cobuild.Candidate
	Rank                  int
	Score                 float64
	Hops                  int
	Reasons, ReasonLabels []string
}

// RankCandidates scores candidates with the rules and the hops from the organisation (node
// org of the projection, -1 when it is not in it), best first (ties by id), and keeps the
// first few.
func RankCandidates(rules cobuild.Rules, p *Projection, org int, cs []cobuild.Candidate, first int) []RankedCandidate {
	targets := make([]int, len(cs))
	for i, c := range cs {
		targets[i] = -1
		if v, ok := p.Graph.Lookup(c.ID); ok {
			targets[i] = v
		}
	}
	dist := slices.Repeat([]int{-1}, len(cs))
	if org >= 0 {
		dist = p.Graph.DistancesWithin(org, targets, CandidateMaxHops, CandidateSearchNodes)
	}
	out := make([]RankedCandidate, 0, len(cs))
	for i, c := range cs {
		hops := -1
		if targets[i] >= 0 && dist[i] >= 0 {
			hops = dist[i]
		}
		score, why, whyZh := rules.ScoreCandidate(c, hops)
		out = append(out, RankedCandidate{Candidate: c, Score: score, Hops: hops, Reasons: why, ReasonLabels: whyZh})
	}
	slices.SortStableFunc(out, func(a, b RankedCandidate) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.ID, b.ID))
	})
	out = out[:min(first, len(out))]
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}
