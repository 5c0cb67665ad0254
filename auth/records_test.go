package auth_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	x509name "crypto/x509/pkix"
	"encoding/pem"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"cobuild/auth"
)

// TestScopedIsForOfficersOnly: only an officer's answers are narrowed to areas; a request
// without a principal (the server's own) is not.
func TestScopedIsForOfficersOnly(t *testing.T) {
	var none *auth.Principal
	if none.Scoped() {
		t.Error("no principal is scoped")
	}
	for _, r := range auth.Roles {
		p := &auth.Principal{Subject: "s", Role: r, Areas: []string{"ar-000001"}}
		if got, want := p.Scoped(), r == auth.Officer; got != want {
			t.Errorf("%s: Scoped() = %v, want %v", r, got, want)
		}
	}
}

// TestRecordsOfASchema: records are the types implementing Node but the reference types,
// the types of RecordTypes, and the interfaces and unions that may be one of them.
func TestRecordsOfASchema(t *testing.T) {
	schema := gqlparser.MustLoadSchema(&ast.Source{Name: "test.graphqls", Input: `
		interface Node { id: ID! }
		interface Named { name: String }
		type Organization implements Node & Named { id: ID! name: String }
		type Area implements Node & Named { id: ID! name: String }
		type Industry implements Node { id: ID! }
		type NetworkNode { id: ID! }
		type Figure implements Named { name: String }
		type Tally { n: Int }
		union Anything = Organization | Tally
		union Counts = Tally | Figure
		type Query { node: Node a: Anything c: Counts f: Figure n: NetworkNode }
	`})
	got := slices.Sorted(maps.Keys(auth.Records(schema)))
	want := []string{"Anything", "Named", "NetworkNode", "Node", "Organization"}
	if !slices.Equal(got, want) {
		t.Errorf("Records = %v, want %v", got, want)
	}
}

// TestPublicKeysFromACertificate: a PEM file may hold a certificate, whose key is read, and
// blocks that are no key, which are passed over.
func TestPublicKeysFromACertificate(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: x509name.Name{CommonName: "sso"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "sso.pem")
	data := append(pem.EncodeToMemory(&pem.Block{Type: "COMMENT", Bytes: []byte("not a key")}),
		pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	keys, err := auth.ReadPublicKeys(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || !pub.Equal(keys[0]) {
		t.Fatalf("keys %v, want the certificate's", keys)
	}
	bad := filepath.Join(t.TempDir(), "bad.pem")
	os.WriteFile(bad, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("garbage")}), 0o600)
	if _, err := auth.ReadPublicKeys(bad); err == nil {
		t.Error("a certificate that does not parse was read")
	}
}
