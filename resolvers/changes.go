package resolvers

import (
	"context"
	"reflect"
	"slices"
	"strconv"
	"time"

	"cobuild"
	"cobuild/auth"
	"cobuild/gqlmodel"
	"cobuild/graph/model"
)

// args are a command's arguments as the schema gave them: nil pointers are left out,
// pointers read through, and days written as 2006-01-02.
type args map[string]any

func (a args) normal() map[string]any {
	out := map[string]any{}
	for k, v := range a {
		switch x := v.(type) {
		case time.Time:
			out[k] = x.Format(time.DateOnly)
			continue
		case *time.Time:
			if x != nil {
				out[k] = x.Format(time.DateOnly)
			}
			continue
		case []string:
			out[k] = x
			continue
		}
		rv := reflect.ValueOf(v)
		if !rv.IsValid() || (rv.Kind() == reflect.Pointer && rv.IsNil()) {
			continue
		}
		if rv.Kind() == reflect.Pointer {
			rv = rv.Elem()
		}
		out[k] = rv.Interface()
	}
	return out
}

// actorOf is who a request writes as: its principal, or cobuild itself.
func actorOf(ctx context.Context) cobuild.Actor {
	p := auth.FromContext(ctx)
	if p == nil {
		return cobuild.Actor{Subject: "cobuild", Role: "system"}
	}
	return cobuild.Actor{Subject: p.Subject, Role: string(p.Role), Areas: p.Areas, Scoped: p.Scoped()}
}

// apply runs a command and waits until this server's snapshots have applied its change,
// so that what the mutation returns, and every request after it, reads the graph with it.
func (r *Resolver) apply(ctx context.Context, op string, a args, expected *int, key *string) (*gqlmodel.ChangeResult, error) {
	if r.writer == nil {
		return nil, cobuild.Errorf(cobuild.EUNAVAILABLE, "此服务器只读。This server only reads.")
	}
	cmd := cobuild.Command{Op: op, Args: a.normal(), Key: str(key), Actor: actorOf(ctx)}
	if expected != nil {
		v := int64(*expected)
		cmd.ExpectedVersion = &v
	}
	c, err := r.writer.Apply(ctx, cmd)
	if err != nil {
		return nil, err
	}
	if r.snapshots != nil {
		r.snapshots.Await(ctx, c.Seq)
	}
	return &gqlmodel.ChangeResult{Change: c, Replayed: c.Replayed}, nil
}

func changeModel(c *cobuild.Change) *model.Change {
	m := &model.Change{Seq: int(c.Seq), At: c.At.Format(time.RFC3339Nano), Actor: &model.Actor{Subject: c.Actor.Subject, Role: c.Actor.Role},
		Operation: c.Op, Arguments: c.Args, Entities: orNone(c.Touched), Areas: orNone(c.Areas), Batch: c.Batch,
		Diffs: []*model.ChangeDiff{}, CoverageEvents: []*model.CoverageEvent{}}
	for _, d := range c.Diffs {
		m.Diffs = append(m.Diffs, &model.ChangeDiff{Entity: d.Entity, Tie: nonEmpty(string(d.Tie)), Other: nonEmpty(d.Other),
			Field: d.Field, Before: nonEmpty(d.Before), After: nonEmpty(d.After)})
	}
	for _, e := range c.Coverage {
		m.CoverageEvents = append(m.CoverageEvents, coverageEventModel(c, e))
	}
	return m
}

func coverageEventModel(c *cobuild.Change, e cobuild.CoverageEvent) *model.CoverageEvent {
	return &model.CoverageEvent{Seq: int(c.Seq), At: c.At.Format(time.RFC3339Nano), Kind: model.CoverageEventKind(e.Kind),
		KindLabel: cobuild.Label("CoverageEventKind", string(e.Kind)), OrganizationID: e.OrgID, OrganizationName: e.OrgName,
		AreaID: nonEmpty(e.AreaID), Before: e.Before, After: e.After, WasIsolated: e.WasIsolated, Isolated: e.Isolated}
}

