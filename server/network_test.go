package server_test

import (
	"strings"
	"testing"

	"cobuild/neo4jtest"
)

func TestTheNamedChainFromTheCommunityToTheHospital(t *testing.T) {
	h := api(t)
	var ids struct {
		From, To struct{ ID string }
	}
	data(t, h, `{ from: organization(name: "城东社区") { id } to: organization(name: "宣城仁杰医院") { id } }`, nil, &ids)
	var d struct {
		Path struct {
			Found       bool
			Hops        int
			Count       float64
			Explanation string
			Paths       []struct {
				Nodes []struct{ Name, Label string }
				Steps []struct {
					Tie      struct{ Type, Role string }
					Sentence string
				}
			}
			Provenance struct {
				GraphVersion, ComputedAt, Parameters string
				Nodes, Ties                          int
			}
		}
	}
	data(t, h, `query($a: ID!, $b: ID!) { path(from: $a, to: $b, asOf: "2023-10-21", limit: 5) {
		found hops count explanation
		paths { nodes { name label } steps { tie { type role } sentence } }
		provenance { graphVersion computedAt parameters nodes ties } } }`,
		map[string]any{"a": ids.From.ID, "b": ids.To.ID}, &d)
	p := d.Path
	if !p.Found || p.Hops != 1 && p.Hops != 2 {
		t.Fatalf("got %+v", p)
	}
	if int(p.Count) < len(p.Paths) || len(p.Paths) == 0 {
		t.Errorf("count %v with %d paths listed", p.Count, len(p.Paths))
	}
	if !strings.Contains(p.Explanation, "城东社区") || !strings.Contains(p.Explanation, "宣城仁杰医院") {
		t.Errorf("explanation does not name both ends: %s", p.Explanation)
	}
	viaAlliance := false
	for _, path := range p.Paths {
		if len(path.Nodes) == 3 && path.Nodes[1].Name == "民办医院党建联盟" {
			viaAlliance = true
		}
		if len(path.Steps) != p.Hops {
			t.Errorf("a chain of %d steps, hops %d", len(path.Steps), p.Hops)
		}
	}
	if p.Hops == 2 && !viaAlliance {
		t.Errorf("no chain through 民办医院党建联盟 among %+v", p.Paths)
	}
	if p.Provenance.GraphVersion == "" || p.Provenance.ComputedAt == "" || !strings.Contains(p.Provenance.Parameters, "2023-10-21") || p.Provenance.Ties == 0 {
		t.Errorf("provenance %+v", p.Provenance)
	}
	t.Logf("%s", p.Explanation)

	// Following memberships only, the chain is the source's: through the alliance.
	var m struct {
		Path struct {
			Hops        int
			Explanation string
		}
	}
	data(t, h, `query($a: ID!, $b: ID!) { path(from: $a, to: $b, asOf: "2023-10-21", ties: [MEMBER_OF]) { hops explanation } }`,
		map[string]any{"a": ids.From.ID, "b": ids.To.ID}, &m)
	want := "城东社区 is a council unit of 民办医院党建联盟 since 2022-05, of which 宣城仁杰医院 is a council unit since 2022-05"
	if m.Path.Hops != 2 || m.Path.Explanation != want {
		t.Errorf("memberships only: %d hops, %q; want 2, %q", m.Path.Hops, m.Path.Explanation, want)
	}
}

