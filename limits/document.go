package limits

import (
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/lexer"
	"github.com/vektah/gqlparser/v2/parser"
)

// Shape is what CheckQuery measures of a document, before it is validated.
type Shape struct {
	Tokens  int
	Fields  int64
	Aliases int64
	Depth   int
}

// saturated bounds the counts of fields and aliases: fragments spread into fragments
// multiply, and a document of a few hundred bytes can stand for more fields than an int
// holds.
const saturated = int64(1) << 50

func add(a, b int64) int64 { return min(a+b, saturated) }

// CheckQuery measures a query document and refuses it with Exceeded when it has too many
// tokens, fields or aliases, nests too deep, or holds a list literal too long. It does
// not validate: a document it cannot parse is not its concern (nil is returned, and
// gqlgen reports the syntax error), and it follows fragment spreads by name, guarding
// against cycles, since validation has not yet refused them. The work is linear in the
// document.
func (c Config) CheckQuery(query string) (Shape, error) {
	var s Shape
	// Tokens are counted with gqlparser's own lexer before anything is parsed, so that a
	// long document costs no more than one pass over its bytes.
	lex := lexer.New(&ast.Source{Input: query})
	for {
		tok, err := lex.ReadToken()
		if err != nil || tok.Kind == lexer.EOF {
			break
		}
		if tok.Kind == lexer.Comment {
			continue
		}
		s.Tokens++
	}
	if s.Tokens > c.MaxTokens {
		return s, Exceeded(LimitTokens, int64(s.Tokens), int64(c.MaxTokens), "")
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: query}, c.MaxTokens+1)
	if err != nil || doc == nil {
		return s, nil
	}
	return c.checkDocument(doc, s)
}

// fragmentShape is a fragment's fields, aliases and depth, the same wherever it is spread.
type fragmentShape struct {
	fields, aliases int64
	depth           int
	done            bool
}

type shaper struct {
	doc       *ast.QueryDocument
	fragments map[string]*fragmentShape
	visiting  map[string]bool
	c         Config
	list      error
}

func (c Config) checkDocument(doc *ast.QueryDocument, s Shape) (Shape, error) {
	m := &shaper{doc: doc, fragments: map[string]*fragmentShape{}, visiting: map[string]bool{}, c: c}
	for _, op := range doc.Operations {
		f, a, d := m.selections(op.SelectionSet)
		s.Fields, s.Aliases, s.Depth = add(s.Fields, f), add(s.Aliases, a), max(s.Depth, d)
		for _, v := range op.VariableDefinitions {
			m.values(v.DefaultValue, "$"+v.Variable)
		}
	}
	// A fragment that no operation spreads is still validated: its fields count once.
	for _, fd := range doc.Fragments {
		if _, spread := m.fragments[fd.Name]; !spread {
			f, a, d := m.fragment(fd.Name)
			s.Fields, s.Aliases, s.Depth = add(s.Fields, f), add(s.Aliases, a), max(s.Depth, d)
		}
	}
	switch {
	case m.list != nil:
		return s, m.list
	case s.Fields > int64(c.MaxFields):
		return s, Exceeded(LimitFields, s.Fields, int64(c.MaxFields), "")
	case s.Aliases > int64(c.MaxAliases):
		return s, Exceeded(LimitAliases, s.Aliases, int64(c.MaxAliases), "")
	case s.Depth > c.MaxDepth:
		return s, Exceeded(LimitDepth, int64(s.Depth), int64(c.MaxDepth), "")
	}
	return s, nil
}

// selections returns the fields and aliases of a selection set, fragments expanded, and
// its depth: 1 for a set of leaves.
func (m *shaper) selections(set ast.SelectionSet) (fields, aliases int64, depth int) {
	for _, sel := range set {
		var f, a int64
		var d int
		switch sel := sel.(type) {
		case *ast.Field:
			f, a, d = 1, 0, 1
			if sel.Alias != "" && sel.Alias != sel.Name {
				a = 1
			}
			for _, arg := range sel.Arguments {
				m.values(arg.Value, sel.Name+"("+arg.Name+")")
			}
			cf, ca, cd := m.selections(sel.SelectionSet)
			f, a = add(f, cf), add(a, ca)
			// gqlparser bounds the depth of introspection (MaxIntrospectionDepth), and
			// GraphiQL's own query nests deeper than any of cobuild's.
			if sel.Name != "__schema" && sel.Name != "__type" {
				d += cd
			}
		case *ast.InlineFragment:
			f, a, d = m.selections(sel.SelectionSet)
		case *ast.FragmentSpread:
			f, a, d = m.fragment(sel.Name)
		}
		fields, aliases, depth = add(fields, f), add(aliases, a), max(depth, d)
	}
	return fields, aliases, depth
}

// fragment returns the shape of a named fragment, computed once; an unknown fragment and
// a spread inside its own cycle count nothing (validation refuses both).
func (m *shaper) fragment(name string) (int64, int64, int) {
	if fs, ok := m.fragments[name]; ok && fs.done {
		return fs.fields, fs.aliases, fs.depth
	}
	fd := m.doc.Fragments.ForName(name)
	if fd == nil || m.visiting[name] {
		return 0, 0, 0
	}
	m.visiting[name] = true
	f, a, d := m.selections(fd.SelectionSet)
	delete(m.visiting, name)
	m.fragments[name] = &fragmentShape{fields: f, aliases: a, depth: d, done: true}
	return f, a, d
}

// values records the first list literal longer than the limit inside an argument's value.
func (m *shaper) values(v *ast.Value, where string) {
	if v == nil || m.list != nil {
		return
	}
	if v.Kind == ast.ListValue && len(v.Children) > m.c.MaxListLength {
		m.list = Exceeded(LimitListLength, int64(len(v.Children)), int64(m.c.MaxListLength), where)
		return
	}
	for _, ch := range v.Children {
		w := where
		if v.Kind == ast.ObjectValue {
			w = where + "." + ch.Name
		}
		m.values(ch.Value, w)
	}
}

// CheckVariables refuses variables holding a list longer than MaxListLength, at any depth.
// The variables are as the transport decoded them from JSON.
func (c Config) CheckVariables(vars map[string]any) error {
	for name, v := range vars {
		if err := c.checkValue(v, "$"+name); err != nil {
			return err
		}
	}
	return nil
}

func (c Config) checkValue(v any, where string) error {
	switch v := v.(type) {
	case []any:
		if len(v) > c.MaxListLength {
			return Exceeded(LimitListLength, int64(len(v)), int64(c.MaxListLength), where)
		}
		for i, e := range v {
			if err := c.checkValue(e, where+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	case map[string]any:
		for k, e := range v {
			if err := c.checkValue(e, where+"."+k); err != nil {
				return err
			}
		}
	}
	return nil
}
