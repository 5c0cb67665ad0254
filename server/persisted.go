package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"os"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"cobuild"
	"cobuild/web"
)

// PersistedQueries configures persisted operations. By default the server takes automatic
// persisted queries: a client may send the SHA-256 of an operation's text instead of the
// text, once the server knows it (the dashboard's operations from the start, any other
// after the client sent its text with its hash once). With an allow-list, only the
// operations on it run.
type PersistedQueries struct {
	// AllowList, when not nil, holds the only operations that run; any other, by its text
	// or by its hash, is refused with cobuild.ENOTALLOWED before it is parsed. See
	// LoadAllowList.
	AllowList Operations
	// CacheSize is how many operations sent by clients are kept by their hash, the least
	// recently used leaving first; default 1000. Registered operations are always kept.
	CacheSize int
}

// Operations are GraphQL documents by the hex SHA-256 of their text.
type Operations map[string]string

// hashOf is the key of a document: the hex SHA-256 of its text, as automatic persisted
// queries hash it.
func hashOf(query string) string {
	sum := sha256.Sum256([]byte(query))
	return hex.EncodeToString(sum[:])
}

// ParseOperations reads a persisted query manifest, the format of Apollo's manifests that
// the dashboard's build writes (web.OperationsFile):
//
//	{"format": "apollo-persisted-query-manifest", "version": 1,
//	 "operations": [{"id": "<hex sha256 of body>", "name": "...", "type": "query", "body": "..."}]}
//
// It fails on another format, and on an operation whose id is not the hash of its body.
func ParseOperations(manifest []byte) (Operations, error) {
	var m struct {
		Format     string `json:"format"`
		Version    int    `json:"version"`
		Operations []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
			Body string `json:"body"`
		} `json:"operations"`
	}
	if err := json.Unmarshal(manifest, &m); err != nil {
		return nil, fmt.Errorf("read the persisted query manifest: %w", err)
	}
	if m.Format != "apollo-persisted-query-manifest" || m.Version != 1 {
		return nil, fmt.Errorf("read the persisted query manifest: format %q version %d, want apollo-persisted-query-manifest version 1", m.Format, m.Version)
	}
	ops := Operations{}
	for i, op := range m.Operations {
		if op.Body == "" || op.ID != hashOf(op.Body) {
			return nil, fmt.Errorf("read the persisted query manifest: operation %d (%s): id %q is not the sha256 of its body", i, op.Name, op.ID)
		}
		ops[op.ID] = op.Body
	}
	return ops, nil
}

// DashboardOperations returns the dashboard's operations, which its build registered in
// the embedded web/dist.
func DashboardOperations() (Operations, error) {
	manifest, err := web.Operations()
	if err != nil {
		return nil, err
	}
	return ParseOperations(manifest)
}

// BuiltinAllowList names, for LoadAllowList, the dashboard's operations alone.
const BuiltinAllowList = "builtin"

// LoadAllowList returns the allow-list that spec names: nil (no allow-list) for "",
// the dashboard's operations for BuiltinAllowList, or the operations of the manifest file
// at the path spec (see ParseOperations) with the dashboard's beside them, so that the
// dashboard keeps working.
func LoadAllowList(spec string) (Operations, error) {
	if spec == "" {
		return nil, nil
	}
	ops, err := DashboardOperations()
	if err != nil {
		return nil, err
	}
	if spec == BuiltinAllowList {
		return ops, nil
	}
	manifest, err := os.ReadFile(spec)
	if err != nil {
		return nil, fmt.Errorf("read the allow-list: %w", err)
	}
	more, err := ParseOperations(manifest)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", spec, err)
	}
	maps.Copy(ops, more)
	return ops, nil
}

func init() {
	// A refused operation is a request error, as a document that fails to validate:
	// 400 as application/graphql-response+json, 200 as application/json (overHTTP).
	errcode.RegisterErrorType(cobuild.ENOTALLOWED, errcode.KindProtocol)
}

