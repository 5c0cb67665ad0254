package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"cobuild"
	"cobuild/auth"
	"cobuild/imports"
)

// upload sends files to importFiles as a multipart request (the GraphQL multipart request
// specification), with the preflight header unless told not to.
func (l *live) upload(t *testing.T, url, token string, vars map[string]any, files map[string][]byte, preflight bool) (int, gqlAnswer) {
	t.Helper()
	const q = `mutation($files: [Upload!]!, $dry: Boolean, $skip: Boolean) {
	  importFiles(files: $files, dryRun: $dry, skipBadRows: $skip) {
	    written seq dryRun rows problemCount
	    problems { file row column code message }
	    files { name sheets { name kind rows bad encoding ignoredColumns } }
	    changes { change of count }
	  }
	}`
	var names []string
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	v := map[string]any{"files": make([]any, len(names))}
	for k, x := range vars {
		v[k] = x
	}
	ops, _ := json.Marshal(map[string]any{"query": q, "variables": v})
	m := map[string][]string{}
	for i := range names {
		m[strconv.Itoa(i)] = []string{"variables.files." + strconv.Itoa(i)}
	}
	mp, _ := json.Marshal(m)
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("operations", string(ops))
	w.WriteField("map", string(mp))
	for i, n := range names {
		fw, _ := w.CreateFormFile(strconv.Itoa(i), n)
		fw.Write(files[n])
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, url+"/graphql", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	if preflight {
		req.Header.Set("GraphQL-Preflight", "1")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var a gqlAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("%s: %s", err, raw)
	}
	return resp.StatusCode, a
}

type importAnswer struct {
	ImportFiles struct {
		Written      bool
		Seq          *int
		DryRun       bool
		Rows         int
		ProblemCount int
		Problems     []imports.Problem
		Files        []struct {
			Name   string
			Sheets []imports.SheetReport
		}
		Changes []struct {
			Change, Of string
			Count      int
		}
	}
}

// An admin imports a GB18030 registry through the API: a dry run says what would change and
// writes nothing, the import writes one batch, and the other server follows it. Officers
// may not import; a multipart request without the preflight header is refused; the
// templates download.
func TestImportThroughTheAPI(t *testing.T) {
	l := startLive(t)
	admin := l.token(t, auth.Admin)
	code, err := cobuild.NewCreditCode('9', '1', "340200", 4242)
	if err != nil {
		t.Fatal(err)
	}
	const name = "宣州区上传样本有限公司"
	csv, err := simplifiedchinese.GB18030.NewEncoder().String("统一社会信用代码,名称,类型,所在镇街,行业代码,从业人数\n" + code + "," + name + ",企业,澄江街道,C26,18\n")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"组织名录.csv": []byte(csv)}

	if status, a := l.upload(t, l.urlA, admin, nil, files, false); status != http.StatusBadRequest || a.code() != cobuild.EINVALID {
		t.Errorf("without the preflight header: %d %+v", status, a.Errors)
	}
	if _, a := l.upload(t, l.urlA, l.token(t, auth.Officer, "ar-000008"), nil, files, true); a.code() != cobuild.EFORBIDDEN {
		t.Errorf("an officer's import: %+v", a.Errors)
	}
	seq := l.lastSeq(t)
	_, a := l.upload(t, l.urlA, admin, map[string]any{"dry": true}, files, true)
	var dry importAnswer
	if len(a.Errors) > 0 || json.Unmarshal(a.Data, &dry) != nil {
		t.Fatalf("dry run: %+v", a.Errors)
	}
	r := dry.ImportFiles
	if r.Written || !r.DryRun || r.Rows != 1 || r.ProblemCount != 0 || l.lastSeq(t) != seq {
		t.Fatalf("dry run: %+v", r)
	}
	if s := r.Files[0].Sheets[0]; s.Kind != "organizations" || s.Encoding != "GB18030" {
		t.Errorf("the sheet was read as %+v", s)
	}
	if !slices.ContainsFunc(r.Changes, func(c struct {
		Change, Of string
		Count      int
	}) bool {
		return c.Change == "NODE_CREATED" && c.Of == "Organization" && c.Count == 1
	}) {
		t.Errorf("the dry run would change %+v", r.Changes)
	}
	_, a = l.upload(t, l.urlA, admin, nil, files, true)
	var done importAnswer
	if len(a.Errors) > 0 || json.Unmarshal(a.Data, &done) != nil {
		t.Fatalf("import: %+v", a.Errors)
	}
	if !done.ImportFiles.Written || done.ImportFiles.Seq == nil || int64(*done.ImportFiles.Seq) != l.lastSeq(t) {
		t.Fatalf("import: %+v", done.ImportFiles)
	}
	// Server A answered once its snapshots hold the import; B follows the log and rebuilds.
	worklist := `{ organizations(where: {coverage: [UNCOVERED], isolated: true, nameContains: "上传样本"}) { totalCount nodes { name creditCode } } }`
	deadline := time.Now().Add(60 * time.Second)
	for _, url := range []string{l.urlA, l.urlB} {
		for {
			a := l.ask(t, url, admin, worklist, nil)
			if strings.Contains(string(a.Data), code) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s does not list the imported organisation: %s %+v", url, a.Data, a.Errors)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	l.b.Snapshots.Await(context.Background(), l.lastSeq(t))
	_, a = l.upload(t, l.urlA, admin, nil, files, true)
	var again importAnswer
	json.Unmarshal(a.Data, &again)
	if again.ImportFiles.Written || len(again.ImportFiles.Changes) != 0 {
		t.Errorf("importing the file again: %+v", again.ImportFiles)
	}

	// The template of a kind of file, and the list of kinds.
	req, _ := http.NewRequest(http.MethodGet, l.urlA+"/import/template/organizations.xlsx", nil)
	req.Header.Set("Authorization", "Bearer "+l.token(t, auth.Viewer))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Fatalf("template: %d %v", resp.StatusCode, resp.Header)
	}
	wb, err := excelize.OpenReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := wb.GetRows(wb.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	want, _ := imports.Headers("organizations")
	if len(rows) != 2 || !slices.Equal(rows[0], want) {
		t.Errorf("the template's rows: %v, want the headers %v and a row of hints", rows, want)
	}
	k := l.ask(t, l.urlA, l.token(t, auth.Viewer), `{ importKinds { name title columns { header key required } } }`, nil)
	if len(k.Errors) > 0 || !strings.Contains(string(k.Data), `"name":"organizations","title":"组织名录"`) {
		t.Errorf("importKinds: %s %+v", k.Data, k.Errors)
	}
}

// The registry exported (CSV and workbook) and imported again changes nothing.
func TestExportedRegistryImportsAsItIs(t *testing.T) {
	l := startLive(t)
	admin := l.token(t, auth.Admin)
	dir := t.TempDir()
	for _, format := range []string{"csv", "xlsx"} {
		body, _ := json.Marshal(map[string]any{"query": cobuild.RegistryQuery, "format": format})
		req, _ := http.NewRequest(http.MethodPost, l.urlA+"/export", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+admin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("export %s: %d %s", format, resp.StatusCode, raw)
		}
		path := filepath.Join(dir, "组织名录."+format)
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		seq := l.lastSeq(t)
		rep, err := imports.Run(context.Background(), l.a.Store, []imports.File{{Path: path}}, imports.Options{Actor: cobuild.Actor{Subject: "test", Role: "admin"}})
		if err != nil {
			t.Fatal(err)
		}
		var ps []string
		for _, p := range rep.Problems {
			ps = append(ps, p.String())
		}
		if rep.ProblemCount > 0 || rep.Written || rep.Counts.Total() != 0 || l.lastSeq(t) != seq {
			t.Errorf("the exported %s imported with %d problems and %+v\n%s", format, rep.ProblemCount, rep.Counts, strings.Join(ps[:min(len(ps), 10)], "\n"))
		}
		if rep.Rows < 15000 || rep.Files[0].Sheets[0].Kind != "organizations" {
			t.Errorf("the exported %s: %d rows read as %+v", format, rep.Rows, rep.Files[0].Sheets)
		}
	}
}
