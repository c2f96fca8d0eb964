package ot

import "fmt"

// Compose returns the single operation that has the effect of applying a and
// then b. The target length of a must equal the base length of b. A boundary
// of b that would split a surrogate pair inserted by a fails with
// ErrSplitSurrogate.
func Compose(a, b Op) (Op, error) {
	if err := a.CheckComponents(); err != nil {
		return nil, err
	}
	if err := b.CheckComponents(); err != nil {
		return nil, err
	}
	if at, bb := a.TargetLen(), b.BaseLen(); at != bb {
		return nil, fmt.Errorf("%w: first op produces %d code units, second expects %d", ErrBaseLength, at, bb)
	}
	out := make(Op, 0, len(a)+len(b))
	ca, cb := newCursor(a), newCursor(b)
	for !ca.done() || !cb.done() {
		// Deletes of a happen before b sees the text, and inserts of b are
		// new text a never saw: both pass through unpaired.
		if ca.cur.isDelete() {
			out.Delete(-ca.cur.N)
			ca.next()
			continue
		}
		if cb.cur.isInsert() {
			out.Insert(cb.cur.S)
			cb.next()
			continue
		}
		if ca.done() || cb.done() {
			return nil, ErrBaseLength // unreachable after the length check
		}
		head, n, aInsert, bRetain, err := step(&ca, &cb)
		if err != nil {
			return nil, err
		}
		switch {
		case aInsert && bRetain:
			out.Insert(head) // a inserted and b kept it
		case aInsert:
			// a inserted and b deleted it: it never existed.
		case bRetain:
			out.Retain(n)
		default:
			out.Delete(n)
		}
	}
	return out, nil
}
