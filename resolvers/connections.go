package resolvers

import (
	"context"

	"cobuild"
	"cobuild/gqlmodel"
)

// rows turns a page of the store into a connection's nodes, edges and page info.
func rows[T, N, E any](pg cobuild.Page[T], after string, node func(T) N, edge func(string, N) E) ([]N, []E, *gqlmodel.PageInfo) {
	nodes, edges := make([]N, 0, len(pg.Items)), make([]E, 0, len(pg.Items))
	for i, it := range pg.Items {
		n := node(it)
		nodes = append(nodes, n)
		edges = append(edges, edge(pg.Cursors[i], n))
	}
	pi := &gqlmodel.PageInfo{HasPreviousPage: after != ""}
	setPageInfo(pi, pg.Cursors, pg.HasNext)
	return nodes, edges, pi
}

func same[T any](v T) T { return v }

// listPage reads a page of a list when the operation asks for its rows, with what it
// asks of them, and primes the loaders; a list asked only for its total reads no row.
func listPage[T any](ctx context.Context, r *Resolver, connection, typeName string, p cobuild.PageArgs,
	read func(context.Context, cobuild.PageArgs) (cobuild.Page[T], error)) (cobuild.Page[T], error) {
	if !asks(ctx, connection, "nodes", "edges", "pageInfo") {
		return cobuild.Page[T]{}, nil
	}
	p.With = r.planConnection(ctx, connection, typeName)
	pg, err := read(ctx, p)
	if err != nil {
		return pg, err
	}
	r.loaders(ctx).Prime(pg.Fetched)
	return pg, nil
}
