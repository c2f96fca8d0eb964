package ot

import "fmt"

// Transform takes two operations a and b made concurrently on the same
// document and returns aPrime and bPrime such that applying a then bPrime
// gives the same document as applying b then aPrime. When both insert at the
// same position, a's insert ends up first: the first argument wins ties, as
// in ot.js. Both sides pass the client's operation as a and the server's as b
// (the server rebasing an incoming op, a client transforming its pending op),
// so they agree on every tie.
func Transform(a, b Op) (aPrime, bPrime Op, err error) {
	if err := a.CheckComponents(); err != nil {
		return nil, nil, err
	}
	if err := b.CheckComponents(); err != nil {
		return nil, nil, err
	}
	if ab, bb := a.BaseLen(), b.BaseLen(); ab != bb {
		return nil, nil, fmt.Errorf("%w: concurrent ops expect %d and %d code units", ErrBaseLength, ab, bb)
	}
	aPrime = make(Op, 0, len(a)+len(b))
	bPrime = make(Op, 0, len(a)+len(b))
	ca, cb := newCursor(a), newCursor(b)
	for !ca.done() || !cb.done() {
		// Inserts become retains for the other side; a's go first.
		if ca.cur.IsInsert() {
			aPrime.Insert(ca.cur.S)
			bPrime.Retain(ca.units)
			ca.next()
			continue
		}
		if cb.cur.IsInsert() {
			aPrime.Retain(cb.units)
			bPrime.Insert(cb.cur.S)
			cb.next()
			continue
		}
		if ca.done() || cb.done() {
			return nil, nil, ErrBaseLength // unreachable after the length check
		}
		n := min(ca.len(), cb.len())
		switch aRetain, bRetain := ca.cur.IsRetain(), cb.cur.IsRetain(); {
		case aRetain && bRetain:
			aPrime.Retain(n)
			bPrime.Retain(n)
		case aRetain:
			bPrime.Delete(n) // b deleted text a kept
		case bRetain:
			aPrime.Delete(n) // a deleted text b kept
		}
		// Both deleted the same text: it is gone for both already.
		// Retains and deletes never split, so consume cannot fail here.
		ca.consume(n)
		cb.consume(n)
	}
	return aPrime, bPrime, nil
}

// Rebase returns what Transform returns as aPrime: a made concurrently with b, changed to
// apply after b. It builds only that side, with the cursors on the stack, so a server that
// rebases an incoming operation past every revision since its base — many, in a clause with
// hundreds of authors at once — does half the work.
func Rebase(a, b Op) (Op, error) {
	if err := a.CheckComponents(); err != nil {
		return nil, err
	}
	if err := b.CheckComponents(); err != nil {
		return nil, err
	}
	if ab, bb := a.BaseLen(), b.BaseLen(); ab != bb {
		return nil, fmt.Errorf("%w: concurrent ops expect %d and %d code units", ErrBaseLength, ab, bb)
	}
	out := make(Op, 0, len(a)+len(b))
	ca, cb := newCursor(a), newCursor(b)
	for !ca.done() || !cb.done() {
		if ca.cur.IsInsert() {
			out.Insert(ca.cur.S)
			ca.next()
			continue
		}
		if cb.cur.IsInsert() {
			out.Retain(cb.units)
			cb.next()
			continue
		}
		if ca.done() || cb.done() {
			return nil, ErrBaseLength // unreachable after the length check
		}
		n := min(ca.len(), cb.len())
		switch aRetain, bRetain := ca.cur.IsRetain(), cb.cur.IsRetain(); {
		case aRetain && bRetain:
			out.Retain(n)
		case bRetain:
			out.Delete(n)
		}
		ca.consume(n)
		cb.consume(n)
	}
	return out, nil
}
