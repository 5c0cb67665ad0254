package auth

import (
	"slices"

	"github.com/vektah/gqlparser/v2/ast"
)

// Access says which roles may read a root field.
type Access int

// The levels of access to a root field.
const (
	// Everyone: every role, the viewer included. Aggregates and reference data; a viewer
	// still reaches no record through them (see MayReach).
	Everyone Access = iota + 1
	// Readers: admin, analyst and officer. The records (organisations, party
	// organisations, evaluations, people, hubs, events) and the analyses that name them.
	Readers
)

// RootFields is the policy: who may read each root field of the Query type. A root field
// missing here is refused to every role, and the server's test matrix fails until it is
// given a line. Introspection (__schema, __type, __typename) is open to every role.
var RootFields = map[string]Access{
	// Reference data.
	"enumLabels": Everyone,
	"rules":      Everyone,
	"limits":     Everyone,
	"areas":      Everyone,
	"area":       Everyone,
	"industries": Everyone,
	"industry":   Everyone,
	"rounds":     Everyone,
	// The kinds of file an import reads (importing is for admins: resolvers check it).
	"importKinds": Everyone,
	// Evaluation rounds: their status and counts; who is missing names records.
	"evaluationRounds": Everyone,
	"evaluationRound":  Everyone,
	// Who is asking: the caller's own token.
	"viewer": Everyone,
	// Aggregates: counts, rates and distributions.
	"coverageStats": Everyone,
	"grading":       Everyone,
	"gradeMovement": Everyone,
	"programs":      Everyone,
	"demonstration": Everyone,
	// The network's figures (island count, isolated organisations); its nodes are records.
	"network": Everyone,

	// Records and the analyses that start from one.
	"node":               Readers,
	"organization":       Readers,
	"organizations":      Readers,
	"partyOrganization":  Readers,
	"partyOrganizations": Readers,
	"evaluations":        Readers,
	"person":             Readers,
	"people":             Readers,
	"certifications":     Readers,
	"massBranches":       Readers,
	"alliances":          Readers,
	"alliance":           Readers,
	"agreements":         Readers,
	"redZones":           Readers,
	"demoBelts":          Readers,
	"demoSites":          Readers,
	"brands":             Readers,
	"events":             Readers,
	"path":               Readers,
	"egoNetwork":         Readers,
	"whatIf":             Readers,
	"coverageCandidates": Readers,
	"changes":            Readers,
	"history":            Readers,
	"weakList":           Readers,
	"promotionPlans":     Readers,
}

// Writers: admin and officer, who record the network's changes (an officer about the
// organisations of their areas, which the writer checks).
const Writers Access = Readers + 1

// Subscriptions are the feeds of the Subscription type and who may follow them.
var Subscriptions = map[string]Access{
	"changes":        Readers,
	"coverageEvents": Readers,
}

// MayDo says whether the principal may run a root field of an operation of a type:
// Query by RootFields, Subscription by Subscriptions, and every field of Mutation is for
// Writers.
func (p *Principal) MayDo(op ast.Operation, rootField string) bool {
	if p == nil {
		return true
	}
	switch op {
	case ast.Mutation:
		return p.Role == Admin || p.Role == Officer
	case ast.Subscription:
		if Subscriptions[rootField] == Readers {
			return p.Role == Admin || p.Role == Analyst || p.Role == Officer
		}
		return false
	}
	return p.MayRead(rootField)
}

// ReferenceTypes implement Node but are reference data, which every role may read: the
// places and the industries. Every other type implementing Node is a record, and so is
// an interface or union that may be one, and the types of RecordTypes.
var ReferenceTypes = []string{"Area", "Industry"}

// RecordTypes name records without implementing Node: a node of the network view names
// an organisation, a hub or a person.
var RecordTypes = []string{"NetworkNode"}

// MayRead says whether the principal may read a root field of Query. A nil principal
// (the server's own work, below HTTP) may read everything.
func (p *Principal) MayRead(rootField string) bool {
	if p == nil {
		return true
	}
	switch RootFields[rootField] {
	case Everyone:
		return p.Role.Valid()
	case Readers:
		return p.Role == Admin || p.Role == Analyst || p.Role == Officer
	}
	return false
}

// MayReach says whether the principal may select fields whose values are records,
// anywhere in an operation: every role but the viewer.
func (p *Principal) MayReach() bool { return p == nil || p.Role != Viewer }

// Records returns the types of schema that hold records: RecordTypes, every type that
// implements Node but those of ReferenceTypes, and every interface or union one of whose
// possible types is a record.
func Records(schema *ast.Schema) map[string]bool {
	out := map[string]bool{}
	for name, def := range schema.Types {
		if slices.Contains(RecordTypes, name) || (def.Kind == ast.Object && slices.Contains(def.Interfaces, "Node") && !slices.Contains(ReferenceTypes, name)) {
			out[name] = true
		}
	}
	for name, def := range schema.Types {
		if def.Kind != ast.Interface && def.Kind != ast.Union {
			continue
		}
		for _, t := range schema.GetPossibleTypes(def) {
			if out[t.Name] {
				out[name] = true
			}
		}
	}
	return out
}
