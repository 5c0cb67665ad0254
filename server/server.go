// Package server wires the GraphQL handler, GraphiQL, health checks and request logging
// into one net/http handler, and runs it with graceful shutdown.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"cobuild"
	"cobuild/auth"
	"cobuild/export"
	"cobuild/limits"
	"cobuild/metrics"
	"cobuild/resolvers"
	"cobuild/snapshot"
	"cobuild/web"
)

// Config is what the server needs.
type Config struct {
	// Resolvers serve /graphql; nil serves no GraphQL (the health checks and the
	// dashboard's files still answer).
	Resolvers *resolvers.Resolver
	// Ready says whether the server is ready to answer: nil when it is, else an error
	// saying why not (starting, or Neo4j down).
	Ready  func(context.Context) error
	Logger *slog.Logger
	// RequestTimeout bounds one GraphQL request: its resolvers and Cypher stop at it and
	// it answers TIMEOUT.
	RequestTimeout time.Duration
	// UploadTimeout bounds a multipart request, which imports files; default 10 minutes.
	UploadTimeout time.Duration
	// Metrics, when set, counts requests and serves /metrics (to admins).
	Metrics *metrics.Metrics
	// Rate bounds the requests of one client to /graphql; zero sets no bound.
	Rate RateLimit
	// Share is how many Cypher statements one request may run at once, its share of the
	// store's connections; default 8.
	Share int
	// Stopping, when done, stops the requests still running (the server is shutting down
	// and their drain time is over): they answer UNAVAILABLE.
	Stopping context.Context
	// CORSOrigins are the origins (such as https://dash.example.org) whose pages may call
	// /graphql from a browser; "*" allows any. Empty: same origin only, as the dashboard.
	CORSOrigins []string
	// Auth verifies the bearer tokens (or sign-in cookies) of requests; nil accepts none,
	// so that only the health checks and the sign-in page answer.
	Auth *auth.Verifier
	// Persisted configures persisted queries and the allow-list (persisted.go).
	Persisted PersistedQueries
	// Export bounds the exports of /export (export.go).
	Export ExportConfig
}

