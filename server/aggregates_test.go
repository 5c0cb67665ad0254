package server_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild/neo4jtest"
)

type coverageGroup struct {
	Keys []struct {
		Dimension string
		Value     *string
		Label     string
	}
	Organizations, Operating, Own, Joint, Work, Uncovered int
	Isolated, IsolatedUncovered, ShouldHaveOwn            int
	CoverageRate, OwnRate                                 *float64
}

const groupFields = `keys { dimension value label } organizations operating own joint work uncovered
	isolated isolatedUncovered shouldHaveOwn coverageRate ownRate`

// Cypher written here, apart from the server, for coverage by town on a day: operating
// organisations only, each status counted by its own definition in DOMAIN.md.
const coverageByArea = `MATCH (o:Organization) WHERE o.operating
	OPTIONAL MATCH (o)-[:LOCATED_IN]->(a:Area)
	WITH o, a.id AS area,
	  EXISTS { MATCH (o)-[r:HAS_PARTY_ORG]->() WHERE ` + inForceR + ` } AS own,
	  EXISTS { MATCH (o)-[r:COVERED_BY]->() WHERE ` + inForceR + ` } AS joint,
	  (EXISTS { MATCH (o)<-[r:ASSIGNED_TO]-() WHERE r.role IN ['INSTRUCTOR', 'LIAISON'] AND ` + inForceR + ` }
	   OR EXISTS { MATCH (o)<-[r:FORMED_IN]-() WHERE r.since IS NULL OR r.since <= $d }) AS work,
	  NOT EXISTS { MATCH (o)-[r:MEMBER_OF|CO_BUILDS_WITH|PLACED_AT|APPRENTICED_AT]-() WHERE ` + inForceR + ` }
	  AND NOT EXISTS { MATCH (o)-[:ATTENDED|HELD]->(e:Event) WHERE e.date IS NULL OR e.date <= $d }
	  AND NOT EXISTS { MATCH (o)<-[w:WORKS_AT]-(:Person)-[m:MENTORS]-(:Person)
	        WHERE (w.since IS NULL OR w.since <= $d) AND (w.until IS NULL OR w.until > $d)
	          AND (m.since IS NULL OR m.since <= $d) AND (m.until IS NULL OR m.until > $d) } AS isolated,
	  o.partyMembers >= 3 AND NOT EXISTS { MATCH (o)-[r:HAS_PARTY_ORG]->() WHERE ` + inForceR + ` } AS should
	RETURN area, count(*) AS operating,
	  sum(CASE WHEN own THEN 1 ELSE 0 END) AS own,
	  sum(CASE WHEN NOT own AND joint THEN 1 ELSE 0 END) AS joint,
	  sum(CASE WHEN NOT own AND NOT joint AND work THEN 1 ELSE 0 END) AS work,
	  sum(CASE WHEN NOT own AND NOT joint AND NOT work THEN 1 ELSE 0 END) AS uncovered,
	  sum(CASE WHEN isolated THEN 1 ELSE 0 END) AS isolated,
	  sum(CASE WHEN isolated AND NOT own AND NOT joint AND NOT work THEN 1 ELSE 0 END) AS isolatedUncovered,
	  sum(CASE WHEN should THEN 1 ELSE 0 END) AS should`

