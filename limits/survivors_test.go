package limits_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"

	"cobuild"
	"cobuild/limits"
)

// TestTheDefaultBodyIsOneMebibyte: the documented default of MaxBodyBytes.
func TestTheDefaultBodyIsOneMebibyte(t *testing.T) {
	if got := limits.Default.WithDefaults().MaxBodyBytes; got != 1<<20 {
		t.Errorf("MaxBodyBytes = %d, want 1 MiB", got)
	}
}

// TestParametersAreCheckedBeforeParsing: the extension refuses long variable lists and
// documents past a limit from the raw request, and lets the rest through, also when the
// same document comes again.
func TestParametersAreCheckedBeforeParsing(t *testing.T) {
	x := limits.NewExtension(limits.Default)
	ctx := context.Background()
	code := func(e *gqlerror.Error) string {
		if e == nil {
			return ""
		}
		c, _ := e.Extensions["code"].(string)
		l, _ := cobuild.ErrorExtensions(e.Err)["limit"].(string)
		return c + " " + l
	}
	ok := &graphql.RawParams{Query: `{ rules { goldFloor } }`}
	for range 2 {
		if e := x.MutateOperationParameters(ctx, ok); e != nil {
			t.Fatalf("a small document: %v", e)
		}
	}
	long := &graphql.RawParams{Query: `{ rules { goldFloor } }`, Variables: map[string]any{"t": make([]any, 101)}}
	if got := code(x.MutateOperationParameters(ctx, long)); got != cobuild.ELIMIT+" "+limits.LimitListLength {
		t.Errorf("101 items in a variable: %q, want LIMIT_EXCEEDED of listLength", got)
	}
	big := &graphql.RawParams{Query: "{ rules {" + strings.Repeat(" goldFloor", 6000) + " } }"}
	if got := code(x.MutateOperationParameters(ctx, big)); got != cobuild.ELIMIT+" "+limits.LimitTokens {
		t.Errorf("6,000 fields: %q, want LIMIT_EXCEEDED of tokens", got)
	}
}

// TestLongMessagesAreCutAtACharacter: a message of MaxMessageBytes stays whole; a longer
// one is cut to at most that many bytes, at a character's boundary.
func TestLongMessagesAreCutAtACharacter(t *testing.T) {
	x := limits.NewExtension(limits.Default)
	exact := strings.Repeat("a", limits.MaxMessageBytes)
	long := strings.Repeat("组", limits.MaxMessageBytes) // 3 bytes each
	resp := x.InterceptResponse(context.Background(), respond(gqlerror.List{gqlerror.Errorf("%s", exact), gqlerror.Errorf("%s", long)}))
	if got := resp.Errors[0].Message; got != exact {
		t.Errorf("a message of exactly MaxMessageBytes became %d bytes", len(got))
	}
	got := strings.TrimSuffix(resp.Errors[1].Message, "…")
	if !utf8.ValidString(got) || len(got) > limits.MaxMessageBytes || len(got) < limits.MaxMessageBytes-3 {
		t.Errorf("a long message became %d bytes (valid UTF-8: %v)", len(got), utf8.ValidString(got))
	}
}

// TestCostOfNumbersAsClientsSendThem: a first given as a JSON number in any notation counts
// its value.
func TestCostOfNumbersAsClientsSendThem(t *testing.T) {
	op, _ := validated(t, `query($n: Int) { organizations(first: $n) { nodes { id } } }`, "", "")
	want := limits.Default.Cost(op, map[string]any{"n": int64(25)})
	for _, n := range []json.Number{"25", "2.5e1", "25.0"} {
		if got := limits.Default.Cost(op, map[string]any{"n": n}); got != want {
			t.Errorf("first %s: cost %d, want %d", n, got, want)
		}
	}
}

// TestAnUnknownFragmentCostsNothingAndTheRestIsCounted: a spread of a fragment the
// document lacks (validation refuses it; the cost does not rely on that) adds nothing,
// and the selections after it still count.
func TestAnUnknownFragmentCostsNothingAndTheRestIsCounted(t *testing.T) {
	parse := func(q string) *ast.OperationDefinition {
		doc, err := parser.ParseQuery(&ast.Source{Input: q})
		if err != nil {
			t.Fatal(err)
		}
		return doc.Operations[0]
	}
	want := limits.Default.Cost(parse(`{ rules { goldFloor } }`), nil)
	if got := limits.Default.Cost(parse(`{ ...Missing rules { goldFloor } }`), nil); got != want || want == 0 {
		t.Errorf("with an unknown spread first: cost %d, want %d", got, want)
	}
}
