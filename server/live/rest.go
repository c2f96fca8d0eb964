package live

import "time"

// The room's rest. A broadcast is in progress until the room has written it to every socket
// (sendOut), as the commit is until the database has it: in a large room the writes are most of
// the work, and the batches grow with them. Writes to many sockets are cheap each but not
// together: in a room of 200 they are most of the server's CPU. So after a broadcast the room
// rests writeRest times as long as its writes took before the next one: the writes then take at
// most a third of the time, and what arrives meanwhile goes out together. A room of 200 rests
// 1–3 ms on two cores, as fast as the machine writes; one of 60 not at all (see minRest); a
// quiet room, whose last broadcast is longer ago than its rest, answers at once.

// writeRest is how many times as long as its writes took a room rests after a broadcast. A
// longer rest spends less CPU for more latency, about one rest more at p95: at 200 authors, 2,
// 4, 6 and 8 gave 0.69, 0.51, 0.43 and 0.38 of a core at p95 4.9, 5.4, 6.5 and 7.7 ms
// (docs/architecture.md, "One keystroke, from a phone to every tab").
const writeRest = 2

// minRest is the shortest rest worth taking: a timer under a millisecond wakes the room late
// (the runtime waits for the network in whole milliseconds), so in a room small enough to be
// written in half a millisecond resting would cost latency and save nothing.
const minRest = time.Millisecond

// restAfter is how long the room rests after writes that took wrote, when it did not write for
// idle before them: time it did not write is rest it has had. A room whose broadcasts come
// further apart than writeRest times their writes so never rests.
func restAfter(wrote, idle time.Duration) time.Duration {
	return max(writeRest*wrote-idle, 0)
}

// hold is a room's two waits: its rest after a broadcast, and a broadcast of nothing but where
// people are waiting for one with more. Each channel is nil while it does not run.
type hold struct {
	resting, carets *time.Timer
	rest, presence  <-chan time.Time
}

func newHold() *hold {
	h := &hold{resting: time.NewTimer(time.Hour), carets: time.NewTimer(time.Hour)}
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

// restFor starts a rest of d (see restAfter), when it is worth taking.
func (h *hold) restFor(d time.Duration) {
	if d >= minRest {
		h.resting.Reset(d)
		h.rest = h.resting.C
	}
}

// done ends the wait of where people are: they went out.
func (h *hold) done() {
	if h.presence != nil {
		h.carets.Stop()
		h.presence = nil
	}
}
