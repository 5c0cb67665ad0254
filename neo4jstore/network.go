package neo4jstore

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild"
	"cobuild/analytics"
)

var _ analytics.Source = (*Store)(nil)

// networkTies are the tie types a projection may follow, each with the condition under
// which it counts on $asOf.
var networkTies = map[string]string{
	"MEMBER_OF":      inForce("r"),
	"CO_BUILDS_WITH": inForce("r"),
	"ATTENDED":       "(NOT b:Event OR b.date IS NULL OR b.date <= $asOf)",
	"HELD":           "(NOT b:Event OR b.date IS NULL OR b.date <= $asOf)",
	"MENTORS":        inForce("r"),
	// Work counts only for people in a mentorship: it is what ties a mentor or mentee's
	// organisation into the network; everyone else's work would only add leaves.
	"WORKS_AT":       inForce("r") + " AND EXISTS { MATCH (a)-[m:MENTORS]-() WHERE " + inForce("m") + " }",
	"PLACED_AT":      inForce("r"),
	"APPRENTICED_AT": inForce("r"),
	"PARTY_TO":       "(r.since IS NULL OR r.since <= $asOf)",
	"COVERED_BY":     inForce("r"),
	"ASSIGNED_TO":    inForce("r"),
}

// labelExpr names the main label of node v.
func labelExpr(v string) string {
	return fmt.Sprintf(`CASE WHEN %[1]s:Organization THEN 'Organization' WHEN %[1]s:Alliance THEN 'Alliance'
		WHEN %[1]s:RedZone THEN 'RedZone' WHEN %[1]s:Event THEN 'Event' WHEN %[1]s:Person THEN 'Person'
		WHEN %[1]s:Area THEN 'Area' WHEN %[1]s:Agreement THEN 'Agreement' WHEN %[1]s:PartyOrg THEN 'PartyOrg' ELSE 'Node' END`, v)
}

// NetworkVersion implements analytics.Source: the seed's completion time and the count of
// writes cobuild has made since, so that any change gives a new version.
func (s *Store) NetworkVersion(ctx context.Context) (string, error) {
	recs, err := s.readRecords(ctx, `OPTIONAL MATCH (s:Seed {id: 'demo'}) OPTIONAL MATCH (v:GraphVersion {id: 'graph'})
		RETURN toString(s.completedAt) AS seeded, coalesce(v.writes, 0) AS writes`, nil)
	if err != nil {
		return "", fmt.Errorf("read graph version: %w", err)
	}
	m := recs[0].AsMap()
	return fmt.Sprintf("seed %s, writes %d", str(m, "seeded"), integer(m, "writes")), nil
}

