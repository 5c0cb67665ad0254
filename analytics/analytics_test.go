package analytics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"cobuild"
)

// randomGraph builds a small multigraph with loops, parallel ties and several islands.
func randomGraph(r *rand.Rand) *Graph {
	g := NewGraph()
	n := 1 + r.IntN(11)
	for i := 0; i < n; i++ {
		g.Node(fmt.Sprint("n", i))
	}
	m := r.IntN(2 * n)
	for i := 0; i < m; i++ {
		g.Tie(r.IntN(n), r.IntN(n))
	}
	return g
}

// without copies g minus some nodes and ties, keeping the numbering (removed nodes stay
// as isolated numbers, and are then excluded by the callers).
func without(g *Graph, m *Mask) *Graph {
	c := NewGraph()
	for i := 0; i < g.Nodes(); i++ {
		c.Node(g.ID(i))
	}
	for t := 0; t < g.Ties(); t++ {
		a, b := g.Ends(t)
		if m.tie(t) || m.node(a) || m.node(b) {
			c.Tie(a, a) // keep tie numbers aligned; a loop joins nothing
			continue
		}
		c.Tie(a, b)
	}
	return c
}

// bruteComponents counts islands among the nodes not hidden, with union-find.
func bruteComponents(g *Graph, m *Mask) int {
	parent := make([]int, g.Nodes())
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(x int) int {
		if parent[x] != x {
			parent[x] = find(parent[x])
		}
		return parent[x]
	}
	for t := 0; t < g.Ties(); t++ {
		a, b := g.Ends(t)
		if m.tie(t) || m.node(a) || m.node(b) {
			continue
		}
		parent[find(a)] = find(b)
	}
	roots := map[int]bool{}
	for i := range parent {
		if !m.node(i) {
			roots[find(i)] = true
		}
	}
	return len(roots)
}

func TestIslandsBrokersAndBridgesAgreeWithBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 3000; trial++ {
		g := randomGraph(r)
		var m *Mask
		if trial%3 == 0 {
			m = &Mask{Nodes: map[int]bool{r.IntN(g.Nodes()): true}, Ties: map[int]bool{}}
			if g.Ties() > 0 {
				m.Ties[r.IntN(g.Ties())] = true
			}
		}
		comp, count := g.Components(m)
		if want := bruteComponents(g, m); count != want {
			t.Fatalf("trial %d: %d islands, brute force %d", trial, count, want)
		}
		for tie := 0; tie < g.Ties(); tie++ {
			a, b := g.Ends(tie)
			if !m.tie(tie) && !m.node(a) && !m.node(b) && comp[a] != comp[b] {
				t.Fatalf("trial %d: tie %d joins islands %d and %d", trial, tie, comp[a], comp[b])
			}
		}
		cuts := g.Cuts(m)
		points, bridges := cuts.Points, cuts.Bridges
		isPoint := map[int]bool{}
		partsOf := map[int]int{}
		for i, p := range points {
			isPoint[p] = true
			partsOf[p] = cuts.Parts[i]
		}
		for v := 0; v < g.Nodes(); v++ {
			if m.node(v) {
				continue
			}
			mv := &Mask{Nodes: map[int]bool{v: true}, Ties: map[int]bool{}}
			if m != nil {
				for k := range m.Nodes {
					mv.Nodes[k] = true
				}
				for k := range m.Ties {
					mv.Ties[k] = true
				}
			}
			alone := true
			g.Neighbours(v, func(other, tie int) {
				if !m.tie(tie) && !m.node(other) {
					alone = false
				}
			})
			after := bruteComponents(g, mv)
			want := !alone && after > count
			if isPoint[v] != want {
				t.Fatalf("trial %d: node %d broker=%v, brute force %v (islands %d -> %d)", trial, v, isPoint[v], want, count, after)
			}
			if want && partsOf[v] != after-(count-1) {
				t.Fatalf("trial %d: broker %d splits its island into %d, brute force %d", trial, v, partsOf[v], after-(count-1))
			}
		}
		isBridge := map[int]bool{}
		sideOf := map[int]int{}
		for i, b := range bridges {
			isBridge[b] = true
			sideOf[b] = cuts.Side[i]
		}
		for tie := 0; tie < g.Ties(); tie++ {
			a, b := g.Ends(tie)
			if m.tie(tie) || m.node(a) || m.node(b) || a == b {
				if isBridge[tie] {
					t.Fatalf("trial %d: hidden or loop tie %d reported as bridge", trial, tie)
				}
				continue
			}
			mt := &Mask{Ties: map[int]bool{tie: true}, Nodes: map[int]bool{}}
			if m != nil {
				for k := range m.Nodes {
					mt.Nodes[k] = true
				}
				for k := range m.Ties {
					mt.Ties[k] = true
				}
			}
			if want := bruteComponents(g, mt) > count; isBridge[tie] != want {
				t.Fatalf("trial %d: tie %d bridge=%v, brute force %v", trial, tie, isBridge[tie], want)
			}
			if isBridge[tie] {
				// One side is what a's or b's island becomes without the tie.
				ca, _ := g.Components(mt)
				sa, sb := 0, 0
				for _, c := range ca {
					if c == ca[a] {
						sa++
					}
					if c == ca[b] {
						sb++
					}
				}
				if sideOf[tie] != sa && sideOf[tie] != sb {
					t.Fatalf("trial %d: bridge %d cuts off %d, brute force sides %d and %d", trial, tie, sideOf[tie], sa, sb)
				}
			}
		}
	}
}

