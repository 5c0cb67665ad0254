package imports

import (
	"context"
	"time"

	"cobuild"
)

// Entry is a node of the graph as an import matches rows to it: its id and the keys rows
// name it by.
type Entry struct {
	Label cobuild.NodeLabel
	ID    string
	Name  string
	Code  string // an organisation's credit code, an industry's code
	Kind  string
	Date  string // an event's day, 2023-05-31
	Year  int64  // a person's birth year
	Owner string // the party organisation of an evaluation, the holder of a certification
	Area  string // the area an organisation lies in
	Round string // an evaluation's round
}

// Node is a node of the graph as read in an import's transaction.
type Node struct {
	Labels []string
	Props  map[string]any // days are time.Time, whole numbers int64, score lists []float64
}

// Tie is a tie of the graph as read in an import's transaction, seen from one of its ends.
type Tie struct {
	At, Other string // the ids of the end asked about and of the other end
	Props     map[string]any
	Element   string // the tie's element id, valid within the transaction
}

// NodeWrite creates a node, or sets the properties of one (a nil value removes the
// property) and changes its kind label.
type NodeWrite struct {
	Label  cobuild.NodeLabel
	ID     string
	Labels []string // all its labels
	Props  map[string]any
	// Drop lists labels to remove (an organisation whose kind changed).
	Drop []string
}

// TieWrite creates, updates (Element set, Props merged) or deletes (Delete) a tie.
type TieWrite struct {
	Type     cobuild.TieType
	From, To string
	Props    map[string]any
	Element  string
	Delete   bool
}

// Store is what an import needs of the graph: the keys of its nodes, and write
// transactions that hold the change log's lock.
type Store interface {
	// Directory returns every node of the labels with its keys.
	Directory(ctx context.Context, labels []cobuild.NodeLabel) ([]Entry, error)
	// LastSeq is the sequence number of the newest change of the log.
	LastSeq(ctx context.Context) (int64, error)
	// ImportTx runs fn in one write transaction holding the change log's lock: nothing
	// fn writes is seen by others before it returns nil, and nothing at all when it fails
	// (a large import is several of them: see Options).
	ImportTx(ctx context.Context, timeout time.Duration, fn func(Tx) error) error
	// EvaluationRound says whether a round is held in cobuild and where it stands (nil
	// when it is not: a past round imported whole).
	EvaluationRound(ctx context.Context, round string) (*cobuild.EvaluationRound, error)
	// The scores of a round held open in cobuild are entered as its drafts, not written
	// as evaluations.
	cobuild.RoundWriter
}

// Tx is one transaction of an import.
type Tx interface {
	// Seq is the sequence number of the newest change of the log, read under its lock.
	Seq() int64
	// Nodes returns the nodes of a label among ids, by id.
	Nodes(label cobuild.NodeLabel, ids []string) (map[string]Node, error)
	// Ties returns the ties of a type at the nodes ids (of label at), leaving them (out) or
	// reaching them, whose other end has one of the labels others.
	Ties(typ cobuild.TieType, at cobuild.NodeLabel, ids []string, out bool, others []cobuild.NodeLabel) ([]Tie, error)
	CreateNodes(nodes []NodeWrite) error
	UpdateNodes(nodes []NodeWrite) error
	WriteTies(ties []TieWrite) error
	// Begin finds the mark of an import of this content left by an interrupted run, or
	// makes one that reserves counts[prefix] new ids of each prefix; it returns the first
	// number of each reserved block, and whether a mark was found.
	Begin(hash string, counts map[string]int64) (bases map[string]int64, resumed bool, err error)
	// Finish records the import in the change log as one batch change (args is its JSON),
	// marks the organisations changed (that were there before) with its sequence number, raises the id counters above every
	// id of the prefixes written, and removes the mark. It returns the change's seq.
	Finish(hash string, actor cobuild.Actor, args string, changed []string, prefixes []string) (int64, error)
	// Abandon removes the mark of an import that found nothing to change.
	Abandon(hash string) error
}
