package cobuild

import "context"

// A request's share of the connections to Neo4j: however many fields of one request load
// at once, no more than its share of statements run together, so that one request can
// never hold the whole pool and the others wait behind it.

type shareKey struct{}

// WithShare returns ctx in which at most n statements run at once.
func WithShare(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, shareKey{}, make(chan struct{}, n))
}

// AcquireShare waits for a place of ctx's share (none is needed without one) and returns
// the function that gives it back, or the context's error if it ends first.
func AcquireShare(ctx context.Context) (release func(), err error) {
	sem, ok := ctx.Value(shareKey{}).(chan struct{})
	if !ok {
		return func() {}, nil
	}
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
