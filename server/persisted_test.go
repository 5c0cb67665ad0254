package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"cobuild"
	"cobuild/neo4jtest"
	"cobuild/server"
)

func sha(q string) string {
	sum := sha256.Sum256([]byte(q))
	return hex.EncodeToString(sum[:])
}

// persisted is extensions.persistedQuery for a hash.
func persisted(hash string) map[string]any {
	return map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hash}}
}

// What a request accepts.
const asJSON, asGraphQL = "application/json", "application/graphql-response+json"

// answer is one response: its status and its entries.
type answer struct {
	status int
	body   map[string]json.RawMessage
	errors []gqlError
	raw    string
}

func (a answer) code() string {
	if len(a.errors) == 0 {
		return ""
	}
	c, _ := a.errors[0].Extensions["code"].(string)
	return c
}

// sendPersisted posts a request of the given entries (query, extensions, variables...).
func sendPersisted(t *testing.T, h http.Handler, accept string, req map[string]any) answer {
	t.Helper()
	body, _ := json.Marshal(req)
	r := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Accept", accept)
	neo4jtest.Authorize(t, r)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	a := answer{status: rec.Code, raw: rec.Body.String()}
	if err := json.Unmarshal(rec.Body.Bytes(), &a.body); err != nil {
		t.Fatalf("response is not a JSON object (status %d): %s", rec.Code, rec.Body.String())
	}
	if e, ok := a.body["errors"]; ok {
		if err := json.Unmarshal(e, &a.errors); err != nil {
			t.Fatalf("errors are not a list: %s", e)
		}
	}
	return a
}

// dashboard returns the dashboard's registered operations by name.
func dashboard(t *testing.T) map[string]string {
	t.Helper()
	ops, err := server.DashboardOperations()
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]string{}
	for hash, q := range ops {
		doc, err := parser.ParseQuery(&ast.Source{Input: q})
		if err != nil || len(doc.Operations) != 1 {
			t.Fatalf("registered operation %.60q: %v", q, err)
		}
		byName[doc.Operations[0].Name] = hash
	}
	return byName
}

func TestDashboardOperationsAreRegisteredByTheBuild(t *testing.T) {
	ops, err := server.DashboardOperations()
	if err != nil {
		t.Fatal(err)
	}
	// The panels' operations (web/src); a panel whose operation is missing here would pay a
	// round trip in the default mode and be refused in allow-list mode.
	byName := dashboard(t)
	for _, name := range []string{"Reference", "EnumLabels", "RegistryCounts", "HeadlineCoverage", "CoverageBy",
		"Grading", "GradeMovement", "IsolatedUncovered", "FindOrganization", "EgoNetwork"} {
		if _, ok := byName[name]; !ok {
			t.Errorf("the dashboard's operation %s is not in web/dist/persisted-operations.json", name)
		}
	}
	for hash, q := range ops {
		if sha(q) != hash {
			t.Errorf("operation %.40q is registered under %s, not under the sha256 of its text", q, hash)
		}
	}
}

