package limits_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"cobuild"
	"cobuild/limits"
)

func respond(errs gqlerror.List) graphql.ResponseHandler {
	return func(context.Context) *graphql.Response { return &graphql.Response{Errors: errs} }
}

func TestAResponseListsAtMostMaxErrors(t *testing.T) {
	x := limits.NewExtension(limits.Config{MaxErrors: 3})
	var errs gqlerror.List
	for range 1000 {
		errs = append(errs, gqlerror.Errorf("conflict"))
	}
	resp := x.InterceptResponse(context.Background(), respond(errs))
	if len(resp.Errors) != 4 {
		t.Fatalf("%d errors listed; want the first 3 and one saying more were left out", len(resp.Errors))
	}
	last := resp.Errors[3]
	if last.Extensions["code"] != cobuild.ELIMIT || last.Extensions["limit"] != limits.LimitErrors ||
		last.Extensions["value"] != int64(1000) || last.Extensions["max"] != int64(3) {
		t.Errorf("the last error is %q %v; want LIMIT_EXCEEDED of errors, 1000 of 3", last.Message, last.Extensions)
	}
	few := x.InterceptResponse(context.Background(), respond(errs[:3]))
	if len(few.Errors) != 3 {
		t.Errorf("3 errors became %d", len(few.Errors))
	}
}

func TestErrorMessagesNeverEchoABody(t *testing.T) {
	x := limits.NewExtension(limits.Config{})
	body := strings.Repeat("SECRET", 100_000)
	resp := x.InterceptResponse(context.Background(), respond(gqlerror.List{
		gqlerror.Errorf("json request body could not be decoded: unexpected EOF body:%s", body),
		gqlerror.Errorf(`Cannot query field "%s" on type "Query".`, body),
	}))
	for _, e := range resp.Errors {
		if len(e.Message) > limits.MaxMessageBytes+len("…") {
			t.Errorf("a message of %d bytes was kept", len(e.Message))
		}
	}
	if m := resp.Errors[0].Message; strings.Contains(m, "SECRET") || !strings.HasPrefix(m, "请求体") || resp.Errors[0].Extensions["code"] != cobuild.EINVALID {
		t.Errorf("an undecodable body was answered %q %v", m, resp.Errors[0].Extensions)
	}
}

func TestValidationStopsReportingPastMaxErrors(t *testing.T) {
	c := limits.Config{MaxErrors: 5}
	// 300 look-ups under one response name with different arguments: every pair conflicts.
	q := "{" + repeat(300, ` organization(id: "og-%06d") { id }`) + " }"
	doc, err := parser.ParseQuery(&ast.Source{Input: q})
	if err != nil {
		t.Fatal(err)
	}
	errs := validator.ValidateWithRules(schema, doc, c.ValidationRules()())
	if len(errs) != 6 {
		t.Errorf("%d validation errors; want MaxErrors and one more, to show that some were left out", len(errs))
	}
}

