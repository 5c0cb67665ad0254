package analytics

// Removal is what the network would look like without one node: nothing is written.
type Removal struct {
	// Node is the node removed.
	Node int
	// IslandsBefore and IslandsAfter count the islands with and without it (the removed
	// node no longer counts as a node of any island).
	IslandsBefore, IslandsAfter int
	// NewlyIsolated are the organisations that had a tie before and none without it.
	NewlyIsolated []int
	// Split lists the sizes of the parts its own island breaks into, largest first.
	Split []int
}

// Remove answers "what if this node went away" on the projection.
func (p *Projection) Remove(node int) Removal {
	g := p.Graph
	before := p.Islands().Count
	mask := &Mask{Nodes: map[int]bool{node: true}}
	comp, after := g.Components(mask)
	r := Removal{Node: node, IslandsBefore: before, IslandsAfter: after}
	parts := map[int]int{}
	var candidates []int
	for _, h := range g.adj[node] {
		if h.to == node {
			continue
		}
		parts[comp[h.to]] = 0
		candidates = append(candidates, h.to)
		if p.Ties[h.tie].Type == "MENTORS" {
			// A mentee's organisation is tied in through the mentee's work.
			for _, k := range g.adj[h.to] {
				if p.Ties[k.tie].Type == "WORKS_AT" {
					candidates = append(candidates, k.to)
				}
			}
		}
	}
	for _, v := range candidates {
		if p.Nodes[v].Label == "Organization" && v != node && !contains(r.NewlyIsolated, v) && p.tiedBefore(v) && !p.tiedWithout(v, node) {
			r.NewlyIsolated = append(r.NewlyIsolated, v)
		}
	}
	for i, c := range comp {
		if _, ok := parts[c]; ok && i != node {
			parts[c]++
		}
	}
	for _, size := range parts {
		r.Split = append(r.Split, size)
	}
	sortDesc(r.Split)
	return r
}

func contains(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func sortDesc(xs []int) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] > xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// tiedWithout reports whether organisation v keeps a tie when node x is gone. Work counts
// only as a mentor link: a tie to a person who still has a mentorship without x.
func (p *Projection) tiedWithout(v, x int) bool {
	g := p.Graph
	for _, h := range g.adj[v] {
		if h.to == x {
			continue
		}
		if p.Ties[h.tie].Type != "WORKS_AT" {
			return true
		}
		for _, k := range g.adj[h.to] {
			if p.Ties[k.tie].Type == "MENTORS" && k.to != x {
				return true
			}
		}
	}
	return false
}

// tiedBefore reports whether organisation v has a tie now.
func (p *Projection) tiedBefore(v int) bool { return p.tiedWithout(v, -1) }

// FarFrom returns the nodes that no node of the set reaches within hops ties (a
// breadth-first search from all of the set at once), in node order.
func (g *Graph) FarFrom(set []int, hops int) []int {
	dist := make([]int, g.Nodes())
	for i := range dist {
		dist[i] = -1
	}
	queue := make([]int, 0, len(set))
	for _, s := range set {
		if dist[s] < 0 {
			dist[s] = 0
			queue = append(queue, s)
		}
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		if dist[u] >= hops {
			continue
		}
		for _, h := range g.adj[u] {
			if dist[h.to] < 0 {
				dist[h.to] = dist[u] + 1
				queue = append(queue, h.to)
			}
		}
	}
	var far []int
	for i, d := range dist {
		if d < 0 {
			far = append(far, i)
		}
	}
	return far
}
