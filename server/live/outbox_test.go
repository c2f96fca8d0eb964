package live

import (
	"testing"
	"time"
)

// A broadcast of nothing but where people are waits, up to PresenceWait, for one with more:
// an operation's message sends it at once, and so does the wait running out.
func TestPresenceAloneWaitsForMore(t *testing.T) {
	r := &room{hub: &Hub{cfg: Config{PresenceWait: 20 * time.Millisecond}}, conns: map[*conn]bool{}}
	h := newHold()
	caret := presenceMsg{Type: "presence", Client: "tabO", Sel: []int{2, 2}}

	r.broadcastPresence(caret, nil)
	r.sendWhenFree(h)
	if len(r.out) != 1 || h.presence == nil {
		t.Fatalf("a caret alone went out at once (outbox %d, waiting %v)", len(r.out), h.presence != nil)
	}
	r.broadcast(opMsg{Type: "op", Clause: "c", Rev: 1}, nil)
	r.sendWhenFree(h)
	if len(r.out) != 0 || h.presence != nil {
		t.Fatalf("a keystroke did not take the caret along (outbox %d)", len(r.out))
	}

	r.broadcastPresence(caret, nil)
	r.sendWhenFree(h)
	select {
	case <-h.presence:
		h.presence = nil
	case <-time.After(5 * time.Second):
		t.Fatal("the wait never ran out")
	}
	r.sendWhenFree(h)
	if len(r.out) != 0 {
		t.Fatal("a caret that waited its time did not go out")
	}
}
