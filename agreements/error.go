package agreements

import (
	"errors"
	"fmt"
)

// Kind says what sort of failure an Error is, so the delivery layer can pick a status code
// without knowing every code.
type Kind string

// The kinds of Error. Each maps to one HTTP status in the server.
const (
	KindInvalid      Kind = "invalid"      // the input is malformed or breaks a rule (400/422)
	KindUnauthorized Kind = "unauthorized" // no valid token (401)
	KindForbidden    Kind = "forbidden"    // a valid actor without the right (403)
	KindNotFound     Kind = "not_found"    // unknown ID, code or slug (404)
	KindConflict     Kind = "conflict"     // stale revision or wrong state (409)
	KindTooMany      Kind = "too_many"     // rate limited (429)
	KindTooLarge     Kind = "too_large"    // body or text too large (413)
	KindUnavailable  Kind = "unavailable"  // the server is at capacity; try again later (503)
)

// Error is a failure a person can act on. Code is the message ID in locales/, Data fills the
// message's placeholders, Detail carries a value the client needs (such as the current clause
// after a stale edit).
type Error struct {
	Kind   Kind
	Code   string
	Data   map[string]any
	Detail any
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Kind, e.Code) }

// Is reports whether target is an Error with the same code, so errors.Is(err, ErrNotFound)
// holds for ErrNotFound itself, for a copy made by With, and for either wrapped in another error.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && e != nil && t.Code == e.Code
}

// Errorf builds an Error of the given kind and code.
func Errorf(kind Kind, code string) *Error { return &Error{Kind: kind, Code: code} }

// With returns a copy of e with a placeholder value set.
func (e *Error) With(key string, value any) *Error {
	c := *e
	c.Data = make(map[string]any, len(e.Data)+1)
	for k, v := range e.Data {
		c.Data[k] = v
	}
	c.Data[key] = value
	return &c
}

// AsError returns the *Error inside err, if there is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// ErrorCode returns the code of err when it is an *Error, and "" otherwise.
func ErrorCode(err error) string {
	if e, ok := AsError(err); ok {
		return e.Code
	}
	return ""
}
