package live

import (
	"testing"
	"time"
)

// The gate holds the room's next broadcast until every writer that took the last one has
// written it; a writer still writing is counted once; a writer with more queued owes the next;
// forgiving lets the room go on without writers that stalled, whose late payments then count
// for nothing.
func TestGate(t *testing.T) {
	g := newGate()
	a, b := &conn{gate: g}, &conn{gate: g}
	opened := func() bool {
		select {
		case <-g.open:
			return true
		default:
			return false
		}
	}
	if g.busy() {
		t.Fatal("a new gate is busy")
	}
	g.owe(a)
	g.owe(b)
	g.owe(a) // a second broadcast before a wrote the first: still one debt
	if !g.busy() || g.n != 2 {
		t.Fatalf("two writers owe: busy %v, n %d", g.busy(), g.n)
	}
	g.paid(a, false)
	if !g.busy() || opened() {
		t.Fatal("the gate opened while b still writes")
	}
	g.paid(b, true) // b wrote, and has the next broadcast queued already
	if !g.busy() || opened() {
		t.Fatal("the gate opened while b has a broadcast queued")
	}
	g.paid(b, false)
	if g.busy() || !opened() {
		t.Fatal("the gate did not open when all had written")
	}

	g.owe(a)
	g.forgive()
	if g.busy() {
		t.Fatal("forgiven, the gate is still busy")
	}
	g.owe(b)
	g.paid(a, false) // a's late write of the forgiven broadcast
	if !g.busy() || g.n != 1 {
		t.Fatalf("a late payment counted: busy %v, n %d", g.busy(), g.n)
	}
	g.paid(b, false)
	if g.busy() {
		t.Fatal("the gate is busy after all paid")
	}
}

// After a round is written the room rests writeRest times as long as it took, once.
func TestGateRest(t *testing.T) {
	g := newGate()
	a, b := &conn{gate: g}, &conn{gate: g}
	g.owe(a)
	g.owe(b)
	begun := time.Now()
	g.paid(a, false)
	time.Sleep(2 * time.Millisecond) // b writes for a while
	g.paid(b, false)
	took := time.Since(begun)
	if got := g.rest(); got < 2*time.Millisecond*writeRest || got > took*writeRest {
		t.Errorf("rest after a round of %v: %v", took, got)
	}
	if got := g.rest(); got != 0 {
		t.Errorf("a second rest without writing: %v", got)
	}
}
