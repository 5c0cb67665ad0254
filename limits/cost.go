package limits

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Price is what a field costs beyond the generic rules of Cost.
type Price struct {
	// Work is added at each call of the field: what the server computes for it whatever
	// is selected below (a pass over the day's network, a search for candidates), in the
	// unit of Cost, one resolved field.
	Work int64
	// Size names the argument that bounds the items the field returns, when that is not
	// first; Default is the items when the argument is not given and the schema gives it
	// no default.
	Size    string
	Default int64
}

// DefaultPrices are the fields whose cost the shape of the operation does not show: the
// analyses of the network, which run in Go over a projection of the day (a pass over its
// nodes and ties is priced as 500 fields: the district's projection has about 30,000
// nodes, and a field takes about a microsecond), and the lists whose size an argument
// named otherwise than first bounds, or the server caps (resolvers.DefaultNetworkLimits).
var DefaultPrices = map[string]Price{
	"Query.network":              {Work: 100},
	"Network.islands":            {Work: 200},
	"Network.brokers":            {Work: 500},
	"Network.bridges":            {Work: 500},
	"Network.degreeRanking":      {Work: 200},
	"Network.betweennessRanking": {Work: 2000},
	"Network.farFromCoverage":    {Work: 500},
	// Chains: up to limit of them (default 3, at most 20), each of at most 12 hops.
	"Query.path":        {Work: 500, Size: "limit", Default: 3},
	"NetworkPath.nodes": {Default: 13},
	"NetworkPath.steps": {Default: 12},
	// An ego network: up to maxNodes nodes (default 500, at most 5,000), and its ties.
	"Query.egoNetwork": {Work: 100, Size: "maxNodes", Default: 500},
	"Query.whatIf":     {Work: 1000},
	// Candidates are searched among the 20,000 nodes nearest the organisation.
	"Query.coverageCandidates":        {Work: 500},
	"Organization.coverageCandidates": {Work: 20, Default: 3},
	// Aggregates read the census of the day or the evaluations of a round, kept in memory.
	"Query.coverageStats":  {Work: 100},
	"Query.grading":        {Work: 100},
	"Query.gradeMovement":  {Work: 100},
	"Query.programs":       {Work: 100},
	"Query.demonstration":  {Work: 100},
	"Query.organizations":  {Work: 10},
	"Query.evaluations":    {Work: 10},
	"Query.people":         {Work: 10},
	"Query.certifications": {Work: 10},
	// The lists of a hub run to dozens (the district's alliances have up to 37 members, an
	// event up to 83 parties), where an organisation's own lists hold one or two.
	"Alliance.memberships":   {Default: 100},
	"RedZone.memberships":    {Default: 100},
	"Event.attendedBy":       {Default: 100},
	"Event.heldBy":           {Default: 100},
	"DemoBelt.organizations": {Default: 100},
	"GradeMovement.fell":     {Default: 100},
	"GradeMovement.rose":     {Default: 100},
	"CoverageStats.groups":   {Default: 200},
	// An evaluation has its seven dimensions.
	"Evaluation.dimensions": {Default: 7},
}

// Cost estimates what an operation, validated against the schema, may cost with its
// variables, before anything of it runs, in resolved fields:
//
//   - every field costs 1, plus its price's Work;
//   - a list field costs its items times the cost of its selections; its items are given
//     by its argument first (or the one its price names), else by the size its parent
//     hands down, else by its price's Default, else ListSize;
//   - a field with a size that returns an object (a connection, an ego network, the
//     chains of a path) hands the size down to the lists of that object: a connection's
//     nodes and edges cost first (default PageSize) times their selections;
//   - fragments and inline fragments are counted where they are spread, every one of
//     them (a selection on an interface costs as much as all its type conditions
//     together), and @skip or @include are not looked at;
//   - introspection (__schema, __type) costs its fields, one each: it reads the schema
//     in memory.
//
// So a connection inside a connection multiplies, and the cost is what the caller could
// make the server fetch, not what it will find. The sum saturates rather than overflows.
func (c Config) Cost(op *ast.OperationDefinition, vars map[string]any) int64 {
	if op == nil {
		return 0
	}
	w := &coster{c: c.WithDefaults(), vars: vars, memo: map[memoKey]int64{}}
	return w.set(op.SelectionSet, none)
}

// none is the size handed down by a field that hands none.
const none = -1

type memoKey struct {
	fragment string
	handed   int64
}

type coster struct {
	c    Config
	vars map[string]any
	memo map[memoKey]int64
}

func mul(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a > saturated/b {
		return saturated
	}
	return min(a*b, saturated)
}

