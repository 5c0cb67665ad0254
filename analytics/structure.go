package analytics

// Components returns the islands: for every node not hidden, the number of its component,
// components numbered 0.. in order of their smallest node; hidden nodes get -1. It also
// returns the number of components.
func (g *Graph) Components(m *Mask) ([]int, int) {
	comp := make([]int, g.Nodes())
	for i := range comp {
		comp[i] = -1
	}
	count := 0
	stack := []int{}
	for s := range comp {
		if comp[s] >= 0 || m.node(s) {
			continue
		}
		comp[s] = count
		stack = append(stack[:0], s)
		for len(stack) > 0 {
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, h := range g.adjAt(n) {
				if comp[h.to] < 0 && !m.node(h.to) && !m.tie(h.tie) {
					comp[h.to] = count
					stack = append(stack, h.to)
				}
			}
		}
		count++
	}
	return comp, count
}

// CutInfo describes the cut nodes and ties of the graph.
type CutInfo struct {
	// Points are the articulation points (brokers: nodes whose removal splits their
	// island), in node order, and Parts[i] the number of islands Points[i]'s island
	// becomes without it.
	Points []int
	Parts  []int
	// Bridges are the ties whose removal splits their island, and Side[i] the size of the
	// part that Bridges[i] cuts off on the side away from where the search started.
	Bridges []int
	Side    []int
}

// Cuts finds the articulation points and bridges by an iterative depth-first search that
// keeps low-links and subtree sizes (Tarjan), so that a million-node graph needs no deep
// call stack and each split is sized in the same pass. A tie with a parallel twin is
// never a bridge.
func (g *Graph) Cuts(m *Mask) CutInfo {
	n := g.Nodes()
	disc := make([]int, n)
	low := make([]int, n)
	size := make([]int, n)
	parts := make([]int, n) // child subtrees a node separates, plus one for its parent's side
	for i := range disc {
		disc[i] = -1
	}
	type frame struct {
		node, parentTie, next, children int
	}
	var info CutInfo
	timer := 0
	var stack []frame
	for root := 0; root < n; root++ {
		if disc[root] >= 0 || m.node(root) {
			continue
		}
		disc[root], low[root], size[root] = timer, timer, 1
		timer++
		stack = append(stack[:0], frame{node: root, parentTie: -1})
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next < len(g.adjAt(f.node)) {
				h := g.adjAt(f.node)[f.next]
				f.next++
				if h.tie == f.parentTie || m.tie(h.tie) || m.node(h.to) {
					continue
				}
				if disc[h.to] >= 0 {
					low[f.node] = min(low[f.node], disc[h.to])
					continue
				}
				disc[h.to], low[h.to], size[h.to] = timer, timer, 1
				timer++
				f.children++
				stack = append(stack, frame{node: h.to, parentTie: h.tie})
				continue
			}
			// Every tie of f.node is done: report to the parent.
			done := *f
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				if done.children > 1 {
					parts[done.node] = done.children
				}
				continue
			}
			p := &stack[len(stack)-1]
			size[p.node] += size[done.node]
			low[p.node] = min(low[p.node], low[done.node])
			if low[done.node] > disc[p.node] {
				info.Bridges = append(info.Bridges, done.parentTie)
				info.Side = append(info.Side, size[done.node])
			}
			if len(stack) > 1 && low[done.node] >= disc[p.node] {
				if parts[p.node] == 0 {
					parts[p.node] = 1 // the part holding its parent
				}
				parts[p.node]++
			}
		}
	}
	for i, k := range parts {
		if k > 1 {
			info.Points = append(info.Points, i)
			info.Parts = append(info.Parts, k)
		}
	}
	return info
}
