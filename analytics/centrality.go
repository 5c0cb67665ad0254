package analytics

// Betweenness returns each node's betweenness centrality (Brandes' algorithm for
// unweighted undirected graphs; each pair counted once), accumulated from the given
// source nodes: all nodes give the exact value, a sample an estimate to be scaled by
// Nodes()/len(sources). Parallel ties count as distinct shortest chains.
func (g *Graph) Betweenness(sources []int) []float64 {
	n := g.Nodes()
	cb := make([]float64, n)
	dist := make([]int, n)
	sigma := make([]float64, n)
	delta := make([]float64, n)
	order := make([]int, 0, n)
	for _, s := range sources {
		for i := range dist {
			dist[i], sigma[i], delta[i] = -1, 0, 0
		}
		order = order[:0]
		dist[s], sigma[s] = 0, 1
		queue := []int{s}
		for len(queue) > 0 {
			u := queue[0]
			queue = queue[1:]
			order = append(order, u)
			for _, h := range g.adjAt(u) {
				if dist[h.to] < 0 {
					dist[h.to] = dist[u] + 1
					queue = append(queue, h.to)
				}
				if dist[h.to] == dist[u]+1 {
					sigma[h.to] += sigma[u]
				}
			}
		}
		for i := len(order) - 1; i >= 0; i-- {
			w := order[i]
			for _, h := range g.adjAt(w) {
				v := h.to
				if dist[v] != dist[w]-1 {
					continue
				}
				delta[v] += sigma[v] / sigma[w] * (1 + delta[w])
			}
			if w != s {
				cb[w] += delta[w]
			}
		}
	}
	for i := range cb {
		cb[i] /= 2
	}
	return cb
}
