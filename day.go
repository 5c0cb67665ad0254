package cobuild

import "time"

// Day returns the calendar day of a time, as midnight UTC: the form every day of the
// product takes (asOf arguments, tie dates, the days of snapshots).
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Today is the day of the local clock, the day a query answers for when it gives no asOf.
func Today() time.Time { return Day(time.Now()) }
