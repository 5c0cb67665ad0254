package cobuild

import (
	"context"
	"errors"
	"fmt"
)

// Error codes are stable: clients branch on them, so they never change meaning.
const (
	ENOTFOUND    = "NOT_FOUND"
	EINVALID     = "BAD_USER_INPUT"
	EUNAVAILABLE = "UNAVAILABLE"
	ETIMEOUT     = "TIMEOUT"
	EINTERNAL    = "INTERNAL"
	ECONFLICT    = "CONFLICT"
	// ELIMIT: the request is past one of the server's limits (body size, tokens, aliases,
	// depth, cost, list length); extensions name the limit, the request's value and the
	// maximum.
	ELIMIT = "LIMIT_EXCEEDED"
	// EUNAUTHENTICATED: no valid token came with the request.
	EUNAUTHENTICATED = "UNAUTHENTICATED"
	// EFORBIDDEN: the caller's role may not do this.
	EFORBIDDEN = "FORBIDDEN"
	// ERATELIMITED: the caller sent more requests than its rate allows; retry later.
	ERATELIMITED = "RATE_LIMITED"
	// ENOTALLOWED: the server runs registered operations only (its allow-list), and this
	// one is not registered; it was not run. Extensions name its sha256Hash.
	ENOTALLOWED = "OPERATION_NOT_ALLOWED"
)

// Error is the one error type whose message may be shown to a user; any other error is
// reported as an internal error and only logged.
//
// Messages that an officer may read are written in Chinese, then English.
type Error struct {
	Code    string
	Message string
	// Extensions are shown to the user beside the code, such as the limit that was
	// passed and by how much; nil for most errors.
	Extensions map[string]any
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// timedOut is how a request that ran out of time, or whose client went away, is reported.
var timedOut = &Error{Code: ETIMEOUT, Message: "the query took too long and was stopped"}

// asError returns the *Error of err's chain; a context deadline or cancellation is
// ETIMEOUT; nil for any other error.
func asError(err error) *Error {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return timedOut
	}
	return nil
}

// ErrorCode returns the code of the first *Error in err's chain (ETIMEOUT for a context
// deadline), EINTERNAL for any other error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	if e := asError(err); e != nil {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err: the message of its *Error, or a
// generic text that leaks nothing for any other error.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	if e := asError(err); e != nil {
		return e.Message
	}
	return "internal error"
}

// ErrorExtensions returns the extensions of the first *Error in err's chain, nil if none.
func ErrorExtensions(err error) map[string]any {
	if e := asError(err); e != nil {
		return e.Extensions
	}
	return nil
}
