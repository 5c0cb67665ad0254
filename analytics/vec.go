package analytics

import (
	"slices"

	"cobuild"
)

// vec is a persistent vector: its items sit in chunks of chunkSize, and a copy with a few
// items changed or added (with) shares every other chunk with the original. A patched
// snapshot of 750,000 organisations then copies a few kilobytes, not the whole list
// (measured: BenchmarkPatchCensus50x, 378 ms for the flat slices before).
type vec[T any] struct {
	chunks [][]T
	n      int
}

const (
	chunkBits = 10
	chunkSize = 1 << chunkBits
	chunkMask = chunkSize - 1
)

func vecOf[T any](xs []T) vec[T] {
	var v vec[T]
	for i := 0; i < len(xs); i += chunkSize {
		end := min(i+chunkSize, len(xs))
		v.chunks = append(v.chunks, slices.Clip(slices.Clone(xs[i:end])))
	}
	v.n = len(xs)
	return v
}

func (v vec[T]) at(i int) T { return v.chunks[i>>chunkBits][i&chunkMask] }

// with returns a copy of v with the items of set changed and add appended.
func (v vec[T]) with(set map[int]T, add []T) vec[T] {
	if len(set) == 0 && len(add) == 0 {
		return v
	}
	out := vec[T]{chunks: slices.Clone(v.chunks), n: v.n}
	copied := map[int]bool{}
	own := func(c int) {
		if !copied[c] {
			out.chunks[c] = slices.Clip(slices.Clone(out.chunks[c]))
			copied[c] = true
		}
	}
	for i, x := range set {
		own(i >> chunkBits)
		out.chunks[i>>chunkBits][i&chunkMask] = x
	}
	for _, x := range add {
		if out.n&chunkMask == 0 {
			out.chunks = append(out.chunks, make([]T, 0, chunkSize))
			copied[len(out.chunks)-1] = true
		} else {
			own(len(out.chunks) - 1)
		}
		c := len(out.chunks) - 1
		out.chunks[c] = append(out.chunks[c], x)
		out.n++
	}
	return out
}

// Coverages are the coverage of each row of a census, by row number.
type Coverages struct{ v vec[cobuild.Coverage] }

// CoveragesOf holds a list of coverages.
func CoveragesOf(xs []cobuild.Coverage) Coverages { return Coverages{vecOf(xs)} }

// At returns the coverage of row i.
func (c Coverages) At(i int) cobuild.Coverage { return c.v.at(i) }

// Len returns the number of rows.
func (c Coverages) Len() int { return c.v.n }

// set changes item i in place: only for the one building the vector, before anyone else
// reads it.
func (v *vec[T]) set(i int, x T) { v.chunks[i>>chunkBits][i&chunkMask] = x }

// push appends x in place: only for the one building the vector.
func (v *vec[T]) push(x T) {
	if v.n&chunkMask == 0 {
		v.chunks = append(v.chunks, make([]T, 0, chunkSize))
	}
	c := len(v.chunks) - 1
	v.chunks[c] = append(v.chunks[c], x)
	v.n++
}
