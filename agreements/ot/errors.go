package ot

import "errors"

// Sentinel errors returned (possibly wrapped) by this package. Callers map
// them to protocol error codes with errors.Is.
var (
	// ErrMalformed reports a component that is neither a positive retain, a
	// positive delete nor a non-empty insert, or JSON that is not an array of
	// integers and strings.
	ErrMalformed = errors.New("ot: malformed operation")
	// ErrBaseLength reports an operation whose base length does not match the
	// document (or the other operation) it is used with.
	ErrBaseLength = errors.New("ot: base length mismatch")
	// ErrSplitSurrogate reports a retain or delete boundary that falls between
	// the two UTF-16 halves of a code point above U+FFFF.
	ErrSplitSurrogate = errors.New("ot: boundary splits a surrogate pair")
	// ErrLoneSurrogate reports a JSON string escape with an unpaired
	// surrogate, which encoding/json would silently turn into U+FFFD.
	ErrLoneSurrogate = errors.New("ot: lone surrogate in insert")
	// ErrInvalidUTF8 reports an insert, document or JSON text that is not
	// valid UTF-8.
	ErrInvalidUTF8 = errors.New("ot: invalid UTF-8")
	// ErrTooLong reports an operation whose result would exceed the caller's
	// length limit.
	ErrTooLong = errors.New("ot: document too long")
)