// allSimplePaths lists every chain of distinct nodes from src to dst as tie sequences.
func allSimplePaths(g *Graph, src, dst int, m *Mask) [][]int {
	var out [][]int
	seen := map[int]bool{src: true}
	var ties []int
	var walk func(u int)
	walk = func(u int) {
		if u == dst {
			out = append(out, append([]int(nil), ties...))
			return
		}
		g.Neighbours(u, func(v, tie int) {
			if seen[v] || m.tie(tie) || m.node(v) {
				return
			}
			seen[v] = true
			ties = append(ties, tie)
			walk(v)
			ties = ties[:len(ties)-1]
			delete(seen, v)
		})
	}
	walk(src)
	return out
}

func TestShortestPathsAgreeWithBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 3000; trial++ {
		g := randomGraph(r)
		src, dst := r.IntN(g.Nodes()), r.IntN(g.Nodes())
		if src == dst {
			continue
		}
		var m *Mask
		if trial%2 == 0 && g.Ties() > 0 {
			m = &Mask{Ties: map[int]bool{r.IntN(g.Ties()): true}}
		}
		maxHops := 0
		if trial%5 == 0 {
			maxHops = 1 + r.IntN(3)
		}
		all := allSimplePaths(g, src, dst, m)
		best := -1
		var shortest [][]int
		for _, p := range all {
			if maxHops > 0 && len(p) > maxHops {
				continue
			}
			if best < 0 || len(p) < best {
				best, shortest = len(p), nil
			}
			if len(p) == best {
				shortest = append(shortest, p)
			}
		}
		got := g.ShortestPaths(src, dst, maxHops, 3, m)
		if got.Hops != best {
			t.Fatalf("trial %d: %d hops, brute force %d", trial, got.Hops, best)
		}
		if best < 0 {
			continue
		}
		if got.Count != int64(len(shortest)) {
			t.Fatalf("trial %d: %d shortest chains, brute force %d", trial, got.Count, len(shortest))
		}
		if want := min(3, len(shortest)); len(got.Paths) != want {
			t.Fatalf("trial %d: listed %d chains, want %d", trial, len(got.Paths), want)
		}
		seen := map[string]bool{}
		for _, p := range got.Paths {
			if len(p.Ties) != best || p.Nodes[0] != src || p.Nodes[len(p.Nodes)-1] != dst {
				t.Fatalf("trial %d: bad chain %+v", trial, p)
			}
			for i, tie := range p.Ties {
				a, b := g.Ends(tie)
				if !(a == p.Nodes[i] && b == p.Nodes[i+1]) && !(b == p.Nodes[i] && a == p.Nodes[i+1]) {
					t.Fatalf("trial %d: tie %d does not join %d and %d", trial, tie, p.Nodes[i], p.Nodes[i+1])
				}
				if m.tie(tie) {
					t.Fatalf("trial %d: chain uses hidden tie %d", trial, tie)
				}
			}
			key := fmt.Sprint(p.Ties)
			if seen[key] {
				t.Fatalf("trial %d: chain %v listed twice", trial, p.Ties)
			}
			seen[key] = true
		}
	}
}

func TestBetweennessAgreesWithBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 500; trial++ {
		g := randomGraph(r)
		all := make([]int, g.Nodes())
		for i := range all {
			all[i] = i
		}
		got := g.Betweenness(all)
		want := make([]float64, g.Nodes())
		for s := 0; s < g.Nodes(); s++ {
			for d := s + 1; d < g.Nodes(); d++ {
				paths := allSimplePaths(g, s, d, nil)
				best := math.MaxInt
				for _, p := range paths {
					best = min(best, len(p))
				}
				var shortest [][]int
				for _, p := range paths {
					if len(p) == best {
						shortest = append(shortest, p)
					}
				}
				for _, p := range shortest {
					node := s
					for _, tie := range p[:len(p)-1] {
						a, b := g.Ends(tie)
						if a == node {
							node = b
						} else {
							node = a
						}
						want[node] += 1 / float64(len(shortest))
					}
				}
			}
		}
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-9 {
				t.Fatalf("trial %d: node %d betweenness %v, brute force %v", trial, i, got[i], want[i])
			}
		}
	}
}

func TestEgoNetworksAgreeWithBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 2000; trial++ {
		g := randomGraph(r)
		c, hops := r.IntN(g.Nodes()), r.IntN(4)
		e := g.EgoNetwork(c, hops, 0, nil, nil)
		var want []int
		for v := 0; v < g.Nodes(); v++ {
			if v == c {
				want = append(want, v)
				continue
			}
			for _, p := range allSimplePaths(g, c, v, nil) {
				if len(p) <= hops {
					want = append(want, v)
					break
				}
			}
		}
		got := append([]int(nil), e.Nodes...)
		sort.Ints(got)
		if fmt.Sprint(got) != fmt.Sprint(want) || e.Truncated {
			t.Fatalf("trial %d: ego of %d within %d: %v, brute force %v", trial, c, hops, got, want)
		}
		in := map[int]bool{}
		for _, v := range e.Nodes {
			in[v] = true
		}
		wantTies := 0
		for tie := 0; tie < g.Ties(); tie++ {
			if a, b := g.Ends(tie); a != b && in[a] && in[b] {
				wantTies++
			}
		}
		if len(e.Ties) != wantTies {
			t.Fatalf("trial %d: %d ties among the ego, brute force %d", trial, len(e.Ties), wantTies)
		}
		if limited := g.EgoNetwork(c, hops, 2, nil, nil); len(want) > 2 && (!limited.Truncated || len(limited.Nodes) != 2) {
			t.Fatalf("trial %d: a limit of 2 gave %d nodes, truncated %v", trial, len(limited.Nodes), limited.Truncated)
		}
	}
}

