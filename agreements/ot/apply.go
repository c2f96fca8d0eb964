package ot

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Apply returns doc with op applied. It validates as Validate does, in the
// same single pass over doc that builds the result.
func Apply(doc string, op Op) (string, error) {
	if err := op.CheckComponents(); err != nil {
		return "", err
	}
	var b strings.Builder
	// The result is at most doc plus every insert, in bytes, so one
	// allocation suffices.
	grow := len(doc)
	for _, c := range op {
		grow += len(c.S)
	}
	b.Grow(grow)
	if err := walk(doc, op, &b); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Validate reports whether op can be applied to doc: its components are well
// formed (see CheckComponents), its base length is the UTF-16 length of doc,
// no retain or delete boundary falls inside a surrogate pair, and the walked
// text is valid UTF-8.
func Validate(doc string, op Op) error {
	if err := op.CheckComponents(); err != nil {
		return err
	}
	return walk(doc, op, nil)
}

// Check is Validate plus a length guard: it also returns ErrTooLong when the
// result would be longer than maxLen UTF-16 code units. The guard runs before
// the walk over doc so oversized ops are turned away cheaply.
func (op Op) Check(doc string, maxLen int) error {
	if err := op.CheckComponents(); err != nil {
		return err
	}
	if n := op.TargetLen(); n > maxLen {
		return fmt.Errorf("%w: %d code units, limit %d", ErrTooLong, n, maxLen)
	}
	return walk(doc, op, nil)
}

// walk moves through doc along op, whose components are already checked,
// writing the result to out unless out is nil.
func walk(doc string, op Op, out *strings.Builder) error {
	i := 0 // byte offset into doc
	for k, c := range op {
		if c.N == 0 {
			if out != nil {
				out.WriteString(c.S)
			}
			continue
		}
		n := c.N
		if n < 0 {
			n = -n
		}
		j, err := advance(doc, i, n)
		if err != nil {
			return errAt(err, k)
		}
		if c.N > 0 && out != nil {
			out.WriteString(doc[i:j])
		}
		i = j
	}
	if i != len(doc) {
		return fmt.Errorf("%w: operation ends before the document", ErrBaseLength)
	}
	return nil
}

// advance returns the byte offset that lies n UTF-16 code units after byte
// offset i in doc.
func advance(doc string, i, n int) (int, error) {
	for n > 0 {
		if i >= len(doc) {
			return i, ErrBaseLength
		}
		if doc[i] < utf8.RuneSelf { // ASCII fast path
			i++
			n--
			continue
		}
		r, size := utf8.DecodeRuneInString(doc[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return i, ErrInvalidUTF8
		case size == 4:
			if n == 1 {
				return i, ErrSplitSurrogate
			}
			n -= 2
		default:
			n--
		}
		i += size
	}
	return i, nil
}

// errAt wraps err with the index of the offending component.
func errAt(err error, k int) error {
	return fmt.Errorf("%w (component %d)", err, k)
}
