package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"cobuild"
)

// listQuery is one keyset-paginated list: rows bound to `n` by match, filtered by where,
// ordered by sortExpr then n.id.
type listQuery struct {
	// label is the label of the rows, n: a list narrowed to a scope keeps those of its
	// ids in scope.
	label     cobuild.NodeLabel
	match     string   // e.g. "MATCH (n:Organization)"; may bind n from a selective start
	where     []string // predicates joined with AND
	params    map[string]any
	returns   string // extra return columns after n, e.g. ", po.id AS po"
	sortField string // the API name of the sort, recorded in cursors
	sortExpr  string // a Cypher expression of n that is never null (coalesce it)
	sortKind  cobuild.SortKind
	desc      bool
}

// sortKey is a sort a list offers: a Cypher expression of n that is never null, and its
// type.
type sortKey struct {
	expr string
	kind cobuild.SortKind
}

// sortBy orders the list by one of the sorts it offers (def when none is asked).
func (q *listQuery) sortBy(sorts map[string]sortKey, srt cobuild.Sort, def string) error {
	if srt.Field == "" {
		srt.Field = def
	}
	so, ok := sorts[srt.Field]
	if !ok {
		return cobuild.Errorf(cobuild.EINVALID, "unknown sort field %q", srt.Field)
	}
	q.sortField, q.sortExpr, q.sortKind, q.desc = srt.Field, so.expr, so.kind, srt.Desc
	return nil
}

func (q listQuery) whereClause() string {
	if len(q.where) == 0 {
		return ""
	}
	return "WHERE " + strings.Join(q.where, " AND ")
}

// narrowed returns the list narrowed to the store's scope: its rows those in scope. Every
// list and count goes through it.
func (q listQuery) narrowed(n *narrowing) (listQuery, error) {
	if n.scope == nil {
		return q, nil
	}
	if q.label == "" {
		return q, errors.New("a list narrowed to a scope does not say the label of its rows")
	}
	cond := n.in("n", q.label)
	if cond == "" {
		return q, nil
	}
	q.where = append(slices.Clone(q.where), cond)
	q.params = n.bind(maps.Clone(q.params))
	return q, nil
}

// page runs a page query in one statement: the rows after the cursor, in order, each
// with what p.With asks for along with it.
func page[T any](ctx context.Context, s *Store, what string, q listQuery, p cobuild.PageArgs, fill func(*neo4j.Record, T) error) (cobuild.Page[T], error) {
	var out cobuild.Page[T]
	if p.First <= 0 {
		return out, cobuild.Errorf(cobuild.EINVALID, "page size must be positive")
	}
	n, err := s.narrowing(ctx)
	if err != nil {
		return out, err
	}
	if q, err = q.narrowed(n); err != nil {
		return out, fmt.Errorf("list %s: %w", what, err)
	}
	params := map[string]any{}
	for k, v := range q.params {
		params[k] = v
	}
	where := append([]string(nil), q.where...)
	if p.After != "" {
		c, err := cobuild.DecodeCursor(p.After, q.sortField, q.desc, q.sortKind)
		if err != nil {
			return out, err
		}
		op := ">"
		if q.desc {
			op = "<"
		}
		where = append(where, fmt.Sprintf("(%[1]s %[2]s $afterValue OR (%[1]s = $afterValue AND n.id > $afterID))", q.sortExpr, op))
		params["afterValue"], params["afterID"] = cursorParam(c.Value), c.ID
	}
	q.where = where
	dir := "ASC"
	if q.desc {
		dir = "DESC"
	}
	params["limit"] = p.First + 1
	x, err := expansionOf("n", p.With, n)
	if err != nil {
		return out, err
	}
	ret := x.returning("n", ", sortKey"+q.returns, params, n)
	cypher := fmt.Sprintf("%s %s WITH *, %s AS sortKey ORDER BY sortKey %s, n.id ASC LIMIT $limit %s",
		q.match, q.whereClause(), q.sortExpr, dir, ret)
	fetched := cobuild.NewFetched()
	type row struct {
		item   T
		cursor string
	}
	rows, err := query(ctx, s, cypher, params, func(r *neo4j.Record) (row, error) {
		v, err := expanded(r, "n", x, fetched, n.scope)
		if err != nil {
			return row{}, err
		}
		item, ok := v.(T)
		if !ok {
			return row{}, fmt.Errorf("list %s: a %T in the list", what, v)
		}
		if fill != nil {
			if err := fill(r, item); err != nil {
				return row{}, err
			}
		}
		key, _ := r.Get("sortKey")
		n, _ := recordNode(r, "n")
		id, _ := n.Props["id"].(string)
		return row{item, cobuild.Cursor{Field: q.sortField, Desc: q.desc, Value: cursorValue(key), ID: id}.Encode()}, nil
	})
	if err != nil {
		return out, fmt.Errorf("list %s: %w", what, err)
	}
	out.HasNext = len(rows) > p.First
	rows = rows[:min(len(rows), p.First)]
	for _, r := range rows {
		out.Items = append(out.Items, r.item)
		out.Cursors = append(out.Cursors, r.cursor)
	}
	out.Fetched = fetched
	return out, nil
}

// count returns how many rows the list's filter selects.
func (s *Store) count(ctx context.Context, what string, q listQuery) (int, error) {
	n, err := s.narrowing(ctx)
	if err != nil {
		return 0, err
	}
	if q, err = q.narrowed(n); err != nil {
		return 0, fmt.Errorf("count %s: %w", what, err)
	}
	rows, err := query(ctx, s, fmt.Sprintf("%s %s RETURN count(n) AS n", q.match, q.whereClause()), q.params,
		func(r *neo4j.Record) (int, error) { return recordInt(r, "n") })
	if err != nil {
		return 0, fmt.Errorf("count %s: %w", what, err)
	}
	return rows[0], nil
}

// cursorValue turns a sort key read from Neo4j into the value a cursor records.
func cursorValue(v any) any {
	if d, ok := v.(dbtype.Date); ok {
		return d.Time().Format(time.DateOnly)
	}
	return v
}

// cursorParam turns a cursor's value back into a parameter Neo4j compares with the key.
func cursorParam(v any) any {
	if t, ok := v.(time.Time); ok {
		return dateParam(t)
	}
	return v
}
