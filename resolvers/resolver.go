// Package resolvers resolves the fields of the GraphQL schema: one file of resolvers per
// schema file (organizations.resolvers.go for schema/organizations.graphqls, ...), helpers
// beside them. Resolvers translate arguments into reads of the store, the snapshots and
// the request's loaders, and answers into the types gqlgen binds; the rules they apply
// live in the root package and the computations in analytics.
package resolvers

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"cobuild"
	"cobuild/auth"
	"cobuild/graph"
	"cobuild/imports"
	"cobuild/limits"
	"cobuild/loaders"
	"cobuild/snapshot"
)

// Resolver is the root of the resolvers and holds their dependencies, set once by New.
type Resolver struct {
	// whole reads the whole graph. Resolvers read through reader(ctx), the request's
	// reader, which is narrowed to an area officer's scope.
	whole     cobuild.Reader
	writer    cobuild.Writer
	changelog cobuild.ChangeLog
	importer  imports.Store
	rules     cobuild.Rules
	snapshots *snapshot.Service
	clock     func() time.Time
	pages     PageLimits
	limits    NetworkLimits
	requests  limits.Config
	schema    *ast.Schema
	planCache planCache
}

// PageLimits are the page sizes of lists: Default when first is not given, at most Max.
type PageLimits struct {
	Default, Max int
}

// NetworkLimits cap what one network query may ask for.
type NetworkLimits struct {
	MaxHops     int // path length
	MaxPaths    int // chains listed
	MaxEgoHops  int
	MaxEgoNodes int
}

// Config is what New needs. Snapshots may be nil: network and coverage answers are then
// UNAVAILABLE and lists use the store's own predicates. Zero limits and a nil clock take
// the defaults.
type Config struct {
	Store cobuild.Reader
	// Writer records mutations and ChangeLog reads the change log; nil answers them
	// UNAVAILABLE (a server that only reads).
	Writer    cobuild.Writer
	ChangeLog cobuild.ChangeLog
	// Importer takes the imports of files (package imports); nil answers them UNAVAILABLE.
	Importer  imports.Store
	Rules     cobuild.Rules
	Snapshots *snapshot.Service
	Clock     func() time.Time
	Pages     PageLimits
	Limits    NetworkLimits
	// Requests are the limits of one request (body, tokens, fields, depth, cost...);
	// zero fields take limits.Default, and the cost counts the default page size of
	// Pages for a connection asked without first.
	Requests limits.Config
}

// DefaultPages and DefaultNetworkLimits are the limits unless configured otherwise.
var (
	DefaultPages         = PageLimits{Default: 50, Max: 500}
	DefaultNetworkLimits = NetworkLimits{MaxHops: 12, MaxPaths: 20, MaxEgoHops: 4, MaxEgoNodes: 5000}
)

// New returns the resolvers over their dependencies.
func New(c Config) *Resolver {
	r := &Resolver{whole: c.Store, writer: c.Writer, changelog: c.ChangeLog, importer: c.Importer, rules: c.Rules, snapshots: c.Snapshots, clock: c.Clock, pages: c.Pages, limits: c.Limits, requests: c.Requests}
	if r.clock == nil {
		r.clock = time.Now
	}
	if r.pages.Default <= 0 {
		r.pages.Default = DefaultPages.Default
	}
	if r.pages.Max < r.pages.Default {
		r.pages.Max = max(DefaultPages.Max, r.pages.Default)
	}
	d := DefaultNetworkLimits
	if r.limits.MaxHops <= 0 {
		r.limits.MaxHops = d.MaxHops
	}
	if r.limits.MaxPaths <= 0 {
		r.limits.MaxPaths = d.MaxPaths
	}
	if r.limits.MaxEgoHops <= 0 {
		r.limits.MaxEgoHops = d.MaxEgoHops
	}
	if r.limits.MaxEgoNodes <= 0 {
		r.limits.MaxEgoNodes = d.MaxEgoNodes
	}
	if r.requests.PageSize <= 0 {
		r.requests.PageSize = r.pages.Default
	}
	r.requests = r.requests.WithDefaults()
	r.schema = graph.NewExecutableSchema(graph.Config{Resolvers: r}).Schema()
	return r
}

// RequestLimits returns the limits of one request, every field set; the handler serving
// ExecutableSchema applies them (server.GraphQL does).
func (r *Resolver) RequestLimits() limits.Config { return r.requests }

// ExecutableSchema is the schema served by these resolvers.
func (r *Resolver) ExecutableSchema() graphql.ExecutableSchema {
	return graph.NewExecutableSchema(graph.Config{Resolvers: r})
}

