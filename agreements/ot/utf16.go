package ot

import (
	"fmt"
	"unicode/utf16"
)

// ApplyUTF16 applies op to doc held as UTF-16 code units, as a JavaScript string is, in place:
// the result reuses doc's storage (it is reallocated only when too small), and only the text
// that moves is copied, so a client that applies every operation of a busy room allocates
// nothing. It checks what Apply checks — the base length, and that no retain or delete
// boundary splits a surrogate pair — before changing anything: on error doc is unchanged.
func ApplyUTF16(doc []uint16, op Op) ([]uint16, error) {
	if err := op.CheckComponents(); err != nil {
		return nil, err
	}
	var small [8]int
	units := small[:0]
	if len(op) > len(small) {
		units = make([]int, 0, len(op))
	}
	units, target, err := measureUTF16(doc, op, units)
	if err != nil {
		return nil, err
	}
	base := len(doc)
	if target > cap(doc) {
		grown := make([]uint16, base, target+target/4)
		copy(grown, doc)
		doc = grown
	}
	doc = doc[:max(base, target)]
	moveRetained(doc, op, units, base, target)
	writeInserts(doc, op)
	return doc[:target], nil
}

// measureUTF16 checks op against doc and returns, for each component, the length of what it
// inserts (measured once), and the length of the result.
func measureUTF16(doc []uint16, op Op, units []int) ([]int, int, error) {
	i, target := 0, 0
	for k, c := range op {
		if c.N == 0 {
			u := utf16Len(c.S)
			units = append(units, u)
			target += u
			continue
		}
		units = append(units, 0)
		n := c.N
		if n < 0 {
			n = -n
		} else {
			target += n
		}
		j := i + n
		switch {
		case j > len(doc):
			return nil, 0, errAt(ErrBaseLength, k)
		case j > 0 && j < len(doc) && isHigh(doc[j-1]) && isLow(doc[j]):
			return nil, 0, errAt(ErrSplitSurrogate, k)
		}
		i = j
	}
	if i != len(doc) {
		return nil, 0, fmt.Errorf("%w: operation ends before the document", ErrBaseLength)
	}
	return units, target, nil
}

// moveRetained moves the retained runs of doc (base units long) to where they stand in the
// result (target units long). Runs keep their order, so a run moving left can only overwrite
// runs before it, and a run moving right only runs after it: the first are moved front to
// back, the second back to front, and every run is read before it is overwritten.
func moveRetained(doc []uint16, op Op, units []int, base, target int) {
	src, dst := 0, 0
	for k, c := range op {
		switch {
		case c.N > 0:
			if dst < src {
				copy(doc[dst:dst+c.N], doc[src:src+c.N])
			}
			src, dst = src+c.N, dst+c.N
		case c.N < 0:
			src -= c.N
		default:
			dst += units[k]
		}
	}
	src, dst = base, target
	for k := len(op) - 1; k >= 0; k-- {
		switch c := op[k]; {
		case c.N > 0:
			src, dst = src-c.N, dst-c.N
			if dst > src {
				copy(doc[dst:dst+c.N], doc[src:src+c.N])
			}
		case c.N < 0:
			src += c.N
		default:
			dst -= units[k]
		}
	}
}

// writeInserts writes what op inserts into the gaps moveRetained left.
func writeInserts(doc []uint16, op Op) {
	dst := 0
	for _, c := range op {
		switch {
		case c.N > 0:
			dst += c.N
		case c.N == 0:
			for _, r := range c.S {
				if r1, r2 := utf16.EncodeRune(r); r1 != '\uFFFD' {
					doc[dst], doc[dst+1] = uint16(r1), uint16(r2)
					dst += 2
				} else {
					doc[dst] = uint16(r)
					dst++
				}
			}
		}
	}
}

func isHigh(u uint16) bool { return u >= 0xD800 && u < 0xDC00 }
func isLow(u uint16) bool  { return u >= 0xDC00 && u < 0xE000 }