func TestAutomaticPersistedQueries(t *testing.T) {
	h := api(t)

	t.Run("a dashboard operation runs by its hash alone, known from the build", func(t *testing.T) {
		a := sendPersisted(t, h, asJSON, map[string]any{"extensions": persisted(dashboard(t)["EnumLabels"])})
		if a.status != 200 || len(a.errors) > 0 || !strings.Contains(a.raw, `"enumLabels":[{`) {
			t.Errorf("status %d: %.300s", a.status, a.raw)
		}
	})

	t.Run("an unknown hash is PERSISTED_QUERY_NOT_FOUND, then the text with its hash runs and is kept", func(t *testing.T) {
		q := `query RulesByHash { rules { goldFloor } }`
		a := sendPersisted(t, h, asJSON, map[string]any{"extensions": persisted(sha(q))})
		if a.code() != "PERSISTED_QUERY_NOT_FOUND" || a.status != 200 {
			t.Fatalf("hash alone before the text: status %d, code %q, want 200 PERSISTED_QUERY_NOT_FOUND: %s", a.status, a.code(), a.raw)
		}
		if _, ok := a.body["data"]; ok {
			t.Errorf("an operation that never ran has a data entry: %s", a.raw)
		}
		if a := sendPersisted(t, h, asJSON, map[string]any{"query": q, "extensions": persisted(sha(q))}); a.raw != `{"data":{"rules":{"goldFloor":90}}}` {
			t.Fatalf("text with its hash: %s", a.raw)
		}
		if a := sendPersisted(t, h, asJSON, map[string]any{"extensions": persisted(sha(q))}); a.raw != `{"data":{"rules":{"goldFloor":90}}}` {
			t.Errorf("hash alone after the text: %s", a.raw)
		}
	})

	t.Run("a text with another text's hash is refused and not kept", func(t *testing.T) {
		q, other := `{ rules { goldFloor } }`, `{ rules { silverFloor } }`
		if a := sendPersisted(t, h, asJSON, map[string]any{"query": q, "extensions": persisted(sha(other))}); len(a.errors) == 0 || a.body["data"] != nil {
			t.Errorf("text with a wrong hash: %s", a.raw)
		}
		if a := sendPersisted(t, h, asJSON, map[string]any{"extensions": persisted(sha(other))}); a.code() != "PERSISTED_QUERY_NOT_FOUND" {
			t.Errorf("the wrong text was kept under the hash: %s", a.raw)
		}
	})

	t.Run("any operation still runs by its text", func(t *testing.T) {
		if a := sendPersisted(t, h, asJSON, map[string]any{"query": `{ rules { bronzeFloor } }`}); a.raw != `{"data":{"rules":{"bronzeFloor":60}}}` {
			t.Errorf("plain text: %s", a.raw)
		}
	})
}

