package export

import (
	"bytes"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
)

// dropUnused removes the variables of op that nothing uses any more (a first or after
// the plan's own variables replaced), which validation would refuse, and returns the
// fragments op uses.
func dropUnused(doc *ast.QueryDocument, op *ast.OperationDefinition) ast.FragmentDefinitionList {
	used := map[string]bool{}
	var value func(*ast.Value)
	value = func(v *ast.Value) {
		if v == nil {
			return
		}
		if v.Kind == ast.Variable {
			used[v.Raw] = true
		}
		for _, c := range v.Children {
			value(c.Value)
		}
	}
	directives := func(ds ast.DirectiveList) {
		for _, d := range ds {
			for _, a := range d.Arguments {
				value(a.Value)
			}
		}
	}
	seen := map[string]bool{}
	var fragments ast.FragmentDefinitionList
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, s := range set {
			switch s := s.(type) {
			case *ast.Field:
				for _, a := range s.Arguments {
					value(a.Value)
				}
				directives(s.Directives)
				walk(s.SelectionSet)
			case *ast.InlineFragment:
				directives(s.Directives)
				walk(s.SelectionSet)
			case *ast.FragmentSpread:
				directives(s.Directives)
				if seen[s.Name] {
					continue
				}
				seen[s.Name] = true
				if f := doc.Fragments.ForName(s.Name); f != nil {
					fragments = append(fragments, f)
					directives(f.Directives)
					walk(f.SelectionSet)
				}
			}
		}
	}
	directives(op.Directives)
	walk(op.SelectionSet)
	kept := op.VariableDefinitions[:0]
	for _, d := range op.VariableDefinitions {
		if used[d.Variable] {
			kept = append(kept, d)
		}
	}
	op.VariableDefinitions = kept
	return fragments
}

// format prints op and its fragments as a query document.
func format(op *ast.OperationDefinition, fragments ast.FragmentDefinitionList) (string, error) {
	var buf bytes.Buffer
	out := &ast.QueryDocument{Operations: ast.OperationList{op}, Fragments: fragments}
	formatter.NewFormatter(&buf, formatter.WithIndent("  ")).FormatQueryDocument(out)
	return buf.String(), nil
}