// TestCoverageByTownAgreesWithCypher groups coverage by town and compares every group
// with Cypher written in the test; the total is the sum of the groups, and the rates
// use the operating organisations as their denominator.
func TestCoverageByTownAgreesWithCypher(t *testing.T) {
	h := api(t)
	var d struct {
		CoverageStats struct {
			AsOf   string
			Total  coverageGroup
			Groups []coverageGroup
		}
	}
	data(t, h, `{ coverageStats(by: [AREA], asOf: "2023-10-21") { asOf total { `+groupFields+` } groups { `+groupFields+` } } }`, nil, &d)
	res, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t), coverageByArea,
		map[string]any{"d": neo4j.DateOf(mustDay(sourceDay))}, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for _, r := range res.Records {
		m := r.AsMap()
		area, _ := m["area"].(string)
		want[area] = fmt.Sprint(m["operating"], m["own"], m["joint"], m["work"], m["uncovered"], m["isolated"], m["isolatedUncovered"], m["should"])
	}
	s := d.CoverageStats
	if len(s.Groups) != len(want) || len(s.Groups) < 3 {
		t.Fatalf("%d groups, Cypher finds %d areas", len(s.Groups), len(want))
	}
	sum := 0
	for _, g := range s.Groups {
		area := ""
		if g.Keys[0].Value != nil {
			area = *g.Keys[0].Value
		}
		got := fmt.Sprint(g.Operating, g.Own, g.Joint, g.Work, g.Uncovered, g.Isolated, g.IsolatedUncovered, g.ShouldHaveOwn)
		if got != want[area] {
			t.Errorf("%s (%s): got %s, Cypher %s", g.Keys[0].Label, area, got, want[area])
		}
		if g.Keys[0].Dimension != "AREA" || g.Keys[0].Label == "" {
			t.Errorf("key %+v", g.Keys[0])
		}
		sum += g.Organizations
		if g.Operating > 0 && (g.CoverageRate == nil || *g.CoverageRate != float64(g.Own+g.Joint)/float64(g.Operating)) {
			t.Errorf("%s: coverage rate %v for %d+%d of %d", g.Keys[0].Label, g.CoverageRate, g.Own, g.Joint, g.Operating)
		}
	}
	if sum != s.Total.Organizations || s.AsOf != sourceDay {
		t.Errorf("groups sum to %d organisations, total %d; asOf %s", sum, s.Total.Organizations, s.AsOf)
	}
}

// TestCoverageByTwoDimensionsAndFilters groups by industry and above-scale under a filter:
// the groups partition the total, and each group agrees with the list filter of its keys.
func TestCoverageByTwoDimensionsAndFilters(t *testing.T) {
	h := api(t)
	var d struct {
		CoverageStats struct {
			Total  coverageGroup
			Groups []coverageGroup
		}
	}
	data(t, h, `{ coverageStats(by: [INDUSTRY, ABOVE_SCALE], where: {kind: [ENTERPRISE]}, asOf: "2023-10-21") {
		total { `+groupFields+` } groups { `+groupFields+` } } }`, nil, &d)
	s := d.CoverageStats
	if s.Total.Organizations != 14673 {
		t.Errorf("%d enterprises, the source says 14,673", s.Total.Organizations)
	}
	sum, checked := 0, 0
	for _, g := range s.Groups {
		sum += g.Organizations
		if len(g.Keys) != 2 || g.Keys[0].Dimension != "INDUSTRY" || g.Keys[1].Dimension != "ABOVE_SCALE" {
			t.Fatalf("keys %+v", g.Keys)
		}
		if g.Keys[0].Value == nil || checked >= 4 {
			continue
		}
		checked++
		var c struct {
			Organizations struct{ TotalCount int }
		}
		data(t, h, `query($i: ID!, $a: Boolean!) { organizations(where: {industryId: $i, aboveScale: $a, kind: [ENTERPRISE],
			operating: true, coverage: [UNCOVERED], asOf: "2023-10-21"}) { totalCount } }`,
			map[string]any{"i": *g.Keys[0].Value, "a": *g.Keys[1].Value == "true"}, &c)
		if c.Organizations.TotalCount != g.Uncovered {
			t.Errorf("%s %s: %d uncovered, the list filter %d", g.Keys[0].Label, g.Keys[1].Label, g.Uncovered, c.Organizations.TotalCount)
		}
	}
	if sum != s.Total.Organizations || checked == 0 {
		t.Errorf("groups sum to %d of %d; %d checked", sum, s.Total.Organizations, checked)
	}
	for _, q := range []string{
		`{ coverageStats(by: [AREA, PARK, INDUSTRY]) { total { organizations } } }`,
		`{ coverageStats(by: [AREA, AREA]) { total { organizations } } }`,
		`{ coverageStats(where: {parkId: "og-000001"}) { total { organizations } } }`,
	} {
		if code, msg := errorCode(t, h, q, nil); code != "BAD_USER_INPUT" {
			t.Errorf("%s: %s %s", q, code, msg)
		}
	}
}

