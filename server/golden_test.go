package server_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden responses in testdata/")

// TestGoldenResponses runs every testdata/*.graphql operation and compares the response
// with testdata/*.golden.json. Run `go test ./server -run Golden -update` (with NEO4J_URI
// set) after a deliberate change, and review the diff.
func TestGoldenResponses(t *testing.T) {
	h := api(t)
	files, err := filepath.Glob("testdata/*.graphql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no operations in testdata: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".graphql")
		t.Run(name, func(t *testing.T) {
			q, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			r := post(t, h, string(q), nil)
			got, err := json.MarshalIndent(r, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, got, "", "  "); err != nil {
				t.Fatal(err)
			}
			golden := strings.TrimSuffix(f, ".graphql") + ".golden.json"
			if *update {
				if err := os.WriteFile(golden, append(pretty.Bytes(), '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("no golden response (run with -update): %v", err)
			}
			gotLines := strings.Split(strings.TrimSpace(pretty.String()), "\n")
			wantLines := strings.Split(strings.TrimSpace(string(want)), "\n")
			if diff := cmp.Diff(wantLines, gotLines); diff != "" {
				t.Errorf("response differs from %s (-golden +got):\n%s", golden, diff)
			}
		})
	}
}