func orNone(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// areasOf is the areas a request's changes are narrowed to: an officer's; nil for all.
func areasOf(ctx context.Context) []string {
	if p := auth.FromContext(ctx); p.Scoped() {
		return orNone(p.Areas)
	}
	return nil
}

func (r *Resolver) changes(ctx context.Context, where *model.ChangeWhere, first *int, after *string) (*model.ChangeConnection, error) {
	if r.changelog == nil {
		return nil, cobuild.Errorf(cobuild.EUNAVAILABLE, "没有变更日志。There is no change log.")
	}
	n, err := r.pageSize(first)
	if err != nil {
		return nil, err
	}
	var from int64
	if s := str(after); s != "" {
		if from, err = strconv.ParseInt(s, 10, 64); err != nil || from < 0 {
			return nil, cobuild.Errorf(cobuild.EINVALID, "游标 %q 不正确：应为变更的序号。The cursor %q is not a change's sequence number.", s, s)
		}
	}
	f := cobuild.ChangeFilter{Areas: areasOf(ctx)}
	if where != nil {
		f.Actor, f.Entity, f.Area, f.Op = str(where.Actor), str(where.Entity), str(where.Area), str(where.Operation)
		if f.Since, err = instant("since", where.Since); err != nil {
			return nil, err
		}
		if f.Until, err = instant("until", where.Until); err != nil {
			return nil, err
		}
	}
	cs, more, err := r.changelog.Changes(ctx, f, from, n)
	if err != nil {
		return nil, err
	}
	conn := &model.ChangeConnection{Edges: []*model.ChangeEdge{}, Nodes: []*model.Change{}, PageInfo: &gqlmodel.PageInfo{HasNextPage: more, HasPreviousPage: from > 0}}
	for _, c := range cs {
		m := changeModel(c)
		cursor := strconv.FormatInt(c.Seq, 10)
		conn.Edges = append(conn.Edges, &model.ChangeEdge{Cursor: cursor, Node: m})
		conn.Nodes = append(conn.Nodes, m)
		if conn.PageInfo.StartCursor == nil {
			conn.PageInfo.StartCursor = &cursor
		}
		conn.PageInfo.EndCursor = &cursor
	}
	return conn, nil
}

// instant reads an RFC 3339 instant or a day.
func instant(field string, s *string) (*time.Time, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339, *s); err == nil {
		return &t, nil
	}
	if d, err := time.Parse(time.DateOnly, *s); err == nil {
		return &d, nil
	}
	return nil, &cobuild.Error{Code: cobuild.EINVALID, Message: "时间 " + strconv.Quote(*s) + " 格式不正确，应为 2006-01-02 或 RFC 3339。The instant " + strconv.Quote(*s) + " is neither a day (2006-01-02) nor RFC 3339.",
		Extensions: map[string]any{"field": "where." + field}}
}

func (r *Resolver) history(ctx context.Context, id string, first *int) ([]*model.Change, error) {
	if r.changelog == nil {
		return nil, cobuild.Errorf(cobuild.EUNAVAILABLE, "没有变更日志。There is no change log.")
	}
	n, err := r.pageSize(first)
	if err != nil {
		return nil, err
	}
	areas := areasOf(ctx)
	cs, err := r.changelog.History(ctx, id, n)
	if err != nil {
		return nil, err
	}
	out := []*model.Change{}
	for _, c := range cs {
		if areas != nil && !touchesAreas(c.Areas, areas) {
			continue
		}
		out = append(out, changeModel(c))
	}
	return out, nil
}

func touchesAreas(of, areas []string) bool {
	return slices.ContainsFunc(of, func(a string) bool { return slices.Contains(areas, a) })
}

// pageSize checks a first argument of the change log's lists.
func (r *Resolver) pageSize(first *int) (int, error) {
	n := r.pages.Default
	if first != nil {
		n = *first
	}
	if n < 0 || n > r.pages.Max {
		return 0, cobuild.Errorf(cobuild.EINVALID, "first 应在 0 到 %d 之间。first must be between 0 and %d.", r.pages.Max, r.pages.Max)
	}
	return n, nil
}
