// Package loaders gathers the keys that one GraphQL request asks for into batched reads,
// so that a list of n rows costs a number of queries bounded by the depth of the query, not
// by n. Loaders live for one request: a Middleware puts fresh ones into each request's
// context, and their caches never outlive it.
package loaders

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"

	"cobuild"
	"cobuild/analytics"
)

type ctxKey struct{}

// Wait is how long a loader gathers keys before it sends a batch.
const Wait = 10 * time.Millisecond

type tieKey struct {
	Type string
	Dir  cobuild.Direction
	AsOf string
}

type coverageKey struct {
	ID   string
	AsOf string
}

// Settings are the limits and rules that resolvers read from the request's loaders.
type Settings struct {
	Rules           cobuild.Rules
	DefaultPageSize int
	MaxPageSize     int
	// Network builds and caches the projections of the network queries.
	Network *analytics.Service
	// Caps of the network queries; zero means the default of DefaultNetworkLimits.
	NetworkLimits NetworkLimits
}

// NetworkLimits cap what one network query may ask for.
type NetworkLimits struct {
	MaxHops     int // path length
	MaxPaths    int // chains listed
	MaxEgoHops  int
	MaxEgoNodes int
}

// DefaultNetworkLimits are the caps unless configured otherwise.
var DefaultNetworkLimits = NetworkLimits{MaxHops: 12, MaxPaths: 20, MaxEgoHops: 4, MaxEgoNodes: 5000}

// Limits returns the network caps in force.
func (s Settings) Limits() NetworkLimits {
	l := s.NetworkLimits
	d := DefaultNetworkLimits
	if l.MaxHops <= 0 {
		l.MaxHops = d.MaxHops
	}
	if l.MaxPaths <= 0 {
		l.MaxPaths = d.MaxPaths
	}
	if l.MaxEgoHops <= 0 {
		l.MaxEgoHops = d.MaxEgoHops
	}
	if l.MaxEgoNodes <= 0 {
		l.MaxEgoNodes = d.MaxEgoNodes
	}
	return l
}

// Loaders are one request's batched readers.
type Loaders struct {
	reader     cobuild.Reader
	settings   Settings
	nodes      *dataloadgen.Loader[string, any]
	coverage   *dataloadgen.Loader[coverageKey, cobuild.CoverageFacts]
	latest     *dataloadgen.Loader[string, *cobuild.Evaluation]
	attendance *dataloadgen.Loader[string, int]

	mu    sync.Mutex
	ties  map[tieKey]*dataloadgen.Loader[string, []cobuild.Neighbour]
	built map[string]func() (any, error)
}

// New returns fresh loaders over a reader.
func New(r cobuild.Reader, s Settings) *Loaders {
	l := &Loaders{reader: r, settings: s, ties: map[tieKey]*dataloadgen.Loader[string, []cobuild.Neighbour]{},
		built: map[string]func() (any, error){}}
	l.nodes = dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]any, []error) {
		found, err := r.NodesByID(ctx, ids)
		out := make([]any, len(ids))
		if err == nil {
			for i, id := range ids {
				out[i] = found[id]
			}
		}
		return out, fill(len(ids), err)
	}, dataloadgen.WithWait(Wait))
	l.coverage = dataloadgen.NewLoader(func(ctx context.Context, keys []coverageKey) ([]cobuild.CoverageFacts, []error) {
		return byDay(ctx, keys, r.CoverageFacts)
	}, dataloadgen.WithWait(Wait))
	l.latest = dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]*cobuild.Evaluation, []error) {
		found, err := r.LatestEvaluations(ctx, ids)
		out := make([]*cobuild.Evaluation, len(ids))
		if err == nil {
			for i, id := range ids {
				out[i] = found[id]
			}
		}
		return out, fill(len(ids), err)
	}, dataloadgen.WithWait(Wait))
	l.attendance = dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]int, []error) {
		found, err := r.Attendance(ctx, ids)
		out := make([]int, len(ids))
		if err == nil {
			for i, id := range ids {
				out[i] = found[id]
			}
		}
		return out, fill(len(ids), err)
	}, dataloadgen.WithWait(Wait))
	return l
}

// byDay reads keys of (id, day) with one call per distinct day; the keys of one request
// nearly always share their day.
func byDay[V any](ctx context.Context, keys []coverageKey, read func(context.Context, []string, time.Time) (map[string]V, error)) ([]V, []error) {
	out := make([]V, len(keys))
	errs := make([]error, len(keys))
	days := map[string][]string{}
	for _, k := range keys {
		days[k.AsOf] = append(days[k.AsOf], k.ID)
	}
	found := map[coverageKey]V{}
	failed := map[string]error{}
	for day, ids := range days {
		t, _ := time.Parse(time.DateOnly, day)
		got, err := read(ctx, ids, t)
		if err != nil {
			failed[day] = err
			continue
		}
		for id, v := range got {
			found[coverageKey{id, day}] = v
		}
	}
	for i, k := range keys {
		out[i], errs[i] = found[k], failed[k.AsOf]
	}
	return out, errs
}

func fill(n int, err error) []error {
	if err == nil {
		return nil
	}
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}

// Middleware gives every request fresh loaders over the reader.
func Middleware(r cobuild.Reader, s Settings, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		next.ServeHTTP(w, req.WithContext(NewContext(req.Context(), New(r, s))))
	})
}

