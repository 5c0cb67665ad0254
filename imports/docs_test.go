package imports_test

import (
	"os"
	"strings"
	"testing"

	"cobuild/imports"
)

const (
	kindsBegin = "<!-- kinds: written by imports.Markdown; COBUILD_UPDATE_DOCS=1 go test ./imports -run Docs -->\n"
	kindsEnd   = "<!-- end of kinds -->"
)

// docs/import.md lists every kind of file and column as the import reads them.
func TestDocsListEveryKind(t *testing.T) {
	path := "../docs/import.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, kindsBegin), strings.Index(doc, kindsEnd)
	if i < 0 || j < i {
		t.Fatalf("%s has no section between %q and %q", path, kindsBegin, kindsEnd)
	}
	want := imports.Markdown()
	if got := doc[i+len(kindsBegin) : j]; got != want {
		if os.Getenv("COBUILD_UPDATE_DOCS") != "" {
			if err := os.WriteFile(path, []byte(doc[:i+len(kindsBegin)]+want+doc[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("%s does not list the kinds as the import reads them; run COBUILD_UPDATE_DOCS=1 go test ./imports -run Docs", path)
	}
}
