package main

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"cobuild"
	"cobuild/auth"
	"cobuild/neo4jtest"
)

func registryHeaderLine() string {
	var h []string
	for _, c := range cobuild.RegistryColumns {
		h = append(h, c.Header)
	}
	return strings.Join(h, ",")
}

func TestExportThroughARunningServer(t *testing.T) {
	srv := httptest.NewServer(neo4jtest.Main(t).Handler())
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	file := filepath.Join(dir, "registry.csv")
	args := []string{"-url", srv.URL, "-token", neo4jtest.Token(t, auth.Admin), "-registry", "-variables", `{"first": 30}`, "-format", "csv", "-o", file}
	if err := exportCmd(context.Background(), args, io.Discard); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n")
	if lines[0] != "\uFEFF"+registryHeaderLine() || len(lines) != 31 {
		t.Errorf("the file has %d lines, starting %q; want the BOM, the registry's header and 30 rows", len(lines), lines[0])
	}

	// An error of the server is the command's, and leaves no file.
	bad := filepath.Join(dir, "bad.csv")
	err = exportCmd(context.Background(), []string{"-url", srv.URL, "-token", neo4jtest.Token(t, auth.Viewer), "-registry", "-o", bad}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), cobuild.EFORBIDDEN) {
		t.Errorf("a viewer's export of the registry: %v, want FORBIDDEN", err)
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("a failed export left %s (%v)", bad, err)
	}
}

func TestExportOverTheStore(t *testing.T) {
	neo4jtest.Main(t) // the test Neo4j, seeded; the command opens a store of its own on it
	t.Setenv("COBUILD_JWT_SECRET", "")
	dir := t.TempDir()
	var out bytes.Buffer
	args := []string{"-data-dir", dir, "-role", "officer", "-area", neo4jtest.OfficerArea, "-registry", "-variables", `{"first": 12}`, "-o", "-"}
	if err := exportCmd(context.Background(), args, &out); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&out)
	if err != nil {
		t.Fatalf("the output is no workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 13 || strings.Join(rows[0], ",") != registryHeaderLine() {
		t.Fatalf("%d rows, header %q; want the registry's header and 12 rows", len(rows), rows[0])
	}
	areas := map[string]bool{}
	for _, r := range rows[1:] {
		areas[r[6]] = true
	}
	if len(areas) != 1 {
		t.Errorf("the officer's rows are in the areas %v; want their one area", areas)
	}
}
