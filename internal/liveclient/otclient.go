package liveclient

import (
	"fmt"

	"klasseaftale/agreements/ot"
)

// OTClient is the ot.js client state of one document: synchronized (nothing pending), awaiting
// the acknowledgement of Outstanding, or awaiting it with more local changes gathered in
// Buffer. Rev is the last server revision the client has seen. It holds no text: the caller
// applies operations to its own copy. The server never needs it — it transforms what arrives
// against its log (agreements/ot.Rebase) — so it lives with the Go client, not with the text
// operations.
type OTClient struct {
	Rev         int
	Outstanding ot.Op // sent, not yet acknowledged; nil when synchronized
	Buffer      ot.Op // changed locally since Outstanding was sent; nil when empty
}

// Pending reports whether some local change is not yet acknowledged.
func (c *OTClient) Pending() bool { return c.Outstanding != nil }

// ApplyClient records a local change. It returns the operation to send now, or nil when one is
// already in flight (the change then waits in Buffer).
func (c *OTClient) ApplyClient(op ot.Op) (ot.Op, error) {
	switch {
	case c.Outstanding == nil:
		c.Outstanding = op
		return op, nil
	case c.Buffer == nil:
		c.Buffer = op
	default:
		b, err := ot.Compose(c.Buffer, op)
		if err != nil {
			return nil, err
		}
		c.Buffer = b
	}
	return nil, nil
}

// ApplyServer takes an operation of another client at revision rev and returns it transformed
// past the local changes, ready to apply to the local text.
func (c *OTClient) ApplyServer(rev int, op ot.Op) (ot.Op, error) {
	if rev != c.Rev+1 {
		return nil, fmt.Errorf("liveclient: server revision %d after %d", rev, c.Rev)
	}
	c.Rev = rev
	if c.Outstanding == nil {
		return op, nil
	}
	out, op1, err := ot.Transform(c.Outstanding, op)
	if err != nil {
		return nil, err
	}
	c.Outstanding = out
	if c.Buffer == nil {
		return op1, nil
	}
	buf, op2, err := ot.Transform(c.Buffer, op1)
	if err != nil {
		return nil, err
	}
	c.Buffer = buf
	return op2, nil
}

// ServerAck takes the acknowledgement of Outstanding at revision rev. It returns the buffered
// operation to send next, or nil.
func (c *OTClient) ServerAck(rev int) ot.Op {
	c.Rev = rev
	c.Outstanding, c.Buffer = c.Buffer, nil
	return c.Outstanding
}
