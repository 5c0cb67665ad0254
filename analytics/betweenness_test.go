package analytics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"cobuild"
)

// sampledAndExact returns a projection's betweenness computed exactly and from a sample of
// the given size.
func sampledAndExact(t *testing.T, g *Graph, sample int) (exact, sampled Centrality) {
	t.Helper()
	old, oldN := ExactBetweennessUpTo, SampleSources
	defer func() { ExactBetweennessUpTo, SampleSources = old, oldN }()
	var nodes []NodeInfo
	for i := 0; i < g.Nodes(); i++ {
		nodes = append(nodes, NodeInfo{ID: g.ID(i)})
	}
	ExactBetweennessUpTo = g.Nodes()
	exact = NewProjection(g, nodes, nil).Betweenness()
	ExactBetweennessUpTo, SampleSources = sample-1, sample
	sampled = NewProjection(g, nodes, nil).Betweenness()
	if !exact.Exact || sampled.Exact || sampled.Sources != sample {
		t.Fatalf("exact %v, sampled %v from %d sources, want %d", exact.Exact, sampled.Exact, sampled.Sources, sample)
	}
	return exact, sampled
}

// On a chain of 600 nodes numbered along it, node i lies between i × (599 - i) pairs. A
// sample of 200 evenly spread sources, scaled by 3, is within 5% of that for every node
// with a fifth of the top score or more; the first 200 sources, or an unscaled sum, are
// off by a third and more.
func TestSampledBetweennessOfAChain(t *testing.T) {
	const n = 600
	g := NewGraph()
	for i := 0; i < n-1; i++ {
		g.Tie(g.Node(fmt.Sprint("c", i)), g.Node(fmt.Sprint("c", i+1)))
	}
	exact, sampled := sampledAndExact(t, g, 200)
	top := 0.0
	for i := 0; i < n; i++ {
		want := float64(i * (n - 1 - i))
		if math.Abs(exact.Scores[i]-want) > 1e-6 {
			t.Fatalf("exact score of node %d: %v, want %v", i, exact.Scores[i], want)
		}
		top = math.Max(top, want)
	}
	checked := 0
	for i := 0; i < n; i++ {
		if exact.Scores[i] < top/5 {
			continue
		}
		checked++
		if rel := math.Abs(sampled.Scores[i]-exact.Scores[i]) / exact.Scores[i]; rel > 0.05 {
			t.Fatalf("node %d: sampled %v, exact %v (%.1f%% off, at most 5%%)", i, sampled.Scores[i], exact.Scores[i], 100*rel)
		}
	}
	if checked < n/2 {
		t.Fatalf("only %d nodes checked", checked)
	}
}

// On a random connected graph of 500 nodes, a sample of 250 sources estimates the total
// betweenness within 5% and every node's within a tenth of the top score, and finds the
// same most central node.
func TestSampledBetweennessOfARandomGraph(t *testing.T) {
	const n = 500
	r := rand.New(rand.NewPCG(500, 250))
	g := NewGraph()
	for i := 0; i < n; i++ {
		g.Node(fmt.Sprint("r", i))
	}
	for i := 1; i < n; i++ {
		g.Tie(i, r.IntN(i)) // a random tree keeps it connected
	}
	for i := 0; i < n/2; i++ {
		g.Tie(r.IntN(n), r.IntN(n))
	}
	exact, sampled := sampledAndExact(t, g, 250)
	var sumExact, sumSampled, top float64
	argExact, argSampled := 0, 0
	for i := 0; i < n; i++ {
		sumExact += exact.Scores[i]
		sumSampled += sampled.Scores[i]
		if exact.Scores[i] > exact.Scores[argExact] {
			argExact = i
		}
		if sampled.Scores[i] > sampled.Scores[argSampled] {
			argSampled = i
		}
		top = math.Max(top, exact.Scores[i])
	}
	if rel := math.Abs(sumSampled-sumExact) / sumExact; rel > 0.05 {
		t.Errorf("total betweenness: sampled %v, exact %v (%.1f%% off, at most 5%%)", sumSampled, sumExact, 100*rel)
	}
	for i := 0; i < n; i++ {
		if d := math.Abs(sampled.Scores[i] - exact.Scores[i]); d > top/10 {
			t.Errorf("node %d: sampled %v, exact %v: off by more than a tenth of the top score %v", i, sampled.Scores[i], exact.Scores[i], top)
		}
	}
	if argExact != argSampled {
		t.Errorf("most central: sampled %d, exact %d", argSampled, argExact)
	}
}

// DegreesOf counts each place row's ties in the projection (0 for an organisation it does
// not hold) and keeps the counts per places.
func TestDegreesOfPlaces(t *testing.T) {
	g := NewGraph()
	a, b, c := g.Node("og-a"), g.Node("og-b"), g.Node("al-1")
	g.Tie(a, c)
	g.Tie(b, c)
	g.Tie(a, b)
	g.Tie(a, c) // a second membership counts again
	var nodes []NodeInfo
	for i := 0; i < g.Nodes(); i++ {
		nodes = append(nodes, NodeInfo{ID: g.ID(i)})
	}
	p := NewProjection(g, nodes, nil)
	places := NewPlaces([]cobuild.CensusRow{{ID: "og-b"}, {ID: "og-a"}, {ID: "og-z"}})
	d := p.DegreesOf(places)
	if len(d) != 3 || d[0] != 2 || d[1] != 3 || d[2] != 0 {
		t.Fatalf("degrees %v, want [2 3 0]", d)
	}
	if again := p.DegreesOf(places); &again[0] != &d[0] {
		t.Error("the degrees were counted again")
	}
	other := NewPlaces([]cobuild.CensusRow{{ID: "al-1"}})
	if d := p.DegreesOf(other); len(d) != 1 || d[0] != 3 {
		t.Errorf("other places: %v, want [3]", d)
	}
}
