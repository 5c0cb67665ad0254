package gqlmodel

import (
	"cmp"
	"context"
	"slices"

	"cobuild"
	"cobuild/loaders"
)

// Grading is one round's grading, computed over all its evaluations in the server.
type Grading struct {
	Round         string
	Evaluated     int
	Tiers         []*TierCount
	Stars         []*StarCount
	PreviousRound *string

	rules cobuild.Rules
	evals []*Evaluation
	prev  []*Evaluation
}

// TierCount counts a tier.
type TierCount struct {
	Tier  cobuild.Tier
	Label string
	Count int
}

// StarCount counts a tier's star count.
type StarCount struct {
	Tier  cobuild.Tier
	Stars int
	Count int
}

// DimensionPull says how often a dimension pulls scores under a line.
type DimensionPull struct {
	Key, Label    string
	Count         int
	MeanShortfall float64
}

// ScoreGap is an evaluation whose self total runs ahead of the committee's.
type ScoreGap struct {
	Evaluation *Evaluation
	Gap        float64
}

// tiers, best first.
var tiers = []cobuild.Tier{cobuild.TierGold, cobuild.TierSilver, cobuild.TierBronze, cobuild.TierWeak}

// roundsAround returns a round (the newest when empty) and the one before it; a round
// nobody was evaluated in is NOT_FOUND.
func roundsAround(ctx context.Context, round string) (string, string, error) {
	rounds, err := loaders.For(ctx).Reader().Rounds(ctx) // newest first
	if err != nil {
		return "", "", err
	}
	if len(rounds) == 0 {
		return "", "", cobuild.Errorf(cobuild.ENOTFOUND, "no evaluation rounds yet")
	}
	if round == "" {
		round = rounds[0].Round
	}
	for i, r := range rounds {
		if r.Round == round {
			if i+1 < len(rounds) {
				return round, rounds[i+1].Round, nil
			}
			return round, "", nil
		}
	}
	return "", "", cobuild.Errorf(cobuild.ENOTFOUND, "no evaluations in round %q", round)
}

// gradeRounds grades the evaluations of some rounds (each read once per graph version),
// by round; an empty round name is skipped.
func gradeRounds(ctx context.Context, rounds ...string) (map[string][]*Evaluation, error) {
	rules := loaders.For(ctx).Settings().Rules
	out := map[string][]*Evaluation{}
	for _, r := range rounds {
		if r == "" {
			continue
		}
		es, err := loaders.Round(ctx, r)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			g, err := NewEvaluation(rules, e)
			if err != nil {
				return nil, err
			}
			out[r] = append(out[r], g)
		}
	}
	return out, nil
}

// NewGrading grades a round (the newest when empty).
func NewGrading(ctx context.Context, round string) (*Grading, error) {
	round, prev, err := roundsAround(ctx, round)
	if err != nil {
		return nil, err
	}
	byRound, err := gradeRounds(ctx, round, prev)
	if err != nil {
		return nil, err
	}
	g := &Grading{Round: round, rules: loaders.For(ctx).Settings().Rules, evals: byRound[round]}
	if prev != "" {
		g.PreviousRound, g.prev = &prev, byRound[prev]
	}
	g.Evaluated = len(g.evals)
	tierCount := map[cobuild.Tier]int{}
	starCount := map[StarCount]int{}
	for _, e := range g.evals {
		tierCount[e.Tier]++
		starCount[StarCount{Tier: e.Tier, Stars: e.Stars}]++
	}
	for _, t := range tiers {
		g.Tiers = append(g.Tiers, &TierCount{Tier: t, Label: cobuild.Label("Tier", string(t)), Count: tierCount[t]})
		if t == cobuild.TierWeak {
			g.Stars = append(g.Stars, &StarCount{Tier: t, Stars: 0, Count: starCount[StarCount{Tier: t}]})
			continue
		}
		for s := g.rules.MaxStars; s >= 1; s-- {
			g.Stars = append(g.Stars, &StarCount{Tier: t, Stars: s, Count: starCount[StarCount{Tier: t, Stars: s}]})
		}
	}
	return g, nil
}

