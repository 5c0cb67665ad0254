package export

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"

	"cobuild"
)

// Response is the API's answer to one request, as it came: its HTTP status and body.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Runner runs one GraphQL request through the API (its authentication, role policy, areas,
// limits and executor) and returns the answer; an error is one of transport, never of
// GraphQL, whose errors are in the answer.
type Runner func(ctx context.Context, req Request) (*Response, error)

// QueryError is an answer of the API that holds errors: the export stops and the caller
// is answered with it, as /graphql answered.
type QueryError struct {
	Response
	// Errors are the answer's errors.
	Errors []GraphQLError
}

// GraphQLError is one error of an answer.
type GraphQLError struct {
	Message    string         `json:"message"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

func (e *QueryError) Error() string {
	if len(e.Errors) == 0 {
		return fmt.Sprintf("the query failed with HTTP status %d", e.Status)
	}
	code, _ := e.Errors[0].Extensions["code"].(string)
	return fmt.Sprintf("%s: %s", code, e.Errors[0].Message)
}

// Code is the code of the answer's first error.
func (e *QueryError) Code() string {
	if len(e.Errors) == 0 {
		return cobuild.EINTERNAL
	}
	code, _ := e.Errors[0].Extensions["code"].(string)
	return code
}

// Rows receives the rows of each page as they come.
type Rows func(rows [][]any) error

// Run reads every page of the plan through run and gives each page's rows to rows, in the
// list's order. It stops at the first answer with errors (a *QueryError), before any row
// when that answer is the first.
func (p *Plan) Run(ctx context.Context, run Runner, rows Rows) error {
	if !p.paged {
		data, err := p.ask(ctx, run, p.req)
		if err != nil {
			return err
		}
		return rows(p.rows(data))
	}
	vars := maps.Clone(p.req.Variables)
	if vars == nil {
		vars = map[string]any{}
	}
	for k := range vars {
		if !strings.Contains(p.query, "$"+k) {
			delete(vars, k)
		}
	}
	after := p.after
	left := p.want
	for page := 0; ; page++ {
		n := p.limits.PageMax
		if left >= 0 {
			n = min(n, left)
		}
		vars[varFirst], vars[varAfter] = n, after
		data, err := p.ask(ctx, run, Request{Query: p.query, Variables: vars, OperationName: p.req.OperationName})
		if err != nil {
			return err
		}
		conn, _ := at(data, p.path[:len(p.path)-1]).(map[string]any)
		if page == 0 && p.total {
			if total, ok := asInt(conn[aliasTotal]); ok && total > p.limits.MaxRows {
				return rowsExceeded(total, p.limits.MaxRows)
			}
		}
		got := p.rows(data)
		if err := rows(got); err != nil {
			return err
		}
		if left >= 0 {
			left -= len(got)
		}
		info, _ := conn[aliasPageInfo].(map[string]any)
		next, _ := info["hasNextPage"].(bool)
		if !next || left == 0 || len(got) == 0 {
			return nil
		}
		if p.want < 0 && (page+1)*p.limits.PageMax >= p.limits.MaxRows {
			// Only when the list grew past the limit since its count was read.
			return rowsExceeded(p.limits.MaxRows+1, p.limits.MaxRows)
		}
		after = info["endCursor"]
	}
}

// ask runs one request and returns its data, or a *QueryError when the answer holds
// errors.
func (p *Plan) ask(ctx context.Context, run Runner, req Request) (any, error) {
	resp, err := run(ctx, req)
	if err != nil {
		return nil, err
	}
	var out struct {
		Data   any            `json:"data"`
		Errors []GraphQLError `json:"errors"`
	}
	dec := json.NewDecoder(bytes.NewReader(resp.Body))
	dec.UseNumber()
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("read the answer (HTTP %d): %w", resp.Status, err)
	}
	if len(out.Errors) > 0 || resp.Status != http.StatusOK {
		return nil, &QueryError{Response: *resp, Errors: out.Errors}
	}
	return out.Data, nil
}

// at follows response keys from v; nil when one is missing.
func at(v any, path []string) any {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

// Items returns the items of the exported list in data (an answer's data, numbers decoded
// as json.Number): a connection's edges give their nodes.
func (p *Plan) Items(data any) []any {
	list, _ := at(data, p.path).([]any)
	if !p.edge {
		return list
	}
	out := make([]any, 0, len(list))
	for _, e := range list {
		m, _ := e.(map[string]any)
		out = append(out, m["node"])
	}
	return out
}

// rows are the table rows of the list in data.
func (p *Plan) rows(data any) [][]any {
	items := p.Items(data)
	out := make([][]any, 0, len(items))
	for _, it := range items {
		out = append(out, p.Row(it))
	}
	return out
}

// Row is the cells of one item: nil (empty), a string, an int64 or a float64. Enum values
// are their labels, Booleans their words, several values one text joined by
// cobuild.ListSeparator.
func (p *Plan) Row(item any) []any {
	row := make([]any, len(p.columns))
	for i, c := range p.columns {
		var vals []any
		gather(item, c.Path, &vals)
		if !c.Joined {
			if len(vals) > 0 {
				row[i] = c.cell(vals[0])
			}
			continue
		}
		if len(vals) == 0 {
			continue
		}
		texts := make([]string, len(vals))
		for j, v := range vals {
			texts[j] = Text(c.cell(v))
		}
		row[i] = strings.Join(texts, cobuild.ListSeparator)
	}
	return row
}

// gather collects the values at path from v, fanning out over lists; a null object on the
// way gives nothing.
func gather(v any, path []string, out *[]any) {
	if l, ok := v.([]any); ok {
		for _, e := range l {
			gather(e, path, out)
		}
		return
	}
	if len(path) == 0 {
		*out = append(*out, v)
		return
	}
	if m, ok := v.(map[string]any); ok {
		gather(m[path[0]], path[1:], out)
	}
}

// cell converts one value of the answer to a cell of the column.
func (c Column) cell(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case bool:
		if x {
			return c.bools[1]
		}
		return c.bools[0]
	case json.Number:
		if c.Type == "Int" {
			if n, err := x.Int64(); err == nil {
				return n
			}
		}
		if f, err := x.Float64(); err == nil {
			// Excel keeps 15 significant digits: both formats hold the same number.
			f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
			return f
		}
		return x.String()
	case string:
		if c.enum {
			if c.Type == "OrgKind" {
				if l, ok := cobuild.KindLabels[x]; ok {
					return l
				}
			}
			return cobuild.Label(c.Type, x)
		}
		return x
	}
	return fmt.Sprint(v)
}

// Text is a cell as text, as CSV writes it: numbers in the shortest form that reads back
// as the same number.
func Text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
