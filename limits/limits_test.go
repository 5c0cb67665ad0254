package limits_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"cobuild"
	"cobuild/limits"
	"cobuild/resolvers"
)

// schema is cobuild's schema, as the server serves it.
var schema = resolvers.New(resolvers.Config{}).ExecutableSchema().Schema()

// validated parses and validates query against cobuild's schema and coerces its
// variables (given as JSON, as a client sends them), as gqlgen does before it executes.
func validated(t testing.TB, query, operationName, vars string) (*ast.OperationDefinition, map[string]any) {
	t.Helper()
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, query)
	}
	if errs := validator.ValidateWithRules(schema, doc, rules.NewDefaultRules()); len(errs) > 0 {
		t.Fatalf("validate: %v\n%s", errs, query)
	}
	op := doc.Operations.ForName(operationName)
	if op == nil {
		t.Fatalf("no operation %q", operationName)
	}
	raw := map[string]any{}
	if vars != "" {
		dec := json.NewDecoder(strings.NewReader(vars))
		dec.UseNumber()
		if err := dec.Decode(&raw); err != nil {
			t.Fatalf("variables: %v", err)
		}
	}
	coerced, err := validator.VariableValues(schema, op, raw)
	if err != nil {
		t.Fatalf("variables: %v", err)
	}
	return op, coerced
}

// cost is the cost of the only (or named) operation of query under the default limits.
func cost(t testing.TB, query, vars string) int64 {
	t.Helper()
	op, v := validated(t, query, "", vars)
	return limits.Default.Cost(op, v)
}

// refusedWith asserts that err is a LIMIT_EXCEEDED error of the limit named, with the
// value and maximum in its extensions and a message in Chinese, then English.
func refusedWith(t testing.TB, err error, limit string, value, max int64) {
	t.Helper()
	if err == nil {
		t.Fatalf("not refused; want %s past its limit", limit)
	}
	if code := cobuild.ErrorCode(err); code != cobuild.ELIMIT {
		t.Fatalf("refused with %s (%v); want %s", code, err, cobuild.ELIMIT)
	}
	ext := cobuild.ErrorExtensions(err)
	if ext["limit"] != limit || (value >= 0 && ext["value"] != value) || ext["max"] != max {
		t.Errorf("extensions %v; want limit %s, value %d, max %d", ext, limit, value, max)
	}
	msg := cobuild.ErrorMessage(err)
	zh, en, ok := strings.Cut(msg, "。")
	if !ok || zh == "" || !strings.ContainsAny(zh, "上限") || en == "" || en[0] < 'A' || en[0] > 'Z' {
		t.Errorf("message %q is not Chinese, then English", msg)
	}
}
