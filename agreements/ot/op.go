// Package ot implements operational transformation of plain text in the form
// used by ot.js.
//
// An operation walks the whole document from start to end as a sequence of
// components: retain n code units, delete n code units, or insert a string.
// All lengths and positions count UTF-16 code units, as JavaScript strings do,
// so that the browser and the server agree on every number; a code point
// above U+FFFF counts 2. Strings are held as UTF-8 on the Go side.
//
// The JSON form matches ot.js: an array whose items are positive integers
// (retain), negative integers (delete) or strings (insert).
package ot

import (
	"math/bits"
	"unicode/utf8"
)

// Component is one step of an operation: N > 0 retains N code units, N < 0
// deletes -N code units, S != "" inserts S. Exactly one of N and S is set.
type Component struct {
	N int
	S string
}

// Op is an operation: the components applied in order from the start of the
// document. The empty Op is the operation on an empty document.
type Op []Component

// isRetain reports whether c retains text.
func (c Component) isRetain() bool { return c.N > 0 && c.S == "" }

// isDelete reports whether c deletes text.
func (c Component) isDelete() bool { return c.N < 0 && c.S == "" }

// isInsert reports whether c inserts text.
func (c Component) isInsert() bool { return c.N == 0 && c.S != "" }

// Retain appends a retain of n code units, merging it into a preceding
// retain. Retain(0) does nothing; a negative n is a programming error and
// panics. It returns op for chaining.
func (op *Op) Retain(n int) *Op {
	if n < 0 {
		panic("ot: negative retain")
	}
	if n == 0 {
		return op
	}
	o := *op
	if k := len(o); k > 0 && o[k-1].isRetain() {
		o[k-1].N += n
	} else {
		o = append(o, Component{N: n})
	}
	*op = o
	return op
}

// Delete appends a delete of n code units (n counts positively), merging it
// into a preceding delete. Delete(0) does nothing; a negative n panics. It
// returns op for chaining.
func (op *Op) Delete(n int) *Op {
	if n < 0 {
		panic("ot: negative delete")
	}
	if n == 0 {
		return op
	}
	o := *op
	if k := len(o); k > 0 && o[k-1].isDelete() {
		o[k-1].N -= n
	} else {
		o = append(o, Component{N: -n})
	}
	*op = o
	return op
}

// Insert appends an insert of s, merging it into a preceding insert. An
// insert directly after a delete is placed before that delete, as ot.js does,
// so that ops with the same effect have the same form. Insert("") does
// nothing. It returns op for chaining.
func (op *Op) Insert(s string) *Op {
	if s == "" {
		return op
	}
	o := *op
	k := len(o)
	switch {
	case k > 0 && o[k-1].isInsert():
		o[k-1].S += s
	case k > 0 && o[k-1].isDelete():
		if k > 1 && o[k-2].isInsert() {
			o[k-2].S += s
		} else {
			o = append(o, o[k-1])
			o[k-1] = Component{S: s}
		}
	default:
		o = append(o, Component{S: s})
	}
	*op = o
	return op
}

// Normalize returns op rebuilt through the builder methods, so adjacent
// components of one kind are merged and inserts precede deletes. It panics
// if op has a component with both or neither of N and S set to a valid value;
// run Validate or CheckComponents first on untrusted input.
func (op Op) Normalize() Op {
	var out Op
	for _, c := range op {
		out.add(c)
	}
	return out
}

// add appends c through the normalising builder.
func (op *Op) add(c Component) {
	switch {
	case c.isInsert():
		op.Insert(c.S)
	case c.isRetain():
		op.Retain(c.N)
	case c.isDelete():
		op.Delete(-c.N)
	default:
		panic("ot: malformed component")
	}
}

// BaseLen returns the length, in UTF-16 code units, of the documents op
// applies to.
func (op Op) BaseLen() int {
	n := 0
	for _, c := range op {
		if c.N > 0 {
			n += c.N
		} else {
			n -= c.N
		}
	}
	return n
}

// TargetLen returns the length, in UTF-16 code units, of the document that
// applying op produces.
func (op Op) TargetLen() int {
	n := 0
	for _, c := range op {
		if c.N > 0 {
			n += c.N
		} else if c.N == 0 {
			n += utf16Len(c.S)
		}
	}
	return n
}

// IsNoop reports whether applying op leaves every document unchanged, that
// is, whether it only retains.
func (op Op) IsNoop() bool {
	for _, c := range op {
		if !c.isRetain() {
			return false
		}
	}
	return true
}

// String returns the JSON form of op, for logs and test failures.
func (op Op) String() string {
	b, err := op.MarshalJSON()
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}

// CheckComponents reports ErrMalformed for a component that is not exactly
// one of retain, delete or insert, and ErrInvalidUTF8 for an insert that is
// not valid UTF-8 (which includes UTF-8-encoded surrogates).
func (op Op) CheckComponents() error {
	for i, c := range op {
		switch {
		case c.isInsert():
			if !utf8.ValidString(c.S) {
				return errAt(ErrInvalidUTF8, i)
			}
		case c.N == 0 || c.S != "" || c.N == minInt:
			// minInt cannot be negated into a length.
			return errAt(ErrMalformed, i)
		}
	}
	return nil
}

const minInt = -int(^uint(0)>>1) - 1

// Len returns the length of a text as operations count it: UTF-16 code units.
func Len(s string) int { return utf16Len(s) }

// utf16Len returns the number of UTF-16 code units in the valid UTF-8 string s, counting bytes
// instead of decoding runes, eight at a time, because it is on hot paths: every byte but a
// continuation byte (10xxxxxx) starts a code point, and one that starts four bytes (11110xxx)
// is above U+FFFF, two units.
func utf16Len(s string) int {
	n, i := 0, 0
	for ; i+8 <= len(s); i += 8 {
		b := s[i : i+8]
		w := uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
			uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
		if w&highBits == 0 { // ASCII
			n += 8
			continue
		}
		cont := w &^ (w << 1) & highBits                      // bit 7 set, bit 6 clear
		four := w & (w << 1) & (w << 2) & (w << 3) & highBits // bits 7 to 4 set
		n += 8 - bits.OnesCount64(cont) + bits.OnesCount64(four)
	}
	for ; i < len(s); i++ {
		b := s[i]
		if b&0xC0 != 0x80 {
			n++
		}
		if b >= 0xF0 {
			n++
		}
	}
	return n
}

// highBits is the top bit of each byte of a word.
const highBits = 0x8080808080808080

// splitUTF16 splits s after n UTF-16 code units. It fails with
// ErrSplitSurrogate if that point is inside a surrogate pair and with
// ErrBaseLength if s is shorter than n.
func splitUTF16(s string, n int) (string, string, error) {
	i := 0
	for n > 0 {
		if i >= len(s) {
			return "", "", ErrBaseLength
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		if size == 4 {
			if n == 1 {
				return "", "", ErrSplitSurrogate
			}
			n -= 2
		} else {
			n--
		}
		i += size
	}
	return s[:i], s[i:], nil
}
