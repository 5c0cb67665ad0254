package neo4jstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"cobuild"
)

// Within implements cobuild.Reader: a store whose reads are narrowed to a scope. The
// narrowing is done in a few places every read goes through: the lists and counts (page,
// count), the look-ups (lookup), the expansion of nodes and their ties (Expand, and
// decode, which drops every tie leading outside), the small labels (Hubs), and each
// aggregate's statement.
func (s *Store) Within(scope cobuild.ScopeFunc) cobuild.Reader {
	return &Store{conn: s.conn, scope: scope}
}

// narrowing is the scope of one read as Cypher: the conditions that keep a variable's
// node in scope, each naming the ids of its label as a parameter. A read of the whole
// graph has no conditions, and its statements are those it would be without scopes.
type narrowing struct {
	scope  *cobuild.Scope
	params map[string]any
}

// whole is the narrowing of a read of the whole graph; it holds nothing and is never
// changed, so that such reads allocate none.
var whole = &narrowing{}

// narrowing returns the scope of a read of the store; whole when the store is not
// narrowed.
func (s *Store) narrowing(ctx context.Context) (*narrowing, error) {
	if s.scope == nil {
		return whole, nil
	}
	sc, err := s.scope(ctx)
	if err != nil {
		return nil, err
	}
	if sc == nil {
		return nil, errors.New("a store narrowed to a scope was given none")
	}
	return &narrowing{scope: sc, params: map[string]any{}}, nil
}

// in is "the node of v, of the label, is in scope"; "" for the whole graph, and for
// industries, which every scope holds.
func (n *narrowing) in(v string, l cobuild.NodeLabel) string {
	if n.scope == nil || l == cobuild.LabelIndustry {
		return ""
	}
	name := "scope" + string(l)
	n.params[name] = n.scope.IDs(l)
	return v + ".id IN $" + name
}

// and is in after AND, to add to a condition; "" when there is none.
func (n *narrowing) and(v string, l cobuild.NodeLabel) string {
	if c := n.in(v, l); c != "" {
		return " AND " + c
	}
	return ""
}

// where is in as a WHERE clause; "" when there is none.
func (n *narrowing) where(v string, l cobuild.NodeLabel) string {
	if c := n.in(v, l); c != "" {
		return " WHERE " + c
	}
	return ""
}

// anyIn is "the node of v, whatever its label, is in scope"; "" for the whole graph.
func (n *narrowing) anyIn(v string) string {
	if n.scope == nil {
		return ""
	}
	n.params["scopeAll"] = n.scope.All()
	return v + ".id IN $scopeAll"
}

// bind adds the parameters the conditions name to params (made when nil and there are
// some) and returns it.
func (n *narrowing) bind(params map[string]any) map[string]any {
	if params == nil && len(n.params) > 0 {
		params = map[string]any{}
	}
	for k, v := range n.params {
		params[k] = v
	}
	return params
}

// scopeSteps read a scope, each statement from the ids the ones before found (the
// parameters $own, $orgs and $ring), in one read transaction: the areas and those within
// them, the organisations placed in them, what involves those organisations, and what is
// one step further (cobuild.Scope says what and why).
var scopeSteps = []struct {
	into  string // the parameter the ids found go into
	query string
}{
	{"own", `MATCH (a:Area) WHERE a.id IN $areas OR EXISTS { MATCH (a)-[:LOCATED_IN]->(b:Area) WHERE b.id IN $areas }
		RETURN a.id AS id`},
	{"orgs", `MATCH (o:Organization)-[:LOCATED_IN|IN_PARK]->(a:Area) WHERE a.id IN $own RETURN DISTINCT o.id AS id`},
	{"ring", `MATCH (o:Organization)-[:LOCATED_IN|IN_PARK|HAS_PARTY_ORG|COVERED_BY|MEMBER_OF|HELD|ATTENDED|DESIGNATED|OWNS_BRAND]->(x)
		WHERE o.id IN $orgs RETURN DISTINCT x.id AS id
		UNION MATCH (o:Organization)<-[:ASSIGNED_TO|WORKS_AT|PLACED_AT|APPRENTICED_AT|TRAINED_AT|FORMED_IN]-(x)
		WHERE o.id IN $orgs RETURN DISTINCT x.id AS id`},
	{"further", `MATCH (p:PartyOrg)-[:EVALUATED]->(x) WHERE p.id IN $ring RETURN x.id AS id
		UNION MATCH (p:Person)-[:HOLDS|HELD|ATTENDED]->(x) WHERE p.id IN $ring RETURN DISTINCT x.id AS id
		UNION MATCH (s:DemoSite)-[:ON_BELT]->(x) WHERE s.id IN $ring RETURN DISTINCT x.id AS id
		UNION MATCH (a:Area)-[:PARTY_TO]->(x) WHERE a.id IN $own RETURN DISTINCT x.id AS id`},
	{"agreements", `MATCH (g:Agreement)-[:HELD]->(e:Event) WHERE e.id IN $ring OR e.id IN $further RETURN DISTINCT g.id AS id`},
}

// ReadScope implements snapshot.ScopeReader: the scope of an area officer's areas, read
// in one transaction. An area that does not exist adds nothing.
func (s *Store) ReadScope(ctx context.Context, areas []string) (*cobuild.Scope, error) {
	if areas == nil {
		areas = []string{}
	}
	sc, err := readTx(ctx, s, s.projectionTimeout, func(tx neo4j.ManagedTransaction) (*cobuild.Scope, error) {
		params := map[string]any{"areas": areas}
		var ids []string
		for _, step := range scopeSteps {
			found, err := collect(ctx, s, tx, step.query, params, func(r *neo4j.Record) (string, error) { return recordString(r, "id") })
			if err != nil {
				return nil, err
			}
			if found == nil {
				found = []string{}
			}
			params[step.into] = found
			if step.into != "own" {
				ids = append(ids, found...)
			}
		}
		return cobuild.NewScope(params["own"].([]string), ids), nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the scope of %v: %w", areas, err)
	}
	return sc, nil
}
