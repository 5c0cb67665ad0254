package gqlmodel

import (
	"time"

	"cobuild"
	"cobuild/analytics"
	"cobuild/snapshot"
)

// Provenance says when and on what a computed answer was computed.
type Provenance struct {
	ComputedAt   string
	GraphVersion string
	AsOf         time.Time
	Parameters   string
	Nodes, Ties  int
	BuildMs      int
}

// ProvenanceOf describes a snapshot with its size.
func ProvenanceOf(m snapshot.Meta, nodes, ties int) *Provenance {
	return &Provenance{ComputedAt: m.BuiltAt.Format(time.RFC3339), GraphVersion: m.Version, AsOf: m.Key.Day,
		Parameters: m.Parameters(), Nodes: nodes, Ties: ties, BuildMs: int(m.BuildTime.Milliseconds())}
}

// NetworkNode is a node of the projection.
type NetworkNode struct {
	ID    string
	Label string
	Kind  *string
	Name  string
}

// NewNetworkNode describes node i of a projection.
func NewNetworkNode(p *analytics.Projection, i int) *NetworkNode {
	info := p.Nodes[i]
	n := &NetworkNode{ID: info.ID, Label: string(info.Label), Name: info.Name, Kind: Optional(info.Kind)}
	if n.Name == "" {
		n.Name = info.ID
	}
	return n
}

// NetworkTie is a tie of the projection.
type NetworkTie struct {
	Type         cobuild.TieType
	TypeLabel    string
	From, To     string
	Role, Mode   *string
	Since, Until *time.Time
}

// NewNetworkTie describes tie t of a projection.
func NewNetworkTie(p *analytics.Projection, t int) *NetworkTie {
	info := p.Ties[t]
	return &NetworkTie{Type: info.Type, TypeLabel: cobuild.Label("NetworkTieType", string(info.Type)), From: info.From, To: info.To,
		Role: Optional(info.Role), Mode: Optional(info.Mode), Since: info.Since, Until: info.Until}
}

// Optional is nil for an empty string.
func Optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Network is the projection of a day; its fields are computed once per projection and
// shared by every request that asks.
type Network struct {
	P *snapshot.Projection
}

// Island is one connected part of the network.
type Island struct {
	Rank, Size, Organizations int
	// MemberNodes are its nodes in the projection P, by id.
	MemberNodes []int
	P           *snapshot.Projection
}

// Broker is a node whose removal splits its island.
type Broker struct {
	Node       *NetworkNode
	Degree     int
	SplitsInto int
}

// Bridge is a tie whose removal splits its island.
type Bridge struct {
	Tie      *NetworkTie
	From, To *NetworkNode
	Sides    []int
}

// RankedNode is a node with its score in a ranking.
type RankedNode struct {
	Rank  int
	Node  *NetworkNode
	Score float64
}

// BetweennessRanking is a ranking by betweenness with how it was computed.
type BetweennessRanking struct {
	Nodes      []*RankedNode
	Exact      bool
	Sources    int
	ComputedMs int
}

// FarFromCoverage lists organisations no covered organisation reaches within some hops.
type FarFromCoverage struct {
	Hops          int
	TotalCount    int
	Organizations []*NetworkNode
}

// PathResult answers a shortest-path question.
type PathResult struct {
	Found       bool
	Hops        *int
	Count       float64
	Paths       []*NetworkPath
	Explanation string
	Provenance  *Provenance
}

// NetworkPath is one chain.
type NetworkPath struct {
	Nodes    []*NetworkNode
	Steps    []*PathStep
	Sentence string
}

// PathStep is one tie of a chain.
type PathStep struct {
	From, To *NetworkNode
	Tie      *NetworkTie
	Sentence string
}

// EgoNetwork is a neighbourhood for a graph view.
type EgoNetwork struct {
	Centre     *NetworkNode
	Nodes      []*EgoNode
	Ties       []*NetworkTie
	Truncated  bool
	Provenance *Provenance
}

// EgoNode is a node of a neighbourhood with its distance from the centre.
type EgoNode struct {
	Node     *NetworkNode
	Distance int
}

// WhatIf is the answer to "what if this node went away".
type WhatIf struct {
	Removed                     string
	Name                        *string
	IslandsBefore, IslandsAfter int
	Split                       []int
	NewlyIsolated               []*NetworkNode
	LostCoverage                []*analytics.CoverageChange
	Provenance                  *Provenance
}

// CoverageCandidates are the ranked candidate coverers of an organisation.
type CoverageCandidates struct {
	Organization Organization
	Coverage     *Coverage
	Candidates   []*CoverageCandidate
	Provenance   *Provenance
}

// CoverageCandidate is one candidate with its score and the reasons for it.
type CoverageCandidate struct {
	Rank                                        int
	Node                                        *NetworkNode
	Score                                       float64
	Load                                        int
	SharedCommunity, SharedPark, SharedIndustry int
	Hops                                        *int
	Reasons, ReasonLabels                       []string
}
