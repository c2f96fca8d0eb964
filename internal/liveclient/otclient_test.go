package liveclient

import (
	"testing"

	"klasseaftale/agreements/ot"
)

// One tab types three keystrokes while another's insert arrives: one operation is in flight,
// the rest is gathered in the buffer, the other's operation is transformed past both, each
// acknowledgement sends what waits, and the tab ends with the text the server holds.
func TestOTClient(t *testing.T) {
	apply := func(doc string, op ot.Op) string {
		t.Helper()
		out, err := ot.Apply(doc, op)
		if err != nil {
			t.Fatalf("apply %v to %q: %v", op, doc, err)
		}
		return out
	}
	insert := func(doc string, at int, s string) ot.Op {
		var op ot.Op
		op.Retain(at).Insert(s).Retain(ot.Len(doc) - at)
		return op
	}

	var c OTClient
	local := "abc"
	type sent struct {
		rev int // the revision the operation was made on
		op  ot.Op
	}
	var wire []sent

	for i, s := range []string{"X", "Y", "Z"} {
		op := insert(local, i, s)
		local = apply(local, op)
		send, err := c.ApplyClient(op)
		if err != nil {
			t.Fatal(err)
		}
		if (send != nil) != (i == 0) {
			t.Fatalf("keystroke %d: sent %v; only the first goes out while it is unacknowledged", i, send)
		}
		if send != nil {
			wire = append(wire, sent{c.Rev, send})
		}
	}
	if !c.Pending() || c.Buffer.BaseLen() != 4 || c.Buffer.TargetLen() != 6 {
		t.Fatalf("after three keystrokes: %+v", c)
	}

	// The server: another tab's insert at the end is revision 1.
	server := "abc"
	theirs := insert(server, 3, "Q")
	server = apply(server, theirs)

	if _, err := c.ApplyServer(3, theirs); err == nil || c.Rev != 0 {
		t.Fatalf("a revision out of order was taken (err %v, rev %d)", err, c.Rev)
	}
	mine, err := c.ApplyServer(1, theirs)
	if err != nil {
		t.Fatal(err)
	}
	local = apply(local, mine)
	if local != "XYZabcQ" || c.Rev != 1 {
		t.Fatalf("after the other's insert: %q at rev %d", local, c.Rev)
	}

	// The server takes the tab's first operation, made on revision 0, past revision 1.
	for len(wire) > 0 {
		w := wire[0]
		wire = wire[1:]
		op := w.op
		if w.rev == 0 {
			if op, _, err = ot.Transform(w.op, theirs); err != nil {
				t.Fatal(err)
			}
		}
		server = apply(server, op)
		if next := c.ServerAck(c.Rev + 1); next != nil {
			wire = append(wire, sent{c.Rev, next})
		}
	}
	if c.Pending() || c.Buffer != nil || c.Rev != 3 {
		t.Fatalf("after the acknowledgements: %+v", c)
	}
	if local != server {
		t.Fatalf("the tab holds %q, the server %q", local, server)
	}
}
