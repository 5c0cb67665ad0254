package server

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"cobuild"
	"cobuild/metrics"
)

// RateLimit bounds how many requests one client (a token's subject, or an address) may
// send: Rate a second on average, Burst at once. A zero Rate sets no limit.
type RateLimit struct {
	Rate  float64
	Burst int
}

// limiters holds a token bucket per client, forgetting those idle for a while so that
// many clients cannot grow it without end.
type limiters struct {
	cfg RateLimit

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// maxIdle is how long a client's bucket is kept after its last request: by then it is
// full again, so forgetting it changes nothing.
const maxIdle = 5 * time.Minute

func (l *limiters) allow(client string) (ok bool, retry time.Duration) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > maxIdle {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > maxIdle {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b, found := l.buckets[client]
	if !found {
		b = &bucket{lim: rate.NewLimiter(rate.Limit(l.cfg.Rate), l.cfg.Burst)}
		l.buckets[client] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// rateLimited answers 429 RATE_LIMITED, with Retry-After, to a client past its rate.
func rateLimited(next http.Handler, cfg RateLimit, m *metrics.Metrics) http.Handler {
	if cfg.Rate <= 0 {
		return next
	}
	if cfg.Burst < 1 {
		cfg.Burst = max(1, int(cfg.Rate))
	}
	l := &limiters{cfg: cfg, buckets: map[string]*bucket{}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, retry := l.allow(clientOf(r))
		if !ok {
			m.Refused("rate")
			w.Header().Set("Retry-After", strconv.Itoa(int(retry/time.Second)+1))
			writeError(w, http.StatusTooManyRequests, errRateLimited)
			return
		}
		next.ServeHTTP(w, r)
	})
}

var errRateLimited = cobuild.Errorf(cobuild.ERATELIMITED, "请求过于频繁，请稍后再试。Too many requests; try again shortly.")

// writeError answers one GraphQL error, its code and extensions, outside GraphQL's
// execution.
func writeError(w http.ResponseWriter, status int, err *cobuild.Error) {
	ext := map[string]any{"code": err.Code}
	for k, v := range err.Extensions {
		ext[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"message": err.Message, "extensions": ext}}})
}
