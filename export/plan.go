// Package export turns the answer of any GraphQL list or aggregate into a table, one row
// per item of the answer's first list, and writes it as .xlsx or CSV with Chinese headers
// (the label tables of cobuild/headers.go). It runs nothing itself: a Runner runs each
// page of the query through the API's own executor, so an export holds exactly what the
// caller's answer holds: the same role policy, areas, masking and limits.
package export

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"cobuild"
)

// Request is one export: a GraphQL query with its variables, as /graphql takes them.
type Request struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables,omitempty"`
	OperationName string         `json:"operationName,omitempty"`
	// List names the list to export by the response keys leading to it, such as
	// "organizations.nodes"; default the answer's first list of objects (see Plan).
	List string `json:"list,omitempty"`
	// Headers name columns otherwise than the label tables do, by the response keys from
	// an item to the value, such as {"area.name": "镇街"}.
	Headers map[string]string `json:"headers,omitempty"`
}

// Limits bound an export.
type Limits struct {
	// PageMax is the most rows the API gives in one page (resolvers.PageLimits.Max): a
	// connection asked for more is read a page of PageMax at a time.
	PageMax int
	// MaxRows is the most rows of one export; an export asking for more, or for all of a
	// list holding more, is LIMIT_EXCEEDED before anything is written.
	MaxRows int
}

// DefaultLimits are the limits unless configured otherwise.
var DefaultLimits = Limits{PageMax: 500, MaxRows: 100_000}

// Names of what a paged export adds to the query; no client names its fields so.
const (
	varFirst      = "cobuildExportFirst"
	varAfter      = "cobuildExportAfter"
	aliasPageInfo = "cobuildExportPageInfo"
	aliasTotal    = "cobuildExportTotal"
)

// Column is one column of the table: its header, and where its cells come from.
type Column struct {
	// Header is the column's Chinese header (see cobuild.FieldLabels for the rules).
	Header string
	// Path is the response keys from an item to the value, such as [area name].
	Path []string
	// Joined: the value may be several (a list, or a field inside a list), joined by
	// cobuild.ListSeparator into one text.
	Joined bool
	// Type is the schema's type of the value: a scalar (String, Int, Float, Boolean, ID,
	// Date) or an enum.
	Type string
	enum bool
	// bools are the words of false and true.
	bools [2]string
}

// Plan is a query read for export: which list is exported, its columns, and how its pages
// are read.
type Plan struct {
	req     Request
	columns []Column
	// path leads from data to the list; edge: its items are edges, the row is edge.node.
	path []string
	edge bool
	// paged: the query is read page by page, through query with varFirst and varAfter.
	paged bool
	query string
	// want is the rows asked (-1: every row); after is the cursor the query starts after.
	want  int
	after any
	// total: the connection's totalCount is asked (aliasTotal), to refuse an export of
	// more than MaxRows before it starts.
	total  bool
	limits Limits
}

