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

// The labels of one enum, or of all, in order of enum and value.
func TestEnumLabelsAreFilteredAndOrdered(t *testing.T) {
	tiers := cobuild.EnumLabels("Tier")
	if len(tiers) != 4 {
		t.Fatalf("%d tier labels, want 4: %+v", len(tiers), tiers)
	}
	want := []string{"BRONZE", "GOLD", "SILVER", "WEAK"}
	for i, l := range tiers {
		if l.Enum != "Tier" || l.Value != want[i] || l.Label == "" || l.Label == l.Value {
			t.Errorf("tier label %d: %+v, want Tier %s with a Chinese label", i, l, want[i])
		}
	}
	all := cobuild.EnumLabels("")
	enums := map[string]bool{}
	for i, l := range all {
		enums[l.Enum] = true
		if i > 0 {
			prev := all[i-1]
			if prev.Enum > l.Enum || (prev.Enum == l.Enum && prev.Value >= l.Value) {
				t.Fatalf("out of order at %d: %+v after %+v", i, l, prev)
			}
		}
	}
	if len(enums) < 5 || !enums["Tier"] {
		t.Errorf("all labels cover %d enums", len(enums))
	}
	if got := cobuild.EnumLabels("NoSuchEnum"); len(got) != 0 {
		t.Errorf("an unknown enum has %d labels", len(got))
	}
}
