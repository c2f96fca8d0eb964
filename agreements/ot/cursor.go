package ot

// cursor steps through the components of an op and lets the caller consume
// part of the current one, as compose and transform need to.
type cursor struct {
	op    Op
	i     int       // index of the next component
	cur   Component // what is left of the current one; zero when exhausted
	units int       // UTF-16 length of cur.S when cur is an insert
}

// newCursor returns a cursor at the start of op: a value, so that callers keep it on their
// stack and a transform allocates nothing but its result.
func newCursor(op Op) cursor {
	c := cursor{op: op}
	c.next()
	return c
}

// next moves to the following component.
func (c *cursor) next() {
	if c.i >= len(c.op) {
		c.cur = Component{}
		return
	}
	c.cur = c.op[c.i]
	c.i++
	if c.cur.N == 0 {
		c.units = utf16Len(c.cur.S)
	}
}

// done reports whether every component has been consumed.
func (c *cursor) done() bool { return c.cur == Component{} }

// len returns the UTF-16 length of what is left of the current component.
func (c *cursor) len() int {
	switch {
	case c.cur.N > 0:
		return c.cur.N
	case c.cur.N < 0:
		return -c.cur.N
	}
	return c.units
}

// consume takes n code units (at most len()) off the current component and
// returns them when it is an insert. Splitting an insert inside a surrogate
// pair fails with ErrSplitSurrogate.
func (c *cursor) consume(n int) (string, error) {
	var head string
	switch {
	case c.cur.N > 0:
		c.cur.N -= n
	case c.cur.N < 0:
		c.cur.N += n
	case n == c.units:
		head, c.cur.S = c.cur.S, ""
	default:
		h, t, err := splitUTF16(c.cur.S, n)
		if err != nil {
			return "", err
		}
		head, c.cur.S = h, t
		c.units -= n
	}
	if c.cur.N == 0 && c.cur.S == "" {
		c.next()
	}
	return head, nil
}

// step takes the overlap of a's and b's current components, as composing does: n units, the
// text a's part holds when it inserts, and whether a inserted and b retained them.
func step(ca, cb *cursor) (head string, n int, aInsert, bRetain bool, err error) {
	n = min(ca.len(), cb.len())
	aInsert, bRetain = ca.cur.isInsert(), cb.cur.isRetain()
	if head, err = ca.consume(n); err != nil {
		return "", 0, false, false, err
	}
	_, err = cb.consume(n)
	return head, n, aInsert, bRetain, err
}
