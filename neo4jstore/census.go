package neo4jstore

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild"
)

// CensusPlaces implements snapshot.Source: every organisation with what it is grouped by,
// which does not depend on the day.
func (s *Store) CensusPlaces(ctx context.Context) ([]cobuild.CensusRow, error) {
	return s.censusPlaces(ctx, nil)
}

// PlacesOf implements snapshot.ChangeSource: the places of some organisations, in id
// order; an id no organisation has is left out.
func (s *Store) PlacesOf(ctx context.Context, ids []string) ([]cobuild.CensusRow, error) {
	return s.censusPlaces(ctx, orEmpty(ids))
}

// censusPlaces reads the places of the organisations with the ids, or of all for nil.
func (s *Store) censusPlaces(ctx context.Context, ids []string) ([]cobuild.CensusRow, error) {
	match, params := "MATCH (o:Organization)", map[string]any(nil)
	if ids != nil {
		match, params = "MATCH (o:Organization) WHERE o.id IN $ids", map[string]any{"ids": ids}
	}
	rows, err := readTx(ctx, s, s.projectionTimeout, func(tx neo4j.ManagedTransaction) ([]cobuild.CensusRow, error) {
		return collect(ctx, s, tx, match+`
			OPTIONAL MATCH (o)-[:LOCATED_IN]->(a:Area)
			OPTIONAL MATCH (a)-[:LOCATED_IN]->(up:Area)
			WITH o, head(collect(a.id)) AS area, head(collect(up.id)) AS areaParent
			RETURN o.id AS id, o.name AS name, o.kind AS kind, o.sector AS sector,
			  o.headcount AS headcount, o.partyMembers AS members, o.aboveScale AS aboveScale, o.operating AS operating,
			  area, areaParent,
			  head(COLLECT { MATCH (o)-[:IN_PARK]->(a:Area) RETURN a.id }) AS park,
			  head(COLLECT { MATCH (o)-[:IN_COMMUNITY]->(c:Organization) RETURN c.id }) AS community,
			  head(COLLECT { MATCH (o)-[:IN_INDUSTRY]->(i:Industry) RETURN i.id }) AS industry
			ORDER BY id`, params, func(r *neo4j.Record) (cobuild.CensusRow, error) {
			p := recordMap(r)
			return cobuild.CensusRow{ID: p.str("id"), Name: p.str("name"), Kind: cobuild.OrgKind(p.str("kind")),
				Sector: cobuild.Sector(p.str("sector")), Headcount: p.integer("headcount"), PartyMembers: p.integer("members"),
				AboveScale: p.boolean("aboveScale"), Operating: p.boolean("operating"), AreaID: p.str("area"),
				AreaParentID: p.str("areaParent"), ParkID: p.str("park"), CommunityID: p.str("community"), IndustryID: p.str("industry")}, p.err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read the organisations' places: %w", err)
	}
	return rows, nil
}

// joinedUnion matches every organisation with a joint-building tie in force on $asOf,
// one branch per kind of joint tie.
func joinedUnion() string {
	var branches []string
	for _, j := range orgJointTies {
		branches = append(branches, j.match("o:Organization", "r", "b", "$asOf")+" RETURN DISTINCT o.id AS id")
	}
	return strings.Join(branches, " UNION ")
}

// censusFacts are the statements of CensusFacts: each reads the ties of some types in force
// on the day, grouped by organisation (a scan per tie type rather than a subquery per
// organisation), and adds what it found to the organisation's facts. They read the same
// ties as the per-organisation facts (factsMap), which a test holds them to.
var censusFacts = []struct {
	query string
	add   func(f *cobuild.DayFacts, p *props)
}{
	{`MATCH (o:Organization)-[r:HAS_PARTY_ORG]->() WHERE ` + inForce("r", "$asOf") + ` RETURN o.id AS id, count(*) AS n`,
		func(f *cobuild.DayFacts, p *props) { f.Facts.OwnPartyOrgs = p.integer("n") }},
	{`MATCH (o:Organization)-[r:COVERED_BY]->(h:PartyOrg) WHERE ` + inForce("r", "$asOf") + `
	  RETURN o.id AS id, collect(r.mode) AS modes,
	    collect(CASE WHEN h.kind IN ['JOINT_BRANCH', 'REGIONAL', 'INDUSTRY'] THEN h.id END) AS coverers`,
		func(f *cobuild.DayFacts, p *props) {
			f.Facts.CoveredModes = append(f.Facts.CoveredModes, p.strings("modes")...)
			slices.Sort(f.Facts.CoveredModes)
			f.Coverers = append(f.Coverers, p.strings("coverers")...)
		}},
	{`MATCH (o:Organization)<-[r:ASSIGNED_TO]-(x) WHERE r.role IN ['INSTRUCTOR', 'LIAISON'] AND ` + inForce("r", "$asOf") + `
	  RETURN o.id AS id, sum(CASE r.role WHEN 'INSTRUCTOR' THEN 1 ELSE 0 END) AS instructors,
	    sum(CASE r.role WHEN 'LIAISON' THEN 1 ELSE 0 END) AS liaisons,
	    collect(CASE WHEN r.role = 'INSTRUCTOR' AND x:Person THEN x.id END) AS coverers`,
		func(f *cobuild.DayFacts, p *props) {
			f.Facts.Instructors, f.Facts.Liaisons = p.integer("instructors"), p.integer("liaisons")
			f.Coverers = append(f.Coverers, p.strings("coverers")...)
		}},
	{`MATCH (o:Organization)<-[r:FORMED_IN]-() WHERE ` + inForce("r", "$asOf") + ` RETURN o.id AS id, count(*) AS n`,
		func(f *cobuild.DayFacts, p *props) { f.Facts.MassBranches = p.integer("n") }},
	{joinedUnion(), func(f *cobuild.DayFacts, _ *props) { f.Facts.JointTies = 1 }},
}

// CensusFacts implements snapshot.Source: the coverage facts and coverers on the day of
// every organisation that has any, in one read transaction; the organisation's party
// members and sector are left to the places.
func (s *Store) CensusFacts(ctx context.Context, asOf time.Time) (map[string]*cobuild.DayFacts, error) {
	return s.censusFacts(ctx, asOf, nil)
}

// FactsOf implements snapshot.ChangeSource: the coverage facts and coverers on the day of
// some organisations, those that have any.
func (s *Store) FactsOf(ctx context.Context, asOf time.Time, ids []string) (map[string]*cobuild.DayFacts, error) {
	return s.censusFacts(ctx, asOf, orEmpty(ids))
}

// censusFacts reads the facts of the organisations with the ids, or of all for nil: each
// statement then starts from those organisations.
func (s *Store) censusFacts(ctx context.Context, asOf time.Time, ids []string) (map[string]*cobuild.DayFacts, error) {
	params := map[string]any{"asOf": dateParam(asOf), "ids": ids}
	out, err := readTx(ctx, s, s.projectionTimeout, func(tx neo4j.ManagedTransaction) (map[string]*cobuild.DayFacts, error) {
		out := map[string]*cobuild.DayFacts{}
		for _, q := range censusFacts {
			cypher := q.query
			if ids != nil {
				cypher = strings.ReplaceAll(cypher, "MATCH (o:Organization)", "MATCH (o:Organization) WHERE o.id IN $ids MATCH (o)")
			}
			_, err := collect(ctx, s, tx, cypher, params, func(r *neo4j.Record) (struct{}, error) {
				p := recordMap(r)
				id := p.str("id")
				f, ok := out[id]
				if !ok {
					f = &cobuild.DayFacts{}
					out[id] = f
				}
				q.add(f, p)
				return struct{}{}, p.err
			})
			if err != nil {
				return nil, err
			}
		}
		return out, nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the coverage facts of %s: %w", asOf.Format(time.DateOnly), err)
	}
	return out, nil
}