// NewPlan reads req against the schema. The exported list is the one req.List names, else
// the shallowest list of objects of the answer, the first in the query's order at its depth
// (so `{ coverageStats { total { keys {…} } groups {…} } }` exports groups). The list
// may be a connection's nodes or edges (a row is then edge.node), or any list of objects.
//
// When the list is a connection's (its field takes first and after) and the query asks for
// more rows than a page holds, or gives no first (which, for an export, means every row),
// the plan reads it a page at a time: the query's first and after become variables of the
// plan's own and pageInfo is asked under an alias. Otherwise the query runs as it is.
//
// A query that does not parse or validate is an error of gqlparser's (gqlerror.List): run
// it through the API instead, to answer with the API's own coded errors. A query without
// a list is BAD_USER_INPUT.
func NewPlan(schema *ast.Schema, req Request, lim Limits) (*Plan, error) {
	if lim.PageMax <= 0 {
		lim.PageMax = DefaultLimits.PageMax
	}
	if lim.MaxRows <= 0 {
		lim.MaxRows = DefaultLimits.MaxRows
	}
	doc, errs := gqlparser.LoadQuery(schema, req.Query)
	if errs != nil {
		return nil, errs
	}
	op := doc.Operations.ForName(req.OperationName)
	if op == nil {
		return nil, cobuild.Errorf(cobuild.EINVALID, "查询中没有名为 %q 的操作。The query has no operation named %q.", req.OperationName, req.OperationName)
	}
	if op.Operation != ast.Query {
		return nil, &cobuild.Error{Code: cobuild.EINVALID, Message: "只能导出查询（query），不能导出变更或订阅。Only a query can be exported, not a mutation or subscription.",
			Extensions: map[string]any{"field": "query"}}
	}
	p := &Plan{req: req, limits: lim, want: -1}
	var target *selected
	var conn *selected
	if req.List != "" {
		target, conn = p.named(schema, op.SelectionSet, strings.Split(req.List, "."))
		if target == nil {
			return nil, &cobuild.Error{Code: cobuild.EINVALID,
				Message:    fmt.Sprintf("查询的结果中没有对象列表 %s。The answer has no list of objects at %s.", req.List, req.List),
				Extensions: map[string]any{"field": "list"}}
		}
	} else {
		target, conn = p.first(schema, op.SelectionSet)
		if target == nil {
			return nil, &cobuild.Error{Code: cobuild.EINVALID,
				Message:    "查询的结果中没有可导出的对象列表。The answer holds no list of objects to export.",
				Extensions: map[string]any{"field": "query"}}
		}
	}
	items := target.sels
	if target.field.Name == "edges" && conn != nil {
		if node := find(merge(target.sels), "node"); node != nil {
			p.edge = true
			items = node.sels
		}
	}
	if !p.edge && target.field.Name != "nodes" {
		conn = nil
	}
	p.columns = columns(schema, merge(items), "", nil, false)
	for i, c := range p.columns {
		if h, ok := req.Headers[strings.Join(c.Path, ".")]; ok && h != "" {
			p.columns[i].Header = h
		}
	}
	p.columns = dedupe(p.columns)
	if len(p.columns) == 0 {
		return nil, &cobuild.Error{Code: cobuild.EINVALID, Message: "导出的列表没有选择任何字段。The exported list selects no field.",
			Extensions: map[string]any{"field": "query"}}
	}
	if conn != nil {
		if err := p.page(schema, doc, op, conn); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Columns are the table's columns, in the query's order.
func (p *Plan) Columns() []Column { return p.columns }

// Headers are the columns' headers.
func (p *Plan) Headers() []string {
	out := make([]string, len(p.columns))
	for i, c := range p.columns {
		out[i] = c.Header
	}
	return out
}

// Paged reports whether the plan reads its list a page at a time.
func (p *Plan) Paged() bool { return p.paged }

// selected is one response key of a selection set, its fields merged across fragments.
type selected struct {
	key   string
	field *ast.Field
	sels  ast.SelectionSet
}

// merge lists the fields of a selection set by response key, in the order of their first
// appearance, fragments (inline or named, of any type condition) spread in place and the
// sub-selections of a key selected more than once put together.
func merge(set ast.SelectionSet) []*selected {
	var out []*selected
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, s := range set {
			switch s := s.(type) {
			case *ast.Field:
				key := s.Alias
				if key == "" {
					key = s.Name
				}
				if f := find(out, key); f != nil {
					f.sels = append(slices.Clip(f.sels), s.SelectionSet...)
					continue
				}
				out = append(out, &selected{key: key, field: s, sels: s.SelectionSet})
			case *ast.InlineFragment:
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				if s.Definition != nil {
					walk(s.Definition.SelectionSet)
				}
			}
		}
	}
	walk(set)
	return out
}

func find(fields []*selected, key string) *selected {
	for _, f := range fields {
		if f.key == key {
			return f
		}
	}
	return nil
}

// isObject reports whether a field's values are objects (have selections).
func isObject(schema *ast.Schema, f *ast.Field) bool {
	if f.Definition == nil {
		return false
	}
	d := schema.Types[f.Definition.Type.Name()]
	return d != nil && (d.Kind == ast.Object || d.Kind == ast.Interface || d.Kind == ast.Union)
}

func isList(f *ast.Field) bool { return f.Definition != nil && f.Definition.Type.Elem != nil }

// first finds the shallowest list of objects, breadth first in the query's order, with the
// field of the connection it belongs to when it is a connection's nodes or edges.
func (p *Plan) first(schema *ast.Schema, set ast.SelectionSet) (target, conn *selected) {
	type level struct {
		f      *selected
		path   []string
		parent *selected
	}
	var queue []level
	for _, f := range merge(set) {
		queue = append(queue, level{f, []string{f.key}, nil})
	}
	for len(queue) > 0 {
		l := queue[0]
		queue = queue[1:]
		if !isObject(schema, l.f.field) {
			continue
		}
		if isList(l.f.field) {
			p.path = l.path
			return l.f, connection(l.parent)
		}
		for _, c := range merge(l.f.sels) {
			queue = append(queue, level{c, append(slices.Clip(l.path), c.key), l.f})
		}
	}
	return nil, nil
}

// named finds the list of objects at the response keys of path, through objects only.
func (p *Plan) named(schema *ast.Schema, set ast.SelectionSet, path []string) (target, conn *selected) {
	var parent *selected
	for i, key := range path {
		f := find(merge(set), key)
		if f == nil || !isObject(schema, f.field) {
			return nil, nil
		}
		if isList(f.field) {
			if i != len(path)-1 {
				return nil, nil
			}
			p.path = path
			return f, connection(parent)
		}
		parent, set = f, f.sels
	}
	return nil, nil
}

// connection returns f when it is a field of a connection that pages: it takes first and
// after, and its type has pageInfo.
func connection(f *selected) *selected {
	if f == nil || f.field.Definition == nil || isList(f.field) {
		return nil
	}
	d := f.field.Definition
	if d.Arguments.ForName("first") == nil || d.Arguments.ForName("after") == nil {
		return nil
	}
	return f
}

// page makes the plan read conn a page at a time when the query asks for more rows than a
// page holds, or gives no first.
func (p *Plan) page(schema *ast.Schema, doc *ast.QueryDocument, op *ast.OperationDefinition, conn *selected) error {
	ct := schema.Types[conn.field.Definition.Type.Name()]
	if ct == nil || ct.Fields.ForName("pageInfo") == nil {
		return nil
	}
	args := conn.field.ArgumentMap(p.req.Variables)
	if v, ok := args["first"]; ok && v != nil {
		n, ok := asInt(v)
		if !ok {
			return nil
		}
		if n <= p.limits.PageMax {
			return nil // one page, as the query asks: run as it is
		}
		if n > p.limits.MaxRows {
			return rowsExceeded(n, p.limits.MaxRows)
		}
		p.want = n
	}
	p.after = args["after"]
	p.paged = true
	p.total = ct.Fields.ForName("totalCount") != nil && p.want < 0

	// The query's own first and after give way to the plan's variables.
	f := conn.field
	setArg(f, "first", &ast.Value{Kind: ast.Variable, Raw: varFirst})
	setArg(f, "after", &ast.Value{Kind: ast.Variable, Raw: varAfter})
	f.SelectionSet = append(slices.Clip(f.SelectionSet), &ast.Field{Alias: aliasPageInfo, Name: "pageInfo",
		SelectionSet: ast.SelectionSet{&ast.Field{Name: "hasNextPage"}, &ast.Field{Name: "endCursor"}}})
	if p.total {
		f.SelectionSet = append(f.SelectionSet, &ast.Field{Alias: aliasTotal, Name: "totalCount"})
	}
	op.VariableDefinitions = append(op.VariableDefinitions,
		&ast.VariableDefinition{Variable: varFirst, Type: ast.NamedType("Int", nil)},
		&ast.VariableDefinition{Variable: varAfter, Type: ast.NamedType("String", nil)})
	q, err := format(op, dropUnused(doc, op))
	if err != nil {
		return err
	}
	p.query = q
	return nil
}

func rowsExceeded(n, max int) error {
	return &cobuild.Error{Code: cobuild.ELIMIT,
		Message:    fmt.Sprintf("导出的行数 %d 超过上限 %d；请缩小筛选范围。The export asks for %d rows, over the limit of %d; narrow the filter.", n, max, n, max),
		Extensions: map[string]any{"limit": "exportRows", "value": n, "max": max}}
}

func setArg(f *ast.Field, name string, v *ast.Value) {
	for _, a := range f.Arguments {
		if a.Name == name {
			a.Value = v
			return
		}
	}
	f.Arguments = append(f.Arguments, &ast.Argument{Name: name, Value: v})
}

func asInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), n == float64(int(n))
	case interface{ Int64() (int64, error) }:
		i, err := n.Int64()
		return int(i), err == nil
	}
	return 0, false
}