type evaluation struct {
	ID, Tier                      string
	Score, ToNextStar, ToNextTier float64
	Stars                         int
	SelfTotal, CommitteeTotal     float64
	PartyOrganization             struct{ ID string }
	Dimensions                    []struct {
		Key                          string
		Max, Self, Public, Committee float64
	}
}

const evaluationFields = `id tier score stars toNextStar toNextTier selfTotal committeeTotal partyOrganization { id }
	dimensions { key max self public committee }`

// allEvaluations lists a round's evaluations through the evaluations list.
func allEvaluations(t *testing.T, h http.Handler, round string) []evaluation {
	t.Helper()
	var out []evaluation
	after := ""
	for {
		var d struct {
			Evaluations struct {
				Nodes    []evaluation
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			}
		}
		vars := map[string]any{"r": round}
		if after != "" {
			vars["after"] = after
		}
		data(t, h, `query($r: String!, $after: String) { evaluations(where: {round: $r}, first: 500, after: $after) {
			nodes { `+evaluationFields+` } pageInfo { hasNextPage endCursor } } }`, vars, &d)
		out = append(out, d.Evaluations.Nodes...)
		if !d.Evaluations.PageInfo.HasNextPage {
			return out
		}
		after = d.Evaluations.PageInfo.EndCursor
	}
}

// TestGradingOfARound checks a round's distributions against its evaluations listed one
// by one, the source's 24 gold and 4 weak, and each derived list against its definition.
func TestGradingOfARound(t *testing.T) {
	h := api(t)
	var d struct {
		Grading struct {
			Round, PreviousRound string
			Evaluated            int
			Tiers                []struct {
				Tier  string
				Count int
			}
			Stars []struct {
				Tier         string
				Stars, Count int
			}
			NearNext       []evaluation
			DimensionPulls []struct {
				Key           string
				Count         int
				MeanShortfall float64
			}
			SelfOverCommittee []struct {
				Gap        float64
				Evaluation evaluation
			}
		}
	}
	data(t, h, `{ grading(round: "2023-05") { round previousRound evaluated tiers { tier count } stars { tier stars count }
		nearNext(points: 1, first: 1000) { `+evaluationFields+` }
		dimensionPulls(below: 75) { key count meanShortfall }
		selfOverCommittee(points: 10, first: 1000) { gap evaluation { `+evaluationFields+` } } } }`, nil, &d)
	g := d.Grading
	evals := allEvaluations(t, h, "2023-05")
	if g.Evaluated != len(evals) || len(evals) == 0 {
		t.Fatalf("evaluated %d, the list has %d", g.Evaluated, len(evals))
	}
	tiers := map[string]int{}
	stars := map[string]int{}
	near, gaps := 0, 0
	pulls := map[string]int{}
	for _, e := range evals {
		tiers[e.Tier]++
		stars[fmt.Sprint(e.Tier, e.Stars)]++
		next := e.ToNextStar
		if next == 0 || (e.ToNextTier > 0 && e.ToNextTier < next) {
			next = e.ToNextTier
		}
		if next > 0 && next <= 1 {
			near++
		}
		if e.SelfTotal-e.CommitteeTotal > 10 {
			gaps++
		}
		if e.Score < 75 {
			for _, dim := range e.Dimensions {
				if 0.2*dim.Self+0.3*dim.Public+0.5*dim.Committee < dim.Max*0.75 {
					pulls[dim.Key]++
				}
			}
		}
	}
	for _, tc := range g.Tiers {
		if tc.Count != tiers[tc.Tier] {
			t.Errorf("%s: %d, the list %d", tc.Tier, tc.Count, tiers[tc.Tier])
		}
	}
	if tiers["GOLD"] != 24 || tiers["WEAK"] != 4 {
		t.Errorf("gold %d and weak %d; the source says 24 and 4", tiers["GOLD"], tiers["WEAK"])
	}
	for _, sc := range g.Stars {
		if sc.Count != stars[fmt.Sprint(sc.Tier, sc.Stars)] {
			t.Errorf("%s %d stars: %d, the list %d", sc.Tier, sc.Stars, sc.Count, stars[fmt.Sprint(sc.Tier, sc.Stars)])
		}
	}
	if len(g.NearNext) != near || len(g.SelfOverCommittee) != gaps {
		t.Errorf("near next %d (list %d); self over committee %d (list %d)", len(g.NearNext), near, len(g.SelfOverCommittee), gaps)
	}
	for i, p := range g.DimensionPulls {
		if p.Count != pulls[p.Key] || (i > 0 && p.Count > g.DimensionPulls[i-1].Count) {
			t.Errorf("%s pulls %d (list %d), order %v", p.Key, p.Count, pulls[p.Key], g.DimensionPulls)
		}
	}
	t.Logf("%s after %s: %d evaluated, %d near the next star or tier, %d self over committee, pulls %v",
		g.Round, g.PreviousRound, g.Evaluated, near, gaps, g.DimensionPulls)
	if code, msg := errorCode(t, h, `{ grading(round: "1999-05") { evaluated } }`, nil); code != "NOT_FOUND" {
		t.Errorf("an unknown round: %s %s", code, msg)
	}
}

