package neo4jstore

import (
	"context"
	"fmt"
	"slices"
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
	label, err := cobuild.LabelOf(id)
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

// CensusPlaces implements analytics.Source: every organisation with what it is grouped by,
// which does not depend on the day.
func (s *Store) CensusPlaces(ctx context.Context) ([]cobuild.CensusRow, error) {
	v, err := s.readWithin(ctx, s.projectionTimeout, func(tx neo4j.ManagedTransaction) (any, error) {
		recs, err := s.collect(ctx, tx, `
			MATCH (o:Organization)
			RETURN o.id AS id, CASE WHEN o.kind = 'COMMUNITY' THEN o.name END AS name, o.kind AS kind, o.sector AS sector,
			  o.headcount AS headcount, o.partyMembers AS members, o.aboveScale AS aboveScale, o.operating AS operating,
			  head(COLLECT { MATCH (o)-[:LOCATED_IN]->(a:Area) RETURN a.id }) AS area,
			  head(COLLECT { MATCH (o)-[:IN_PARK]->(a:Area) RETURN a.id }) AS park,
			  head(COLLECT { MATCH (o)-[:IN_COMMUNITY]->(c:Organization) RETURN c.id }) AS community,
			  head(COLLECT { MATCH (o)-[:IN_INDUSTRY]->(i:Industry) RETURN i.id }) AS industry
			ORDER BY id`, nil)
		if err != nil {
			return nil, err
		}
		rows := make([]cobuild.CensusRow, len(recs))
		for i, r := range recs {
			m := r.AsMap()
			rows[i] = cobuild.CensusRow{ID: str(m, "id"), Name: str(m, "name"), Kind: cobuild.OrgKind(str(m, "kind")),
				Sector: cobuild.Sector(str(m, "sector")), Headcount: integer(m, "headcount"), PartyMembers: integer(m, "members"),
				AboveScale: boolean(m, "aboveScale"), Operating: boolean(m, "operating"),
				AreaID: str(m, "area"), ParkID: str(m, "park"), CommunityID: str(m, "community"), IndustryID: str(m, "industry")}
		}
		return rows, nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the organisations' places: %w", err)
	}
	return v.([]cobuild.CensusRow), nil
}

// censusFacts are the statements of CensusFacts: each reads the ties of some types in force
// on the day, grouped by organisation (a scan per tie type rather than a subquery per
// organisation), and adds what it found to the organisation's facts.
var censusFacts = []struct {
	query string
	add   func(f *cobuild.DayFacts, m map[string]any)
}{
	{`MATCH (o:Organization)-[r:HAS_PARTY_ORG]->() WHERE ` + inForce("r") + ` RETURN o.id AS id, count(*) AS n`,
		func(f *cobuild.DayFacts, m map[string]any) { f.Facts.OwnPartyOrgs = integer(m, "n") }},
	{`MATCH (o:Organization)-[r:COVERED_BY]->(h:PartyOrg) WHERE ` + inForce("r") + `
	  RETURN o.id AS id, collect(r.mode) AS modes,
	    collect(CASE WHEN h.kind IN ['JOINT_BRANCH', 'REGIONAL', 'INDUSTRY'] THEN h.id END) AS coverers`,
		func(f *cobuild.DayFacts, m map[string]any) {
			f.Facts.CoveredModes = append(f.Facts.CoveredModes, stringList(m["modes"])...)
			slices.Sort(f.Facts.CoveredModes)
			f.Coverers = append(f.Coverers, stringList(m["coverers"])...)
		}},
	{`MATCH (o:Organization)<-[r:ASSIGNED_TO]-(x) WHERE r.role IN ['INSTRUCTOR', 'LIAISON'] AND ` + inForce("r") + `
	  RETURN o.id AS id, sum(CASE r.role WHEN 'INSTRUCTOR' THEN 1 ELSE 0 END) AS instructors,
	    sum(CASE r.role WHEN 'LIAISON' THEN 1 ELSE 0 END) AS liaisons,
	    collect(CASE WHEN r.role = 'INSTRUCTOR' AND x:Person THEN x.id END) AS coverers`,
		func(f *cobuild.DayFacts, m map[string]any) {
			f.Facts.Instructors, f.Facts.Liaisons = integer(m, "instructors"), integer(m, "liaisons")
			f.Coverers = append(f.Coverers, stringList(m["coverers"])...)
		}},
	{`MATCH (o:Organization)<-[r:FORMED_IN]-() WHERE r.since IS NULL OR r.since <= $asOf RETURN o.id AS id, count(*) AS n`,
		func(f *cobuild.DayFacts, m map[string]any) { f.Facts.MassBranches = integer(m, "n") }},
	{`MATCH (o:Organization)-[r:MEMBER_OF|CO_BUILDS_WITH|PLACED_AT|APPRENTICED_AT]-() WHERE ` + inForce("r") + ` RETURN DISTINCT o.id AS id
	  UNION MATCH (o:Organization)-[:ATTENDED|HELD]->(e:Event) WHERE e.date IS NULL OR e.date <= $asOf RETURN DISTINCT o.id AS id
	  UNION MATCH (o:Organization)<-[w:WORKS_AT]-(:Person)-[m:MENTORS]-(:Person) WHERE ` + inForce("w") + ` AND ` + inForce("m") + ` RETURN DISTINCT o.id AS id`,
		func(f *cobuild.DayFacts, _ map[string]any) { f.Facts.JointTies = 1 }},
}

// CensusFacts implements analytics.Source: the coverage facts and coverers on the day of
// every organisation that has any, in one read transaction; PartyMembers is left to the
// places.
func (s *Store) CensusFacts(ctx context.Context, asOf time.Time) (map[string]*cobuild.DayFacts, error) {
	params := map[string]any{"asOf": dateParam(asOf)}
	v, err := s.readWithin(ctx, s.projectionTimeout, func(tx neo4j.ManagedTransaction) (any, error) {
		out := map[string]*cobuild.DayFacts{}
		for _, q := range censusFacts {
			recs, err := s.collect(ctx, tx, q.query, params)
			if err != nil {
				return nil, err
			}
			for _, r := range recs {
				m := r.AsMap()
				id := str(m, "id")
				f, ok := out[id]
				if !ok {
					f = &cobuild.DayFacts{}
					out[id] = f
				}
				q.add(f, m)
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the coverage facts of %s: %w", asOf.Format(time.DateOnly), err)
	}
	return v.(map[string]*cobuild.DayFacts), nil
}
