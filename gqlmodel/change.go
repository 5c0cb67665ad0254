package gqlmodel

import "cobuild"

// ChangeResult is what a mutation did: the change it recorded; the node and organisation
// it concerns are read when asked, after the change.
type ChangeResult struct {
	Change   *cobuild.Change
	Replayed bool
}