func TestNetworkQueriesRefuseWhatTheyCannotAnswer(t *testing.T) {
	h := api(t)
	var ids struct{ A, B struct{ ID string } }
	data(t, h, `{ a: organization(name: "城东社区") { id } b: organization(name: "宣城仁杰医院") { id } }`, nil, &ids)
	tests := []struct {
		name, query, code string
	}{
		{"a malformed id", `{ path(from: "x", to: "` + ids.B.ID + `") { found } }`, "BAD_USER_INPUT"},
		{"too many hops", `{ path(from: "` + ids.A.ID + `", to: "` + ids.B.ID + `", maxHops: 13) { found } }`, "BAD_USER_INPUT"},
		{"too many chains", `{ path(from: "` + ids.A.ID + `", to: "` + ids.B.ID + `", limit: 21) { found } }`, "BAD_USER_INPUT"},
		{"an unknown node", `{ egoNetwork(id: "og-999999") { truncated } }`, "NOT_FOUND"},
		{"too wide an ego network", `{ egoNetwork(id: "` + ids.A.ID + `", hops: 5) { truncated } }`, "BAD_USER_INPUT"},
		{"too many ego nodes", `{ egoNetwork(id: "` + ids.A.ID + `", maxNodes: 5001) { truncated } }`, "BAD_USER_INPUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, msg := errorCode(t, h, tt.query, nil); code != tt.code {
				t.Errorf("got %s %q, want %s", code, msg, tt.code)
			}
		})
	}
	// Two organisations on different islands: a clear answer, not an error.
	var iso struct {
		Organizations struct{ Nodes []struct{ ID string } }
	}
	data(t, h, `{ organizations(where: {isolated: true, asOf: "2023-10-21"}, first: 1) { nodes { id } } }`, nil, &iso)
	var d struct {
		Path struct {
			Found       bool
			Explanation string
		}
	}
	data(t, h, `query($a: ID!, $b: ID!) { path(from: $a, to: $b, asOf: "2023-10-21") { found explanation } }`,
		map[string]any{"a": ids.A.ID, "b": iso.Organizations.Nodes[0].ID}, &d)
	if d.Path.Found || !strings.Contains(d.Path.Explanation, "no chain") {
		t.Errorf("a path to an isolated organisation: %+v", d.Path)
	}
}

// TestIslandsAgreeWithTheIsolationFilter: an organisation alone on its island is exactly
// one the isolation filter, written independently in Cypher, calls isolated.
func TestIslandsAgreeWithTheIsolationFilter(t *testing.T) {
	h := api(t)
	var d struct {
		Network struct {
			IslandCount, IsolatedOrganizations int
			Islands                            []struct{ Rank, Size, Organizations int }
			Brokers                            []struct {
				Node       struct{ Name string }
				Degree     int
				SplitsInto int
			}
			Bridges []struct{ Sides []int }
		}
		Isolated struct{ TotalCount int }
	}
	data(t, h, `{ network(asOf: "2023-10-21") { islandCount isolatedOrganizations islands(first: 5) { rank size organizations }
		brokers(first: 5) { node { name } degree splitsInto } bridges(first: 5) { sides } }
		isolated: organizations(where: {isolated: true, asOf: "2023-10-21"}) { totalCount } }`, nil, &d)
	n := d.Network
	if n.IsolatedOrganizations != d.Isolated.TotalCount {
		t.Errorf("network: %d organisations alone; isolation filter: %d", n.IsolatedOrganizations, d.Isolated.TotalCount)
	}
	if len(n.Islands) == 0 || n.Islands[0].Size < 100 || n.IslandCount <= n.IsolatedOrganizations {
		t.Errorf("islands %+v of %d", n.Islands, n.IslandCount)
	}
	for i := 1; i < len(n.Islands); i++ {
		if n.Islands[i].Size > n.Islands[i-1].Size {
			t.Errorf("islands not largest first: %+v", n.Islands)
		}
	}
	if len(n.Brokers) != 5 || len(n.Bridges) != 5 {
		t.Fatalf("%d brokers and %d bridges, want 5 of each (the district has many)", len(n.Brokers), len(n.Bridges))
	}
	for _, b := range n.Brokers {
		if b.SplitsInto < 2 {
			t.Errorf("broker %s splits its island into %d", b.Node.Name, b.SplitsInto)
		}
	}
	for _, b := range n.Bridges {
		if len(b.Sides) != 2 || b.Sides[1] < 1 || b.Sides[0] < b.Sides[1] {
			t.Errorf("bridge sides %v", b.Sides)
		}
	}
}

