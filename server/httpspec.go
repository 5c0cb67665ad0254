package server

import (
	"bytes"
	"context"
	"encoding/json"
	"mime"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// overHTTP wraps one of gqlgen's HTTP transports (GET, POST) so that its answers follow the
// GraphQL-over-HTTP spec where gqlgen's do not (the audits of graphql-http, run by
// TestGraphQLOverHTTPAudits, check them):
//
//   - an answer to a request that was not executed (its body, parameters, document or
//     variables were refused) has no data entry, where gqlgen writes "data": null;
//   - with Accept: application/json, a well-formed request whose document fails to parse or
//     to validate is answered 200, where gqlgen answers 422 (with
//     application/graphql-response+json gqlgen's 400 is right, and kept);
//   - a request with neither a query nor a persisted query's hash is not a well-formed
//     GraphQL-over-HTTP request, and is answered 400 whatever it accepts.
//
// gqlgen has no setting for any of these, and its transports write the whole response in
// one call, so the wrapper watches what the transport asks of the executor and adjusts the
// status and body as they are written, rather than re-implementing the transports.
func overHTTP(t graphql.Transport) graphql.Transport { return specTransport{t} }

type specTransport struct{ graphql.Transport }

func (t specTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	sw := &specWriter{ResponseWriter: w, status: http.StatusOK}
	t.Transport.Do(sw, r, &specExecutor{GraphExecutor: exec, w: sw})
	sw.flush()
}

// specExecutor tells the writer whether the operation was executed and whether the request
// carried a query at all.
type specExecutor struct {
	graphql.GraphExecutor
	w *specWriter
}

func (e *specExecutor) CreateOperationContext(ctx context.Context, params *graphql.RawParams) (*graphql.OperationContext, gqlerror.List) {
	noQuery := params.Query == "" && params.Extensions["persistedQuery"] == nil
	opCtx, errs := e.GraphExecutor.CreateOperationContext(ctx, params)
	if len(errs) > 0 && noQuery {
		e.w.malformed = true
	}
	return opCtx, errs
}

func (e *specExecutor) DispatchOperation(ctx context.Context, opCtx *graphql.OperationContext) (graphql.ResponseHandler, context.Context) {
	e.w.executed = true
	return e.GraphExecutor.DispatchOperation(ctx, opCtx)
}

// specWriter holds the status back until the body comes, then writes both as the spec
// wants them.
type specWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
	executed    bool // the operation ran: its data entry, even null, is kept
	malformed   bool // no query and no persisted query: 400
}

func (w *specWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.status = code
	}
}

func (w *specWriter) Write(b []byte) (int, error) {
	if w.wroteHeader {
		return w.ResponseWriter.Write(b)
	}
	body := b
	if !w.executed {
		body = withoutData(b)
		switch {
		case w.malformed:
			w.status = http.StatusBadRequest
		case w.status == http.StatusUnprocessableEntity && w.mediaType() == "application/json":
			w.status = http.StatusOK
		}
	}
	w.flush()
	if _, err := w.ResponseWriter.Write(body); err != nil {
		return 0, err
	}
	return len(b), nil
}

// flush writes the status if nothing was written yet.
func (w *specWriter) flush() {
	if !w.wroteHeader {
		w.wroteHeader = true
		w.ResponseWriter.WriteHeader(w.status)
	}
}

func (w *specWriter) mediaType() string {
	mt, _, _ := mime.ParseMediaType(w.Header().Get("Content-Type"))
	return mt
}

// withoutData returns a response of a request that was not executed without its data entry
// (which gqlgen always writes, as null): the spec wants it absent when execution never
// began. Anything that is not such a response is returned as it was.
func withoutData(b []byte) []byte {
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(b, &resp); err != nil {
		return b
	}
	data, ok := resp["data"]
	if !ok || !bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		return b
	}
	delete(resp, "data")
	out, err := json.Marshal(resp)
	if err != nil {
		return b
	}
	return out
}
