// Package neo4jstore implements the cobuild store on Neo4j 5 (Community, Aura or a cluster)
// through the official Go driver. Every query takes parameters; reads run in read
// transactions and writes in write transactions, each with a timeout.
package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild"
)

// Config says how to reach Neo4j.
type Config struct {
	URI      string // bolt://, neo4j:// (routing), or their +s / +ssc forms
	User     string
	Password string
	Database string        // "" for the server's default database
	Timeout  time.Duration // per transaction; default 15s
	// ProjectionTimeout bounds the one read of a whole network projection; default 5m.
	ProjectionTimeout time.Duration
}

// Store is the Neo4j implementation of cobuild.Reader. It is safe for concurrent use.
type Store struct {
	driver            neo4j.DriverWithContext
	db                string
	timeout           time.Duration
	projectionTimeout time.Duration
	rules             cobuild.Rules
	queries           atomic.Int64
	// When profiling, read statements run under PROFILE and their database hits add up.
	profiling atomic.Bool
	dbHits    atomic.Int64
}

// Profile turns profiling of read statements on or off and returns the database hits
// counted since the last call. Benchmarks use it to report db hits per operation, a number
// that does not depend on the machine; it slows statements down, so it is off by default.
func (s *Store) Profile(on bool) int64 {
	s.profiling.Store(on)
	return s.dbHits.Swap(0)
}

func sumHits(p neo4j.ProfiledPlan) int64 {
	if p == nil {
		return 0
	}
	n := p.DbHits()
	for _, c := range p.Children() {
		n += sumHits(c)
	}
	return n
}

// Open connects to Neo4j and checks that it answers.
func Open(ctx context.Context, cfg Config, rules cobuild.Rules) (*Store, error) {
	if cfg.URI == "" {
		return nil, cobuild.Errorf(cobuild.EINVALID, "neo4j URI is empty")
	}
	auth := neo4j.NoAuth()
	if cfg.User != "" {
		auth = neo4j.BasicAuth(cfg.User, cfg.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *neo4j.Config) {
		c.MaxConnectionPoolSize = 50
		c.ConnectionAcquisitionTimeout = 10 * time.Second
	})
	if err != nil {
		return nil, fmt.Errorf("open neo4j driver for %s: %w", cfg.URI, err)
	}
	s := &Store{driver: driver, db: cfg.Database, timeout: cfg.Timeout, rules: rules}
	if s.timeout <= 0 {
		s.timeout = 15 * time.Second
	}
	s.projectionTimeout = cfg.ProjectionTimeout
	if s.projectionTimeout <= 0 {
		s.projectionTimeout = 5 * time.Minute
	}
	if err := s.Ping(ctx); err != nil {
		driver.Close(ctx)
		return nil, err
	}
	return s, nil
}

// Close releases the driver's connections.
func (s *Store) Close(ctx context.Context) error { return s.driver.Close(ctx) }

// Ping returns nil when Neo4j answers a query, and an EUNAVAILABLE error otherwise.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.driver.VerifyConnectivity(ctx); err != nil {
		return &unavailableError{err}
	}
	return nil
}

// Queries returns how many Cypher statements the store has sent; tests use it to prove
// that loaders batch.
func (s *Store) Queries() int64 { return s.queries.Load() }

// Rules returns the rules the store applies in its queries.
func (s *Store) Rules() cobuild.Rules { return s.rules }

type unavailableError struct{ err error }

func (e *unavailableError) Error() string { return "neo4j unavailable: " + e.err.Error() }
func (e *unavailableError) Unwrap() error { return e.err }