// usePersisted adds the extension of pq to srv: the allow-list, or automatic persisted
// queries whose cache knows the dashboard's operations from the start.
func usePersisted(srv *handler.Server, pq PersistedQueries, log *slog.Logger) {
	if pq.AllowList != nil {
		srv.Use(allowList{ops: pq.AllowList})
		return
	}
	registered, err := DashboardOperations()
	if err != nil {
		// The dashboard's requests then send their texts after a first miss.
		log.Warn("the dashboard's operations are not registered", "err", err)
	}
	size := pq.CacheSize
	if size <= 0 {
		size = 1000
	}
	srv.Use(extension.AutomaticPersistedQuery{Cache: apqCache{registered: registered, sent: lru.New[string](size)}})
}

// apqCache holds the operations of automatic persisted queries: the registered ones,
// always, and those clients sent with their hash, in a bounded LRU.
type apqCache struct {
	registered Operations
	sent       *lru.LRU[string]
}

func (c apqCache) Get(ctx context.Context, hash string) (string, bool) {
	if q, ok := c.registered[hash]; ok {
		return q, true
	}
	return c.sent.Get(ctx, hash)
}

func (c apqCache) Add(ctx context.Context, hash, query string) {
	if _, ok := c.registered[hash]; !ok {
		c.sent.Add(ctx, hash, query)
	}
}

// allowList runs only the operations it holds, given by their text or by their hash
// (extensions.persistedQuery, as automatic persisted queries send it).
type allowList struct{ ops Operations }

var _ interface {
	graphql.OperationParameterMutator
	graphql.HandlerExtension
} = allowList{}

func (allowList) ExtensionName() string                   { return "AllowList" }
func (allowList) Validate(graphql.ExecutableSchema) error { return nil }

func (a allowList) MutateOperationParameters(ctx context.Context, p *graphql.RawParams) *gqlerror.Error {
	hash, err := persistedHash(p.Extensions)
	if err != nil {
		return err
	}
	if p.Query != "" {
		sum := hashOf(p.Query)
		if hash != "" && hash != sum {
			return requestError(cobuild.EINVALID, "persistedQuery 的哈希与 query 不符。The persistedQuery hash does not match the query.", nil)
		}
		hash = sum
	} else if hash == "" {
		return nil // no operation at all: the executor answers that
	}
	if d, ok := ctx.Value(pagedKey{}).(paged); ok && p.Query == d.query {
		// A page of an export, read by the server itself: allowed when the operation it
		// pages is (it differs only by its first, after and pageInfo).
		if _, ok := a.ops[hashOf(d.of)]; ok {
			return nil
		}
	}
	q, ok := a.ops[hash]
	if !ok {
		return requestError(cobuild.ENOTALLOWED, "该操作未登记，本服务器只执行已登记的操作。The operation is not registered; this server runs registered operations only.",
			map[string]any{"sha256Hash": hash})
	}
	p.Query = q
	return nil
}

// persistedHash returns the hash of extensions.persistedQuery, "" when there is none.
func persistedHash(ext map[string]any) (string, *gqlerror.Error) {
	if ext["persistedQuery"] == nil {
		return "", nil
	}
	pq, ok := ext["persistedQuery"].(map[string]any)
	hash, _ := pq["sha256Hash"].(string)
	if !ok || hash == "" || fmt.Sprint(pq["version"]) != "1" {
		return "", requestError(cobuild.EINVALID, "persistedQuery 应为 {version: 1, sha256Hash}。persistedQuery must be {version: 1, sha256Hash}.", nil)
	}
	return hash, nil
}

// requestError is an error of the request itself, before anything ran, shown with its code
// and extensions by PresentError.
func requestError(code, message string, extensions map[string]any) *gqlerror.Error {
	e := &cobuild.Error{Code: code, Message: message, Extensions: extensions}
	return &gqlerror.Error{Err: e, Message: message, Extensions: map[string]any{"code": code}}
}

// paged marks the requests that an export sends for the pages of an operation: query is
// the text it sends, of the operation of.
type paged struct{ of, query string }

type pagedKey struct{}