// NetworkTies implements analytics.Source, reading every statement in one read
// transaction so that the projection is one consistent state of the graph.
func (s *Store) NetworkTies(ctx context.Context, asOf time.Time, types []string) ([]analytics.NodeInfo, []analytics.TieInfo, error) {
	for _, t := range types {
		if _, ok := networkTies[t]; !ok {
			return nil, nil, cobuild.Errorf(cobuild.EINVALID, "%q is not a tie the network follows", t)
		}
	}
	type result struct {
		nodes []analytics.NodeInfo
		ties  []analytics.TieInfo
	}
	params := map[string]any{"asOf": dateParam(asOf)}
	v, err := s.readWithin(ctx, s.projectionTimeout, func(tx neo4j.ManagedTransaction) (any, error) {
		var out result
		recs, err := s.collect(ctx, tx, "MATCH (n:Organization) RETURN n.id AS id, n.kind AS kind, n.name AS name ORDER BY n.id", nil)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			m := r.AsMap()
			out.nodes = append(out.nodes, analytics.NodeInfo{ID: str(m, "id"), Label: "Organization", Kind: str(m, "kind"), Name: str(m, "name")})
		}
		for _, t := range types {
			// Organisations are read above; only the other ends carry their names here.
			cypher := fmt.Sprintf(`MATCH (a)-[r:%s]->(b) WHERE %s
				WITH a, r, b, %s AS fromLabel, %s AS toLabel
				RETURN a.id AS from, b.id AS to, r.role AS role, r.mode AS mode, r.since AS since, r.until AS until,
				  fromLabel, CASE WHEN fromLabel = 'Organization' THEN null ELSE a.kind END AS fromKind,
				  CASE WHEN fromLabel = 'Organization' THEN null ELSE a.name END AS fromName,
				  toLabel, CASE WHEN toLabel = 'Organization' THEN null ELSE b.kind END AS toKind,
				  CASE WHEN toLabel = 'Organization' THEN null ELSE b.name END AS toName`, t, networkTies[t], labelExpr("a"), labelExpr("b"))
			recs, err := s.collect(ctx, tx, cypher, params)
			if err != nil {
				return nil, err
			}
			for _, r := range recs {
				m := r.AsMap()
				for _, end := range []string{"from", "to"} {
					if str(m, end+"Label") != "Organization" {
						out.nodes = append(out.nodes, analytics.NodeInfo{ID: str(m, end), Label: str(m, end+"Label"),
							Kind: str(m, end+"Kind"), Name: str(m, end+"Name")})
					}
				}
				out.ties = append(out.ties, analytics.TieInfo{Type: t, From: str(m, "from"), To: str(m, "to"),
					Role: str(m, "role"), Mode: str(m, "mode"), Since: date(m, "since"), Until: date(m, "until")})
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read network ties: %w", err)
	}
	r := v.(result)
	return r.nodes, r.ties, nil
}

// coverageTiesOf are, by the label of a removed node, the coverage ties that would go
// with it: its own coverage ties, or those of the party organisations it owns.
var coverageTiesOf = map[string]string{
	"PartyOrg": `MATCH (o:Organization)-[r:HAS_PARTY_ORG|COVERED_BY]->(:PartyOrg {id: $id}) WHERE ` + inForce("r"),
	"Organization": `MATCH (:Organization {id: $id})-[h:HAS_PARTY_ORG]->(:PartyOrg)<-[r:COVERED_BY]-(o:Organization)
		WHERE o.id <> $id AND ` + inForce("h") + ` AND ` + inForce("r"),
	"Alliance": `MATCH (:Alliance {id: $id})-[h:HAS_PARTY_ORG]->(:PartyOrg)<-[r:COVERED_BY]-(o:Organization)
		WHERE ` + inForce("h") + ` AND ` + inForce("r"),
	"Person":     `MATCH (:Person {id: $id})-[r:ASSIGNED_TO]->(o:Organization) WHERE r.role IN ['INSTRUCTOR', 'LIAISON'] AND ` + inForce("r"),
	"MassBranch": `MATCH (:MassBranch {id: $id})-[r:FORMED_IN]->(o:Organization) WHERE r.since IS NULL OR r.since <= $asOf`,
}

// CoverageWithout returns, for every organisation whose coverage rests in part on the
// node, its coverage facts on the day with the node and without it. Nothing is written.
func (s *Store) CoverageWithout(ctx context.Context, id string, asOf time.Time) (map[string][2]cobuild.CoverageFacts, error) {
	label, err := LabelOf(id)
	if err != nil {
		return nil, err
	}
	match, ok := coverageTiesOf[label]
	if !ok {
		return map[string][2]cobuild.CoverageFacts{}, nil
	}
	recs, err := s.readRecords(ctx, match+" RETURN o.id AS org, type(r) AS type, r.role AS role, r.mode AS mode ORDER BY org",
		map[string]any{"id": id, "asOf": dateParam(asOf)})
	if err != nil {
		return nil, fmt.Errorf("coverage resting on %s: %w", id, err)
	}
	type loss struct {
		own, instructors, liaisons, mass int
		modes                            []string
	}
	losses := map[string]*loss{}
	var ids []string
	for _, r := range recs {
		m := r.AsMap()
		org := str(m, "org")
		l, ok := losses[org]
		if !ok {
			l = &loss{}
			losses[org] = l
			ids = append(ids, org)
		}
		switch str(m, "type") {
		case "HAS_PARTY_ORG":
			l.own++
		case "COVERED_BY":
			l.modes = append(l.modes, str(m, "mode"))
		case "ASSIGNED_TO":
			if str(m, "role") == "INSTRUCTOR" {
				l.instructors++
			} else {
				l.liaisons++
			}
		case "FORMED_IN":
			l.mass++
		}
	}
	if len(ids) == 0 {
		return map[string][2]cobuild.CoverageFacts{}, nil
	}
	facts, err := s.CoverageFacts(ctx, ids, asOf)
	if err != nil {
		return nil, err
	}
	out := map[string][2]cobuild.CoverageFacts{}
	for _, org := range ids {
		before := facts[org]
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

// CoveredOrganizationIDs implements cobuild.Reader.
func (s *Store) CoveredOrganizationIDs(ctx context.Context, asOf time.Time) ([]string, error) {
	recs, err := s.readRecords(ctx, "MATCH (o:Organization) WHERE "+ownPredicate("o")+" OR "+jointPredicate("o")+" RETURN o.id AS id ORDER BY id",
		map[string]any{"asOf": dateParam(asOf)})
	if err != nil {
		return nil, fmt.Errorf("list covered organisations: %w", err)
	}
	ids := make([]string, len(recs))
	for i, r := range recs {
		ids[i] = str(r.AsMap(), "id")
	}
	return ids, nil
}

// CoverageCandidates implements cobuild.Reader: one statement gathers, for the covering
// party organisations and the instructors, the organisations each serves now and how many
// of them share the organisation's community, park and industry; and the organisation's
// own community with its co-building links.
func (s *Store) CoverageCandidates(ctx context.Context, id string, asOf time.Time) ([]cobuild.Candidate, error) {
	if err := CheckID(id, "Organization"); err != nil {
		return nil, err
	}
	recs, err := s.readRecords(ctx, `
		MATCH (o:Organization {id: $id})
		OPTIONAL MATCH (o)-[:IN_COMMUNITY]->(c:Organization)
		OPTIONAL MATCH (o)-[:IN_PARK]->(p:Area)
		OPTIONAL MATCH (o)-[:IN_INDUSTRY]->(i:Industry)
		CALL (o, c, p, i) {
		  MATCH (x:Organization)-[r:COVERED_BY]->(h:PartyOrg)
		  WHERE h.kind IN ['JOINT_BRANCH', 'REGIONAL', 'INDUSTRY'] AND x <> o AND `+inForce("r")+`
		  RETURN h, 'PartyOrg' AS label, collect(x) AS served
		  UNION
		  MATCH (h:Person)-[r:ASSIGNED_TO {role: 'INSTRUCTOR'}]->(x:Organization)
		  WHERE x <> o AND `+inForce("r")+`
		  RETURN h, 'Person' AS label, collect(x) AS served
		}
		WITH c, p, i, h, label, served,
		  size([x IN served WHERE c IS NOT NULL AND EXISTS { (x)-[:IN_COMMUNITY]->(c) }]) AS sc,
		  size([x IN served WHERE p IS NOT NULL AND EXISTS { (x)-[:IN_PARK]->(p) }]) AS sp,
		  size([x IN served WHERE i IS NOT NULL AND EXISTS { (x)-[:IN_INDUSTRY]->(i) }]) AS si
		WHERE sc + sp + si > 0
		RETURN h.id AS id, label, h.kind AS kind, h.name AS name, size(served) AS load, sc, sp, si
		UNION
		MATCH (o:Organization {id: $id})-[:IN_COMMUNITY]->(c:Organization)
		RETURN c.id AS id, 'Organization' AS label, c.kind AS kind, c.name AS name,
		  COUNT { MATCH (c)-[r:CO_BUILDS_WITH]-() WHERE `+inForce("r")+` } AS load, 1 AS sc, 0 AS sp, 0 AS si`,
		map[string]any{"id": id, "asOf": dateParam(asOf)})
	if err != nil {
		return nil, fmt.Errorf("coverage candidates of %s: %w", id, err)
	}
	out := make([]cobuild.Candidate, 0, len(recs))
	for _, r := range recs {
		m := r.AsMap()
		out = append(out, cobuild.Candidate{ID: str(m, "id"), Label: str(m, "label"), Kind: str(m, "kind"), Name: str(m, "name"),
			Load: integer(m, "load"), SharedCommunity: integer(m, "sc"), SharedPark: integer(m, "sp"), SharedIndustry: integer(m, "si")})
	}
	return out, nil
}