// PageLimits are the default and largest page of a list.
func (r *Resolver) PageLimits() PageLimits { return r.pages }

// Store returns the store the resolvers read, of the whole graph.
func (r *Resolver) Store() cobuild.Reader { return r.whole }

// Snapshots returns the snapshot service, nil when there is none.
func (r *Resolver) Snapshots() *snapshot.Service { return r.snapshots }

// Today is the day of the resolvers' clock.
func (r *Resolver) Today() time.Time { return cobuild.Day(r.clock()) }

// Loaders is the handler extension that gives every operation fresh loaders: over the
// store, answering for today, with a view of the snapshots. A handler serving
// ExecutableSchema uses it (server.GraphQL does); without it every field gets loaders of
// its own, and nothing read along with a node reaches its fields.
func (r *Resolver) Loaders() graphql.HandlerExtension { return loaderExtension{r} }

type loaderExtension struct{ r *Resolver }

func (loaderExtension) ExtensionName() string                   { return "Loaders" }
func (loaderExtension) Validate(graphql.ExecutableSchema) error { return nil }
func (e loaderExtension) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if loaders.From(ctx) == nil {
		ctx = loaders.NewContext(ctx, e.r.newLoaders(ctx))
	}
	return next(ctx)
}

// newLoaders returns the loaders of a request of the principal of ctx: for an area officer
// (auth.Principal.Scoped), every read and every snapshot of the request is narrowed to
// the scope of their areas; this is the one place where a request is narrowed.
func (r *Resolver) newLoaders(ctx context.Context) *loaders.Loaders {
	var view *snapshot.View
	if r.snapshots != nil {
		view = r.snapshots.View()
	}
	p := auth.FromContext(ctx)
	if !p.Scoped() {
		return loaders.New(r.whole, r.Today(), view)
	}
	scope := func(context.Context) (*cobuild.Scope, error) {
		return nil, cobuild.Errorf(cobuild.EUNAVAILABLE, "本服务器未保留按辖区查询所需的快照。Answers by area need the snapshots, which this server does not keep.")
	}
	if view != nil {
		view = view.Within(p.Areas)
		scope = view.Scope
	}
	l := loaders.New(r.whole.Within(scope), r.Today(), view)
	l.Scope = scope
	return l
}

// reader returns the request's reader: narrowed to the scope of an area officer.
func (r *Resolver) reader(ctx context.Context) cobuild.Reader { return r.loaders(ctx).Store }

// scope returns the scope the request is narrowed to; nil for the whole graph.
func (r *Resolver) scope(ctx context.Context) (*cobuild.Scope, error) {
	if f := r.loaders(ctx).Scope; f != nil {
		return f(ctx)
	}
	return nil, nil
}

// loaders returns the operation's loaders (see Loaders), or loaders of its own for a
// field of an operation that was given none.
func (r *Resolver) loaders(ctx context.Context) *loaders.Loaders {
	if l := loaders.From(ctx); l != nil {
		return l
	}
	return r.newLoaders(ctx)
}

// day returns the day asked for, or the request's today.
func (r *Resolver) day(ctx context.Context, asOf *time.Time) time.Time {
	if asOf != nil {
		return cobuild.Day(*asOf)
	}
	return r.loaders(ctx).Today
}

// view returns the request's view of the snapshots, or UNAVAILABLE when the server keeps
// none.
func (r *Resolver) view(ctx context.Context) (*snapshot.View, error) {
	if v := r.loaders(ctx).Snapshots; v != nil {
		return v, nil
	}
	return nil, cobuild.Errorf(cobuild.EUNAVAILABLE, "network queries are not configured on this server")
}

// projection returns the network of a day over some tie types (the joint ties when none).
func (r *Resolver) projection(ctx context.Context, asOf *time.Time, ties []cobuild.TieType) (*snapshot.Projection, error) {
	v, err := r.view(ctx)
	if err != nil {
		return nil, err
	}
	return v.Projection(ctx, snapshot.ProjectionKey(r.day(ctx, asOf), ties))
}

// census returns the census of a day.
func (r *Resolver) census(ctx context.Context, day time.Time) (*snapshot.Census, error) {
	v, err := r.view(ctx)
	if err != nil {
		return nil, err
	}
	return v.Census(ctx, day)
}

// cachedCensus returns the census of a day if it is built already.
func (r *Resolver) cachedCensus(ctx context.Context, day time.Time) (*snapshot.Census, bool) {
	v := r.loaders(ctx).Snapshots
	if v == nil {
		return nil, false
	}
	return v.CachedCensus(ctx, day)
}
