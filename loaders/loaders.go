// Package loaders gathers the keys that one GraphQL request asks for into batched reads,
// so that a list of n rows costs a number of queries bounded by the depth of the query, not
// by n. Loaders live for one request: a Middleware puts fresh ones into each request's
// context, and their caches never outlive it.
package loaders

import (
	"context"
	"net/http"
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

	mu   sync.Mutex
	ties map[tieKey]*dataloadgen.Loader[string, []cobuild.Neighbour]
}

// New returns fresh loaders over a reader.
func New(r cobuild.Reader, s Settings) *Loaders {
	l := &Loaders{reader: r, settings: s, ties: map[tieKey]*dataloadgen.Loader[string, []cobuild.Neighbour]{}}
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
		out := make([]cobuild.CoverageFacts, len(keys))
		errs := make([]error, len(keys))
		// Keys of one request nearly always share their day; one query per distinct day.
		byDay := map[string][]string{}
		for _, k := range keys {
			byDay[k.AsOf] = append(byDay[k.AsOf], k.ID)
		}
		facts := map[coverageKey]cobuild.CoverageFacts{}
		failed := map[string]error{}
		for day, ids := range byDay {
			t, _ := time.Parse(time.DateOnly, day)
			got, err := r.CoverageFacts(ctx, ids, t)
			if err != nil {
				failed[day] = err
				continue
			}
			for id, f := range got {
				facts[coverageKey{id, day}] = f
			}
		}
		for i, k := range keys {
			out[i], errs[i] = facts[k], failed[k.AsOf]
		}
		return out, errs
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

// LatestEvaluation loads the newest evaluation of a party organisation (nil if none).
func LatestEvaluation(ctx context.Context, partyOrgID string) (*cobuild.Evaluation, error) {
	return For(ctx).latest.Load(ctx, partyOrgID)
}

// Attendance loads the number of ATTENDED ties of an event.
func Attendance(ctx context.Context, eventID string) (int, error) {
	return For(ctx).attendance.Load(ctx, eventID)
}
