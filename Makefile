# The README's commands. Everything else is plain `go`.

.PHONY: serve test generate bench check mutation

# Serve GraphQL on the demo data (starts a local Neo4j when NEO4J_URI is unset).
serve:
	go run ./cmd/cobuild serve

# Run every test against a local Neo4j started for the run (its own data folder, so it
# never collides with a running `serve`). Packages run one at a time: they share the
# database. The dashboard's browser test needs web/node_modules (puppeteer-core), the
# GraphQL-over-HTTP audits tools/httpaudit/node_modules (graphql-http). A test that skips
# fails the run (tools/noskip): here every test has what it needs. Then the packages with
# concurrent code run again under the race detector, and the HTTP handler is fuzzed for 20 s
# (FuzzGraphQLHandler; its seeds, the attacks, ran with the tests).
RACE_PACKAGES = ./analytics ./snapshot ./resolvers ./neo4jstore ./server ./neo4jlocal ./app
test:
	[ -d web/node_modules ] || npm ci --prefix web
	[ -d tools/httpaudit/node_modules ] || npm ci --prefix tools/httpaudit
	go build -o .cobuild/bin/cobuild ./cmd/cobuild
	go build -o .cobuild/bin/noskip ./tools/noskip
	.cobuild/bin/cobuild neo4j exec -data-dir .cobuild/test/data -- sh -c \
	  'go test -p 1 -count=1 -json ./... | .cobuild/bin/noskip && go test -race -p 1 -count=1 $(RACE_PACKAGES) && \
	    go test -run "^$$" -fuzz "^FuzzGraphQLHandler$$" -fuzztime 20s ./server'


# Regenerate graph/ and the resolver stubs from schema.graphqls.
generate:
	go tool gqlgen generate

# Benchmarks against the local Neo4j; results are written down in docs/benchmarks.md.
bench:
	go build -o .cobuild/bin/cobuild ./cmd/cobuild
	.cobuild/bin/cobuild neo4j exec -data-dir .cobuild/test/data -- go test -p 1 -run '^$$' -bench . -benchtime 20x ./...

check:
	gofmt -l . | (! grep .)
	go vet ./...

# The side-by-side benchmark (bench/README.md): cobuild, @neo4j/graphql and hand-written Cypher
# on the Neo4j of NEO4J_URI, read only; e.g. make bench-peer BENCH_FLAGS="-rounds 1 -duration 2s".
.PHONY: bench-peer
bench-peer:
	@[ -n "$$NEO4J_URI" ] || { echo "bench-peer: set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD to a Neo4j holding the demo data"; exit 2; }
	go run ./bench $(BENCH_FLAGS)

# Lint the GraphQL schema (schema.graphqls and schema/*.graphqls) with the rules of
# tools/schemalint (docs/schema-lint.md); installs the linter when missing.
.PHONY: lint-schema
lint-schema:
	[ -d tools/schemalint/node_modules ] || npm ci --prefix tools/schemalint
	tools/schemalint/node_modules/.bin/graphql-schema-linter --config-directory tools/schemalint

# Mutation testing of the domain package, analytics, snapshot, auth and limits (tools/mutation): writes
# docs/mutation.md and fails when a package kills under 90% of its mutants or a survivor is
# not explained in tools/mutation/equivalent.txt. About twenty minutes on two cores.
mutation:
	go build -o .cobuild/bin/cobuild ./cmd/cobuild
	.cobuild/bin/cobuild neo4j exec -data-dir .cobuild/test/data -- go run ./tools/mutation
