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
	return transform(a, b, true)
}

// Rebase returns what Transform returns as aPrime: a made concurrently with b, changed to
// apply after b. It builds only that side, so a server that rebases an incoming operation past
// every revision since its base — many, in a clause with hundreds of authors at once — does
// half the work.
func Rebase(a, b Op) (Op, error) {
	aPrime, _, err := transform(a, b, false)
	return aPrime, err
}

// transform is Transform, building bPrime only when both is set.
func transform(a, b Op, both bool) (aPrime, bPrime Op, err error) {
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
	if both {
		bPrime = make(Op, 0, len(a)+len(b))
	}
	ca, cb := newCursor(a), newCursor(b) // values on the stack: no allocation
	for !ca.done() || !cb.done() {
		// Inserts become retains for the other side; a's go first.
		if ca.cur.isInsert() {
			aPrime.Insert(ca.cur.S)
			if both {
				bPrime.Retain(ca.units)
			}
			ca.next()
			continue
		}
		if cb.cur.isInsert() {
			aPrime.Retain(cb.units)
			if both {
				bPrime.Insert(cb.cur.S)
			}
			cb.next()
			continue
		}
		if ca.done() || cb.done() {
			return nil, nil, ErrBaseLength // unreachable after the length check
		}
		n := min(ca.len(), cb.len())
		switch aRetain, bRetain := ca.cur.isRetain(), cb.cur.isRetain(); {
		case aRetain && bRetain:
			aPrime.Retain(n)
			if both {
				bPrime.Retain(n)
			}
		case aRetain:
			if both {
				bPrime.Delete(n) // b deleted text a kept
			}
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
