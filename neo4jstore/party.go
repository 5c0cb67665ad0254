package neo4jstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild"
)

// tierPredicate is "evaluation e has one of these tiers", as score ranges from the rules.
func (s *Store) tierPredicate(e string, tiers []cobuild.Tier, params map[string]any) string {
	var ors []string
	for i, t := range tiers {
		lo, hi := s.rules.TierRange(t)
		params[fmt.Sprintf("tierLo%d", i)], params[fmt.Sprintf("tierHi%d", i)] = lo, hi
		ors = append(ors, fmt.Sprintf("(%[1]s.score >= $tierLo%[2]d AND %[1]s.score < $tierHi%[2]d)", e, i))
	}
	return "(" + strings.Join(ors, " OR ") + ")"
}

func (s *Store) newestRound(ctx context.Context) (string, error) {
	rows, err := query(ctx, s, "MATCH (e:Evaluation) RETURN max(e.round) AS r", nil,
		func(r *neo4j.Record) (string, error) { return recordString(r, "r") })
	if err != nil {
		return "", fmt.Errorf("find the newest round: %w", err)
	}
	return rows[0], nil
}

func (s *Store) partyOrgQuery(ctx context.Context, f cobuild.PartyOrgFilter) (listQuery, error) {
	q := listQuery{label: cobuild.LabelPartyOrg, match: "MATCH (n:PartyOrg)", params: map[string]any{}}
	if len(f.Kinds) > 0 {
		q.where = append(q.where, "n.kind IN $kinds")
		q.params["kinds"] = f.Kinds
	}
	if f.NameContains != "" {
		q.where = append(q.where, "n.name CONTAINS $name")
		q.params["name"] = f.NameContains
	}
	if len(f.Tiers) > 0 {
		round := f.Round
		if round == "" {
			var err error
			if round, err = s.newestRound(ctx); err != nil {
				return q, err
			}
		}
		q.params["round"] = round
		q.where = append(q.where, "EXISTS { MATCH (n)-[:EVALUATED]->(e:Evaluation {round: $round}) WHERE "+s.tierPredicate("e", f.Tiers, q.params)+" }")
	}
	q.sortField, q.sortExpr, q.sortKind = "NAME", "coalesce(n.name, '')", cobuild.SortString
	return q, nil
}

// PartyOrgs implements cobuild.PartyReader.
func (s *Store) PartyOrgs(ctx context.Context, f cobuild.PartyOrgFilter, p cobuild.PageArgs) (cobuild.Page[*cobuild.PartyOrg], error) {
	q, err := s.partyOrgQuery(ctx, f)
	if err != nil {
		return cobuild.Page[*cobuild.PartyOrg]{}, err
	}
	return page[*cobuild.PartyOrg](ctx, s, "party organisations", q, p, nil)
}

// CountPartyOrgs implements cobuild.PartyReader.
func (s *Store) CountPartyOrgs(ctx context.Context, f cobuild.PartyOrgFilter) (int, error) {
	q, err := s.partyOrgQuery(ctx, f)
	if err != nil {
		return 0, err
	}
	return s.count(ctx, "party organisations", q)
}

func (s *Store) evaluationQuery(f cobuild.EvaluationFilter) (listQuery, error) {
	q := listQuery{label: cobuild.LabelEvaluation, match: "MATCH (po:PartyOrg)-[:EVALUATED]->(n:Evaluation)", params: map[string]any{}, returns: ", po.id AS po"}
	if f.PartyOrgID != "" {
		if err := cobuild.CheckID(f.PartyOrgID, cobuild.LabelPartyOrg); err != nil {
			return q, err
		}
		q.match = "MATCH (po:PartyOrg {id: $po})-[:EVALUATED]->(n:Evaluation)"
		q.params["po"] = f.PartyOrgID
	}
	if f.Round != "" {
		q.where = append(q.where, "n.round = $round")
		q.params["round"] = f.Round
	}
	if len(f.Tiers) > 0 {
		q.where = append(q.where, s.tierPredicate("n", f.Tiers, q.params))
	}
	if f.ScoreMin != nil {
		q.where = append(q.where, "n.score >= $scoreMin")
		q.params["scoreMin"] = *f.ScoreMin
	}
	if f.ScoreMax != nil {
		q.where = append(q.where, "n.score <= $scoreMax")
		q.params["scoreMax"] = *f.ScoreMax
	}
	if len(f.Stars) > 0 {
		// Stars are a function of the score; the rule lives in Go, so the predicate lists
		// the score ranges of every tier and star asked for (0 stars is weak).
		var ors []string
		i := 0
		for _, star := range f.Stars {
			if star < 0 || star > s.rules.MaxStars {
				return q, cobuild.Errorf(cobuild.EINVALID, "stars must be between 0 (weak) and %d", s.rules.MaxStars)
			}
			for _, t := range cobuild.Tiers {
				lo, hi, ok := s.rules.StarRange(t, star)
				if !ok {
					continue
				}
				q.params[fmt.Sprintf("starLo%d", i)], q.params[fmt.Sprintf("starHi%d", i)] = lo, hi
				ors = append(ors, fmt.Sprintf("(n.score >= $starLo%[1]d AND n.score < $starHi%[1]d)", i))
				i++
			}
		}
		if len(ors) == 0 {
			ors = append(ors, "false")
		}
		q.where = append(q.where, "("+strings.Join(ors, " OR ")+")")
	}
	return q, nil
}

