package resolvers

import "time"

// sameDay reports whether two optional days are the same (both unset counts as the same).
func sameDay(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}
