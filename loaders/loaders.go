// Package loaders holds one GraphQL request's state: its batched readers of nodes and
// ties, and its view of the snapshots. Loaders live for one operation: the resolvers'
// handler extension (resolvers.Resolver.Loaders) puts fresh ones into each operation's
// context, and their caches never outlive it.
//
// The resolvers fill the caches ahead of time: a resolver that reads nodes reads, in the
// same statement, everything the operation asks of them (cobuild.Fetch), and primes the
// loaders with it, so that the fields below it find their ties here without a statement
// of their own. A key that was not primed is read at once, batched with the keys asked for
// at the same moment; there is no fixed wait.
package loaders

import (
	"context"
	"sync"
	"time"

	"github.com/vikstrous/dataloadgen"

	"cobuild"
	"cobuild/snapshot"
)

type ctxKey struct{}

// Loaders are one request's batched readers and snapshot view.
type Loaders struct {
	// Store is the request's reader: narrowed to the scope of an area officer, of the
	// whole graph otherwise. The batched readers read through it.
	Store cobuild.Reader
	// Scope returns the scope the request is narrowed to; nil for the whole graph.
	Scope cobuild.ScopeFunc
	// Today is the day the request answers for when it gives no asOf.
	Today time.Time
	// Snapshots is the request's view of the snapshots: every field answers from one
	// version of the graph.
	Snapshots *snapshot.View

	nodes      *dataloadgen.Loader[string, any]
	facts      *dataloadgen.Loader[cobuild.FactKey, cobuild.CoverageFacts]
	latest     *dataloadgen.Loader[string, *cobuild.Evaluation]
	attendance *dataloadgen.Loader[string, int]

	mu   sync.Mutex
	ties map[cobuild.TieKey]*dataloadgen.Loader[string, []cobuild.Neighbour]
}

// noWait sends a batch as soon as its first key arrives, with the keys that arrived by the
// time the batch goroutine runs: the keys a resolver could foresee are primed, so waiting
// would only add latency.
var noWait = dataloadgen.WithWait(0)

// New returns fresh loaders over a store (the request's reader), for a request answering
// for a day and from a view of the snapshots (nil when the server keeps none).
func New(store cobuild.Reader, today time.Time, view *snapshot.View) *Loaders {
	l := &Loaders{Store: store, Today: today, Snapshots: view, ties: map[cobuild.TieKey]*dataloadgen.Loader[string, []cobuild.Neighbour]{}}
	l.nodes = dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]any, []error) {
		f, err := store.Expand(ctx, ids, nil)
		return byKey(ids, err, func(id string) any { return f.Nodes[id] })
	}, noWait)
	l.latest = dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]*cobuild.Evaluation, []error) {
		f, err := store.Expand(ctx, ids, &cobuild.Fetch{Latest: &cobuild.Fetch{}})
		return byKey(ids, err, func(id string) *cobuild.Evaluation { return f.Latest[id] })
	}, noWait)
	l.attendance = dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([]int, []error) {
		f, err := store.Expand(ctx, ids, &cobuild.Fetch{Attendance: true})
		return byKey(ids, err, func(id string) int { return f.Attendance[id] })
	}, noWait)
	l.facts = dataloadgen.NewLoader(func(ctx context.Context, keys []cobuild.FactKey) ([]cobuild.CoverageFacts, []error) {
		return factsByDay(ctx, store, keys)
	}, noWait)
	return l
}

// byKey lays out a batch's results in the order of its keys.
func byKey[K comparable, V any](keys []K, err error, get func(K) V) ([]V, []error) {
	out := make([]V, len(keys))
	if err != nil {
		errs := make([]error, len(keys))
		for i := range errs {
			errs[i] = err
		}
		return out, errs
	}
	for i, k := range keys {
		out[i] = get(k)
	}
	return out, nil
}

