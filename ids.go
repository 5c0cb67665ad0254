package cobuild

import "regexp"

// labelOfPrefix maps the prefix of an id to the label of its node (docs/graph-model.md).
var labelOfPrefix = func() map[string]NodeLabel {
	m := map[string]NodeLabel{}
	for _, l := range Labels {
		m[l.Prefix] = l.Label
	}
	return m
}()

var idPattern = regexp.MustCompile(`^([a-z]{2})-[0-9]{1,12}$`)

// LabelOf returns the label of the node an id names, or an EINVALID error for an id that
// no node could have.
func LabelOf(id string) (NodeLabel, error) {
	m := idPattern.FindStringSubmatch(id)
	if m == nil {
		return "", Errorf(EINVALID, "malformed id %q: ids look like og-000123", id)
	}
	label, ok := labelOfPrefix[m[1]]
	if !ok {
		return "", Errorf(EINVALID, "malformed id %q: unknown prefix %q", id, m[1])
	}
	return label, nil
}

// CheckID returns an EINVALID error unless id is well formed and names a node of the
// given label.
func CheckID(id string, label NodeLabel) error {
	l, err := LabelOf(id)
	if err != nil {
		return err
	}
	if l != label {
		return Errorf(EINVALID, "id %q names a %s, not a %s", id, l, label)
	}
	return nil
}