// allowListed is the whole handler over the test Neo4j with an allow-list: the dashboard's
// operations and those of a manifest file holding one more.
func allowListed(t *testing.T, extra string) http.Handler {
	t.Helper()
	file := filepath.Join(t.TempDir(), "operations.json")
	manifest, _ := json.Marshal(map[string]any{"format": "apollo-persisted-query-manifest", "version": 1,
		"operations": []map[string]string{{"id": sha(extra), "name": "Extra", "type": "query", "body": extra}}})
	if err := os.WriteFile(file, manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	ops, err := server.LoadAllowList(file)
	if err != nil {
		t.Fatal(err)
	}
	m := neo4jtest.Main(t)
	return server.Handler(server.Config{Resolvers: m.Resolvers, Ready: m.Ready, Logger: slog.New(slog.DiscardHandler), Auth: m.Verifier,
		Persisted: server.PersistedQueries{AllowList: ops}})
}

func TestAllowList(t *testing.T) {
	extra := `query Extra { rules { goldFloor } }`
	h := allowListed(t, extra)
	labels := dashboard(t)["EnumLabels"]

	ran := func(t *testing.T, a answer) {
		t.Helper()
		if a.status != 200 || len(a.errors) > 0 || a.body["data"] == nil {
			t.Errorf("want it run, got status %d: %.300s", a.status, a.raw)
		}
	}
	refused := func(t *testing.T, a answer, status int, hash string) {
		t.Helper()
		if a.status != status || a.code() != cobuild.ENOTALLOWED || len(a.errors) != 1 {
			t.Errorf("want status %d and one %s error, got %d: %s", status, cobuild.ENOTALLOWED, a.status, a.raw)
		}
		if _, ok := a.body["data"]; ok {
			t.Errorf("a refused operation has a data entry: %s", a.raw)
		}
		if len(a.errors) > 0 && a.errors[0].Extensions["sha256Hash"] != hash {
			t.Errorf("the error names the hash %v, want %s", a.errors[0].Extensions["sha256Hash"], hash)
		}
		if len(a.errors) > 0 && !strings.Contains(a.errors[0].Message, "未登记") {
			t.Errorf("message %q is not the allow-list's", a.errors[0].Message)
		}
	}

	t.Run("a dashboard operation runs by its hash", func(t *testing.T) {
		ran(t, sendPersisted(t, h, asJSON, map[string]any{"extensions": persisted(labels)}))
	})
	t.Run("a dashboard operation runs by its text", func(t *testing.T) {
		ops, _ := server.DashboardOperations()
		ran(t, sendPersisted(t, h, asJSON, map[string]any{"query": ops[labels]}))
	})
	t.Run("an operation of the file runs by its text and by its hash", func(t *testing.T) {
		ran(t, sendPersisted(t, h, asJSON, map[string]any{"query": extra}))
		ran(t, sendPersisted(t, h, asJSON, map[string]any{"extensions": persisted(sha(extra))}))
	})
	t.Run("a dashboard operation by its hash over GET", func(t *testing.T) {
		ext, _ := json.Marshal(persisted(labels))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, neo4jtest.Authorize(t, httptest.NewRequest(http.MethodGet, "/graphql?"+url.Values{"extensions": {string(ext)}}.Encode(), nil)))
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"enumLabels":[{`) {
			t.Errorf("status %d: %.300s", rec.Code, rec.Body.String())
		}
	})
	t.Run("every operation of the dashboard passes the list", func(t *testing.T) {
		for name, hash := range dashboard(t) {
			// Without variables some fail to validate; none may be refused.
			if a := sendPersisted(t, h, asJSON, map[string]any{"extensions": persisted(hash)}); a.code() == cobuild.ENOTALLOWED {
				t.Errorf("%s is refused: %s", name, a.raw)
			}
		}
	})

	other := `{ rules { silverFloor } }`
	t.Run("another operation is refused by its text, 200 as JSON", func(t *testing.T) {
		refused(t, sendPersisted(t, h, asJSON, map[string]any{"query": other}), 200, sha(other))
	})
	t.Run("another operation is refused by its text, 400 as a GraphQL response", func(t *testing.T) {
		refused(t, sendPersisted(t, h, asGraphQL, map[string]any{"query": other}), 400, sha(other))
	})
	t.Run("an unknown hash is refused, not PERSISTED_QUERY_NOT_FOUND, since its text would be refused too", func(t *testing.T) {
		refused(t, sendPersisted(t, h, asJSON, map[string]any{"extensions": persisted(sha(other))}), 200, sha(other))
	})
	t.Run("an unregistered text is refused before it is parsed", func(t *testing.T) {
		refused(t, sendPersisted(t, h, asJSON, map[string]any{"query": "{ rules {"}), 200, sha("{ rules {"))
	})
	t.Run("introspection is refused like any unregistered operation", func(t *testing.T) {
		q := `{ __schema { queryType { name } } }`
		refused(t, sendPersisted(t, h, asJSON, map[string]any{"query": q}), 200, sha(q))
	})
	t.Run("a registered hash with another text is refused", func(t *testing.T) {
		a := sendPersisted(t, h, asJSON, map[string]any{"query": other, "extensions": persisted(labels)})
		if a.code() != cobuild.EINVALID || a.body["data"] != nil {
			t.Errorf("want %s and no data: %s", cobuild.EINVALID, a.raw)
		}
	})
}

func TestLoadAllowList(t *testing.T) {
	dash, err := server.DashboardOperations()
	if err != nil {
		t.Fatal(err)
	}
	if ops, err := server.LoadAllowList(""); ops != nil || err != nil {
		t.Errorf(`LoadAllowList(""): %v, %v; want no list`, ops, err)
	}
	if ops, err := server.LoadAllowList(server.BuiltinAllowList); err != nil || len(ops) != len(dash) {
		t.Errorf("LoadAllowList(builtin): %d operations, %v; want the dashboard's %d", len(ops), err, len(dash))
	}
	dir := t.TempDir()
	for _, tt := range []struct{ name, manifest, want string }{
		{"an id that is not the hash of its body", `{"format":"apollo-persisted-query-manifest","version":1,"operations":[{"id":"abc","name":"X","type":"query","body":"{ rules { goldFloor } }"}]}`, "is not the sha256 of its body"},
		{"another format", `{"format":"relay","version":1,"operations":[]}`, "want apollo-persisted-query-manifest"},
		{"not JSON", `nonsense`, "read the persisted query manifest"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".json")
			os.WriteFile(file, []byte(tt.manifest), 0o644)
			if _, err := server.LoadAllowList(file); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := server.LoadAllowList(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("a missing file gives no error")
	}
}