// factsByDay reads the coverage facts of (organisation, day) keys, one statement for all
// the days asked.
func factsByDay(ctx context.Context, store cobuild.NodeReader, keys []cobuild.FactKey) ([]cobuild.CoverageFacts, []error) {
	var ids []string
	var days []time.Time
	seenID, seenDay := map[string]bool{}, map[string]bool{}
	for _, k := range keys {
		if !seenID[k.ID] {
			seenID[k.ID] = true
			ids = append(ids, k.ID)
		}
		if !seenDay[k.Day] {
			seenDay[k.Day] = true
			d, err := time.Parse(time.DateOnly, k.Day)
			if err != nil {
				return byKey(keys, err, func(cobuild.FactKey) cobuild.CoverageFacts { return cobuild.CoverageFacts{} })
			}
			days = append(days, d)
		}
	}
	f, err := store.Expand(ctx, ids, &cobuild.Fetch{Facts: days})
	return byKey(keys, err, func(k cobuild.FactKey) cobuild.CoverageFacts { return f.Facts[k] })
}

// NewContext returns a context that carries the loaders.
func NewContext(ctx context.Context, l *Loaders) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From returns the loaders of the request, or nil when none were installed.
func From(ctx context.Context) *Loaders {
	l, _ := ctx.Value(ctxKey{}).(*Loaders)
	return l
}

// Prime puts what a read returned along with its nodes into the caches, so that the
// fields that ask for it find it without a statement.
func (l *Loaders) Prime(f *cobuild.Fetched) {
	if f == nil {
		return
	}
	for id, n := range f.Nodes {
		l.nodes.Prime(id, n)
	}
	for k, byID := range f.Ties {
		ld := l.tieLoader(k)
		for id, ns := range byID {
			ld.Prime(id, ns)
		}
	}
	for id, e := range f.Latest {
		l.latest.Prime(id, e)
	}
	for k, facts := range f.Facts {
		l.facts.Prime(k, facts)
	}
	for id, n := range f.Attendance {
		l.attendance.Prime(id, n)
	}
}

// PrimeNode puts a node already read into the cache.
func (l *Loaders) PrimeNode(id string, v any) { l.nodes.Prime(id, v) }

// Node loads a node by id as the domain type T; a missing node gives the zero T and no
// error, a node of another type an EINVALID error.
func Node[T any](ctx context.Context, l *Loaders, id string) (T, error) {
	var zero T
	v, err := l.nodes.Load(ctx, id)
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
func Nodes[T any](ctx context.Context, l *Loaders, ids []string) ([]T, error) {
	vs, err := l.nodes.LoadAll(ctx, ids)
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

func (l *Loaders) tieLoader(k cobuild.TieKey) *dataloadgen.Loader[string, []cobuild.Neighbour] {
	l.mu.Lock()
	defer l.mu.Unlock()
	ld, ok := l.ties[k]
	if !ok {
		q := cobuild.TieQuery{Type: k.Type, Dir: k.Dir}
		if k.Day != "" {
			d, err := time.Parse(time.DateOnly, k.Day)
			if err == nil {
				q.AsOf = &d
			}
		}
		ld = dataloadgen.NewLoader(func(ctx context.Context, ids []string) ([][]cobuild.Neighbour, []error) {
			f, err := l.Store.Expand(ctx, ids, &cobuild.Fetch{Ties: []cobuild.FetchTie{{Query: q}}})
			return byKey(ids, err, func(id string) []cobuild.Neighbour { return f.Ties[k][id] })
		}, noWait)
		l.ties[k] = ld
	}
	return ld
}

// Ties follows one kind of tie from a node.
func (l *Loaders) Ties(ctx context.Context, q cobuild.TieQuery, id string) ([]cobuild.Neighbour, error) {
	return l.tieLoader(q.Key()).Load(ctx, id)
}

// Facts loads the facts that decide an organisation's coverage on a day.
func (l *Loaders) Facts(ctx context.Context, id string, day time.Time) (cobuild.CoverageFacts, error) {
	return l.facts.Load(ctx, cobuild.FactKey{ID: id, Day: cobuild.Day(day).Format(time.DateOnly)})
}

// LatestEvaluation loads the newest evaluation of a party organisation (nil if none).
func (l *Loaders) LatestEvaluation(ctx context.Context, partyOrgID string) (*cobuild.Evaluation, error) {
	return l.latest.Load(ctx, partyOrgID)
}

// Attendance loads the number of ATTENDED ties of an event.
func (l *Loaders) Attendance(ctx context.Context, eventID string) (int, error) {
	return l.attendance.Load(ctx, eventID)
}
