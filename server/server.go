// Package server wires the GraphQL handler, GraphiQL, health checks and request logging
// into one net/http handler, and runs it with graceful shutdown.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/rs/cors"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"cobuild"
	"cobuild/limits"
	"cobuild/resolvers"
	"cobuild/web"
)

// Config is what the server needs.
type Config struct {
	// Resolvers serve /graphql; nil serves no GraphQL (the health checks and the
	// dashboard's files still answer).
	Resolvers *resolvers.Resolver
	Ping      func(context.Context) error // readiness: nil when the store answers
	Logger    *slog.Logger
	// RequestTimeout bounds one GraphQL request.
	RequestTimeout time.Duration
	// CORSOrigins are the origins (such as https://dash.example.org) whose pages may call
	// /graphql from a browser; "*" allows any. Empty: same origin only, as the dashboard.
	CORSOrigins []string
}

// Handler returns the whole HTTP API: /graphql (GET and POST), GraphiQL at /, the web
// dashboard at /dashboard/, /healthz (the process is up) and /readyz (Neo4j answers).
func Handler(cfg Config) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	if cfg.Ping == nil {
		cfg.Ping = func(context.Context) error { return cobuild.Errorf(cobuild.EUNAVAILABLE, "no store") }
	}
	mux := http.NewServeMux()
	var gql http.Handler = http.NotFoundHandler()
	if r := cfg.Resolvers; r != nil {
		gql = GraphQL(r, cfg.Logger)
	}
	var api http.Handler = http.TimeoutHandler(gql, cfg.RequestTimeout, `{"errors":[{"message":"request timed out","extensions":{"code":"TIMEOUT"}}]}`)
	if len(cfg.CORSOrigins) > 0 {
		// Answers preflight requests itself, and names the origin in the response only when
		// it is one of those listed, so browsers refuse the others.
		api = cors.New(cors.Options{
			AllowedOrigins: cfg.CORSOrigins,
			AllowedMethods: []string{http.MethodGet, http.MethodPost},
			AllowedHeaders: []string{"Content-Type", "Accept"},
			MaxAge:         600,
		}).Handler(api)
	}
	mux.Handle("/graphql", api)
	mux.Handle("GET /{$}", playground.Handler("cobuild", "/graphql"))
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
		if err := cfg.Ping(ctx); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"status":"unavailable","neo4j":"down"}`)
			return
		}
		fmt.Fprint(w, `{"status":"ready","neo4j":"up"}`)
	})
	return logRequests(cfg.Logger, mux)
}

// GraphQL returns the GraphQL handler alone; each operation gets loaders of its own. The
// resolvers' request limits (limits.Config) are applied before anything runs: the size
// of the request before it is decoded, the shape of the document before it is validated,
// the cost before any resolver; and a response lists few errors, each of them short.
func GraphQL(r *resolvers.Resolver, log *slog.Logger) http.Handler {
	lim := r.RequestLimits()
	srv := handler.New(r.ExecutableSchema())
	srv.Use(limits.NewExtension(lim))
	srv.Use(r.Loaders())
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
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

func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", time.Since(start).Milliseconds())
	})
}

// Serve listens on addr until ctx is done, then shuts down gracefully, letting requests
// in flight finish for up to 10 seconds. ready, if not nil, receives the bound address.
func Serve(ctx context.Context, addr string, h http.Handler, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	if ready != nil {
		ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