// TestGradeMovementBetweenRounds compares each party organisation's tier in two rounds,
// listed one by one, with the transition matrix and the fell and rose lists.
func TestGradeMovementBetweenRounds(t *testing.T) {
	h := api(t)
	var rounds struct{ Rounds []struct{ Round string } }
	data(t, h, `{ rounds { round } }`, nil, &rounds)
	if len(rounds.Rounds) < 2 {
		t.Fatalf("rounds %+v; the demo data has several", rounds.Rounds)
	}
	to, from := rounds.Rounds[0].Round, rounds.Rounds[1].Round
	var d struct {
		GradeMovement struct {
			Compared int
			Matrix   []struct {
				From, To string
				Count    int
			}
			Fell, Rose []struct {
				PartyOrganization struct{ ID string }
				Before, After     struct{ Tier string }
			}
		}
	}
	data(t, h, `query($f: String!, $t: String!) { gradeMovement(from: $f, to: $t) { compared matrix { from to count }
		fell { partyOrganization { id } before { tier } after { tier } } rose { partyOrganization { id } before { tier } after { tier } } } }`,
		map[string]any{"f": from, "t": to}, &d)
	before := map[string]string{}
	for _, e := range allEvaluations(t, h, from) {
		before[e.PartyOrganization.ID] = e.Tier
	}
	rank := map[string]int{"GOLD": 0, "SILVER": 1, "BRONZE": 2, "WEAK": 3}
	pairs := map[string]int{}
	compared, fell, rose := 0, 0, 0
	for _, e := range allEvaluations(t, h, to) {
		b, ok := before[e.PartyOrganization.ID]
		if !ok {
			continue
		}
		compared++
		pairs[b+">"+e.Tier]++
		if rank[e.Tier] > rank[b] {
			fell++
		} else if rank[e.Tier] < rank[b] {
			rose++
		}
	}
	m := d.GradeMovement
	if m.Compared != compared || compared == 0 || len(m.Fell) != fell || len(m.Rose) != rose || len(m.Matrix) != 16 {
		t.Errorf("compared %d fell %d rose %d (%d cells); the lists: %d, %d, %d", m.Compared, len(m.Fell), len(m.Rose), len(m.Matrix), compared, fell, rose)
	}
	t.Logf("%s → %s: %d compared, %d fell, %d rose", from, to, compared, fell, rose)
	for _, c := range m.Matrix {
		if c.Count != pairs[c.From+">"+c.To] {
			t.Errorf("%s → %s: %d, the lists %d", c.From, c.To, c.Count, pairs[c.From+">"+c.To])
		}
	}
	for _, f := range m.Fell {
		if rank[f.After.Tier] <= rank[f.Before.Tier] {
			t.Errorf("%s is listed as fallen from %s to %s", f.PartyOrganization.ID, f.Before.Tier, f.After.Tier)
		}
	}
}
