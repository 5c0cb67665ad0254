package analytics

import (
	"cmp"
	"fmt"
	"slices"

	"cobuild"
)

// DimensionScore is one dimension's scores by the three evaluator groups.
type DimensionScore struct {
	Key, Label              string
	Max                     float64
	Self, Public, Committee float64
}

// Evaluation is an evaluation with its grade under the rules in force.
type Evaluation struct {
	*cobuild.Evaluation
	Dimensions                             []*DimensionScore
	SelfTotal, PublicTotal, CommitteeTotal float64
	Tier                                   cobuild.Tier
	TierLabel                              string
	Stars                                  int
	ToNextStar, ToNextTier                 float64
}

// Grade grades an evaluation. A stored score off the scale is bad data, not bad input, so
// it is an internal error.
func Grade(r cobuild.Rules, e *cobuild.Evaluation) (*Evaluation, error) {
	g, err := r.GradeOf(e.Score)
	if err != nil {
		return nil, fmt.Errorf("grade evaluation %s: %s", e.ID, cobuild.ErrorMessage(err))
	}
	out := &Evaluation{Evaluation: e, Tier: g.Tier, TierLabel: cobuild.Label("Tier", string(g.Tier)), Stars: g.Stars,
		ToNextStar: g.ToNextStar, ToNextTier: g.ToNextTier}
	for i, d := range cobuild.Dimensions {
		out.Dimensions = append(out.Dimensions, &DimensionScore{Key: d.Key, Label: d.Label, Max: r.DimensionMax[i],
			Self: e.Self[i], Public: e.Public[i], Committee: e.Committee[i]})
		out.SelfTotal += e.Self[i]
		out.PublicTotal += e.Public[i]
		out.CommitteeTotal += e.Committee[i]
	}
	return out, nil
}

// GradeAll grades evaluations in their order.
func GradeAll(r cobuild.Rules, es []*cobuild.Evaluation) ([]*Evaluation, error) {
	out := make([]*Evaluation, 0, len(es))
	for _, e := range es {
		g, err := Grade(r, e)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, nil
}

// Grading is one round's grading, computed over all its evaluations.
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

// NewGrading grades a round from its evaluations and those of the round before (prev is
// "" for the first round).
func NewGrading(rules cobuild.Rules, round string, evals []*Evaluation, prev string, prevEvals []*Evaluation) *Grading {
	g := &Grading{Round: round, rules: rules, evals: evals, Evaluated: len(evals)}
	if prev != "" {
		g.PreviousRound, g.prev = &prev, prevEvals
	}
	tierCount := map[cobuild.Tier]int{}
	starCount := map[StarCount]int{}
	for _, e := range evals {
		tierCount[e.Tier]++
		starCount[StarCount{Tier: e.Tier, Stars: e.Stars}]++
	}
	for _, t := range cobuild.Tiers {
		g.Tiers = append(g.Tiers, &TierCount{Tier: t, Label: cobuild.Label("Tier", string(t)), Count: tierCount[t]})
		if t == cobuild.TierWeak {
			g.Stars = append(g.Stars, &StarCount{Tier: t, Stars: 0, Count: starCount[StarCount{Tier: t}]})
			continue
		}
		for s := rules.MaxStars; s >= 1; s-- {
			g.Stars = append(g.Stars, &StarCount{Tier: t, Stars: s, Count: starCount[StarCount{Tier: t, Stars: s}]})
		}
	}
	return g
}

// TierCounts lists every tier, best first, with its count.
func TierCounts(count map[cobuild.Tier]int) []*TierCount {
	out := make([]*TierCount, 0, len(cobuild.Tiers))
	for _, t := range cobuild.Tiers {
		out = append(out, &TierCount{Tier: t, Label: cobuild.Label("Tier", string(t)), Count: count[t]})
	}
	return out
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

// scoreArg reads an optional score argument between 0 and 100.
func scoreArg(name string, v *float64, def float64) (float64, error) {
	if v == nil {
		return def, nil
	}
	if *v < 0 || *v > 100 {
		return 0, cobuild.Errorf(cobuild.EINVALID, "%s must be between 0 and 100, got %v", name, *v)
	}
	return *v, nil
}

// MaxList caps the rows of the lists that the aggregates give.
const MaxList = 1000

// NearNext lists the evaluations within points of their next star or tier, closest first.
func (g *Grading) NearNext(points *float64, first *int) ([]*Evaluation, error) {
	p, err := scoreArg("points", points, 1)
	if err != nil {
		return nil, err
	}
	n, err := Bounded("first", first, 50, 0, MaxList)
	if err != nil {
		return nil, err
	}
	gap := func(e *Evaluation) float64 {
		if e.ToNextStar > 0 && (e.ToNextTier == 0 || e.ToNextStar < e.ToNextTier) {
			return e.ToNextStar
		}
		return e.ToNextTier
	}
	out := []*Evaluation{}
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
	line, err := scoreArg("below", below, 75)
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
	p, err := scoreArg("points", points, 10)
	if err != nil {
		return nil, err
	}
	n, err := Bounded("first", first, 50, 0, MaxList)
	if err != nil {
		return nil, err
	}
	out := []*ScoreGap{}
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

// WeakTwoRoundsIDs lists, by id, the party organisations weak in this round and the one
// before.
func (g *Grading) WeakTwoRoundsIDs() []string {
	weakBefore := map[string]bool{}
	for _, e := range g.prev {
		if e.Tier == cobuild.TierWeak {
			weakBefore[e.PartyOrgID] = true
		}
	}
	out := []string{}
	for _, e := range g.evals {
		if e.Tier == cobuild.TierWeak && weakBefore[e.PartyOrgID] {
			out = append(out, e.PartyOrgID)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
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

// NewGradeMovement compares the tiers of the party organisations evaluated in both rounds.
func NewGradeMovement(from, to string, before, after []*Evaluation) *GradeMovement {
	was := map[string]*Evaluation{}
	for _, e := range before {
		was[e.PartyOrgID] = e
	}
	rank := func(t cobuild.Tier) int { return slices.Index(cobuild.Tiers, t) }
	m := &GradeMovement{From: from, To: to, Fell: []*Move{}, Rose: []*Move{}}
	counts := map[[2]cobuild.Tier]int{}
	for _, a := range after {
		b, ok := was[a.PartyOrgID]
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
	for _, f := range cobuild.Tiers {
		for _, t := range cobuild.Tiers {
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
	return m
}
