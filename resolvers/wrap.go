package resolvers

import (
	"context"
	"slices"
	"strings"
	"time"

	"cobuild"
	"cobuild/analytics"
	"cobuild/gqlmodel"
	"cobuild/loaders"
)

// wrap returns the GraphQL type of an organisation.
func (r *Resolver) wrap(o *cobuild.Organization) gqlmodel.Organization {
	return gqlmodel.Wrap(o, orgResolver{r})
}

// wrapAny returns the GraphQL value of any domain value: organisations get their type,
// everything else is already its own GraphQL type.
func (r *Resolver) wrapAny(v any) any {
	if o, ok := v.(*cobuild.Organization); ok {
		return r.wrap(o)
	}
	return v
}

// ends follows a tie spec and returns the nodes at the other ends that are T.
func ends[T any](ctx context.Context, r *Resolver, s tieSpec, id string) ([]T, error) {
	ns, err := r.follow(ctx, s, id, nil)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(ns))
	for _, n := range ns {
		if v, ok := n.Node.(T); ok {
			out = append(out, v)
		}
	}
	return out, nil
}

// end follows a tie spec that has at most one end of interest.
func end[T any](ctx context.Context, r *Resolver, s tieSpec, id string) (T, error) {
	var zero T
	vs, err := ends[T](ctx, r, s, id)
	if err != nil || len(vs) == 0 {
		return zero, err
	}
	return vs[0], nil
}

// orgEnds follows a tie spec to organisations.
func (r *Resolver) orgEnds(ctx context.Context, s tieSpec, id string) ([]gqlmodel.Organization, error) {
	os, err := ends[*cobuild.Organization](ctx, r, s, id)
	out := make([]gqlmodel.Organization, len(os))
	for i, o := range os {
		out[i] = r.wrap(o)
	}
	return out, err
}

// grade grades an evaluation under the rules.
func (r *Resolver) grade(e *cobuild.Evaluation) (*analytics.Evaluation, error) {
	if e == nil {
		return nil, nil
	}
	return analytics.Grade(r.rules, e)
}

// node loads a node of type T by id, NOT_FOUND when it is missing.
func mustNode[T comparable](ctx context.Context, r *Resolver, id string) (T, error) {
	var zero T
	v, err := loaders.Node[T](ctx, r.loaders(ctx), id)
	if err == nil && v == zero {
		err = cobuild.Errorf(cobuild.ENOTFOUND, "%s not found", id)
	}
	return v, err
}

// lookupNode loads a node of a label by id, checking first that the id is one: a
// malformed id is BAD_USER_INPUT, a missing node null. What the field's selection asks of
// the node is read in the same statement.
func lookupNode[T any](ctx context.Context, r *Resolver, id string, label cobuild.NodeLabel, typeName string) (T, error) {
	var zero T
	if err := cobuild.CheckID(id, label); err != nil {
		return zero, err
	}
	f, err := r.reader(ctx).Expand(ctx, []string{id}, r.planField(ctx, typeName))
	if err != nil {
		return zero, err
	}
	r.loaders(ctx).Prime(f)
	v, _ := f.Nodes[id].(T)
	return v, nil
}

// byID orders a slice by the ids of its elements.
func byID[T any](xs []T, id func(T) string) {
	slices.SortFunc(xs, func(a, b T) int { return strings.Compare(id(a), id(b)) })
}

// gradeWithOwner grades an evaluation loaded on its own, finding its party organisation.
func (r *Resolver) gradeWithOwner(ctx context.Context, e *cobuild.Evaluation) (*analytics.Evaluation, error) {
	if e.PartyOrgID == "" {
		po, err := end[*cobuild.PartyOrg](ctx, r, evaluationOf, e.ID)
		if err != nil {
			return nil, err
		}
		if po != nil {
			c := *e
			c.PartyOrgID = po.ID
			e = &c
		}
	}
	return r.grade(e)
}

// hubs lists the nodes of a small label as T, with what the field's selection asks of them.
func hubs[T any](ctx context.Context, r *Resolver, label cobuild.NodeLabel, typeName string, f cobuild.HubFilter) ([]T, error) {
	vs, fetched, err := r.reader(ctx).Hubs(ctx, label, f, r.planField(ctx, typeName))
	if err != nil {
		return nil, err
	}
	r.loaders(ctx).Prime(fetched)
	out := make([]T, 0, len(vs))
	for _, v := range vs {
		if t, ok := v.(T); ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// hubByIDOrName looks up a node of a small label by id or by exact name.
func hubByIDOrName[T any](ctx context.Context, r *Resolver, label cobuild.NodeLabel, typeName string, id, name *string) (T, error) {
	var zero T
	if err := exactlyOne("id or name", id, name); err != nil {
		return zero, err
	}
	if id != nil {
		return lookupNode[T](ctx, r, *id, label, typeName)
	}
	v, fetched, err := r.reader(ctx).HubByName(ctx, label, *name, r.planField(ctx, typeName))
	if err != nil {
		return zero, err
	}
	r.loaders(ctx).Prime(fetched)
	t, _ := v.(T)
	return t, nil
}

// memberships lists the organisations that belong to a hub on the day.
func (r *Resolver) memberships(ctx context.Context, hub any, id string, asOf *time.Time) ([]*gqlmodel.Membership, error) {
	ns, err := r.follow(ctx, hubMemberships, id, asOf)
	out := make([]*gqlmodel.Membership, 0, len(ns))
	for _, n := range ns {
		if o, ok := n.Node.(*cobuild.Organization); ok {
			out = append(out, r.membership(o, hub, n.Tie))
		}
	}
	return out, err
}

// parties wraps the nodes at the ends of ties that may be organisations.
func (r *Resolver) parties(ns []cobuild.Neighbour) []gqlmodel.EventParty {
	out := make([]gqlmodel.EventParty, 0, len(ns))
	for _, n := range ns {
		out = append(out, r.wrapAny(n.Node))
	}
	return out
}