// Handler returns the whole HTTP API: /graphql (GET and POST), /export (GET and POST: the
// table of a query's first list as .xlsx or CSV, export.go), GraphiQL at / and /graphiql,
// the web dashboard at /dashboard/, /healthz (the process is up), /readyz (ready to
// answer), /metrics (admins), and /signin and /signout. Every request but the health
// checks and signing in needs a valid token (see authenticate).
func Handler(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	if cfg.Ready == nil {
		cfg.Ready = func(context.Context) error { return cobuild.Errorf(cobuild.EUNAVAILABLE, "no store") }
	}
	mux := http.NewServeMux()
	var gql, exports http.Handler = http.NotFoundHandler(), http.NotFoundHandler()
	if r := cfg.Resolvers; r != nil {
		gql = GraphQLWith(r, cfg.Logger, cfg.Metrics, cfg.Persisted, cfg.Auth)
		lim := export.Limits{PageMax: r.PageLimits().Max, MaxRows: cfg.Export.MaxRows}
		exports = r.RequestLimits().Body(exportHandler(gql, r.ExecutableSchema().Schema(), lim, cfg.Logger))
	}
	if cfg.Export.Timeout <= 0 {
		cfg.Export.Timeout = max(4*cfg.RequestTimeout, 2*time.Minute)
	}
	// The request's own deadline stops its resolvers and Cypher, which then answer TIMEOUT
	// in GraphQL's shape; the TimeoutHandler, a little later, is only the backstop for
	// work that ignores its context.
	if cfg.Share <= 0 {
		cfg.Share = 8
	}
	if cfg.UploadTimeout <= 0 {
		cfg.UploadTimeout = 10 * time.Minute
	}
	var api http.Handler = http.TimeoutHandler(bounded(gql, cfg.RequestTimeout, cfg.Share, cfg.Stopping), cfg.RequestTimeout+5*time.Second,
		`{"errors":[{"message":"查询超时，已停止。The request took too long and was stopped.","extensions":{"code":"TIMEOUT"}}]}`)
	api = rateLimited(requireToken(api), cfg.Rate, cfg.Metrics)
	// An export runs its pages through the same handler as /graphql, all of them within
	// its own, longer, deadline; the file is written as it comes, with no buffer of the
	// TimeoutHandler's.
	exports = rateLimited(requireToken(bounded(exports, cfg.Export.Timeout, cfg.Share, cfg.Stopping)), cfg.Rate, cfg.Metrics)
	withCORS := func(h http.Handler) http.Handler { return h }
	if len(cfg.CORSOrigins) > 0 {
		// Answers preflight requests itself, and names the origin in the response only when
		// it is one of those listed, so browsers refuse the others.
		c := cors.New(cors.Options{
			AllowedOrigins: cfg.CORSOrigins,
			AllowedMethods: []string{http.MethodGet, http.MethodPost},
			AllowedHeaders: []string{"Content-Type", "Accept", "Authorization", "GraphQL-Preflight"},
			ExposedHeaders: []string{"Content-Disposition"},
			MaxAge:         600,
		})
		withCORS = c.Handler
		api, exports = c.Handler(api), c.Handler(exports)
	}
	// A subscription's WebSocket lives as long as its client stays: it is bounded by the
	// rate of its client and its own keep-alive, not by the request timeout; its token is
	// the request's (a cookie or header) or the connection_init payload's Authorization.
	ws := rateLimited(gql, cfg.Rate, cfg.Metrics)
	// An import's files come as a multipart request, which runs as long as the import
	// (UploadTimeout) and must carry a header no form can send, so that a page of another
	// site cannot post one with the cookie of a signed-in admin.
	uploads := withCORS(rateLimited(requireToken(preflighted(bounded(gql, cfg.UploadTimeout, cfg.Share, cfg.Stopping))), cfg.Rate, cfg.Metrics))
	mux.Handle("/graphql", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			ws.ServeHTTP(w, r)
			return
		}
		if limits.IsMultipart(r) {
			uploads.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	}))
	mux.Handle("GET /import/template/{file}", requireToken(http.HandlerFunc(importTemplate)))
	mux.Handle("/export", exports)
	if m := cfg.Metrics; m != nil {
		mux.Handle("GET /metrics", adminOnly(m.Handler()))
	}
	graphiql := web.GraphiQL()
	mux.Handle("GET /{$}", graphiql)
	mux.Handle("GET /graphiql", graphiql)
	dashboard := web.Handler()
	mux.Handle("GET /dashboard", dashboard)
	mux.Handle("GET /dashboard/", dashboard)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"status":"ok"}`)
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "application/json")
		// Without a token, the status alone: why it is not ready is for those signed in.
		signedIn := auth.FromContext(r.Context()) != nil
		if err := cfg.Ready(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			status, _ := cobuild.ErrorExtensions(err)["status"].(string)
			if status == "" {
				status = "unavailable"
			}
			out := map[string]string{"status": status}
			if signedIn {
				out["reason"] = cobuild.ErrorMessage(err)
			}
			json.NewEncoder(w).Encode(out)
			return
		}
		fmt.Fprint(w, `{"status":"ready"}`)
	})
	mux.Handle("GET /signin", signIn(cfg.Auth))
	mux.Handle("POST /signin", signIn(cfg.Auth))
	mux.HandleFunc("GET /signout", signOut)
	mux.HandleFunc("POST /signout", signOut)
	return logRequests(cfg.Logger, cfg.Metrics, authenticate(cfg.Auth, mux))
}

// adminOnly lets only admins through (requests without a principal are the server's own).
func adminOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := auth.FromContext(r.Context()); p != nil && p.Role != auth.Admin {
			writeError(w, http.StatusForbidden, cobuild.Errorf(cobuild.EFORBIDDEN, "只有管理员可以查看运行指标。Only admins may read the metrics."))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// GraphQL returns the GraphQL handler alone; each operation gets loaders of its own. The
// resolvers' request limits (limits.Config) are applied before anything runs: the size
// of the request before it is decoded, the shape of the document before it is validated,
// the cost before any resolver; and a response lists few errors, each of them short.
func GraphQL(r *resolvers.Resolver, log *slog.Logger, m *metrics.Metrics, pq PersistedQueries) http.Handler {
	return GraphQLWith(r, log, m, pq, nil)
}

// GraphQLWith is GraphQL with subscriptions over WebSocket (graphql-ws and
// graphql-transport-ws), whose connection_init may carry the token (Authorization:
// "Bearer …") that v verifies; nil takes only the request's principal.
func GraphQLWith(r *resolvers.Resolver, log *slog.Logger, m *metrics.Metrics, pq PersistedQueries, v *auth.Verifier) http.Handler {
	lim := r.RequestLimits()
	srv := handler.New(r.ExecutableSchema())
	if m != nil {
		srv.Use(m.Operations())
	}
	// Then: the operation's text comes from its hash, or it is refused before anything else.
	usePersisted(srv, pq, log)
	// Then: the document's shape and cost are checked against the limits.
	srv.Use(limits.NewExtension(lim))
	// Then: an operation the caller's role may not read is refused before it runs.
	srv.Use(&rolePolicy{})
	srv.Use(r.Loaders())
	srv.AddTransport(transport.Options{})
	srv.AddTransport(overHTTP(transport.GET{}))
	srv.AddTransport(overHTTP(transport.POST{}))
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: lim.WithDefaults().MaxUploadBytes, MaxMemory: 32 << 20})
	srv.AddTransport(transport.Websocket{
		KeepAlivePingInterval: 15 * time.Second,
		InitTimeout:           10 * time.Second,
		InitFunc:              wsInit(v),
	})
	// Dashboards and clients send the same operations again and again: parsed and
	// validated once, they are kept.
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	// The extension has counted the tokens already; the parser's own limit is the
	// backstop (it counts the end of the document too).
	srv.SetParserTokenLimit(lim.MaxTokens + 1)
	srv.SetValidationRulesFn(lim.ValidationRules())
	srv.Use(extension.Introspection{})
	srv.SetErrorPresenter(PresentError(log))
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		log.ErrorContext(ctx, "panic in resolver", "panic", fmt.Sprint(v), "path", graphql.GetPath(ctx).String())
		return errors.New("internal error")
	})
	return lim.Body(srv)
}

// PresentError shows users the code and message of domain errors in extensions.code, keeps
// gqlgen's own parse and validation errors, and replaces anything else by "internal error"
// after logging it, so that no internal detail leaks.
func PresentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gerr := graphql.DefaultErrorPresenter(ctx, err)
		if gerr.Extensions == nil {
			gerr.Extensions = map[string]any{}
		}
		if gerr.Err == nil {
			// A parse or validation error of the operation itself: its message is for
			// the user, and gqlgen has usually given it a code.
			if gerr.Extensions["code"] == nil {
				gerr.Extensions["code"] = cobuild.EINVALID
			}
			return gerr
		}
		code := cobuild.ErrorCode(gerr.Err)
		if code == cobuild.ETIMEOUT || code == cobuild.EINTERNAL || code == cobuild.EUNAVAILABLE {
			// A request stopped by the server's shutdown, or by its deadline, says so
			// rather than what the stop looked like to the resolver.
			if cause := asStop(context.Cause(ctx)); cause != nil {
				gerr.Err, code = cause, cause.Code
			}
		}
		if code == cobuild.EINTERNAL {
			log.ErrorContext(ctx, "internal error", "err", gerr.Err.Error(), "path", gerr.Path.String())
		}
		gerr.Message = cobuild.ErrorMessage(gerr.Err)
		for k, v := range cobuild.ErrorExtensions(gerr.Err) {
			gerr.Extensions[k] = v
		}
		gerr.Extensions["code"] = code
		return gerr
	}
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// Unwrap gives the connection to a WebSocket upgrade, which hijacks it.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// routes are the paths whose answers the metrics count apart.
var routes = []string{"/graphql", "/export", "/", "/graphiql", "/dashboard/", "/healthz", "/readyz", "/metrics", "/signin"}

// logRequests logs every answer and counts it in the metrics (m may be nil).
func logRequests(log *slog.Logger, m *metrics.Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		m.Answered(r.URL.Path, sw.status, routes...)
		log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", time.Since(start).Milliseconds())
	})
}

// errStopping is why the requests still running when the drain time is over are stopped.
var errStopping = cobuild.Errorf(cobuild.EUNAVAILABLE, "服务正在重启，请稍后重试。The server is restarting; try again shortly.")

// errDeadline is why a request past its deadline is stopped.
var errDeadline = cobuild.Errorf(cobuild.ETIMEOUT, "查询超时，已停止。The request took too long and was stopped.")

// asStop returns the cobuild error a request was stopped with, nil if it was not stopped
// by the server.
func asStop(cause error) *cobuild.Error {
	switch cause {
	case errStopping:
		return errStopping
	case errDeadline:
		return errDeadline
	}
	return nil
}

// bounded gives each request a context that ends at its deadline or when stopping is
// done, each with its cause, and its share of Neo4j's connections.
func bounded(next http.Handler, timeout time.Duration, share int, stopping context.Context) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := snapshot.WithClient(cobuild.WithShare(r.Context(), share), clientOf(r))
		ctx, cancel := context.WithTimeoutCause(ctx, timeout, errDeadline)
		defer cancel()
		if stopping != nil {
			ctx2, cancel2 := context.WithCancelCause(ctx)
			defer cancel2(nil)
			stop := context.AfterFunc(stopping, func() { cancel2(errStopping) })
			defer stop()
			ctx = ctx2
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// clientOf names who sends r: the subject of its token, or else its address.
func clientOf(r *http.Request) string {
	if p := auth.FromContext(r.Context()); p != nil && p.Subject != "" {
		return "sub:" + p.Subject
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return "addr:" + r.RemoteAddr
	}
	return "addr:" + host
}

// Listen listens on addr (host:port; port 0 picks a free one).
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// Serve serves h on ln until ctx is done, then shuts down: it stops accepting, lets the
// requests in flight finish for up to drain, then calls stop (which should make the rest
// answer UNAVAILABLE, see Config.Stopping) and gives them a few seconds more before
// closing their connections. A shutdown is not an error.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, drain time.Duration, stop func()) error {
	// A client that sends its headers or its body slowly holds a connection no longer
	// than these.
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	drainCtx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	if err := srv.Shutdown(drainCtx); err == nil {
		return nil
	}
	if stop != nil {
		stop()
	}
	lastCtx, cancelLast := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancelLast()
	if err := srv.Shutdown(lastCtx); err != nil {
		srv.Close()
	}
	return nil
}
