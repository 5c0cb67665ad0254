package cobuild

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
)

// Cursor names the last row of a page by its sort key and id. It is opaque to clients
// (base64url JSON) but not an offset: the next page starts strictly after this row, so
// rows inserted before it never shift what comes next.
type Cursor struct {
	Field string `json:"f"`
	Desc  bool   `json:"d,omitempty"`
	Value any    `json:"v"`
	ID    string `json:"id"`
}

// SortKind is the type of a sort key, so that a cursor's value can be read back with its
// type.
type SortKind int

// The types of sort keys.
const (
	SortString SortKind = iota
	SortInt
	SortFloat
	SortDate
)

// Encode returns the cursor as clients see it.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func badCursor(why string) error {
	return Errorf(EINVALID, "invalid cursor: %s; pass the endCursor of a page of the same list and sort", why)
}

// DecodeCursor checks that a cursor belongs to a list's sort (field and direction) and
// returns it with its value of the sort's kind: a string, an int64, a float64 or, for
// dates, a time.Time. Anything else is BAD_USER_INPUT.
func DecodeCursor(s string, field string, desc bool, kind SortKind) (Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) == 0 {
		return Cursor{}, badCursor("not a cursor")
	}
	var c Cursor
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(&c); err != nil || c.ID == "" {
		return Cursor{}, badCursor("not a cursor")
	}
	if c.Field != field || c.Desc != desc {
		return Cursor{}, badCursor("it was made for another sort order")
	}
	wrong := badCursor("wrong value type")
	switch kind {
	case SortString:
		v, ok := c.Value.(string)
		if !ok {
			return Cursor{}, wrong
		}
		c.Value = v
	case SortInt:
		n, ok := c.Value.(json.Number)
		if !ok {
			return Cursor{}, wrong
		}
		v, err := n.Int64()
		if err != nil {
			return Cursor{}, wrong
		}
		c.Value = v
	case SortFloat:
		n, ok := c.Value.(json.Number)
		if !ok {
			return Cursor{}, wrong
		}
		v, err := n.Float64()
		if err != nil {
			return Cursor{}, wrong
		}
		c.Value = v
	case SortDate:
		v, ok := c.Value.(string)
		if !ok {
			return Cursor{}, wrong
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return Cursor{}, wrong
		}
		c.Value = t
	default:
		return Cursor{}, badCursor("unknown sort")
	}
	return c, nil
}
