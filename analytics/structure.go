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
			for _, h := range g.adj[n] {
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

// Cuts returns the articulation points (brokers: nodes whose removal splits their island)
// and the bridges (ties whose removal splits it), by an iterative depth-first search that
// keeps low-links (Tarjan), so that a million-node graph needs no deep call stack. A tie
// with a parallel twin is never a bridge.
func (g *Graph) Cuts(m *Mask) (points []int, bridges []int) {
	n := g.Nodes()
	disc := make([]int, n)
	low := make([]int, n)
	isPoint := make([]bool, n)
	for i := range disc {
		disc[i] = -1
	}
	type frame struct {
		node, parentTie, next, children int
	}
	timer := 0
	var stack []frame
	for root := 0; root < n; root++ {
		if disc[root] >= 0 || m.node(root) {
			continue
		}
		disc[root], low[root] = timer, timer
		timer++
		stack = append(stack[:0], frame{node: root, parentTie: -1})
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next < len(g.adj[f.node]) {
				h := g.adj[f.node][f.next]
				f.next++
				if h.tie == f.parentTie || m.tie(h.tie) || m.node(h.to) {
					continue
				}
				if disc[h.to] >= 0 {
					low[f.node] = min(low[f.node], disc[h.to])
					continue
				}
				disc[h.to], low[h.to] = timer, timer
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
					isPoint[done.node] = true
				}
				continue
			}
			p := &stack[len(stack)-1]
			low[p.node] = min(low[p.node], low[done.node])
			if low[done.node] > disc[p.node] {
				bridges = append(bridges, done.parentTie)
			}
			if len(stack) > 1 && low[done.node] >= disc[p.node] {
				isPoint[p.node] = true
			}
		}
	}
	for i, ok := range isPoint {
		if ok {
			points = append(points, i)
		}
	}
	return points, bridges
}
