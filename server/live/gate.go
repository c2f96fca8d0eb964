package live

import (
	"sync"
	"time"
)

// gate counts the connections that have still to write the room's last broadcast. The room
// holds its next broadcast while any has, so a broadcast is in progress until the writers
// have done its work, as the commit is until the database has: in a large room the writes are
// most of the work, and the batches grow with them. A connection that was still writing an
// earlier broadcast is not counted again; it writes the new one with what it has.
//
// Writes to many sockets are cheap each but not together: in a room of 200 they are most of
// the server's CPU. So once the writers are done, the room rests for writeRest times as long
// as the broadcast took to be written before its next one (see rest): the writes then take at
// most a third of the time, and what arrives meanwhile goes out together. A room of 200 rests
// about 2 ms; one of 30 not at all (see minRest); a quiet room, whose last broadcast is longer
// ago than its rest, answers at once.
//
// What the gate and the rest buy, measured with cmd/liveload (-spawn -rooms 1 -clients 200
// -authors 200 -duration 10s: 200 authors typing 5 keystrokes a second): with a core to spare,
// the server works about 0.5 of a core with them and 0.8 without either, for a keystroke
// acknowledged about 1.5 ms later at the median (p50 5.5 ms against 4.2 ms); with the cores
// taken by other work, acknowledgements take p95 26–60 ms with them and over 300 ms without.
type gate struct {
	mu    sync.Mutex
	gen   uint64        // debts of older generations were forgiven (see forgive)
	n     int           // connections that owe a write of this generation
	since time.Time     // when the first writer came to owe this round
	spent time.Duration // how long the rounds since the last rest took to be written
	open  chan struct{}
}

// writeRest is how many times as long as its writers worked a room rests after a broadcast.
const writeRest = 2

// minRest is the shortest rest worth taking: a timer under a millisecond wakes the room late
// (the runtime waits for the network in whole milliseconds), so in a room small enough to be
// written in half a millisecond resting would cost latency and save nothing.
const minRest = time.Millisecond

func newGate() *gate { return &gate{gen: 1, open: make(chan struct{}, 1)} }

// gateWait is how long the room holds a broadcast for writers that are slow to write theirs:
// a tab whose network stalls is not to hold a whole room. Writers that keep up take far less.
const gateWait = 20 * time.Millisecond

// owe records that c has a broadcast to write, unless it owes one already.
func (g *gate) owe(c *conn) {
	g.mu.Lock()
	if c.owes == 0 {
		if g.n == 0 {
			g.since = time.Now()
		}
		c.owes = g.gen
		g.n++
	}
	g.mu.Unlock()
}

// paid records that c has written what it owed; with more, it has more queued already, which
// may hold the broadcast the room made meanwhile: it owes that one.
func (g *gate) paid(c *conn, more bool) {
	g.mu.Lock()
	if c.owes == g.gen {
		g.n--
	}
	c.owes = 0
	if more {
		c.owes = g.gen
		g.n++
	}
	if g.n == 0 {
		if !g.since.IsZero() {
			g.spent += time.Since(g.since)
			g.since = time.Time{}
		}
		select {
		case g.open <- struct{}{}:
		default:
		}
	}
	g.mu.Unlock()
}

// busy reports whether a writer still owes the last broadcast.
func (g *gate) busy() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n > 0
}

// rest returns how long the room rests after the rounds written since the last rest.
func (g *gate) rest() time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	d := g.spent * writeRest
	g.spent = 0
	return d
}

// forgive lets the room go on without the writers that are still writing.
func (g *gate) forgive() {
	g.mu.Lock()
	g.gen++
	g.n = 0
	g.since = time.Time{}
	g.mu.Unlock()
}

// hold is a room's two waits around the gate: for writers slow to write (gateWait at most),
// and its rest after their work (what they buy: see gate). Each channel is nil while it does
// not run.
type hold struct {
	slow, resting, carets   *time.Timer
	waiting, rest, presence <-chan time.Time
}

func newHold() *hold {
	h := &hold{slow: time.NewTimer(gateWait), resting: time.NewTimer(time.Hour), carets: time.NewTimer(time.Hour)}
	h.slow.Stop()
	h.resting.Stop()
	h.carets.Stop()
	return h
}

// presenceFor wakes the room after d, when a broadcast of where people are has waited long
// enough for one with more (Config.PresenceWait), unless already set.
func (h *hold) presenceFor(d time.Duration) {
	if h.presence == nil {
		h.carets.Reset(d)
		h.presence = h.carets.C
	}
}

// restFor starts the rest after a round the writers took d to write, when it is worth taking.
func (h *hold) restFor(d time.Duration) {
	if d >= minRest {
		h.resting.Reset(d)
		h.rest = h.resting.C
	}
}

// waitFor starts waiting for slow writers, unless already waiting.
func (h *hold) waitFor() {
	if h.waiting == nil {
		h.slow.Reset(gateWait)
		h.waiting = h.slow.C
	}
}

// done ends the wait for writers: they have written.
func (h *hold) done() {
	if h.waiting != nil {
		h.slow.Stop()
		h.waiting = nil
	}
	if h.presence != nil {
		h.carets.Stop()
		h.presence = nil
	}
}