// columns lists the leaf columns of a selection, depth first in the query's order.
func columns(schema *ast.Schema, fields []*selected, prefix string, path []string, joined bool) []Column {
	var out []Column
	for _, s := range fields {
		f := s.field
		if f.Definition == nil {
			continue
		}
		label := fieldLabel(schema, f)
		here := append(slices.Clip(path), s.key)
		j := joined || isList(f)
		if isObject(schema, f) {
			out = append(out, columns(schema, merge(s.sels), join(prefix, label), here, j)...)
			continue
		}
		header := join(prefix, label)
		if prefix != "" && f.Name == "name" && (f.Alias == "" || f.Alias == f.Name) {
			header = prefix // a nested object's name is the object itself
		}
		if header == "" {
			header = s.key
		}
		typ := f.Definition.Type.Name()
		c := Column{Header: header, Path: here, Joined: j, Type: typ, bools: [2]string{cobuild.No, cobuild.Yes}}
		if d := schema.Types[typ]; d != nil && d.Kind == ast.Enum {
			c.enum = true
		}
		for _, k := range keys(schema, f) {
			if b, ok := cobuild.BoolLabels[k]; ok {
				c.bools = b
				break
			}
		}
		out = append(out, c)
	}
	return out
}

// dedupe makes headers unique: a header seen before gets （2）, （3）...
func dedupe(cols []Column) []Column {
	seen := map[string]int{}
	for i := range cols {
		h := cols[i].Header
		seen[h]++
		if n := seen[h]; n > 1 {
			cols[i].Header = fmt.Sprintf("%s（%d）", h, n)
		}
	}
	return cols
}

