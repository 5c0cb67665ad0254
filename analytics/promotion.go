package analytics

import (
	"cmp"
	"math"
	"slices"

	"cobuild"
)

// DimensionGap is how far one dimension's weighted score (the three groups weighed as in
// the final score) lies under its maximum: the most points it could still add.
type DimensionGap struct {
	Key, Label string
	Max        float64
	Weighted   float64
	Gap        float64
	// Needed is, in a target's list, the points this dimension is asked for when the
	// dimensions are taken from the widest gap down: its whole gap but for the last.
	Needed float64
}

// PromotionTarget is the next star or the next tier of a party organisation: the points
// it needs, the grade it would reach, and the fewest dimensions whose gaps hold them.
type PromotionTarget struct {
	Points     float64
	Tier       cobuild.Tier
	TierLabel  string
	Stars      int
	Dimensions []*DimensionGap
}

// PromotionPlan is a party organisation's promotion plan (一党组织一晋级方案) for a round's
// evaluation: every dimension's gap, widest first, and what the next star and the next
// tier take (nil at the top).
type PromotionPlan struct {
	Evaluation *Evaluation
	Dimensions []*DimensionGap
	NextStar   *PromotionTarget
	NextTier   *PromotionTarget
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// Plan returns the promotion plan of a graded evaluation under the rules.
func Plan(r cobuild.Rules, e *Evaluation) *PromotionPlan {
	p := &PromotionPlan{Evaluation: e}
	for i, d := range cobuild.Dimensions {
		w := round2(r.SelfWeight*e.Self[i] + r.PublicWeight*e.Public[i] + r.CommitteeWeight*e.Committee[i])
		p.Dimensions = append(p.Dimensions, &DimensionGap{Key: d.Key, Label: d.Label, Max: r.DimensionMax[i], Weighted: w,
			Gap: round2(max(0, r.DimensionMax[i]-w))})
	}
	slices.SortStableFunc(p.Dimensions, func(a, b *DimensionGap) int { return cmp.Compare(b.Gap, a.Gap) })
	target := func(points float64) *PromotionTarget {
		if points <= 0 {
			return nil
		}
		g, err := r.GradeOf(round2(e.Score + points))
		if err != nil {
			return nil
		}
		t := &PromotionTarget{Points: points, Tier: g.Tier, TierLabel: cobuild.Label("Tier", string(g.Tier)), Stars: g.Stars}
		left := points
		for _, d := range p.Dimensions {
			if left <= 0 || d.Gap <= 0 {
				break
			}
			c := *d
			c.Needed = round2(min(d.Gap, left))
			left = round2(left - c.Needed)
			t.Dimensions = append(t.Dimensions, &c)
		}
		return t
	}
	p.NextStar, p.NextTier = target(e.ToNextStar), target(e.ToNextTier)
	return p
}