func TestAHandBuiltNetwork(t *testing.T) {
	// Two islands: a cycle a-b-c-a with a tail c-d-e, and f=g joined twice.
	g := NewGraph()
	id := func(s string) int { return g.Node(s) }
	g.Tie(id("a"), id("b"))
	g.Tie(id("b"), id("c"))
	g.Tie(id("c"), id("a"))
	cd := g.Tie(id("c"), id("d"))
	de := g.Tie(id("d"), id("e"))
	g.Tie(id("f"), id("g"))
	g.Tie(id("f"), id("g"))
	if _, n := g.Components(nil); n != 2 {
		t.Errorf("%d islands, want 2", n)
	}
	cuts := g.Cuts(nil)
	points, bridges := cuts.Points, cuts.Bridges
	var names []string
	for _, p := range points {
		names = append(names, g.ID(p))
	}
	sort.Strings(names)
	if fmt.Sprint(names) != "[c d]" {
		t.Errorf("brokers %v, want [c d]", names)
	}
	sort.Ints(bridges)
	if fmt.Sprint(bridges) != fmt.Sprint([]int{cd, de}) {
		t.Errorf("bridges %v, want the ties c-d and d-e", bridges)
	}
	if s := g.ShortestPaths(id("a"), id("e"), 0, 5, nil); s.Hops != 3 || s.Count != 1 {
		t.Errorf("a to e: %+v", s)
	}
	if s := g.ShortestPaths(id("f"), id("g"), 0, 5, nil); s.Hops != 1 || s.Count != 2 || len(s.Paths) != 2 {
		t.Errorf("f to g over two parallel ties: %+v", s)
	}
	if s := g.ShortestPaths(id("a"), id("f"), 0, 5, nil); s.Hops != -1 {
		t.Errorf("a to f across islands: %+v", s)
	}
	if s := g.ShortestPaths(id("a"), id("e"), 2, 5, nil); s.Hops != -1 {
		t.Errorf("a to e within 2 hops: %+v", s)
	}
	// Without c, d and e are cut off: three islands.
	if _, n := g.Components(&Mask{Nodes: map[int]bool{id("c"): true}}); n != 3 {
		t.Errorf("without c: %d islands, want 3", n)
	}
}

func TestChainsAreExplainedInWords(t *testing.T) {
	since := func(y, m int) *time.Time { d := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC); return &d }
	nodes := []NodeInfo{{ID: "og-1", Name: "城东社区"}, {ID: "al-1", Name: "民办医院党建联盟"}, {ID: "og-2", Name: "宣城仁杰医院"}, {ID: "ev-1", Name: "联席会议"}, {ID: "og-3", Name: "某企业"}}
	ties := []TieInfo{
		{Type: "MEMBER_OF", From: "og-1", To: "al-1", Role: "COUNCIL", Since: since(2021, 3)},
		{Type: "MEMBER_OF", From: "og-2", To: "al-1", Role: "COUNCIL", Since: since(2022, 5)},
		{Type: "ATTENDED", From: "og-2", To: "ev-1"},
		{Type: "ATTENDED", From: "og-3", To: "ev-1"},
	}
	g, ns, ts := Build(nodes, ties)
	p := NewProjection(g, ns, ts)
	a, _ := g.Lookup("og-1")
	b, _ := g.Lookup("og-2")
	c, _ := g.Lookup("og-3")
	s := g.ShortestPaths(a, b, 0, 1, nil)
	if got, want := p.Explain(s.Paths[0]), "城东社区 is a council unit of 民办医院党建联盟 since 2021-03, of which 宣城仁杰医院 is a council unit since 2022-05"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	s = g.ShortestPaths(a, c, 0, 1, nil)
	if got := p.Explain(s.Paths[0]); !strings.Contains(got, "; 宣城仁杰医院 attended 联席会议; 某企业 attended 联席会议") {
		t.Errorf("a chain through an event: %s", got)
	}
}

