package resolvers

import (
	"context"
	"fmt"
	"time"

	"cobuild"
	"cobuild/analytics"
	"cobuild/gqlmodel"
	"cobuild/loaders"
	"cobuild/snapshot"
)

// provenance describes a projection.
func provenance(p *snapshot.Projection) *gqlmodel.Provenance {
	return gqlmodel.ProvenanceOf(p.Meta, p.Graph.Nodes(), p.Graph.LiveTies())
}

// nodeLabel turns an optional label argument into a node label.
func nodeLabel(label *string) *cobuild.NodeLabel {
	if label == nil {
		return nil
	}
	l := cobuild.NodeLabel(*label)
	return &l
}

// ranked describes the rows of a ranking.
func ranked(p *analytics.Projection, rows []analytics.RankRow) []*gqlmodel.RankedNode {
	out := []*gqlmodel.RankedNode{}
	for _, row := range rows {
		out = append(out, &gqlmodel.RankedNode{Rank: row.Rank, Node: gqlmodel.NewNetworkNode(p, row.Node), Score: row.Score})
	}
	return out
}

// networkNode finds a node of the projection by id: a malformed id is BAD_USER_INPUT, and
// an id the network does not hold NOT_FOUND.
func networkNode(p *analytics.Projection, day time.Time, id string) (int, error) {
	if _, err := cobuild.LabelOf(id); err != nil {
		return 0, err
	}
	n, ok := p.Graph.Lookup(id)
	if !ok {
		return 0, cobuild.Errorf(cobuild.ENOTFOUND, "%s is not in the network of %s (no organisation, and no tie of the followed types, has this id)",
			id, day.Format(time.DateOnly))
	}
	return n, nil
}

// nodeByID loads any node by id (nil when missing).
func nodeByID(ctx context.Context, r *Resolver, id string) (any, error) {
	return loaders.Node[any](ctx, r.loaders(ctx), id)
}

// pathResult describes the shortest chains found.
func pathResult(p *snapshot.Projection, s analytics.Shortest, fromName, toName string, maxHops int) *gqlmodel.PathResult {
	res := &gqlmodel.PathResult{Provenance: provenance(p), Found: s.Hops >= 0, Count: float64(s.Count), Paths: []*gqlmodel.NetworkPath{}}
	if !res.Found {
		res.Count = 0
		res.Explanation = fmt.Sprintf("no chain of the followed ties joins %s and %s within %d hops", fromName, toName, maxHops)
		return res
	}
	hops := s.Hops
	res.Hops = &hops
	for _, path := range s.Paths {
		np := &gqlmodel.NetworkPath{Sentence: p.Explain(path)}
		for _, v := range path.Nodes {
			np.Nodes = append(np.Nodes, gqlmodel.NewNetworkNode(p.Projection, v))
		}
		for i, st := range p.Steps(path) {
			np.Steps = append(np.Steps, &gqlmodel.PathStep{From: np.Nodes[i], To: np.Nodes[i+1], Tie: gqlmodel.NewNetworkTie(p.Projection, path.Ties[i]), Sentence: st.Sentence()})
		}
		res.Paths = append(res.Paths, np)
	}
	if len(res.Paths) > 0 {
		res.Explanation = res.Paths[0].Sentence
	}
	return res
}
