package analytics

import (
	"slices"

	"cobuild"
)

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

// Remove answers "what if this node went away" on the projection. Its ties go with it,
// and so does the work of everyone whose every mentorship ran through it: work ties an
// organisation into the network only through a mentorship in force (cobuild.JointTies),
// so a mentee whose only mentor goes no longer ties in the organisation it works at.
func (p *Projection) Remove(node int) Removal {
	g := p.Graph
	before := p.Islands()
	mask := p.removalMask(node)
	comp, after := g.Components(mask)
	r := Removal{Node: node, IslandsBefore: before.Count, IslandsAfter: after, Split: []int{}}
	island := before.Of[node]
	parts := map[int]int{}
	for v, c := range before.Of {
		if c != island || v == node {
			continue
		}
		parts[comp[v]]++
		if p.Nodes[v].Label == cobuild.LabelOrganization && p.tied(v, nil) && !p.tied(v, mask) {
			r.NewlyIsolated = append(r.NewlyIsolated, v)
		}
	}
	for _, size := range parts {
		r.Split = append(r.Split, size)
	}
	slices.SortFunc(r.Split, func(a, b int) int { return b - a })
	return r
}

// removalMask hides a node and the work ties of the people whose every mentorship ties
// them to it.
func (p *Projection) removalMask(node int) *Mask {
	g := p.Graph
	mask := &Mask{Nodes: map[int]bool{node: true}, Ties: map[int]bool{}}
	for _, h := range g.adjAt(node) {
		if p.Ties[h.tie].Type != cobuild.Mentors || h.to == node {
			continue
		}
		other := false // another mentorship of the person at the far end
		for _, k := range g.adjAt(h.to) {
			if p.Ties[k.tie].Type == cobuild.Mentors && k.to != node {
				other = true
				break
			}
		}
		if other {
			continue
		}
		for _, k := range g.adjAt(h.to) {
			if p.Ties[k.tie].Type == cobuild.WorksAt {
				mask.Ties[k.tie] = true
			}
		}
	}
	return mask
}

// tied reports whether node v has a tie that the mask leaves, to a node it leaves.
func (p *Projection) tied(v int, m *Mask) bool {
	for _, h := range p.Graph.adjAt(v) {
		if h.to != v && !m.tie(h.tie) && !m.node(h.to) {
			return true
		}
	}
	return false
}

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
		for _, h := range g.adjAt(u) {
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
