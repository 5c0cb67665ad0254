// Package auth says who is asking and what they may see: the principal of a request (from
// a verified bearer token), its role and its areas.
package auth

import (
	"context"
	"slices"
	"time"
)

// Role is what a principal may do.
type Role string

// The roles.
const (
	// Admin may do everything, everywhere.
	Admin Role = "admin"
	// Analyst is a district analyst: every read over the whole district, without personal
	// data.
	Analyst Role = "analyst"
	// Officer is an area officer (a town, subdistrict or park): every read, computed over
	// their areas only, with personal data of those areas.
	Officer Role = "officer"
	// Viewer reads aggregates only.
	Viewer Role = "viewer"
)

// Roles lists the roles, most powerful first.
var Roles = []Role{Admin, Analyst, Officer, Viewer}

// Valid says whether r is one of the roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Principal is who is asking.
type Principal struct {
	// Subject names the caller (the token's sub), for logs, rate limits and audit.
	Subject string
	Role    Role
	// Areas are the ids (ar-…) of an officer's towns, subdistricts or parks.
	Areas []string
	// Expires is when the principal's token stops being valid; zero when not known.
	Expires time.Time
}

// PersonalData says whether the principal may see people's names, gender, birth year and
// party membership.
func (p *Principal) PersonalData() bool {
	return p == nil || p.Role == Admin || p.Role == Officer
}

// Scoped says whether the principal's answers are computed over their areas only.
func (p *Principal) Scoped() bool { return p != nil && p.Role == Officer }

type ctxKey struct{}

// NewContext returns ctx carrying p.
func NewContext(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the principal of ctx; nil when there is none, which only the
// server's own work (prebuilds, tests of the layers below HTTP) has: the HTTP handler
// gives every request a principal or refuses it.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(ctxKey{}).(*Principal)
	return p
}