func TestTheCostIsCheckedBeforeExecution(t *testing.T) {
	x := limits.NewExtension(limits.Config{MaxCost: 100})
	for _, tt := range []struct {
		first  int
		refuse bool
	}{{50, false}, {500, true}} {
		op, vars := validated(t, `query($n: Int) { organizations(first: $n) { nodes { id } } }`, "", `{"n": `+itoa(tt.first)+`}`)
		gerr := x.MutateOperationContext(context.Background(), &graphql.OperationContext{Operation: op, Variables: vars})
		if !tt.refuse {
			if gerr != nil {
				t.Errorf("first %d refused: %v", tt.first, gerr)
			}
			continue
		}
		if gerr == nil {
			t.Fatalf("first %d not refused", tt.first)
		}
		refusedWith(t, gerr.Err, limits.LimitCost, 1+10+1+500, 100)
		if ext := cobuild.ErrorExtensions(gerr.Err); ext["cost"] != int64(512) {
			t.Errorf("extensions %v lack the cost", ext)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// echo answers 200 with the length of the body it was handed.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	w.Write([]byte(itoa(len(b))))
})

func TestBodiesPastTheLimitAre413(t *testing.T) {
	h := limits.Config{MaxBodyBytes: 100}.Body(echo)
	big := strings.Repeat("x", 101)
	chunked := httptest.NewRequest(http.MethodPost, "/graphql", io.MultiReader(strings.NewReader(big), strings.NewReader(strings.Repeat("y", 10_000))))
	chunked.ContentLength = -1 // sent chunked: the size is known only by reading
	for name, req := range map[string]*http.Request{
		"a declared length":  httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(big)),
		"a chunked body":     chunked,
		"a GET query string": httptest.NewRequest(http.MethodGet, "/graphql?query="+big, nil),
		"a body of 10 MB":    httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(strings.Repeat("{", 10<<20))),
		"variables in a GET": httptest.NewRequest(http.MethodGet, "/graphql?query={rules{maxStars}}&variables="+big, nil),
	} {
		t.Run(name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d, want 413", rec.Code)
			}
			if rec.Body.Len() > 1000 || strings.Contains(rec.Body.String(), "xxx") {
				t.Errorf("the answer (%d bytes) is not small or echoes the request: %.300s", rec.Body.Len(), rec.Body.String())
			}
			var r struct {
				Errors []struct {
					Message    string
					Extensions map[string]any
				}
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil || len(r.Errors) != 1 {
				t.Fatalf("not one JSON error: %v %s", err, rec.Body.String())
			}
			if ext := r.Errors[0].Extensions; ext["code"] != cobuild.ELIMIT || ext["limit"] != limits.LimitBodyBytes || ext["max"] != 100.0 {
				t.Errorf("extensions %v", ext)
			}
		})
	}
	for name, req := range map[string]*http.Request{
		"a body at the limit": httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(big[:100])),
		"a short GET":         httptest.NewRequest(http.MethodGet, "/graphql?query={rules{maxStars}}", nil),
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d, want it handed on", name, rec.Code)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(big[:100])))
	if rec.Body.String() != "100" {
		t.Errorf("the handler was handed %s bytes of 100", rec.Body.String())
	}
}

// BenchmarkWorstDocumentWithinTheLimits is what a document at the limits costs the
// server before it is refused or run: counting its tokens and fields, then validating
// MaxFields look-ups under one response name, every pair of which conflicts (the
// quadratic part of gqlparser's validation, bounded by MaxFields).
func BenchmarkWorstDocumentWithinTheLimits(b *testing.B) {
	c := limits.Default.WithDefaults()
	q := "{" + repeat(c.MaxFields/2, ` organization(id: "og-%06d") { id }`) + " }"
	rulesFn := c.ValidationRules()
	for b.Loop() {
		if _, err := c.CheckQuery(q); err != nil {
			b.Fatal(err)
		}
		doc, _ := parser.ParseQuery(&ast.Source{Input: q})
		if errs := validator.ValidateWithRules(schema, doc, rulesFn()); len(errs) != c.MaxErrors+1 {
			b.Fatalf("%d errors", len(errs))
		}
	}
}

// BenchmarkCostOfTheExport prices the dashboard's costliest operation, the CSV export of
// 500 rows with their candidate coverers.
func BenchmarkCostOfTheExport(b *testing.B) {
	var export document
	for _, d := range documents(b) {
		if strings.HasSuffix(d.name, ":IsolatedUncovered") {
			export = d
		}
	}
	op, vars := validated(b, export.query, "", export.vars)
	for b.Loop() {
		limits.Default.Cost(op, vars)
	}
}

// A multipart request (files to import) is bounded by MaxUploadBytes, not MaxBodyBytes: one
// within it passes whole, streamed, one past it is 413 by its declared length or, sent
// chunked, cut where it passes the bound.
func TestMultipartBodiesAreBoundedByTheUploadLimit(t *testing.T) {
	h := limits.Config{MaxBodyBytes: 100, MaxUploadBytes: 1000}.Body(echo)
	post := func(body io.Reader, length int64) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", body)
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		req.ContentLength = length
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := post(strings.NewReader(strings.Repeat("x", 900)), 900); rec.Code != http.StatusOK || rec.Body.String() != "900" {
		t.Errorf("900 bytes of multipart, past MaxBodyBytes within MaxUploadBytes: %d %s", rec.Code, rec.Body.String())
	}
	if rec := post(strings.NewReader(strings.Repeat("x", 1001)), 1001); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("1,001 bytes declared: %d, want 413", rec.Code)
	}
	if rec := post(strings.NewReader(strings.Repeat("x", 5000)), -1); rec.Body.String() != "1000" {
		t.Errorf("5,000 bytes sent chunked: the handler read %s bytes, want the 1,000 of the bound", rec.Body.String())
	}
	if limits.IsMultipart(httptest.NewRequest(http.MethodPost, "/graphql", nil)) {
		t.Error("a POST without a content type taken for multipart")
	}
}