func TestEgoNetworkOfTheHospitalAlliance(t *testing.T) {
	h := api(t)
	var a struct {
		Alliance struct {
			ID          string
			Memberships []struct{ Organization struct{ Name string } }
			Attended    []struct{ Date string }
		}
	}
	data(t, h, `{ alliance(name: "民办医院党建联盟") { id memberships(asOf: "2023-10-21") { organization { name } } attended { date } } }`, nil, &a)
	var d struct {
		EgoNetwork struct {
			Centre    struct{ Name string }
			Nodes     []struct{ Distance int }
			Ties      []struct{ Type string }
			Truncated bool
		}
		Small struct {
			Nodes     []struct{ Distance int }
			Truncated bool
		}
	}
	data(t, h, `query($id: ID!) { egoNetwork(id: $id, hops: 1, asOf: "2023-10-21") { centre { name } nodes { distance } ties { type } truncated }
		small: egoNetwork(id: $id, hops: 1, maxNodes: 3, asOf: "2023-10-21") { nodes { distance } truncated } }`,
		map[string]any{"id": a.Alliance.ID}, &d)
	e := d.EgoNetwork
	members := len(a.Alliance.Memberships)
	if e.Centre.Name != "民办医院党建联盟" || e.Truncated {
		t.Fatalf("got %+v", e)
	}
	// One hop: the centre, each member and each event it attended or held (on or before the day).
	if len(e.Nodes) < 1+members {
		t.Errorf("%d nodes within one hop, but %d members", len(e.Nodes), members)
	}
	if !d.Small.Truncated || len(d.Small.Nodes) != 3 {
		t.Errorf("maxNodes 3: %d nodes, truncated %v", len(d.Small.Nodes), d.Small.Truncated)
	}
}

func TestRankingsAndMultiHopCoverage(t *testing.T) {
	h := api(t)
	var d struct {
		Network struct {
			DegreeRanking []struct {
				Rank  int
				Score float64
				Node  struct{ Label string }
			}
			BetweennessRanking struct {
				Exact   bool
				Sources int
				Nodes   []struct{ Score float64 }
			}
			Far0, Far1, Far3 struct{ TotalCount int }
		}
		NotCovered struct{ TotalCount int }
	}
	data(t, h, `{ network(asOf: "2023-10-21") {
		degreeRanking(first: 5, label: "Organization") { rank score node { label } }
		betweennessRanking(first: 5) { exact sources nodes { score } }
		far0: farFromCoverage(hops: 0) { totalCount }
		far1: farFromCoverage(hops: 1) { totalCount }
		far3: farFromCoverage(hops: 3) { totalCount } }
		notCovered: organizations(where: {coverage: [WORK, UNCOVERED], asOf: "2023-10-21"}) { totalCount } }`, nil, &d)
	n := d.Network
	if len(n.DegreeRanking) != 5 || n.DegreeRanking[0].Node.Label != "Organization" {
		t.Fatalf("degree ranking %+v", n.DegreeRanking)
	}
	for i := 1; i < len(n.DegreeRanking); i++ {
		if n.DegreeRanking[i].Score > n.DegreeRanking[i-1].Score || n.DegreeRanking[i].Rank != i+1 {
			t.Errorf("degree ranking out of order: %+v", n.DegreeRanking)
		}
	}
	b := n.BetweennessRanking
	if b.Exact || b.Sources != 1000 || len(b.Nodes) != 5 || b.Nodes[0].Score <= 0 {
		t.Errorf("betweenness %+v", b)
	}
	if n.Far0.TotalCount != d.NotCovered.TotalCount {
		t.Errorf("within 0 hops: %d organisations far from coverage, but %d are not covered", n.Far0.TotalCount, d.NotCovered.TotalCount)
	}
	if !(n.Far3.TotalCount <= n.Far1.TotalCount && n.Far1.TotalCount <= n.Far0.TotalCount && n.Far3.TotalCount < n.Far0.TotalCount) {
		t.Errorf("far from coverage should shrink with hops: %d, %d, %d", n.Far0.TotalCount, n.Far1.TotalCount, n.Far3.TotalCount)
	}
}