// Bounded reads an optional integer argument with a default and bounds; out of bounds is
// BAD_USER_INPUT.
func Bounded(name string, v *int, def, lo, hi int) (int, error) {
	if v == nil {
		return def, nil
	}
	if *v < lo || *v > hi {
		return 0, cobuild.Errorf(cobuild.EINVALID, "%s must be between %d and %d, got %d", name, lo, hi, *v)
	}
	return *v, nil
}

func positive(name string, v *float64, def float64) (float64, error) {
	if v == nil {
		return def, nil
	}
	if *v < 0 || *v > 100 {
		return 0, cobuild.Errorf(cobuild.EINVALID, "%s must be between 0 and 100, got %v", name, *v)
	}
	return *v, nil
}

// NearNext lists the evaluations within points of their next star or tier, closest first.
func (g *Grading) NearNext(points *float64, first *int) ([]*Evaluation, error) {
	p, err := positive("points", points, 1)
	if err != nil {
		return nil, err
	}
	n, err := Bounded("first", first, 50, 0, 1000)
	if err != nil {
		return nil, err
	}
	gap := func(e *Evaluation) float64 {
		if e.ToNextStar > 0 && (e.ToNextTier == 0 || e.ToNextStar < e.ToNextTier) {
			return e.ToNextStar
		}
		return e.ToNextTier
	}
	var out []*Evaluation
	for _, e := range g.evals {
		if d := gap(e); d > 0 && d <= p {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b *Evaluation) int { return cmp.Or(cmp.Compare(gap(a), gap(b)), cmp.Compare(a.ID, b.ID)) })
	return out[:min(n, len(out))], nil
}

// DimensionPulls counts, among the evaluations under the line, how often each dimension
// (weighted like the final score) falls under its share of the line.
func (g *Grading) DimensionPulls(below *float64) ([]*DimensionPull, error) {
	line, err := positive("below", below, 75)
	if err != nil {
		return nil, err
	}
	r := g.rules
	out := make([]*DimensionPull, len(cobuild.Dimensions))
	for i, d := range cobuild.Dimensions {
		out[i] = &DimensionPull{Key: d.Key, Label: d.Label}
	}
	for _, e := range g.evals {
		if e.Score >= line {
			continue
		}
		for i := range cobuild.Dimensions {
			weighted := r.SelfWeight*e.Self[i] + r.PublicWeight*e.Public[i] + r.CommitteeWeight*e.Committee[i]
			if share := r.DimensionMax[i] * line / 100; weighted < share {
				out[i].Count++
				out[i].MeanShortfall += share - weighted
			}
		}
	}
	for _, p := range out {
		if p.Count > 0 {
			p.MeanShortfall = float64(int(p.MeanShortfall/float64(p.Count)*100+0.5)) / 100
		}
	}
	slices.SortStableFunc(out, func(a, b *DimensionPull) int { return cmp.Compare(b.Count, a.Count) })
	return out, nil
}

// SelfOverCommittee lists the evaluations whose self total exceeds the committee total by
// more than points, widest gap first.
func (g *Grading) SelfOverCommittee(points *float64, first *int) ([]*ScoreGap, error) {
	p, err := positive("points", points, 10)
	if err != nil {
		return nil, err
	}
	n, err := Bounded("first", first, 50, 0, 1000)
	if err != nil {
		return nil, err
	}
	var out []*ScoreGap
	for _, e := range g.evals {
		if gap := e.SelfTotal - e.CommitteeTotal; gap > p {
			out = append(out, &ScoreGap{Evaluation: e, Gap: float64(int(gap*100+0.5)) / 100})
		}
	}
	slices.SortFunc(out, func(a, b *ScoreGap) int {
		return cmp.Or(cmp.Compare(b.Gap, a.Gap), cmp.Compare(a.Evaluation.ID, b.Evaluation.ID))
	})
	return out[:min(n, len(out))], nil
}

