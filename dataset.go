package cobuild

// Dataset is a graph to load into the store, as plain Go values: what the demo generator
// builds (and what an importer will), and what the store writes in batches.
type Dataset struct {
	Nodes []DataNode
	Rels  []DataRel
}

// DataNode is a node to load: its labels, as written in docs/graph-model.md, and its
// properties, which always hold "id". Property values are strings, bools, int64, float64,
// []float64, or time.Time for a calendar day (midnight UTC), which the store writes as a
// date. Label slices may be shared between nodes; do not modify them.
type DataNode struct {
	Labels []string
	Props  map[string]any
}

// DataRel is a tie to load between two node ids; Props may be nil and take the same
// values as a node's.
type DataRel struct {
	Type     TieType
	From, To string
	Props    map[string]any
}
