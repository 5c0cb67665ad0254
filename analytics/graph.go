// Package analytics holds the network computations of the joint-building graph: islands
// (connected components), brokers (articulation points), bridges, shortest paths with
// their count, ego networks, degree and betweenness. It works on an in-memory projection
// of the ties, undirected and possibly with parallel ties, and imports no database: the
// store builds the projection, these functions compute on it, and the tests compare each
// with a brute-force reference.
package analytics

// Graph is an undirected multigraph: nodes are numbered 0..N-1, ties 0..M-1, and a tie
// may join the same two nodes as another.
type Graph struct {
	ids   []string
	index map[string]int
	adj   [][]half
	ends  [][2]int
}

// half is a tie seen from one of its ends.
type half struct {
	to, tie int
}

// NewGraph returns an empty graph.
func NewGraph() *Graph { return &Graph{index: map[string]int{}} }

// Node returns the number of the node with the id, adding it when new.
func (g *Graph) Node(id string) int {
	if n, ok := g.index[id]; ok {
		return n
	}
	n := len(g.ids)
	g.ids = append(g.ids, id)
	g.index[id] = n
	g.adj = append(g.adj, nil)
	return n
}

// Lookup returns the number of a node, and false when the graph has no such node.
func (g *Graph) Lookup(id string) (int, bool) {
	n, ok := g.index[id]
	return n, ok
}

// Tie adds a tie between two nodes and returns its number. A loop (a == b) is kept as a
// tie but joins nothing.
func (g *Graph) Tie(a, b int) int {
	t := len(g.ends)
	g.ends = append(g.ends, [2]int{a, b})
	if a != b {
		g.adj[a] = append(g.adj[a], half{b, t})
		g.adj[b] = append(g.adj[b], half{a, t})
	}
	return t
}

// ID returns the id of a node.
func (g *Graph) ID(n int) string { return g.ids[n] }

// Ends returns the two nodes of a tie.
func (g *Graph) Ends(t int) (int, int) { return g.ends[t][0], g.ends[t][1] }

// Nodes returns the number of nodes.
func (g *Graph) Nodes() int { return len(g.ids) }

// Ties returns the number of ties.
func (g *Graph) Ties() int { return len(g.ends) }

// Degree returns the number of ties at a node (parallel ties count each).
func (g *Graph) Degree(n int) int { return len(g.adj[n]) }

// Neighbours calls fn for every tie at a node with the node at its other end.
func (g *Graph) Neighbours(n int, fn func(other, tie int)) {
	for _, h := range g.adj[n] {
		fn(h.to, h.tie)
	}
}

// Mask hides nodes and ties from a computation without copying the graph, for what-if
// questions ("if this alliance went away"). A nil Mask hides nothing.
type Mask struct {
	Nodes map[int]bool
	Ties  map[int]bool
}

func (m *Mask) node(n int) bool { return m != nil && m.Nodes[n] }
func (m *Mask) tie(t int) bool  { return m != nil && m.Ties[t] }