// TestRemovalAgreesWithRebuildingWithoutTheNode compares each what-if answer with the
// same questions asked of a graph rebuilt without the node.
func TestRemovalAgreesWithRebuildingWithoutTheNode(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for trial := 0; trial < 2000; trial++ {
		g := randomGraph(r)
		var nodes []NodeInfo
		for i := 0; i < g.Nodes(); i++ {
			label := cobuild.LabelOrganization
			if r.IntN(3) == 0 {
				label = cobuild.LabelAlliance
			}
			nodes = append(nodes, NodeInfo{ID: g.ID(i), Label: label})
		}
		var ties []TieInfo
		for tie := 0; tie < g.Ties(); tie++ {
			a, b := g.Ends(tie)
			ties = append(ties, TieInfo{Type: "MEMBER_OF", From: g.ID(a), To: g.ID(b)})
		}
		gg, ns, ts := Build(nodes, ties)
		p := NewProjection(gg, ns, ts)
		x := r.IntN(gg.Nodes())
		got := p.Remove(x)

		var keptNodes []NodeInfo
		for i, n := range ns {
			if i != x {
				keptNodes = append(keptNodes, n)
			}
		}
		var keptTies []TieInfo
		for _, tie := range ts {
			if tie.From != ns[x].ID && tie.To != ns[x].ID {
				keptTies = append(keptTies, tie)
			}
		}
		h, hn, _ := Build(keptNodes, keptTies)
		_, after := h.Components(nil)
		if got.IslandsAfter != after {
			t.Fatalf("trial %d: %d islands without node %d, rebuilt graph has %d", trial, got.IslandsAfter, x, after)
		}
		var want []string
		for i := 0; i < h.Nodes(); i++ {
			orig, _ := gg.Lookup(hn[i].ID)
			hadTie := false
			gg.Neighbours(orig, func(other, _ int) { hadTie = hadTie || other != orig })
			if hn[i].Label == "Organization" && h.Degree(i) == 0 && hadTie {
				want = append(want, hn[i].ID)
			}
		}
		var gotIDs []string
		for _, n := range got.NewlyIsolated {
			gotIDs = append(gotIDs, ns[n].ID)
		}
		sort.Strings(want)
		sort.Strings(gotIDs)
		if fmt.Sprint(want) != fmt.Sprint(gotIDs) {
			t.Fatalf("trial %d: newly isolated %v, rebuilt graph %v", trial, gotIDs, want)
		}
	}
}

func TestFarFromAgreesWithBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for trial := 0; trial < 2000; trial++ {
		g := randomGraph(r)
		var set []int
		for i := 0; i < g.Nodes(); i++ {
			if r.IntN(4) == 0 {
				set = append(set, i)
			}
		}
		hops := r.IntN(4)
		got := g.FarFrom(set, hops)
		var want []int
		for v := 0; v < g.Nodes(); v++ {
			near := false
			for _, s := range set {
				if s == v {
					near = true
				}
				for _, p := range allSimplePaths(g, s, v, nil) {
					if len(p) <= hops {
						near = true
					}
				}
			}
			if !near {
				want = append(want, v)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("trial %d: far from %v within %d: %v, brute force %v", trial, set, hops, got, want)
		}
	}
}

func TestSampledBetweennessIsScaledFromItsSources(t *testing.T) {
	old, oldN := ExactBetweennessUpTo, SampleSources
	defer func() { ExactBetweennessUpTo, SampleSources = old, oldN }()
	g := NewGraph()
	for i := 0; i < 40; i++ {
		g.Tie(g.Node(fmt.Sprint("p", i)), g.Node(fmt.Sprint("p", i+1)))
	}
	var nodes []NodeInfo
	for i := 0; i < g.Nodes(); i++ {
		nodes = append(nodes, NodeInfo{ID: g.ID(i)})
	}
	exact := NewProjection(g, nodes, nil).Betweenness()
	ExactBetweennessUpTo, SampleSources = 10, 41
	sampled := NewProjection(g, nodes, nil).Betweenness()
	if !exact.Exact || sampled.Exact || sampled.Sources != 41 {
		t.Fatalf("exact %v, sampled %v from %d", exact.Exact, sampled.Exact, sampled.Sources)
	}
	for i := range exact.Scores {
		if math.Abs(exact.Scores[i]-sampled.Scores[i]) > 1e-9 {
			t.Fatalf("all 41 nodes sampled should give the exact score: node %d %v vs %v", i, sampled.Scores[i], exact.Scores[i])
		}
	}
}

func TestDistancesAgreeWithBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for trial := 0; trial < 2000; trial++ {
		g := randomGraph(r)
		src, maxHops := r.IntN(g.Nodes()), r.IntN(5)
		targets := make([]int, r.IntN(4)+1)
		for i := range targets {
			targets[i] = r.IntN(g.Nodes())
		}
		got := g.Distances(src, targets, maxHops)
		for i, v := range targets {
			want := -1
			if v == src {
				want = 0
			}
			for _, p := range allSimplePaths(g, src, v, nil) {
				if len(p) <= maxHops && (want < 0 || len(p) < want) {
					want = len(p)
				}
			}
			if got[i] != want {
				t.Fatalf("trial %d: distance %d→%d within %d is %d, brute force %d", trial, src, v, maxHops, got[i], want)
			}
			// A node budget may leave a target unreached, never give it another distance.
			budget := r.IntN(g.Nodes()) + 1
			if b := g.DistancesWithin(src, targets, maxHops, budget)[i]; b != -1 && b != want {
				t.Fatalf("trial %d: distance %d→%d within %d nodes is %d, brute force %d", trial, src, v, budget, b, want)
			}
			if b := g.DistancesWithin(src, targets, maxHops, 1)[i]; (v == src && b != 0) || (v != src && b != -1) {
				t.Fatalf("trial %d: a budget of one node (the source) reaches %d at %d", trial, v, b)
			}
			if b := g.DistancesWithin(src, targets, maxHops, g.Nodes())[i]; b != want {
				t.Fatalf("trial %d: a budget of every node gives %d, brute force %d", trial, b, want)
			}
		}
	}
}

func TestCandidatesLeaveTheOrganisationItselfOut(t *testing.T) {
	rows := []cobuild.CensusRow{
		{ID: "og-1", CommunityID: "og-9", ParkID: "ar-1", IndustryID: "in-1", Coverers: []string{"po-1"}},
		{ID: "og-2", CommunityID: "og-9", ParkID: "ar-1", Coverers: []string{"po-1"}},
		{ID: "og-3", IndustryID: "in-1", Coverers: []string{"pe-2", "pe-2"}},
		{ID: "og-4", CommunityID: "og-8", IndustryID: "in-2", Coverers: []string{"po-3"}},
		{ID: "og-9", Name: "城东社区", Kind: cobuild.OrgCommunity},
	}
	c := NewCensus(cobuild.DefaultRules(), NewPlaces(rows), rows)
	g, nodes, ties := Build([]NodeInfo{{ID: "og-1", Label: "Organization"}, {ID: "og-9", Label: "Organization", Name: "城东社区"},
		{ID: "po-1", Label: "PartyOrg", Kind: "JOINT_BRANCH", Name: "联合党支部"}, {ID: "pe-2", Label: "Person", Name: "张三"}},
		[]TieInfo{{Type: "CO_BUILDS_WITH", From: "og-2", To: "og-9"}, {Type: "CO_BUILDS_WITH", From: "og-4", To: "og-9"},
			{Type: "MEMBER_OF", From: "og-9", To: "al-1"}})
	p := NewProjection(g, nodes, ties)
	got := fmt.Sprintf("%+v", c.Candidates(p, "og-1"))
	want := fmt.Sprintf("%+v", []cobuild.Candidate{
		{ID: "pe-2", Label: "Person", Name: "张三", Load: 1, SharedIndustry: 1},
		{ID: "po-1", Label: "PartyOrg", Kind: "JOINT_BRANCH", Name: "联合党支部", Load: 1, SharedCommunity: 1, SharedPark: 1},
		{ID: "og-9", Label: "Organization", Kind: "COMMUNITY", Name: "城东社区", Load: 2, SharedCommunity: 1},
	})
	if got != want {
		t.Errorf("candidates of og-1:\n got %s\nwant %s", got, want)
	}
	if c.Candidates(p, "og-404") != nil {
		t.Error("an organisation the census does not hold has candidates")
	}
}
