package limits

import (
	"context"
	"crypto/sha256"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/validator/core"
	"github.com/vektah/gqlparser/v2/validator/rules"

	"cobuild"
)

func init() {
	// A refused operation is answered as gqlgen answers one that fails validation
	// (HTTP 422): nothing of it ran.
	errcode.RegisterErrorType(cobuild.ELIMIT, errcode.KindProtocol)
}

// MaxMessageBytes bounds the message of any error in a response: messages quote what the
// request said (a field's name, a body that is not JSON), and a request may say a lot.
const MaxMessageBytes = 1024

// Extension is the gqlgen handler extension that applies the limits to every operation:
//
//   - before gqlgen parses and validates the document (MutateOperationParameters): the
//     lists in the variables, then the document's tokens, fields, aliases, depth and
//     list literals (CheckQuery), once per distinct document;
//   - after validation, before any resolver (MutateOperationContext): the cost, with the
//     variables (Cost);
//   - on the response (InterceptResponse): at most MaxErrors errors, each message at most
//     MaxMessageBytes, and never the echo of a body gqlgen could not decode.
//
// Use it together with ValidationRules, which stops validation's errors at MaxErrors.
type Extension struct {
	c Config
	// checked holds the digests of the documents whose shape passed, so that the
	// operations a dashboard sends again and again are lexed and parsed once here, as
	// gqlgen's own cache keeps them parsed once there. A digest, not the text: a document
	// may be as long as the body.
	checked *lru.LRU[struct{}]
}

// NewExtension returns the extension enforcing c (zero fields take their defaults).
func NewExtension(c Config) *Extension {
	return &Extension{c: c.WithDefaults(), checked: lru.New[struct{}](1000)}
}

var (
	_ graphql.HandlerExtension          = (*Extension)(nil)
	_ graphql.OperationParameterMutator = (*Extension)(nil)
	_ graphql.OperationContextMutator   = (*Extension)(nil)
	_ graphql.ResponseInterceptor       = (*Extension)(nil)
)

// ExtensionName names the extension in gqlgen's stats.
func (*Extension) ExtensionName() string { return "Limits" }

// Validate accepts any schema.
func (*Extension) Validate(graphql.ExecutableSchema) error { return nil }

// refusal turns a limit's error into the error gqlgen reports, coded so that the
// transport answers it as a refused operation.
func refusal(err error) *gqlerror.Error {
	e, ok := err.(*cobuild.Error)
	if !ok {
		return gqlerror.Errorf("%s", err)
	}
	return &gqlerror.Error{Err: e, Message: e.Message, Extensions: map[string]any{"code": e.Code}}
}

// MutateOperationParameters checks the request's variables and its document before they
// are parsed and validated.
func (x *Extension) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	if err := x.c.CheckVariables(p.Variables); err != nil {
		return refusal(err)
	}
	sum := sha256.Sum256([]byte(p.Query))
	key := string(sum[:])
	if _, ok := x.checked.Get(ctx, key); ok {
		return nil
	}
	if _, err := x.c.CheckQuery(p.Query); err != nil {
		return refusal(err)
	}
	x.checked.Add(ctx, key, struct{}{})
	return nil
}

// MutateOperationContext refuses an operation whose cost, with its variables, is past
// MaxCost.
func (x *Extension) MutateOperationContext(ctx context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if cost := x.c.Cost(op.Operation, op.Variables); cost > int64(x.c.MaxCost) {
		return refusal(Exceeded(LimitCost, cost, int64(x.c.MaxCost), ""))
	}
	return nil
}

// undecodable starts the message gqlgen gives a POST body it cannot decode, followed by
// the whole body.
const undecodable = "json request body could not be decoded"

// InterceptResponse keeps the errors of a response few and small.
func (x *Extension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil {
		return nil
	}
	for _, e := range resp.Errors {
		switch {
		case strings.HasPrefix(e.Message, undecodable):
			e.Message = "请求体不是 GraphQL 的 JSON 请求（需要 {\"query\": \"...\", \"variables\": {...}}）。The request body is not a GraphQL request in JSON (expected {\"query\": \"...\", \"variables\": {...}})."
			e.Extensions = map[string]any{"code": cobuild.EINVALID}
		case len(e.Message) > MaxMessageBytes:
			e.Message = truncate(e.Message, MaxMessageBytes) + "…"
		}
	}
	if n := len(resp.Errors); n > x.c.MaxErrors {
		more := Exceeded(LimitErrors, int64(n), int64(x.c.MaxErrors), "")
		ext := map[string]any{"code": more.Code}
		for k, v := range more.Extensions {
			ext[k] = v
		}
		resp.Errors = append(resp.Errors[:x.c.MaxErrors:x.c.MaxErrors], &gqlerror.Error{Message: more.Message, Extensions: ext})
	}
	return resp
}

// truncate cuts s to at most n bytes, at a character's boundary.
func truncate(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// ValidationRules returns gqlparser's default rules, each made to stop reporting once
// the document has MaxErrors errors: a document of many conflicting fields would
// otherwise get an error for every pair of them, and its response grow with the square
// of its length. gqlgen calls it for every document it validates.
func (c Config) ValidationRules() func() *rules.Rules {
	c = c.WithDefaults()
	return func() *rules.Rules {
		defaults := rules.NewDefaultRules()
		out := rules.NewRules()
		reported := 0
		for name, rule := range defaults.GetInner() {
			out.AddRule(name, func(observers *core.Events, addError core.AddErrFunc) {
				rule(observers, func(options ...core.ErrorOption) {
					// One more than listed, so that the response says some were left out.
					if reported <= c.MaxErrors {
						reported++
						addError(options...)
					}
				})
			})
		}
		return out
	}
}
