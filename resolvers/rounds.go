package resolvers

import (
	"cmp"
	"context"
	"slices"
	"time"

	"cobuild"
	"cobuild/analytics"
)

func instantString(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.Format(time.RFC3339Nano)
	return &s
}

// promotionPlans are the plans of a finalised round (the newest when ""), nearest to
// their next star or tier first, over the round's evaluations as the grading reads them.
func (r *Resolver) promotionPlans(ctx context.Context, round, po string, first *int) ([]*analytics.PromotionPlan, error) {
	n, err := analytics.Bounded("first", first, 50, 0, analytics.MaxList)
	if err != nil {
		return nil, err
	}
	if po != "" {
		if err := cobuild.CheckID(po, cobuild.LabelPartyOrg); err != nil {
			return nil, err
		}
	}
	round, _, err = r.roundsAround(ctx, round)
	if err != nil {
		return nil, err
	}
	evals, err := r.gradedRound(ctx, round)
	if err != nil {
		return nil, err
	}
	out := []*analytics.PromotionPlan{}
	for _, e := range evals {
		if po == "" || e.PartyOrgID == po {
			out = append(out, analytics.Plan(r.rules, e))
		}
	}
	near := func(p *analytics.PromotionPlan) float64 {
		if p.NextStar != nil {
			return p.NextStar.Points
		}
		if p.NextTier != nil {
			return p.NextTier.Points
		}
		return r.rules.MaxScore + 1 // at the top: last
	}
	slices.SortFunc(out, func(a, b *analytics.PromotionPlan) int {
		return cmp.Or(cmp.Compare(near(a), near(b)), cmp.Compare(a.Evaluation.ID, b.Evaluation.ID))
	})
	return out[:min(n, len(out))], nil
}