func TestCoverageCandidatesAreRankedWithReasons(t *testing.T) {
	h := api(t)
	var list struct {
		Organizations struct {
			Nodes []struct {
				ID        string
				Community *struct{ ID, Name string }
			}
		}
	}
	data(t, h, `{ organizations(where: {coverage: [UNCOVERED], isolated: true, sector: [ENTERPRISE], asOf: "2023-10-21"}, first: 30) {
		nodes { id community { id name } } } }`, nil, &list)
	var org string
	var community struct{ ID, Name string }
	for _, n := range list.Organizations.Nodes {
		if n.Community != nil {
			org, community = n.ID, *n.Community
			break
		}
	}
	if org == "" {
		t.Fatal("no isolated, uncovered enterprise on a community's patch in the demo data")
	}
	var d struct {
		CoverageCandidates struct {
			Coverage   struct{ Status string }
			Candidates []struct {
				Rank    int
				Score   float64
				Load    int
				Hops    *int
				Reasons []string
				Node    struct{ ID, Label, Name string }
			}
		}
	}
	data(t, h, `query($id: ID!) { coverageCandidates(organization: $id, first: 10, asOf: "2023-10-21") {
		coverage { status } candidates { rank score load hops reasons node { id label name } } } }`, map[string]any{"id": org}, &d)
	c := d.CoverageCandidates
	if c.Coverage.Status != "UNCOVERED" || len(c.Candidates) < 2 {
		t.Fatalf("got %+v", c)
	}
	ownCommunity := false
	for i, cand := range c.Candidates {
		if cand.Rank != i+1 || (i > 0 && cand.Score > c.Candidates[i-1].Score) {
			t.Errorf("candidates not ranked by score: %+v", c.Candidates)
		}
		if len(cand.Reasons) == 0 {
			t.Errorf("%s has no reasons", cand.Node.Name)
		}
		if cand.Hops != nil {
			t.Errorf("%s is %d hops from an isolated organisation", cand.Node.Name, *cand.Hops)
		}
		if cand.Node.ID == community.ID {
			ownCommunity = true
		}
	}
	if !ownCommunity {
		t.Errorf("its own community %s is not among the candidates %+v", community.Name, c.Candidates)
	}
	for _, q := range []string{
		`{ coverageCandidates(organization: "og-000001", first: 51) { candidates { rank } } }`,
		`{ coverageCandidates(organization: "al-000001") { candidates { rank } } }`,
	} {
		if code, msg := errorCode(t, h, q, nil); code != "BAD_USER_INPUT" {
			t.Errorf("%s: %s %s", q, code, msg)
		}
	}
}

