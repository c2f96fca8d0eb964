package ot

// Chain composes a run of operations, each made on the text the one before it left, into one
// operation that an operation made concurrently with the whole run is rebased past in one
// step, with exactly the result of rebasing it past each of them in turn:
//
//	Rebase(a, Chain(b1, …, bk)) == Rebase(…Rebase(a, b1)…, bk)
//
// A server that receives an operation many revisions behind thus transforms it once, past the
// run composed once, however many operations share that run.
//
// The result is not Compose's: Compose normalises, moving text inserted right after deleted
// text in front of it, and so forgets whether a later operation typed where the deleted text
// began or where it ended, which decides ties with the rebased operation's own inserts. Chain
// keeps every insert where its operation put it, deletes of an earlier operation before the
// inserts a later one made at the same place; applied, it gives the same text as Compose. The
// run is composed in halves, so a run of k operations costs O(k log k), not O(k²).
func Chain(ops ...Op) (Op, error) {
	switch len(ops) {
	case 0:
		return nil, nil
	case 1:
		if err := ops[0].CheckComponents(); err != nil {
			return nil, err
		}
		return ops[0], nil
	}
	m := len(ops) / 2
	a, err := Chain(ops[:m]...)
	if err != nil {
		return nil, err
	}
	b, err := Chain(ops[m:]...)
	if err != nil {
		return nil, err
	}
	return chain2(a, b)
}

// chain2 is Compose without the normalising builder.
func chain2(a, b Op) (Op, error) {
	if at, bb := a.TargetLen(), b.BaseLen(); at != bb {
		return nil, ErrBaseLength
	}
	out := make(Op, 0, len(a)+len(b))
	ca, cb := newCursor(a), newCursor(b)
	for !ca.done() || !cb.done() {
		if ca.cur.isDelete() {
			out = keep(out, Component{N: ca.cur.N})
			ca.next()
			continue
		}
		if cb.cur.isInsert() {
			out = keep(out, Component{S: cb.cur.S})
			cb.next()
			continue
		}
		if ca.done() || cb.done() {
			return nil, ErrBaseLength
		}
		head, n, aInsert, bRetain, err := step(&ca, &cb)
		if err != nil {
			return nil, err
		}
		switch {
		case aInsert && bRetain:
			out = keep(out, Component{S: head})
		case aInsert:
		case bRetain:
			out = keep(out, Component{N: n})
		default:
			out = keep(out, Component{N: -n})
		}
	}
	return out, nil
}

// keep appends c, merging it into a preceding component of its kind, and moves nothing.
func keep(op Op, c Component) Op {
	if k := len(op); k > 0 {
		last := &op[k-1]
		switch {
		case c.isInsert() && last.isInsert():
			last.S += c.S
			return op
		case c.isRetain() && last.isRetain(), c.isDelete() && last.isDelete():
			last.N += c.N
			return op
		}
	}
	return append(op, c)
}

// RebaseChained rebases a past a chain of operations (see Chain). ok is false, and nothing is
// rebased, when the chain cannot stand in for the run: rebasing builds normalised operations,
// so when the run deletes all the text between what a deletes and what a inserts after it,
// a's insert moves in front of its delete at the step that deletes the last of that text, and
// how it ties with later inserts there depends on that order, which the chain forgets. The
// caller then rebases a past each operation in turn. An operation that only inserts or only
// deletes — a keystroke, a backspace — always passes.
func RebaseChained(a, chain Op) (rebased Op, ok bool, err error) {
	if !chainStandsIn(a, chain) {
		return nil, false, nil
	}
	rebased, err = Rebase(a, chain)
	return rebased, err == nil, err
}

// Chainable reports whether RebaseChained stands in for rebasing a past each operation of any
// run: a has no insert after a delete. An operation that is not may still pass for a given
// chain (RebaseChained checks); one that is always does.
func Chainable(a Op) bool {
	deleted := false
	for _, c := range a {
		switch {
		case c.isDelete():
			deleted = true
		case c.isInsert() && deleted:
			return false
		}
	}
	return true
}

// chainStandsIn reports whether every insert of a is kept apart from the deletes of a before
// it by text of the base that the chain keeps.
func chainStandsIn(a, chain Op) bool {
	// kept walks the chain's retains over the base, in step with a.
	var kept cursor = newCursor(chain)
	keptFrom := 0 // base position where kept.cur starts
	keeps := func(from, to int) bool {
		for !kept.done() {
			c := kept.cur
			if c.isInsert() {
				kept.next()
				continue
			}
			n := c.N
			if n < 0 {
				n = -n
			}
			if keptFrom+n <= from {
				keptFrom += n
				kept.next()
				continue
			}
			if keptFrom >= to {
				return false
			}
			if c.isRetain() {
				return true
			}
			keptFrom += n
			kept.next()
		}
		return false
	}
	pos, exposed := 0, false
	for _, c := range a {
		switch {
		case c.isInsert():
			if exposed {
				return false
			}
		case c.isDelete():
			exposed = true
			pos -= c.N
		default:
			if exposed && keeps(pos, pos+c.N) {
				exposed = false
			}
			pos += c.N
		}
	}
	return true
}
