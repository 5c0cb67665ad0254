// Package resolvers translates GraphQL fields into reads of the store through the
// request's loaders. It holds no business rules: those live in the root package.
package resolvers

import (
	"context"
	"time"

	"cobuild"
	"cobuild/analytics"
	"cobuild/gqlmodel"
	"cobuild/loaders"
)

// Resolver is the root of the resolvers; it has no state of its own, since the store, the
// rules and the limits of a request travel in its context with the loaders.
type Resolver struct{}

func reader(ctx context.Context) cobuild.Reader { return loaders.For(ctx).Reader() }

func settings(ctx context.Context) loaders.Settings { return loaders.For(ctx).Settings() }

// node loads a node by id, checking first that the id is well formed for the label.
func node[T any](ctx context.Context, id string) (T, error) {
	return loaders.Node[T](ctx, id)
}

func label(enum, value string) (string, error) { return cobuild.Label(enum, value), nil }

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// exactlyOne checks that exactly one of the lookup arguments is given.
func exactlyOne(names string, args ...*string) error {
	n := 0
	for _, a := range args {
		if a != nil {
			n++
		}
	}
	if n != 1 {
		return cobuild.Errorf(cobuild.EINVALID, "give exactly one of %s", names)
	}
	return nil
}

// hubs lists the nodes of a small label as T.
func hubs[T any](ctx context.Context, label string, match map[string]any) ([]T, error) {
	vs, err := reader(ctx).Hubs(ctx, label, match)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(vs))
	for _, v := range vs {
		out = append(out, v.(T))
	}
	return out, nil
}

// kindMatch is the property match of an optional kind argument.
func kindMatch(kind *string) map[string]any {
	if kind == nil {
		return nil
	}
	return map[string]any{"kind": *kind}
}

func day(asOf *time.Time) *time.Time {
	d := gqlmodel.DayOr(asOf)
	return &d
}

// parties wraps tie ends that may be organisations into their GraphQL types.
func parties(ns []cobuild.Neighbour) []gqlmodel.EventParty {
	out := make([]gqlmodel.EventParty, 0, len(ns))
	for _, n := range ns {
		out = append(out, gqlmodel.Wrap(n.Node))
	}
	return out
}

func orgs(ns []cobuild.Neighbour) []gqlmodel.Organization {
	out := make([]gqlmodel.Organization, 0, len(ns))
	for _, n := range ns {
		if o, ok := n.Node.(*cobuild.Organization); ok {
			out = append(out, gqlmodel.WrapOrg(o))
		}
	}
	return out
}

func memberships(ctx context.Context, hub any, id string, asOf *time.Time) ([]*gqlmodel.Membership, error) {
	ns, err := loaders.Ties(ctx, cobuild.TieQuery{Type: "MEMBER_OF", Dir: cobuild.In, AsOf: day(asOf)}, id)
	out := make([]*gqlmodel.Membership, 0, len(ns))
	for _, n := range ns {
		if o, ok := n.Node.(*cobuild.Organization); ok {
			out = append(out, gqlmodel.NewMembership(o, hub, n.Tie))
		}
	}
	return out, err
}

// projection returns the network on a day over the asked ties.
func projection(ctx context.Context, asOf *time.Time, ties []string) (*analytics.Projection, error) {
	return loaders.Projection(ctx, gqlmodel.DayOr(asOf), ties)
}

// networkNode finds a node of the projection by id: a malformed id is BAD_USER_INPUT, and
// an id the network does not hold NOT_FOUND.
func networkNode(p *analytics.Projection, id string) (int, error) {
	if _, err := cobuild.LabelOf(id); err != nil {
		return 0, err
	}
	n, ok := p.Graph.Lookup(id)
	if !ok {
		return 0, cobuild.Errorf(cobuild.ENOTFOUND, "%s is not in the network of %s (no organisation, and no tie of the followed types, has this id)",
			id, p.AsOf.Format(time.DateOnly))
	}
	return n, nil
}
