package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// The coverage oracle of the tests: the raw ties of every organisation, read with plain
// Cypher that holds no rule, and each organisation's status, isolation and should-have-own
// decided here, in Go, from the definitions of docs/domain.md (In force on a day,
// Coverage, Isolated, Should have its own party organisation). It shares no predicate with
// the store or with cobuild's rules.

type oracleOrg struct {
	sector    string
	operating bool
	members   int64
	area      string
	status    string // OWN, JOINT, WORK, UNCOVERED, or NOT_MANAGED for a public body
	isolated  bool
	should    bool
}

type oracleTie struct {
	org, typ, role string
	out            bool // the tie starts at the organisation
	since, until   *time.Time
	eventDate      *time.Time // of the event at the other end
	other          string
}

// readRows runs one read statement and returns its rows as maps.
type readRows func(cypher string) []map[string]any

func driverRows(t *testing.T, d neo4j.DriverWithContext) readRows {
	return func(cypher string) []map[string]any {
		t.Helper()
		res, err := neo4j.ExecuteQuery(context.Background(), d, cypher, nil, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		var out []map[string]any
		for _, r := range res.Records {
			out = append(out, r.AsMap())
		}
		return out
	}
}

func txRows(t *testing.T, ctx context.Context, tx neo4j.ExplicitTransaction) readRows {
	return func(cypher string) []map[string]any {
		t.Helper()
		res, err := tx.Run(ctx, cypher, nil)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := res.Collect(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var out []map[string]any
		for _, r := range recs {
			out = append(out, r.AsMap())
		}
		return out
	}
}

func dateOf(v any) *time.Time {
	if d, ok := v.(dbtype.Date); ok {
		t := d.Time()
		return &t
	}
	return nil
}

// holds is "in force on day d": begun by d (or no start) and not ended by d (or no end).
func holds(since, until *time.Time, d time.Time) bool {
	return (since == nil || !since.After(d)) && (until == nil || until.After(d))
}

// coverageOracle decides every organisation's coverage on day d.
func coverageOracle(t *testing.T, rows readRows, d time.Time) map[string]*oracleOrg {
	t.Helper()
	orgs := map[string]*oracleOrg{}
	for _, r := range rows(`MATCH (o:Organization) RETURN o.id AS id, o.sector AS sector, o.operating AS operating, o.partyMembers AS members`) {
		o := &oracleOrg{}
		o.sector, _ = r["sector"].(string)
		o.operating, _ = r["operating"].(bool)
		o.members, _ = r["members"].(int64)
		orgs[r["id"].(string)] = o
	}
	mentoring := map[string]bool{} // people in a mentorship in force on d
	for _, r := range rows(`MATCH (p:Person)-[m:MENTORS]-() RETURN p.id AS id, m.since AS since, m.until AS until`) {
		if holds(dateOf(r["since"]), dateOf(r["until"]), d) {
			mentoring[r["id"].(string)] = true
		}
	}
	var ties []oracleTie
	for _, r := range rows(`MATCH (o:Organization)-[r]-(x) RETURN o.id AS org, type(r) AS type, startNode(r) = o AS out,
		r.role AS role, r.since AS since, r.until AS until, x.date AS date, x.id AS other`) {
		tie := oracleTie{org: r["org"].(string), typ: r["type"].(string), out: r["out"].(bool),
			since: dateOf(r["since"]), until: dateOf(r["until"]), eventDate: dateOf(r["date"])}
		tie.role, _ = r["role"].(string)
		tie.other, _ = r["other"].(string)
		ties = append(ties, tie)
	}
	type facts struct{ own, joint, work, tied bool }
	fs := map[string]*facts{}
	for id := range orgs {
		fs[id] = &facts{}
	}
	for _, tie := range ties {
		f, o := fs[tie.org], orgs[tie.org]
		inForce := holds(tie.since, tie.until, d)
		switch {
		case tie.typ == "LOCATED_IN" && tie.out:
			o.area = tie.other
		case tie.typ == "HAS_PARTY_ORG" && tie.out && inForce:
			f.own = true
		case tie.typ == "COVERED_BY" && tie.out && inForce:
			f.joint = true
		case tie.typ == "ASSIGNED_TO" && !tie.out && inForce && (tie.role == "INSTRUCTOR" || tie.role == "LIAISON"):
			f.work = true
		case tie.typ == "FORMED_IN" && !tie.out && (tie.since == nil || !tie.since.After(d)):
			f.work = true
		// The joint-building ties.
		case tie.typ == "MEMBER_OF" && tie.out && inForce,
			tie.typ == "CO_BUILDS_WITH" && inForce,
			(tie.typ == "PLACED_AT" || tie.typ == "APPRENTICED_AT" || tie.typ == "TRAINED_AT") && !tie.out && inForce,
			tie.typ == "WORKS_AT" && !tie.out && inForce && mentoring[tie.other]:
			f.tied = true
		case (tie.typ == "ATTENDED" || tie.typ == "HELD") && tie.out && (tie.eventDate == nil || !tie.eventDate.After(d)):
			f.tied = true
		}
	}
	for id, o := range orgs {
		f := fs[id]
		o.isolated = !f.tied
		managed := o.sector == "ENTERPRISE" || o.sector == "SOCIAL"
		switch {
		case !managed:
			o.status = "NOT_MANAGED"
		case f.own:
			o.status = "OWN"
		case f.joint:
			o.status = "JOINT"
		case f.work:
			o.status = "WORK"
		default:
			o.status = "UNCOVERED"
		}
		o.should = managed && !f.own && o.members >= 3
	}
	return orgs
}

// inForceR is "tie r holds on day $d" in Cypher, for the tests' own statements.
const inForceR = "(r.since IS NULL OR r.since <= $d) AND (r.until IS NULL OR r.until > $d)"