// AsDomainError turns a driver error into a cobuild.Error where the user should know: a
// connectivity failure is EUNAVAILABLE and a transaction timeout ETIMEOUT. Anything else
// stays an internal error.
func AsDomainError(err error) error {
	var ue *unavailableError
	var ce *neo4j.ConnectivityError
	var ne *neo4j.Neo4jError
	switch {
	case err == nil:
		return nil
	case errors.As(err, new(*cobuild.Error)):
		return err
	case errors.As(err, &ue), errors.As(err, &ce), neo4j.IsConnectivityError(err):
		return cobuild.Errorf(cobuild.EUNAVAILABLE, "the graph database is unavailable; try again shortly")
	case errors.As(err, &ne) && (ne.Code == "Neo.ClientError.Transaction.TransactionTimedOut" ||
		ne.Code == "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"):
		return cobuild.Errorf(cobuild.ETIMEOUT, "the query took too long and was stopped")
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return cobuild.Errorf(cobuild.ETIMEOUT, "the query took too long and was stopped")
	}
	return err
}

func (s *Store) session(ctx context.Context, mode neo4j.AccessMode) neo4j.SessionWithContext {
	return s.driver.NewSession(ctx, neo4j.SessionConfig{DatabaseName: s.db, AccessMode: mode})
}

// read runs fn in one read transaction with the store's timeout.
func (s *Store) read(ctx context.Context, fn func(tx neo4j.ManagedTransaction) (any, error)) (any, error) {
	return s.readWithin(ctx, s.timeout, fn)
}

// readWithin runs fn in one read transaction with the given timeout.
func (s *Store) readWithin(ctx context.Context, timeout time.Duration, fn func(tx neo4j.ManagedTransaction) (any, error)) (any, error) {
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer sess.Close(ctx)
	v, err := sess.ExecuteRead(ctx, fn, neo4j.WithTxTimeout(timeout))
	return v, AsDomainError(err)
}

// write runs fn in one write transaction with the given timeout.
func (s *Store) write(ctx context.Context, timeout time.Duration, fn func(tx neo4j.ManagedTransaction) (any, error)) (any, error) {
	sess := s.session(ctx, neo4j.AccessModeWrite)
	defer sess.Close(ctx)
	v, err := sess.ExecuteWrite(ctx, fn, neo4j.WithTxTimeout(timeout))
	return v, AsDomainError(err)
}

// collect runs one statement and returns its records, counting it in Queries (as do the
// few statements that stream, such as seeding batches).
func (s *Store) collect(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	s.queries.Add(1)
	profile := s.profiling.Load() && !strings.HasPrefix(cypher, "CREATE") && !strings.HasPrefix(cypher, "MERGE")
	if profile {
		cypher = "PROFILE " + cypher
	}
	res, err := tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	if err == nil && profile {
		if sum, serr := res.Consume(ctx); serr == nil {
			s.dbHits.Add(sumHits(sum.Profile()))
		}
	}
	return recs, err
}

// readRecords runs one read statement in its own transaction.
func (s *Store) readRecords(ctx context.Context, cypher string, params map[string]any) ([]*neo4j.Record, error) {
	v, err := s.read(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return s.collect(ctx, tx, cypher, params)
	})
	if err != nil {
		return nil, err
	}
	return v.([]*neo4j.Record), nil
}

// ExecWrite runs one parameterised write statement in its own write transaction.
func (s *Store) ExecWrite(ctx context.Context, cypher string, params map[string]any) error {
	_, err := s.write(ctx, s.timeout, func(tx neo4j.ManagedTransaction) (any, error) {
		return s.collect(ctx, tx, cypher, params)
	})
	return err
}

// ReadInt runs one read statement whose single row has an integer column n.
func (s *Store) ReadInt(ctx context.Context, cypher string, params map[string]any, n *int) error {
	recs, err := s.readRecords(ctx, cypher, params)
	if err != nil {
		return err
	}
	if len(recs) != 1 {
		return fmt.Errorf("read int: %d rows", len(recs))
	}
	v, _ := recs[0].Get("n")
	i, ok := v.(int64)
	if !ok {
		return fmt.Errorf("read int: n is %T", v)
	}
	*n = int(i)
	return nil
}
