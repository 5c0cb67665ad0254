package analytics

import (
	"context"

	"cobuild"
)

// Round returns every evaluation of a round with its party organisation, read once per
// version of the graph: the grading aggregates of a round and of its movement since
// another answer from it.
func (s *Service) Round(ctx context.Context, round string) ([]*cobuild.Evaluation, error) {
	v, err := s.get(ctx, "round "+round, func(ctx context.Context, _ string) (any, error) {
		return s.src.RoundEvaluations(ctx, []string{round})
	})
	if err != nil {
		return nil, err
	}
	return v.([]*cobuild.Evaluation), nil
}
