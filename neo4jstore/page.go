package neo4jstore

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"cobuild"
)

// valueKind is the type of a sort key, so that a cursor's value can be turned back into a
// parameter of the right type.
type valueKind int

const (
	kindString valueKind = iota
	kindInt
	kindFloat
	kindDate
)

// cursor names the last row of a page by its sort key and id. It is opaque to clients
// (base64url JSON) but not an offset: the next page starts strictly after this row, so rows
// inserted before it never shift what comes next.
type cursor struct {
	Field string `json:"f"`
	Desc  bool   `json:"d,omitempty"`
	Value any    `json:"v"`
	ID    string `json:"id"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func badCursor(why string) error {
	return cobuild.Errorf(cobuild.EINVALID, "invalid cursor: %s; pass the endCursor of a page of the same list and sort", why)
}

// decodeCursor checks that the cursor belongs to this list's sort and returns the sort key
// as a query parameter.
func decodeCursor(s string, field string, desc bool, kind valueKind) (any, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) == 0 {
		return nil, "", badCursor("not a cursor")
	}
	var c cursor
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil || c.ID == "" {
		return nil, "", badCursor("not a cursor")
	}
	if c.Field != field || c.Desc != desc {
		return nil, "", badCursor("it was made for another sort order")
	}
	switch kind {
	case kindString:
		v, ok := c.Value.(string)
		if !ok {
			return nil, "", badCursor("wrong value type")
		}
		return v, c.ID, nil
	case kindInt:
		n, ok := c.Value.(json.Number)
		if !ok {
			return nil, "", badCursor("wrong value type")
		}
		v, err := n.Int64()
		if err != nil {
			return nil, "", badCursor("wrong value type")
		}
		return v, c.ID, nil
	case kindFloat:
		n, ok := c.Value.(json.Number)
		if !ok {
			return nil, "", badCursor("wrong value type")
		}
		v, err := n.Float64()
		if err != nil {
			return nil, "", badCursor("wrong value type")
		}
		return v, c.ID, nil
	case kindDate:
		v, ok := c.Value.(string)
		if !ok {
			return nil, "", badCursor("wrong value type")
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return nil, "", badCursor("wrong value type")
		}
		return dateParam(t), c.ID, nil
	}
	return nil, "", badCursor("unknown sort")
}

func cursorValue(v any) any {
	switch x := v.(type) {
	case dbtype.Date:
		return x.Time().Format(time.DateOnly)
	}
	return v
}

// listQuery is one keyset-paginated list: rows bound to `n`, filtered by where, ordered
// by sortExpr then n.id.
type listQuery struct {
	match     string   // e.g. "MATCH (n:Organization)"
	where     []string // predicates joined with AND
	params    map[string]any
	returns   string // extra return columns after n, e.g. ", p.id AS po"
	sortField string // the API name of the sort, recorded in cursors
	sortExpr  string // a Cypher expression of n that is never null (coalesce it)
	sortKind  valueKind
	desc      bool
	page      cobuild.PageArgs
}

func (q listQuery) whereClause() string {
	if len(q.where) == 0 {
		return ""
	}
	return "WHERE " + strings.Join(q.where, " AND ")
}

// list runs a page query and returns the records (column n first) with their cursors.
func (s *Store) list(ctx context.Context, q listQuery) ([]*neo4j.Record, []string, bool, error) {
	params := map[string]any{}
	for k, v := range q.params {
		params[k] = v
	}
	if q.page.First <= 0 {
		return nil, nil, false, cobuild.Errorf(cobuild.EINVALID, "page size must be positive")
	}
	where := append([]string(nil), q.where...)
	if q.page.After != "" {
		v, id, err := decodeCursor(q.page.After, q.sortField, q.desc, q.sortKind)
		if err != nil {
			return nil, nil, false, err
		}
		op := ">"
		if q.desc {
			op = "<"
		}
		where = append(where, fmt.Sprintf("(%[1]s %[2]s $afterValue OR (%[1]s = $afterValue AND n.id > $afterID))", q.sortExpr, op))
		params["afterValue"], params["afterID"] = v, id
	}
	dir := "ASC"
	if q.desc {
		dir = "DESC"
	}
	q.where = where
	params["limit"] = q.page.First + 1
	cypher := fmt.Sprintf("%s %s WITH *, %s AS sortKey RETURN n, sortKey%s ORDER BY sortKey %s, n.id ASC LIMIT $limit",
		q.match, q.whereClause(), q.sortExpr, q.returns, dir)
	recs, err := s.readRecords(ctx, cypher, params)
	if err != nil {
		return nil, nil, false, err
	}
	hasNext := len(recs) > q.page.First
	if hasNext {
		recs = recs[:q.page.First]
	}
	cursors := make([]string, len(recs))
	for i, r := range recs {
		n, _ := r.Get("n")
		key, _ := r.Get("sortKey")
		cursors[i] = encodeCursor(cursor{Field: q.sortField, Desc: q.desc, Value: cursorValue(key), ID: str(n.(dbtype.Node).Props, "id")})
	}
	return recs, cursors, hasNext, nil
}

// count returns how many rows the list's filter selects.
func (s *Store) count(ctx context.Context, q listQuery) (int, error) {
	recs, err := s.readRecords(ctx, fmt.Sprintf("%s %s RETURN count(n) AS n", q.match, q.whereClause()), q.params)
	if err != nil {
		return 0, err
	}
	n, _ := recs[0].Get("n")
	return int(n.(int64)), nil
}

// pageOf decodes a list's records into a page of domain values.
func pageOf[T any](recs []*neo4j.Record, cursors []string, hasNext bool, fill func(r *neo4j.Record, v T)) cobuild.Page[T] {
	p := cobuild.Page[T]{Cursors: cursors, HasNext: hasNext}
	for _, r := range recs {
		n, _ := r.Get("n")
		v := decodeNode(n.(dbtype.Node)).(T)
		if fill != nil {
			fill(r, v)
		}
		p.Items = append(p.Items, v)
	}
	return p
}

// listPage runs a list query that was built without error, decoding its rows as T.
func listPage[T any](ctx context.Context, s *Store, what string, q listQuery, err error, p cobuild.PageArgs, fill func(*neo4j.Record, T)) (cobuild.Page[T], error) {
	if err != nil {
		return cobuild.Page[T]{}, err
	}
	q.page = p
	recs, cursors, hasNext, err := s.list(ctx, q)
	if err != nil {
		return cobuild.Page[T]{}, fmt.Errorf("list %s: %w", what, err)
	}
	return pageOf(recs, cursors, hasNext, fill), nil
}

// countOf counts the rows of a list query that was built without error.
func (s *Store) countOf(ctx context.Context, q listQuery, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	return s.count(ctx, q)
}

// sortKey is a sort a list offers: a Cypher expression of n that is never null, and its type.
type sortKey struct {
	expr string
	kind valueKind
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
