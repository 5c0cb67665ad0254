package server_test

import (
	"context"
	"fmt"
	"math"
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

// TestCoverageByTownAgreesWithTheOracle groups coverage by town and compares every group
// with the coverage oracle (oracle_test.go); the total is the sum of the groups, and the rates
// use the operating organisations as their denominator.
func TestCoverageByTownAgreesWithTheOracle(t *testing.T) {
	h := api(t)
	var d struct {
		CoverageStats struct {
			AsOf   string
			Total  coverageGroup
			Groups []coverageGroup
		}
	}
	data(t, h, `{ coverageStats(by: [AREA], asOf: "2023-10-21") { asOf total { `+groupFields+` } groups { `+groupFields+` } } }`, nil, &d)
	// The oracle's counts by town: operating organisations of the managed sectors.
	type counts struct{ operating, own, joint, work, uncovered, isolated, isolatedUncovered, should int }
	byArea := map[string]*counts{}
	for _, o := range coverageOracle(t, driverRows(t, neo4jtest.Driver(t)), mustDay(sourceDay)) {
		if !o.operating || o.status == "NOT_MANAGED" {
			continue
		}
		c := byArea[o.area]
		if c == nil {
			c = &counts{}
			byArea[o.area] = c
		}
		c.operating++
		switch o.status {
		case "OWN":
			c.own++
		case "JOINT":
			c.joint++
		case "WORK":
			c.work++
		case "UNCOVERED":
			c.uncovered++
		}
		if o.isolated {
			c.isolated++
			if o.status == "UNCOVERED" {
				c.isolatedUncovered++
			}
		}
		if o.should {
			c.should++
		}
	}
	want := map[string]string{}
	for area, c := range byArea {
		want[area] = fmt.Sprint(c.operating, c.own, c.joint, c.work, c.uncovered, c.isolated, c.isolatedUncovered, c.should)
	}
	s := d.CoverageStats
	if len(s.Groups) != len(want) || len(s.Groups) < 3 {
		t.Fatalf("%d groups, the oracle finds %d areas", len(s.Groups), len(want))
	}
	sum := 0
	for _, g := range s.Groups {
		area := ""
		if g.Keys[0].Value != nil {
			area = *g.Keys[0].Value
		}
		got := fmt.Sprint(g.Operating, g.Own, g.Joint, g.Work, g.Uncovered, g.Isolated, g.IsolatedUncovered, g.ShouldHaveOwn)
		if got != want[area] {
			t.Errorf("%s (%s): got %s, the oracle %s", g.Keys[0].Label, area, got, want[area])
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
	// Groups sorted by coverage rate, lowest first; a group nothing operates in has no rate
	// and comes first.
	var sorted struct {
		CoverageStats struct{ Groups []coverageGroup }
	}
	data(t, h, `{ coverageStats(by: [INDUSTRY, SIZE_BAND], sort: {field: COVERAGE_RATE, direction: ASC}, asOf: "2023-10-21") {
		groups { `+groupFields+` } } }`, nil, &sorted)
	rateOf := func(g coverageGroup) float64 {
		if g.CoverageRate == nil {
			return -1
		}
		return *g.CoverageRate
	}
	for i, g := range sorted.CoverageStats.Groups {
		if i > 0 && rateOf(g) < rateOf(sorted.CoverageStats.Groups[i-1]) {
			t.Errorf("group %d (%v) has a lower coverage rate than the one before", i, g.Keys)
		}
	}
	if len(sorted.CoverageStats.Groups) < 10 {
		t.Errorf("%d groups of industry and size", len(sorted.CoverageStats.Groups))
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
	// Every tier and every star count of a tier has its row: 5 stars of gold, silver and
	// bronze, and weak without stars.
	if len(g.Tiers) != 4 || len(g.Stars) != 3*5+1 {
		t.Fatalf("%d tier rows and %d star rows, want 4 and 16", len(g.Tiers), len(g.Stars))
	}
	// Each evaluation's tier is the source's for its score: gold from 90, silver from 75,
	// bronze from 60.
	for _, e := range evals {
		want := "WEAK"
		switch h := math.Round(e.Score * 100); {
		case h >= 9000:
			want = "GOLD"
		case h >= 7500:
			want = "SILVER"
		case h >= 6000:
			want = "BRONZE"
		}
		if e.Tier != want {
			t.Errorf("evaluation %s scored %v is %s, want %s", e.ID, e.Score, e.Tier, want)
		}
	}
	// The stars filter keeps exactly the evaluations of those stars.
	for _, st := range []int{1, 5} {
		var f struct{ Evaluations struct{ TotalCount int } }
		data(t, h, `query($stars: [Int!]) { evaluations(where: {round: "2023-05", tier: [SILVER], stars: $stars}) { totalCount } }`,
			map[string]any{"stars": []int{st}}, &f)
		if want := stars[fmt.Sprint("SILVER", st)]; f.Evaluations.TotalCount != want || want == 0 {
			t.Errorf("silver with %d stars: the filter finds %d, the list %d", st, f.Evaluations.TotalCount, want)
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

type kindCount struct {
	Kind               string
	Count, PersonTimes int
}

// TestEveryFigureOfTheSourceThroughTheAggregates reads every figure of docs/domain.md from the
// dashboard aggregates: one request per panel (coverage, grading, programmes, demonstration).
func TestEveryFigureOfTheSourceThroughTheAggregates(t *testing.T) {
	h := api(t)
	vars := map[string]any{"day": sourceDay}
	var cov struct {
		CoverageStats struct {
			Groups []struct {
				Keys          []struct{ Value string }
				Organizations int
			}
		}
	}
	data(t, h, `query($day: Date!) { coverageStats(by: [SECTOR], asOf: $day) { groups { keys { value } organizations } } }`, vars, &cov)
	sectors := map[string]int{}
	for _, g := range cov.CoverageStats.Groups {
		sectors[g.Keys[0].Value] = g.Organizations
	}
	var gr struct {
		Grading struct {
			Tiers []struct {
				Tier  string
				Count int
			}
		}
	}
	data(t, h, `{ grading(round: "2023-05") { tiers { tier count } } }`, nil, &gr)
	tiers := map[string]int{}
	for _, c := range gr.Grading.Tiers {
		tiers[c.Tier] = c.Count
	}
	var pr struct {
		Programs struct {
			InstructorMentors, Recruits, Apprentices, Seconded, DeltaTrainingPersonTimes int
			Certification                                                                struct{ Reviewed, Certified int }
			MassBranches                                                                 struct{ Formed, Recommended, HelpedForm int }
		}
	}
	data(t, h, `query($day: Date!) { programs(asOf: $day) { instructorMentors recruits apprentices seconded deltaTrainingPersonTimes
		certification { reviewed certified } massBranches { formed recommended helpedForm } } }`, vars, &pr)
	var dm struct {
		Demonstration struct {
			Hubs []struct {
				Kind, Name                 string
				Members, AboveScaleMembers int
				MemberKinds, Events        []kindCount
			}
			Sites, Brands     []kindCount
			LeadingIndustries []struct {
				Committee, Alliance   *struct{ ID string }
				InCommitteeOrAlliance int
			}
		}
	}
	data(t, h, `query($day: Date!) { demonstration(asOf: $day) {
		hubs { kind name members aboveScaleMembers memberKinds { kind count } events { kind count personTimes } }
		sites { kind count } brands { kind count }
		leadingIndustries { committee { id } alliance { id } inCommitteeOrAlliance } } }`, vars, &dm)
	d := dm.Demonstration
	hubs := map[string]int{}
	events := map[string]int{}         // joint meetings and activities of committees and clusters
	hospital := map[string]kindCount{} // events of the hospital alliance
	massBodies, exchanges, beltPoints := 0, 0, 0
	for _, hub := range d.Hubs {
		hubs[hub.Kind]++
		for _, e := range hub.Events {
			switch hub.Kind {
			case "INDUSTRY_COMMITTEE", "CLUSTER_ALLIANCE":
				events[e.Kind] += e.Count
			case "HOSPITAL_ALLIANCE":
				hospital[e.Kind] = e
			case "AGREEMENT":
				if e.Kind == "PARK_EXCHANGE" {
					exchanges += e.Count
				}
			}
		}
		if hub.Kind == "WORKING_COMMITTEE" {
			for _, k := range hub.MemberKinds {
				if k.Kind == "MASS_ORG" {
					massBodies += k.Count
				}
			}
		}
		if hub.Kind == "BELT" {
			beltPoints += hub.Members
		}
	}
	kinds := func(list []kindCount) map[string]int {
		m := map[string]int{}
		for _, k := range list {
			m[k.Kind] = k.Count
		}
		return m
	}
	sites, brands := kinds(d.Sites), kinds(d.Brands)
	aboveScale, committees, clusters := 0, 0, 0
	for _, li := range d.LeadingIndustries {
		aboveScale += li.InCommitteeOrAlliance
		if li.Committee != nil {
			committees++
		}
		if li.Alliance != nil {
			clusters++
		}
	}
	p := pr.Programs
	for _, f := range []struct {
		what      string
		got, want int
	}{
		{"registered non-public enterprises", sectors["ENTERPRISE"], 14673},
		{"social organisations", sectors["SOCIAL"], 313},
		{"mass-organisation bodies in the working committee", massBodies, 3},
		{"new mass-organisation branches", p.MassBranches.Formed, 102},
		{"people recommended by mass organisations", p.MassBranches.Recommended, 52},
		{"party organisations mass organisations helped form", p.MassBranches.HelpedForm, 16},
		{"party–mass demonstration points", sites["PARTY_MASS"], 8},
		{"park co-building agreements", hubs["AGREEMENT"], 2},
		{"park exchange activities", exchanges, 4},
		{"red business circles", hubs["BUSINESS_CIRCLE"], 2},
		{"red blocks", hubs["BLOCK"], 3},
		{"community joint meetings of the hospital alliance", hospital["COMMUNITY_JOINT_MEETING"].Count, 5},
		{"epidemic-control person-times", hospital["EPIDEMIC_SERVICE"].PersonTimes, 112},
		{"weak party organisations", tiers["WEAK"], 4},
		{"gold party organisations", tiers["GOLD"], 24},
		{"red-leader candidates reviewed", p.Certification.Reviewed, 307},
		{"red leaders certified", p.Certification.Certified, 32},
		{"政聘企培 recruits", p.Recruits, 27},
		{"apprentices trained", p.Apprentices, 186},
		{"instructors serving as mentors", p.InstructorMentors, 135},
		{"workers seconded", p.Seconded, 4},
		{"Yangtze-delta training person-times", p.DeltaTrainingPersonTimes, 157},
		{"provincial demonstration points", sites["PROVINCIAL"], 2},
		{"brands", brands["BRAND"], 2},
		{"study routes", brands["STUDY_ROUTE"], 1},
		{"leading industries", len(d.LeadingIndustries), 3},
		{"industry party committees", committees, 3},
		{"cluster alliances", clusters, 3},
		{"industry committees among the hubs", hubs["INDUSTRY_COMMITTEE"], 3},
		{"cluster alliances among the hubs", hubs["CLUSTER_ALLIANCE"], 3},
		{"above-scale enterprises in those committees and alliances", aboveScale, 96},
		{"joint meetings", events["JOINT_MEETING"], 11},
		{"joint activities", events["JOINT_ACTIVITY"], 31},
		{"demonstration belts", hubs["BELT"], 2},
		{"demonstration points on the belts", beltPoints, 33},
		{"belt points among the sites", sites["BELT_POINT"], 33},
	} {
		if f.got != f.want {
			t.Errorf("%s: %d through the aggregates, the source says %d", f.what, f.got, f.want)
		}
	}
}

// TestOrganizationsRankedByTies sorts organisations by their joint-building ties on a day
// and checks the order and the leader against counts made by Cypher written here.
func TestOrganizationsRankedByTies(t *testing.T) {
	h := api(t)
	var d struct {
		Organizations struct{ Nodes []struct{ ID string } }
	}
	data(t, h, `{ organizations(where: {asOf: "2023-10-21"}, sort: {field: TIES, direction: DESC}, first: 20) { nodes { id } } }`, nil, &d)
	res, err := neo4j.ExecuteQuery(context.Background(), neo4jtest.Driver(t), `
		MATCH (o:Organization)
		WITH o, COUNT { MATCH (o)-[r:MEMBER_OF]->() WHERE `+inForceR+` }
		  + COUNT { MATCH (o)-[r:CO_BUILDS_WITH]-() WHERE `+inForceR+` }
		  + COUNT { MATCH (o)<-[r:PLACED_AT|APPRENTICED_AT|TRAINED_AT]-() WHERE `+inForceR+` }
		  + COUNT { MATCH (o)-[:ATTENDED|HELD]->(e:Event) WHERE e.date IS NULL OR e.date <= $d }
		  + COUNT { MATCH (o)<-[w:WORKS_AT]-(p:Person)
		            WHERE (w.since IS NULL OR w.since <= $d) AND (w.until IS NULL OR w.until > $d)
		              AND EXISTS { MATCH (p)-[m:MENTORS]-(:Person) WHERE (m.since IS NULL OR m.since <= $d) AND (m.until IS NULL OR m.until > $d) } } AS ties
		RETURN o.id AS id, ties ORDER BY ties DESC, id LIMIT 20`,
		map[string]any{"d": neo4j.DateOf(mustDay(sourceDay))}, neo4j.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Organizations.Nodes) != 20 || len(res.Records) != 20 {
		t.Fatalf("%d rows, Cypher %d", len(d.Organizations.Nodes), len(res.Records))
	}
	for i, r := range res.Records {
		id, _ := r.Get("id")
		if d.Organizations.Nodes[i].ID != id {
			ties, _ := r.Get("ties")
			t.Errorf("rank %d: %s, Cypher %s (%v ties)", i+1, d.Organizations.Nodes[i].ID, id, ties)
		}
	}
}

// TestOrganizationsRankedByScore sorts organisations by their newest evaluation score: the
// scores shown by latestEvaluation never rise down the list, across pages.
func TestOrganizationsRankedByScore(t *testing.T) {
	h := api(t)
	var scores []float64
	after := ""
	for page := 0; page < 3; page++ {
		var d struct {
			Organizations struct {
				Nodes []struct {
					LatestEvaluation *struct{ Score float64 }
				}
				PageInfo struct{ EndCursor string }
			}
		}
		vars := map[string]any{}
		if after != "" {
			vars["after"] = after
		}
		data(t, h, `query($after: String) { organizations(sort: {field: SCORE, direction: DESC}, first: 40, after: $after) {
			nodes { latestEvaluation { score } } pageInfo { endCursor } } }`, vars, &d)
		for _, n := range d.Organizations.Nodes {
			if n.LatestEvaluation == nil {
				t.Fatalf("an organisation without an evaluation ranks among the first %d", len(scores)+1)
			}
			scores = append(scores, n.LatestEvaluation.Score)
		}
		after = d.Organizations.PageInfo.EndCursor
	}
	for i := 1; i < len(scores); i++ {
		if scores[i] > scores[i-1] {
			t.Fatalf("score %v at rank %d after %v", scores[i], i+1, scores[i-1])
		}
	}
	if len(scores) != 120 || scores[0] < 90 {
		t.Errorf("%d scores, the best %v; the demo data has 24 gold", len(scores), scores[0])
	}
}