// NewContext returns a context that carries the loaders.
func NewContext(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// For returns the loaders of the request; it panics when the middleware was not installed,
// which is a wiring bug, never a user error.
func For(ctx context.Context) *Loaders {
	l, ok := ctx.Value(ctxKey{}).(*Loaders)
	if !ok {
		panic("loaders: no loaders in context; install loaders.Middleware")
	}
	return l
}

// Settings returns the limits and rules of the request.
func (l *Loaders) Settings() Settings { return l.settings }

// Reader returns the reader behind the loaders, for list queries that need no batching.
func (l *Loaders) Reader() cobuild.Reader { return l.reader }

// Node loads a node by id as the domain type T; a missing node gives the zero T and no
// error, a node of another type an EINVALID error.
func Node[T any](ctx context.Context, id string) (T, error) {
	var zero T
	v, err := For(ctx).nodes.Load(ctx, id)
	if err != nil || v == nil {
		return zero, err
	}
	t, ok := v.(T)
	if !ok {
		return zero, cobuild.Errorf(cobuild.EINVALID, "id %q names another kind of node", id)
	}
	return t, nil
}

// Nodes loads nodes by id, in one batch, as the domain type T; every one must exist and be
// a T (a missing one is NOT_FOUND).
func Nodes[T any](ctx context.Context, ids []string) ([]T, error) {
	vs, err := For(ctx).nodes.LoadAll(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]T, len(vs))
	for i, v := range vs {
		if v == nil {
			return nil, cobuild.Errorf(cobuild.ENOTFOUND, "%s not found", ids[i])
		}
		t, ok := v.(T)
		if !ok {
			return nil, cobuild.Errorf(cobuild.EINVALID, "id %q names another kind of node", ids[i])
		}
		out[i] = t
	}
	return out, nil
}

// Prime puts a node already read by a list into the request's cache.
func Prime(ctx context.Context, id string, v any) {
	For(ctx).nodes.Prime(id, v)
}

// Ties follows one kind of tie from a node; ties asked for the same kind, direction and
// day during one request are read in one batch.
func Ties(ctx context.Context, q cobuild.TieQuery, id string) ([]cobuild.Neighbour, error) {
	l := For(ctx)
	key := tieKey{Type: q.Type, Dir: q.Dir}
	if q.AsOf != nil {
		key.AsOf = q.AsOf.Format(time.DateOnly)
	}
	l.mu.Lock()
	ld, ok := l.ties[key]
	if !ok {
		query := q
		ld = dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([][]cobuild.Neighbour, []error) {
			found, err := l.reader.Neighbours(ctx, query, ids)
			out := make([][]cobuild.Neighbour, len(ids))
			if err == nil {
				for i, id := range ids {
					out[i] = found[id]
				}
			}
			return out, fill(len(ids), err)
		}, dataloadgen.WithWait(Wait))
		l.ties[key] = ld
	}
	l.mu.Unlock()
	return ld.Load(ctx, id)
}

// CoverageFacts loads the facts that decide an organisation's coverage on a day.
func CoverageFacts(ctx context.Context, id string, asOf time.Time) (cobuild.CoverageFacts, error) {
	return For(ctx).coverage.Load(ctx, coverageKey{id, asOf.Format(time.DateOnly)})
}

// Projection returns the network projection of a day over some tie types (the joint
// ties when none), asked of the service once per request: every field of one request
// answers from the same version of the graph, and a list of n rows asks for the graph's
// version once, not n times.
func Projection(ctx context.Context, day time.Time, types []string) (*analytics.Projection, error) {
	if len(types) == 0 {
		types = analytics.JointTieTypes
	}
	sorted := slices.Clone(types)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	v, err := once(ctx, "projection "+day.Format(time.DateOnly)+" "+strings.Join(sorted, ","), func(svc *analytics.Service) (any, error) {
		return svc.Projection(ctx, day, sorted)
	})
	if err != nil {
		return nil, err
	}
	return v.(*analytics.Projection), nil
}

// Census returns every organisation with its coverage on a day, asked of the service once
// per request.
func Census(ctx context.Context, day time.Time) (*analytics.Census, error) {
	v, err := once(ctx, "census "+day.Format(time.DateOnly), func(svc *analytics.Service) (any, error) {
		return svc.Census(ctx, day)
	})
	if err != nil {
		return nil, err
	}
	return v.(*analytics.Census), nil
}

// Round returns every evaluation of a round, asked of the service once per request; the
// store reads it directly when the server has no network service.
func Round(ctx context.Context, round string) ([]*cobuild.Evaluation, error) {
	if For(ctx).settings.Network == nil {
		return For(ctx).reader.RoundEvaluations(ctx, []string{round})
	}
	v, err := once(ctx, "round "+round, func(svc *analytics.Service) (any, error) { return svc.Round(ctx, round) })
	if err != nil {
		return nil, err
	}
	return v.([]*cobuild.Evaluation), nil
}

func once(ctx context.Context, key string, get func(*analytics.Service) (any, error)) (any, error) {
	l := For(ctx)
	if l.settings.Network == nil {
		return nil, cobuild.Errorf(cobuild.EUNAVAILABLE, "network queries are not configured on this server")
	}
	l.mu.Lock()
	f, ok := l.built[key]
	if !ok {
		f = sync.OnceValues(func() (any, error) { return get(l.settings.Network) })
		l.built[key] = f
	}
	l.mu.Unlock()
	return f()
}

// LatestEvaluation loads the newest evaluation of a party organisation (nil if none).
func LatestEvaluation(ctx context.Context, partyOrgID string) (*cobuild.Evaluation, error) {
	return For(ctx).latest.Load(ctx, partyOrgID)
}

// Attendance loads the number of ATTENDED ties of an event.
func Attendance(ctx context.Context, eventID string) (int, error) {
	return For(ctx).attendance.Load(ctx, eventID)
}
