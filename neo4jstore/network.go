package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild"
	"cobuild/analytics"
)

// NetworkTies implements snapshot.Source, reading every statement in one read transaction
// so that the projection is one consistent state of the graph.
func (s *Store) NetworkTies(ctx context.Context, asOf time.Time, types []cobuild.TieType) ([]analytics.NodeInfo, []analytics.TieInfo, error) {
	conds := make([]string, len(types))
	for i, t := range types {
		c, err := networkTie(t, "a", "r", "b", "$asOf")
		if err != nil {
			return nil, nil, err
		}
		conds[i] = c
	}
	type result struct {
		nodes []analytics.NodeInfo
		ties  []analytics.TieInfo
	}
	params := map[string]any{"asOf": dateParam(asOf)}
	r, err := readTx(ctx, s, s.projectionTimeout, func(tx neo4j.ManagedTransaction) (result, error) {
		var out result
		var err error
		out.nodes, err = collect(ctx, s, tx, "MATCH (n:Organization) RETURN n.id AS id, n.kind AS kind, n.name AS name ORDER BY n.id", nil,
			func(r *neo4j.Record) (analytics.NodeInfo, error) {
				p := recordMap(r)
				return analytics.NodeInfo{ID: p.str("id"), Label: cobuild.LabelOrganization, Kind: p.str("kind"), Name: p.str("name")}, p.err
			})
		if err != nil {
			return out, err
		}
		for i, t := range types {
			// Organisations are read above; only the other ends carry their names here.
			nodes, ties, err := s.networkTiesOf(ctx, tx, t, "MATCH (a)-[r:"+string(t)+"]->(b) WHERE "+conds[i], params, nil)
			if err != nil {
				return out, err
			}
			out.nodes, out.ties = append(out.nodes, nodes...), append(out.ties, ties...)
		}
		return out, nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read network ties: %w", err)
	}
	return r.nodes, r.ties, nil
}

// networkTiesOf reads the ties a statement matches (a tie r from a to b) and the ends that
// are not organisations; seen, when not nil, drops a tie read already. A tie's type is t,
// or for "" the one the statement returns.
func (s *Store) networkTiesOf(ctx context.Context, tx neo4j.ManagedTransaction, t cobuild.TieType, match string, params map[string]any, seen map[string]bool) ([]analytics.NodeInfo, []analytics.TieInfo, error) {
	var nodes []analytics.NodeInfo
	var ties []analytics.TieInfo
	cypher := fmt.Sprintf(`%s
		WITH a, r, b, %s AS fromLabel, %s AS toLabel
		RETURN a.id AS from, b.id AS to, r.role AS role, r.mode AS mode, r.since AS since, r.until AS until, elementId(r) AS rid, type(r) AS type,
		  fromLabel, CASE WHEN fromLabel = 'Organization' THEN null ELSE a.kind END AS fromKind,
		  CASE WHEN fromLabel = 'Organization' THEN null ELSE a.name END AS fromName,
		  toLabel, CASE WHEN toLabel = 'Organization' THEN null ELSE b.kind END AS toKind,
		  CASE WHEN toLabel = 'Organization' THEN null ELSE b.name END AS toName`, match, labelExpr("a"), labelExpr("b"))
	_, err := collect(ctx, s, tx, cypher, params, func(r *neo4j.Record) (struct{}, error) {
		p := recordMap(r)
		if seen != nil {
			if rid := p.str("rid"); seen[rid] {
				return struct{}{}, p.err
			} else {
				seen[rid] = true
			}
		}
		for _, end := range []string{"from", "to"} {
			if l := cobuild.NodeLabel(p.str(end + "Label")); l != cobuild.LabelOrganization {
				nodes = append(nodes, analytics.NodeInfo{ID: p.str(end), Label: l, Kind: p.str(end + "Kind"), Name: p.str(end + "Name")})
			}
		}
		tt := t
		if tt == "" {
			tt = cobuild.TieType(p.str("type"))
		}
		ties = append(ties, analytics.TieInfo{Type: tt, From: p.str("from"), To: p.str("to"),
			Role: p.str("role"), Mode: p.str("mode"), Since: p.date("since"), Until: p.date("until")})
		return struct{}{}, p.err
	})
	return nodes, ties, err
}

// networkTieEnds are the labels each tie of the network may start and end at.
var networkTieEnds = map[cobuild.TieType][2][]cobuild.NodeLabel{
	cobuild.MemberOf:      {{cobuild.LabelOrganization}, {cobuild.LabelAlliance, cobuild.LabelRedZone}},
	cobuild.CoBuildsWith:  {{cobuild.LabelOrganization}, {cobuild.LabelOrganization}},
	cobuild.Attended:      {{cobuild.LabelOrganization, cobuild.LabelAlliance, cobuild.LabelPerson}, {cobuild.LabelEvent}},
	cobuild.Held:          {{cobuild.LabelAlliance, cobuild.LabelAgreement, cobuild.LabelOrganization}, {cobuild.LabelEvent}},
	cobuild.Mentors:       {{cobuild.LabelPerson}, {cobuild.LabelPerson}},
	cobuild.WorksAt:       {{cobuild.LabelPerson}, {cobuild.LabelOrganization}},
	cobuild.PlacedAt:      {{cobuild.LabelPerson}, {cobuild.LabelOrganization}},
	cobuild.ApprenticedAt: {{cobuild.LabelPerson}, {cobuild.LabelOrganization}},
	cobuild.TrainedAt:     {{cobuild.LabelPerson}, {cobuild.LabelOrganization}},
	cobuild.PartyTo:       {{cobuild.LabelArea}, {cobuild.LabelAgreement}},
	cobuild.CoveredBy:     {{cobuild.LabelOrganization}, {cobuild.LabelPartyOrg}},
	cobuild.AssignedTo:    {{cobuild.LabelPerson}, {cobuild.LabelOrganization}},
}

// TiesAt implements snapshot.ChangeSource: the organisations among the ids, and the ties
// of the types in force on the day that have an end among the ids, with their other ends,
// in one read transaction. Each statement starts from the ids of one label, through its
// index.
func (s *Store) TiesAt(ctx context.Context, asOf time.Time, types []cobuild.TieType, ids []string) ([]analytics.NodeInfo, []analytics.TieInfo, error) {
	type result struct {
		nodes []analytics.NodeInfo
		ties  []analytics.TieInfo
	}
	groups := byLabel(ids)
	r, err := readTx(ctx, s, s.timeout, func(tx neo4j.ManagedTransaction) (result, error) {
		var out result
		orgs, err := collect(ctx, s, tx, "MATCH (n:Organization) WHERE n.id IN $ids RETURN n.id AS id, n.kind AS kind, n.name AS name ORDER BY n.id",
			map[string]any{"ids": orEmpty(groups[cobuild.LabelOrganization])}, func(r *neo4j.Record) (analytics.NodeInfo, error) {
				p := recordMap(r)
				return analytics.NodeInfo{ID: p.str("id"), Label: cobuild.LabelOrganization, Kind: p.str("kind"), Name: p.str("name")}, p.err
			})
		if err != nil {
			return out, err
		}
		out.nodes = orgs
		seen := map[string]bool{}
		for label, group := range groups {
			// One statement per direction, starting from the ids through the label's
			// index, over the types a tie at such a node can have (docs/graph-model.md).
			for side, start := range []string{"a", "b"} {
				var names, whens []string
				for _, t := range types {
					if ends, known := networkTieEnds[t]; known && !slices.Contains(ends[side], label) {
						continue
					}
					cond, err := networkTie(t, "a", "r", "b", "$asOf")
					if err != nil {
						return out, err
					}
					names = append(names, string(t))
					whens = append(whens, fmt.Sprintf("WHEN '%s' THEN %s", t, cond))
				}
				if len(names) == 0 {
					continue
				}
				m := fmt.Sprintf("MATCH (%s:%s) WHERE %s.id IN $ids MATCH (a)-[r:%s]->(b) WHERE CASE type(r) %s ELSE false END",
					start, label, start, strings.Join(names, "|"), strings.Join(whens, " "))
				nodes, ties, err := s.networkTiesOf(ctx, tx, "", m, map[string]any{"asOf": dateParam(asOf), "ids": group}, seen)
				if err != nil {
					return out, err
				}
				out.nodes, out.ties = append(out.nodes, nodes...), append(out.ties, ties...)
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read the network ties of %d nodes: %w", len(ids), err)
	}
	return r.nodes, r.ties, nil
}

// coverageTiesOf are, by the label of a removed node, the coverage ties that would go
// with it: its own coverage ties, or those of the party organisations it owns.
var coverageTiesOf = map[cobuild.NodeLabel]string{
	cobuild.LabelPartyOrg: `MATCH (o:Organization)-[r:HAS_PARTY_ORG|COVERED_BY]->(:PartyOrg {id: $id}) WHERE ` + inForce("r", "$asOf"),
	cobuild.LabelOrganization: `MATCH (:Organization {id: $id})-[h:HAS_PARTY_ORG]->(:PartyOrg)<-[r:COVERED_BY]-(o:Organization)
		WHERE o.id <> $id AND ` + inForce("h", "$asOf") + ` AND ` + inForce("r", "$asOf"),
	cobuild.LabelAlliance: `MATCH (:Alliance {id: $id})-[h:HAS_PARTY_ORG]->(:PartyOrg)<-[r:COVERED_BY]-(o:Organization)
		WHERE ` + inForce("h", "$asOf") + ` AND ` + inForce("r", "$asOf"),
	cobuild.LabelPerson:     `MATCH (:Person {id: $id})-[r:ASSIGNED_TO]->(o:Organization) WHERE r.role IN ['INSTRUCTOR', 'LIAISON'] AND ` + inForce("r", "$asOf"),
	cobuild.LabelMassBranch: `MATCH (:MassBranch {id: $id})-[r:FORMED_IN]->(o:Organization) WHERE ` + inForce("r", "$asOf"),
}

// CoverageWithout implements cobuild.OrganizationReader. Nothing is written.
func (s *Store) CoverageWithout(ctx context.Context, id string, asOf time.Time) (map[string][2]cobuild.CoverageFacts, error) {
	label, err := cobuild.LabelOf(id)
	if err != nil {
		return nil, err
	}
	match, ok := coverageTiesOf[label]
	if !ok {
		return map[string][2]cobuild.CoverageFacts{}, nil
	}
	// Within a scope, the organisations in scope, of a node in scope.
	n, err := s.narrowing(ctx)
	if err != nil {
		return nil, err
	}
	if n.scope != nil && !n.scope.Has(id) {
		return map[string][2]cobuild.CoverageFacts{}, nil
	}
	match += n.and("o", cobuild.LabelOrganization)
	type lost struct {
		org, typ, role, mode string
	}
	rows, err := query(ctx, s, match+" RETURN o.id AS org, type(r) AS type, r.role AS role, r.mode AS mode ORDER BY org",
		n.bind(map[string]any{"id": id, "asOf": dateParam(asOf)}), func(r *neo4j.Record) (lost, error) {
			p := recordMap(r)
			return lost{p.str("org"), p.str("type"), p.str("role"), p.str("mode")}, p.err
		})
	if err != nil {
		return nil, fmt.Errorf("coverage resting on %s: %w", id, err)
	}
	type loss struct {
		own, instructors, liaisons, mass int
		modes                            []string
	}
	losses := map[string]*loss{}
	var ids []string
	for _, r := range rows {
		l, ok := losses[r.org]
		if !ok {
			l = &loss{}
			losses[r.org] = l
			ids = append(ids, r.org)
		}
		switch cobuild.TieType(r.typ) {
		case cobuild.HasPartyOrg:
			l.own++
		case cobuild.CoveredBy:
			l.modes = append(l.modes, r.mode)
		case cobuild.AssignedTo:
			if r.role == "INSTRUCTOR" {
				l.instructors++
			} else {
				l.liaisons++
			}
		case cobuild.FormedIn:
			l.mass++
		}
	}
	out := map[string][2]cobuild.CoverageFacts{}
	if len(ids) == 0 {
		return out, nil
	}
	fetched, err := s.Expand(ctx, ids, &cobuild.Fetch{Facts: []time.Time{asOf}})
	if err != nil {
		return nil, err
	}
	day := cobuild.Day(asOf).Format(time.DateOnly)
	for _, org := range ids {
		before := fetched.Facts[cobuild.FactKey{ID: org, Day: day}]
		after := before
		l := losses[org]
		after.OwnPartyOrgs -= l.own
		after.Instructors -= l.instructors
		after.Liaisons -= l.liaisons
		after.MassBranches -= l.mass
		after.CoveredModes = nil
		remove := append([]string(nil), l.modes...)
		for _, m := range before.CoveredModes {
			if i := indexOf(remove, m); i >= 0 {
				remove = append(remove[:i], remove[i+1:]...)
				continue
			}
			after.CoveredModes = append(after.CoveredModes, m)
		}
		out[org] = [2]cobuild.CoverageFacts{before, after}
	}
	return out, nil
}

func indexOf(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}
