// Package metrics exposes cobuild's Prometheus metrics: requests by operation and code
// and their latencies, HTTP answers by route and status, Neo4j statements and errors,
// snapshot builds and cache sizes, and refusals by limit.
package metrics

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Metrics is one process's registry of metrics.
type Metrics struct {
	Registry   *prometheus.Registry
	operations *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	http       *prometheus.CounterVec
	refusals   *prometheus.CounterVec

	mu    sync.Mutex
	names map[string]bool
}

// maxNames bounds the operation names that become labels: clients choose them, and an
// unbounded set of labels would grow the registry without end. Later names count as
// "other".
const maxNames = 200

var nameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// New returns a registry with the Go runtime's and the process's collectors.
func New() *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry(), names: map[string]bool{}}
	m.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.operations = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cobuild_graphql_operations_total",
		Help: "GraphQL operations answered, by operation name and the code of their first error (OK when none).",
	}, []string{"operation", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "cobuild_graphql_operation_seconds",
		Help:    "Time from the start of a GraphQL operation to its answer, by operation name.",
		Buckets: []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30},
	}, []string{"operation"})
	m.http = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cobuild_http_requests_total",
		Help: "HTTP requests answered, by route and status.",
	}, []string{"route", "status"})
	m.refusals = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cobuild_refusals_total",
		Help: "Requests refused before they ran, by reason: a limit (body, tokens, aliases, depth, cost, list), the rate, the token or the role.",
	}, []string{"reason"})
	m.Registry.MustRegister(m.operations, m.latency, m.http, m.refusals)
	return m
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// Refused counts a request refused for a reason.
func (m *Metrics) Refused(reason string) {
	if m != nil {
		m.refusals.WithLabelValues(reason).Inc()
	}
}

// Gauge registers a gauge whose value f reads when scraped.
func (m *Metrics) Gauge(name, help string, f func() float64) {
	m.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: name, Help: help}, f))
}

// Counter registers a counter whose value f reads when scraped.
func (m *Metrics) Counter(name, help string, f func() float64) {
	m.Registry.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, f))
}

// CounterByLabel registers a counter with one label whose values f reads when scraped.
func (m *Metrics) CounterByLabel(name, help, label string, f func() map[string]float64) {
	m.Registry.MustRegister(&labelled{desc: prometheus.NewDesc(name, help, []string{label}, nil), f: f})
}

type labelled struct {
	desc *prometheus.Desc
	f    func() map[string]float64
}

func (l *labelled) Describe(ch chan<- *prometheus.Desc) { ch <- l.desc }
func (l *labelled) Collect(ch chan<- prometheus.Metric) {
	for v, n := range l.f() {
		ch <- prometheus.MustNewConstMetric(l.desc, prometheus.CounterValue, n, v)
	}
}

// operation returns the label of an operation's name.
func (m *Metrics) operation(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !nameRE.MatchString(name) {
		return "other"
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.names[name] {
		if len(m.names) >= maxNames {
			return "other"
		}
		m.names[name] = true
	}
	return name
}

// Answered counts one HTTP answer by its route (the path when it is one of routes, else
// "other", so that paths cannot grow the labels) and status. The server's request log
// calls it, once it knows the status.
func (m *Metrics) Answered(path string, status int, routes ...string) {
	if m == nil {
		return
	}
	if !slices.Contains(routes, path) {
		path = "other"
	}
	m.http.WithLabelValues(path, strconv.Itoa(status)).Inc()
}

// Operations is the GraphQL handler extension that counts operations and times them.
func (m *Metrics) Operations() graphql.HandlerExtension { return operations{m} }

type operations struct{ m *Metrics }

func (operations) ExtensionName() string                   { return "Metrics" }
func (operations) Validate(graphql.ExecutableSchema) error { return nil }
func (o operations) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	name, start := "", time.Now()
	if graphql.HasOperationContext(ctx) {
		oc := graphql.GetOperationContext(ctx)
		name, start = oc.OperationName, oc.Stats.OperationStart
		if name == "" && oc.Operation != nil {
			name = oc.Operation.Name
		}
	}
	op := o.m.operation(name)
	code := "OK"
	if resp != nil && len(resp.Errors) > 0 {
		code = codeOf(resp.Errors[0])
		for _, e := range resp.Errors {
			if c := codeOf(e); c == "LIMIT_EXCEEDED" {
				limit, _ := e.Extensions["limit"].(string)
				o.m.Refused("limit:" + limit)
				break
			}
		}
	}
	o.m.operations.WithLabelValues(op, code).Inc()
	if !start.IsZero() {
		o.m.latency.WithLabelValues(op).Observe(time.Since(start).Seconds())
	}
	return resp
}

func codeOf(e *gqlerror.Error) string {
	if c, ok := e.Extensions["code"].(string); ok && c != "" {
		return c
	}
	return "UNKNOWN"
}