// keys are the label keys of a field: "Type.field" of the type it is selected on, then of
// each interface that type implements.
func keys(schema *ast.Schema, f *ast.Field) []string {
	if f.ObjectDefinition == nil {
		return nil
	}
	out := []string{f.ObjectDefinition.Name + "." + f.Name}
	for _, i := range f.ObjectDefinition.Interfaces {
		out = append(out, i+"."+f.Name)
	}
	return out
}

// chineseInParens finds the first parenthesised words that start with a Chinese character.
var chineseInParens = regexp.MustCompile(`[(（]\s*(\p{Han}[^,，;；()（）]*)`)

// fieldLabel is the label of a field by the rules of cobuild.FieldLabels: the label
// tables, the Chinese words of its description, its name; an alias follows in brackets.
func fieldLabel(schema *ast.Schema, f *ast.Field) string {
	label := func() string {
		for _, k := range keys(schema, f) {
			if l, ok := cobuild.FieldLabels[k]; ok {
				return l
			}
		}
		if f.Definition != nil {
			if m := chineseInParens.FindStringSubmatch(f.Definition.Description); m != nil {
				return strings.TrimSpace(m[1])
			}
		}
		return f.Name
	}()
	if f.Alias != "" && f.Alias != f.Name {
		if label == "" {
			return f.Alias
		}
		return label + "（" + f.Alias + "）"
	}
	return label
}

// Header returns the header that a field of a type gets by the rules of
// cobuild.FieldLabels, without an alias or a prefix: for the importer and the docs.
func Header(schema *ast.Schema, typeName, field string) string {
	d := schema.Types[typeName]
	if d == nil {
		return field
	}
	fd := d.Fields.ForName(field)
	return fieldLabel(schema, &ast.Field{Name: field, Definition: fd, ObjectDefinition: d})
}

// join puts a nested field's label after its object's: without a separator when both
// are Chinese, with "." otherwise; an empty side lends nothing.
func join(prefix, label string) string {
	switch {
	case prefix == "":
		return label
	case label == "":
		return prefix
	}
	last, _ := utf8.DecodeLastRuneInString(prefix)
	first, _ := utf8.DecodeRuneInString(label)
	if unicode.Is(unicode.Han, last) && unicode.Is(unicode.Han, first) {
		return prefix + label
	}
	return prefix + "." + label
}