// WeakTwoRounds lists the party organisations weak in this round and the one before.
func (g *Grading) WeakTwoRounds(ctx context.Context) ([]*cobuild.PartyOrg, error) {
	weakBefore := map[string]bool{}
	for _, e := range g.prev {
		if e.Tier == cobuild.TierWeak {
			weakBefore[e.PartyOrgID] = true
		}
	}
	out := []*cobuild.PartyOrg{}
	for _, e := range g.evals {
		if e.Tier == cobuild.TierWeak && weakBefore[e.PartyOrgID] {
			po, err := loaders.Node[*cobuild.PartyOrg](ctx, e.PartyOrgID)
			if err != nil {
				return nil, err
			}
			if po != nil {
				out = append(out, po)
			}
		}
	}
	slices.SortFunc(out, func(a, b *cobuild.PartyOrg) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// GradeMovement is how tiers moved between two rounds.
type GradeMovement struct {
	From, To   string
	Compared   int
	Matrix     []*TierTransition
	Fell, Rose []*Move
}

// TierTransition counts the party organisations that went from one tier to another.
type TierTransition struct {
	From, To cobuild.Tier
	Count    int
}

// Move is one party organisation's change of tier.
type Move struct {
	Before, After *Evaluation
}

// PartyOrganization is the party organisation that moved.
func (m *Move) PartyOrganization(ctx context.Context) (*cobuild.PartyOrg, error) {
	return m.After.PartyOrganization(ctx)
}

// NewGradeMovement compares the tiers of the party organisations evaluated in both rounds.
func NewGradeMovement(ctx context.Context, from, to string) (*GradeMovement, error) {
	for _, r := range []string{from, to} {
		if _, _, err := roundsAround(ctx, r); err != nil {
			return nil, err
		}
	}
	byRound, err := gradeRounds(ctx, from, to)
	if err != nil {
		return nil, err
	}
	before := map[string]*Evaluation{}
	for _, e := range byRound[from] {
		before[e.PartyOrgID] = e
	}
	rank := func(t cobuild.Tier) int { return slices.Index(tiers, t) }
	m := &GradeMovement{From: from, To: to, Fell: []*Move{}, Rose: []*Move{}}
	counts := map[[2]cobuild.Tier]int{}
	for _, a := range byRound[to] {
		b, ok := before[a.PartyOrgID]
		if !ok {
			continue
		}
		m.Compared++
		counts[[2]cobuild.Tier{b.Tier, a.Tier}]++
		switch {
		case rank(a.Tier) > rank(b.Tier):
			m.Fell = append(m.Fell, &Move{b, a})
		case rank(a.Tier) < rank(b.Tier):
			m.Rose = append(m.Rose, &Move{b, a})
		}
	}
	for _, f := range tiers {
		for _, t := range tiers {
			m.Matrix = append(m.Matrix, &TierTransition{From: f, To: t, Count: counts[[2]cobuild.Tier{f, t}]})
		}
	}
	steps := func(mv *Move) int { return rank(mv.After.Tier) - rank(mv.Before.Tier) }
	slices.SortFunc(m.Fell, func(a, b *Move) int {
		return cmp.Or(cmp.Compare(steps(b), steps(a)), cmp.Compare(a.After.Score-a.Before.Score, b.After.Score-b.Before.Score), cmp.Compare(a.After.ID, b.After.ID))
	})
	slices.SortFunc(m.Rose, func(a, b *Move) int {
		return cmp.Or(cmp.Compare(steps(a), steps(b)), cmp.Compare(b.After.Score-b.Before.Score, a.After.Score-a.Before.Score), cmp.Compare(a.After.ID, b.After.ID))
	})
	return m, nil
}
