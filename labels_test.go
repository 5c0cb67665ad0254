package cobuild_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"cobuild"
)

// TestEveryEnumValueOfTheSchemaHasALabel keeps the promise of the schema's header: each
// enum value has a Chinese label.
func TestEveryEnumValueOfTheSchemaHasALabel(t *testing.T) {
	files, err := filepath.Glob("schema/*.graphqls")
	if err != nil {
		t.Fatal(err)
	}
	var sources []*ast.Source
	for _, f := range append([]string{"schema.graphqls"}, files...) {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, &ast.Source{Name: f, Input: string(src)})
	}
	schema, gerr := gqlparser.LoadSchema(sources...)
	if gerr != nil {
		t.Fatal(gerr)
	}
	n := 0
	for name, def := range schema.Types {
		if def.Kind != ast.Enum || def.BuiltIn {
			continue
		}
		for _, v := range def.EnumValues {
			n++
			if cobuild.Label(name, v.Name) == v.Name {
				t.Errorf("%s.%s has no label", name, v.Name)
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d enum values found; is the schema read?", n)
	}
}
