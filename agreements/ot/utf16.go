package ot

import (
	"fmt"
	"unicode/utf16"
)

// ApplyUTF16 applies op to doc held as UTF-16 code units, as a JavaScript string is, and
// returns the result in dst's storage (grown when too small; dst and doc must not overlap).
// A client that applies every operation of a busy room keeps two buffers and swaps them, so
// each operation costs a copy of the text and no allocation, whatever characters it holds.
// It checks what Apply checks: the base length and that no retain or delete boundary splits
// a surrogate pair.
func ApplyUTF16(dst, doc []uint16, op Op) ([]uint16, error) {
	if err := op.CheckComponents(); err != nil {
		return nil, err
	}
	out := dst[:0]
	i := 0
	for k, c := range op {
		if c.N == 0 {
			for _, r := range c.S {
				out = utf16.AppendRune(out, r)
			}
			continue
		}
		n := c.N
		if n < 0 {
			n = -n
		}
		j := i + n
		switch {
		case j > len(doc):
			return nil, errAt(ErrBaseLength, k)
		case j > 0 && j < len(doc) && isHigh(doc[j-1]) && isLow(doc[j]):
			return nil, errAt(ErrSplitSurrogate, k)
		}
		if c.N > 0 {
			out = append(out, doc[i:j]...)
		}
		i = j
	}
	if i != len(doc) {
		return nil, fmt.Errorf("%w: operation ends before the document", ErrBaseLength)
	}
	return out, nil
}

func isHigh(u uint16) bool { return u >= 0xD800 && u < 0xDC00 }
func isLow(u uint16) bool  { return u >= 0xDC00 && u < 0xE000 }