var evaluationSorts = map[string]sortKey{
	"SCORE": {"coalesce(n.score, 0.0)", cobuild.SortFloat},
	"ROUND": {"coalesce(n.round, '')", cobuild.SortString},
}

// Evaluations implements cobuild.PartyReader.
func (s *Store) Evaluations(ctx context.Context, f cobuild.EvaluationFilter, srt cobuild.Sort, p cobuild.PageArgs) (cobuild.Page[*cobuild.Evaluation], error) {
	q, err := s.evaluationQuery(f)
	if err == nil {
		err = q.sortBy(evaluationSorts, srt, "SCORE")
	}
	if err != nil {
		return cobuild.Page[*cobuild.Evaluation]{}, err
	}
	return page(ctx, s, "evaluations", q, p, func(r *neo4j.Record, e *cobuild.Evaluation) error {
		po, err := recordString(r, "po")
		e.PartyOrgID = po
		return err
	})
}

// CountEvaluations implements cobuild.PartyReader.
func (s *Store) CountEvaluations(ctx context.Context, f cobuild.EvaluationFilter) (int, error) {
	q, err := s.evaluationQuery(f)
	if err != nil {
		return 0, err
	}
	return s.count(ctx, "evaluations", q)
}

// Rounds implements cobuild.PartyReader. Within a scope the rounds are the same (they
// are the district's), and each counts the evaluations in scope.
func (s *Store) Rounds(ctx context.Context) ([]cobuild.Round, error) {
	n, err := s.narrowing(ctx)
	if err != nil {
		return nil, err
	}
	evaluated := "count(*)"
	if c := n.in("e", cobuild.LabelEvaluation); c != "" {
		evaluated = "count(CASE WHEN " + c + " THEN 1 END)"
	}
	rounds, err := query(ctx, s, `MATCH (e:Evaluation)
		RETURN e.round AS round, min(e.roundDate) AS date, `+evaluated+` AS n ORDER BY round DESC`, n.bind(nil),
		func(r *neo4j.Record) (cobuild.Round, error) {
			p := recordMap(r)
			rd := cobuild.Round{Round: p.str("round"), Evaluated: p.integer("n")}
			if d := p.date("date"); d != nil {
				rd.Date = *d
			}
			return rd, p.err
		})
	if err != nil {
		return nil, fmt.Errorf("list rounds: %w", err)
	}
	return rounds, nil
}

// RoundEvaluations implements snapshot.Source.
func (s *Store) RoundEvaluations(ctx context.Context, rounds []string) ([]*cobuild.Evaluation, error) {
	n, err := s.narrowing(ctx)
	if err != nil {
		return nil, err
	}
	es, err := query(ctx, s, `MATCH (p:PartyOrg)-[:EVALUATED]->(e:Evaluation) WHERE e.round IN $rounds`+n.and("e", cobuild.LabelEvaluation)+`
		RETURN p.id AS po, e ORDER BY e.id`, n.bind(map[string]any{"rounds": rounds}),
		func(r *neo4j.Record) (*cobuild.Evaluation, error) {
			n, err := recordNode(r, "e")
			if err != nil {
				return nil, err
			}
			e, err := decodeAs[*cobuild.Evaluation](n)
			if err != nil {
				return nil, err
			}
			e.PartyOrgID, err = recordString(r, "po")
			return e, err
		})
	if err != nil {
		return nil, fmt.Errorf("read the evaluations of rounds %v: %w", rounds, err)
	}
	return es, nil
}
