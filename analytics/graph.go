// Package analytics holds the network computations of the joint-building graph: islands
// (connected components), brokers (articulation points), bridges, shortest paths with
// their count, ego networks, degree and betweenness. It works on an in-memory projection
// of the ties, undirected and possibly with parallel ties, and imports no database: the
// store builds the projection, these functions compute on it, and the tests compare each
// with a brute-force reference.
package analytics

import "slices"

// Graph is an undirected multigraph: nodes are numbered 0..N-1, ties 0..M-1, and a tie
// may join the same two nodes as another. A graph patched from another (patched) shares
// with it what did not change; a tie it removed keeps its number but joins nothing.
type Graph struct {
	ids   []string
	index map[string]int
	// extra indexes the nodes added by patches, apart from index, which is shared.
	extra map[string]int
	adj   vec[[]half]
	ends  [][2]int
	// dead are the ties removed by patches.
	dead map[int]bool
}

// half is a tie seen from one of its ends.
type half struct {
	to, tie int
}

// NewGraph returns an empty graph.
func NewGraph() *Graph { return &Graph{index: map[string]int{}} }

// Node returns the number of the node with the id, adding it when new.
func (g *Graph) Node(id string) int {
	if n, ok := g.Lookup(id); ok {
		return n
	}
	n := len(g.ids)
	g.ids = append(g.ids, id)
	g.index[id] = n
	g.adj.push(nil)
	return n
}

// Lookup returns the number of a node, and false when the graph has no such node.
func (g *Graph) Lookup(id string) (int, bool) {
	if n, ok := g.index[id]; ok {
		return n, ok
	}
	n, ok := g.extra[id]
	return n, ok
}

// Tie adds a tie between two nodes and returns its number. A loop (a == b) is kept as a
// tie but joins nothing.
func (g *Graph) Tie(a, b int) int {
	t := len(g.ends)
	g.ends = append(g.ends, [2]int{a, b})
	if a != b {
		g.adj.set(a, append(g.adj.at(a), half{b, t}))
		g.adj.set(b, append(g.adj.at(b), half{a, t}))
	}
	return t
}

// ID returns the id of a node.
func (g *Graph) ID(n int) string { return g.ids[n] }

// Ends returns the two nodes of a tie.
func (g *Graph) Ends(t int) (int, int) { return g.ends[t][0], g.ends[t][1] }

// Nodes returns the number of nodes.
func (g *Graph) Nodes() int { return len(g.ids) }

// Ties returns the number of tie numbers, those removed by patches included.
func (g *Graph) Ties() int { return len(g.ends) }

// LiveTies returns the number of ties that join their nodes.
func (g *Graph) LiveTies() int { return len(g.ends) - len(g.dead) }

// Dead says whether a patch removed tie t.
func (g *Graph) Dead(t int) bool { return g.dead[t] }

// Degree returns the number of ties at a node (parallel ties count each).
func (g *Graph) Degree(n int) int { return len(g.adj.at(n)) }

// adjAt returns the ties at a node.
func (g *Graph) adjAt(n int) []half { return g.adj.at(n) }

// Neighbours calls fn for every tie at a node with the node at its other end.
func (g *Graph) Neighbours(n int, fn func(other, tie int)) {
	for _, h := range g.adj.at(n) {
		fn(h.to, h.tie)
	}
}

// patched returns the graph with the ties remove removed, the nodes ids added and the
// ties add (between node numbers, the new nodes numbered after the old) added. Only the
// lists of ties of the nodes at a removed or added tie are copied; the rest is shared.
// Patches of one graph follow each other: the lists grown in place past the ends of the
// old graph's are never seen by it.
func (g *Graph) patched(remove map[int]bool, ids []string, add [][2]int) *Graph {
	out := &Graph{index: g.index, extra: g.extra, ids: append(g.ids, ids...), ends: g.ends, dead: g.dead}
	if len(ids) > 0 {
		out.extra = make(map[string]int, len(g.extra)+len(ids))
		for k, v := range g.extra {
			out.extra[k] = v
		}
		for i, id := range ids {
			out.extra[id] = len(g.ids) + i
		}
	}
	if len(remove) > 0 {
		out.dead = make(map[int]bool, len(g.dead)+len(remove))
		for t := range g.dead {
			out.dead[t] = true
		}
		for t := range remove {
			out.dead[t] = true
		}
	}
	lists := map[int][]half{}
	list := func(n int) []half {
		if l, ok := lists[n]; ok {
			return l
		}
		var l []half
		if n < g.Nodes() {
			l = slices.Clone(g.adj.at(n))
		}
		lists[n] = l
		return l
	}
	for t := range remove {
		a, b := g.Ends(t)
		for _, n := range []int{a, b} {
			lists[n] = slices.DeleteFunc(list(n), func(h half) bool { return h.tie == t })
		}
	}
	for _, e := range add {
		t := len(out.ends)
		out.ends = append(out.ends, e)
		if e[0] != e[1] {
			lists[e[0]] = append(list(e[0]), half{e[1], t})
			lists[e[1]] = append(list(e[1]), half{e[0], t})
		}
	}
	set := map[int][]half{}
	var grown [][]half
	for n, l := range lists {
		if n < g.Nodes() {
			set[n] = l
		}
	}
	for i := range ids {
		grown = append(grown, lists[g.Nodes()+i])
	}
	out.adj = g.adj.with(set, grown)
	return out
}

// Mask hides nodes and ties from a computation without copying the graph, for what-if
// questions ("if this alliance went away"). A nil Mask hides nothing.
type Mask struct {
	Nodes map[int]bool
	Ties  map[int]bool
}

func (m *Mask) node(n int) bool { return m != nil && m.Nodes[n] }
func (m *Mask) tie(t int) bool  { return m != nil && m.Ties[t] }