// TestAHandBuiltIslandWithDatesAndEqualChains writes a small island with known answers
// next to the demo data: a tie that ends, a member that joins late, two equally short
// chains, and an organisation covered only through work coverage. Counting the write in
// the graph's version must make the next answer see it.
func TestAHandBuiltIslandWithDatesAndEqualChains(t *testing.T) {
	h := api(t)
	version := func() string {
		var d struct {
			Network struct{ Provenance struct{ GraphVersion string } }
		}
		data(t, h, `{ network(asOf: "2021-06-01") { provenance { graphVersion } } }`, nil, &d)
		return d.Network.Provenance.GraphVersion
	}
	before := version()
	neo4jtest.Write(t, `
		CREATE (a:Organization:Enterprise {id: 'og-990000001', name: '手建甲', kind: 'ENTERPRISE', sector: 'ENTERPRISE', headcount: 5, partyMembers: 0})
		CREATE (b:Organization:Enterprise {id: 'og-990000002', name: '手建乙', kind: 'ENTERPRISE', sector: 'ENTERPRISE', headcount: 5, partyMembers: 0})
		CREATE (c:Organization:Enterprise {id: 'og-990000003', name: '手建丙', kind: 'ENTERPRISE', sector: 'ENTERPRISE', headcount: 5, partyMembers: 0})
		CREATE (h1:Alliance {id: 'al-99000001', name: '手建联盟一', kind: 'CLUSTER_ALLIANCE'})
		CREATE (h2:Alliance {id: 'al-99000002', name: '手建联盟二', kind: 'CLUSTER_ALLIANCE'})
		CREATE (p:Person {id: 'pe-99000001', name: '手建指导员'})
		CREATE (a)-[:MEMBER_OF {role: 'MEMBER', since: date('2020-01-01')}]->(h1)
		CREATE (b)-[:MEMBER_OF {role: 'MEMBER', since: date('2020-01-01'), until: date('2022-01-01')}]->(h1)
		CREATE (c)-[:MEMBER_OF {role: 'MEMBER', since: date('2021-01-01')}]->(h1)
		CREATE (a)-[:MEMBER_OF {role: 'MEMBER', since: date('2020-01-01')}]->(h2)
		CREATE (c)-[:MEMBER_OF {role: 'MEMBER', since: date('2021-01-01')}]->(h2)
		CREATE (p)-[:ASSIGNED_TO {role: 'INSTRUCTOR', since: date('2020-01-01')}]->(c)`, nil)
	neo4jtest.Changed(t)
	t.Cleanup(func() {
		neo4jtest.Write(t, `MATCH (n) WHERE n.id IN ['og-990000001', 'og-990000002', 'og-990000003', 'al-99000001', 'al-99000002', 'pe-99000001']
			DETACH DELETE n`, nil)
		neo4jtest.Changed(t)
	})
	if after := version(); after == before {
		t.Fatalf("the graph's version did not change with the write: %s", after)
	}
	path := func(from, to, day string) (bool, int, float64) {
		var d struct {
			Path struct {
				Found bool
				Hops  *int
				Count float64
			}
		}
		data(t, h, `query($a: ID!, $b: ID!, $d: Date!) { path(from: $a, to: $b, asOf: $d) { found hops count } }`,
			map[string]any{"a": from, "b": to, "d": day}, &d)
		hops := -1
		if d.Path.Hops != nil {
			hops = *d.Path.Hops
		}
		return d.Path.Found, hops, d.Path.Count
	}
	for _, tc := range []struct {
		what, from, to, day string
		found               bool
		hops                int
		count               float64
	}{
		{"a tie in force", "og-990000001", "og-990000002", "2021-06-01", true, 2, 1},
		{"the same tie after it ended", "og-990000001", "og-990000002", "2023-01-01", false, -1, 0},
		{"before the member joined", "og-990000001", "og-990000003", "2020-06-01", false, -1, 0},
		{"two equally short chains", "og-990000001", "og-990000003", "2023-01-01", true, 2, 2},
	} {
		if found, hops, count := path(tc.from, tc.to, tc.day); found != tc.found || hops != tc.hops || count != tc.count {
			t.Errorf("%s: found %v, %d hops, %v chains; want %v, %d, %v", tc.what, found, hops, count, tc.found, tc.hops, tc.count)
		}
	}
	var cov struct {
		Organization struct {
			Coverage struct{ Status, Reason string }
		}
	}
	data(t, h, `{ organization(id: "og-990000003") { coverage(asOf: "2023-01-01") { status reason } } }`, nil, &cov)
	if cov.Organization.Coverage.Status != "WORK" || !strings.Contains(cov.Organization.Coverage.Reason, "instructor") {
		t.Errorf("covered only through work coverage: %+v", cov.Organization.Coverage)
	}
}
