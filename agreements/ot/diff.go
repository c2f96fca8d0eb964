package ot

import "unicode/utf8"

// Diff returns an operation that turns from into to: it keeps the longest
// common prefix and suffix and replaces the middle. Prefix and suffix are
// compared by whole code points, so no boundary splits a surrogate pair (in
// UTF-16 terms) or a multi-byte sequence. from and to should be valid UTF-8.
func Diff(from, to string) Op {
	p := 0 // common prefix, in bytes
	for p < len(from) && p < len(to) {
		_, so := utf8.DecodeRuneInString(from[p:])
		_, sn := utf8.DecodeRuneInString(to[p:])
		if so != sn || from[p:p+so] != to[p:p+sn] {
			break
		}
		p += so
	}
	s := 0 // common suffix, in bytes, not overlapping the prefix
	for p+s < len(from) && p+s < len(to) {
		_, so := utf8.DecodeLastRuneInString(from[p : len(from)-s])
		_, sn := utf8.DecodeLastRuneInString(to[p : len(to)-s])
		if so != sn || from[len(from)-s-so:len(from)-s] != to[len(to)-s-sn:len(to)-s] {
			break
		}
		s += so
	}
	var op Op
	op.Retain(utf16Len(from[:p]))
	op.Insert(to[p : len(to)-s])
	op.Delete(utf16Len(from[p : len(from)-s]))
	op.Retain(utf16Len(from[len(from)-s:]))
	return op
}