// set returns the cost of a selection set; handed is the size its field hands down to
// its lists (none for none).
func (w *coster) set(set ast.SelectionSet, handed int64) int64 {
	var total int64
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			total = add(total, w.field(sel, handed))
		case *ast.InlineFragment:
			total = add(total, w.set(sel.SelectionSet, handed))
		case *ast.FragmentSpread:
			if sel.Definition == nil {
				continue
			}
			key := memoKey{sel.Name, handed}
			v, ok := w.memo[key]
			if !ok {
				w.memo[key] = 0 // validation refuses cycles; this guards anyway
				v = w.set(sel.Definition.SelectionSet, handed)
				w.memo[key] = v
			}
			total = add(total, v)
		}
	}
	return total
}

func (w *coster) field(f *ast.Field, handed int64) int64 {
	if f.Name == "__schema" || f.Name == "__type" {
		return add(1, introspection(f.SelectionSet))
	}
	if f.Definition == nil {
		return 1 // __typename
	}
	price := w.price(f)
	size, sized := w.size(f, price)
	items, hand := int64(1), int64(none)
	if f.Definition.Type.Elem != nil {
		switch {
		case sized:
			items = size
		case handed >= 0:
			items = handed
		case price.Default > 0:
			items = price.Default
		default:
			items = int64(w.c.ListSize)
		}
	} else if sized {
		hand = size
	}
	return add(1+price.Work, mul(items, w.set(f.SelectionSet, hand)))
}

// introspection counts the fields of a selection set, fragments included.
func introspection(set ast.SelectionSet) int64 {
	var n int64
	for _, sel := range set {
		switch sel := sel.(type) {
		case *ast.Field:
			n = add(n, add(1, introspection(sel.SelectionSet)))
		case *ast.InlineFragment:
			n = add(n, introspection(sel.SelectionSet))
		case *ast.FragmentSpread:
			if sel.Definition != nil {
				n = add(n, introspection(sel.Definition.SelectionSet))
			}
		}
	}
	return n
}

// price returns the price of a field, looked up by its type and then by the interfaces
// that type implements.
func (w *coster) price(f *ast.Field) Price {
	if f.ObjectDefinition == nil {
		return Price{}
	}
	if p, ok := w.c.Prices[f.ObjectDefinition.Name+"."+f.Name]; ok {
		return p
	}
	for _, iface := range f.ObjectDefinition.Interfaces {
		if p, ok := w.c.Prices[iface+"."+f.Name]; ok {
			return p
		}
	}
	return Price{}
}

// size returns the items a field is asked for: its size argument as given (through a
// variable or not), else the schema's default for it, else the price's Default, else the
// page size for a connection; false when nothing sizes it.
func (w *coster) size(f *ast.Field, price Price) (int64, bool) {
	name := price.Size
	if name == "" {
		name = "first"
	}
	def := f.Definition.Arguments.ForName(name)
	if def == nil {
		return 0, false
	}
	if v, ok := w.argument(f, def); ok {
		return v, true
	}
	if price.Default > 0 {
		return price.Default, true
	}
	if strings.HasSuffix(f.Definition.Type.Name(), "Connection") {
		return int64(w.c.PageSize), true
	}
	return 0, false
}

// argument returns the integer value of an argument: given, from a variable, or the
// schema's default; false when it has none (or is not an integer).
func (w *coster) argument(f *ast.Field, def *ast.ArgumentDefinition) (int64, bool) {
	if arg := f.Arguments.ForName(def.Name); arg != nil && arg.Value != nil {
		v, err := arg.Value.Value(w.vars)
		if err == nil && v != nil {
			return integer(v)
		}
		if arg.Value.Kind != ast.Variable {
			return 0, false
		}
	}
	if def.DefaultValue != nil {
		if v, err := def.DefaultValue.Value(nil); err == nil && v != nil {
			return integer(v)
		}
	}
	return 0, false
}

// integer reads an Int as the parser or the transport gives it; a negative count is 0.
func integer(v any) (int64, bool) {
	var n int64
	switch v := v.(type) {
	case int:
		n = int64(v)
	case int32:
		n = int64(v)
	case int64:
		n = v
	case float64:
		if math.IsNaN(v) {
			return 0, false
		}
		n = int64(math.Min(v, float64(saturated)))
	case json.Number:
		i, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil {
			f, ferr := v.Float64()
			if ferr != nil {
				return 0, false
			}
			return integer(f)
		}
		n = i
	default:
		return 0, false
	}
	return min(max(n, 0), saturated), true
}
