package live

import "time"

// The room's rest. A broadcast is in progress until the room has written it to every socket
// (sendOut), as the commit is until the database has it: in a large room the writes are most of
// the work, and the batches grow with them. Writes to many sockets are cheap each but not
// together: in a room of 200 they are about half the server's CPU, through a ring (one system
// call for all, ring_linux.go) as well as one socket at a time. So after a broadcast a large
// room rests writeRest times as long as its writes took before the next one: the writes then
// take at most a ninth of the time, and what arrives meanwhile goes out together. A room of 200
// rests 2–6 ms on two cores, as fast as the machine writes; one of fewer than restFrom tabs
// not at all; a quiet room, whose last broadcast is longer ago than its rest, answers at once.

// writeRest is how many times as long as its writes took a room rests after a broadcast. A
// longer rest spends less CPU for more latency, about one rest more at p95: at 200 authors,
// writing through a ring, 3, 4, 6, 8 and 10 gave 0.59, 0.51, 0.47, 0.42 and 0.38 of a core at
// p95 10.6, 7.9, 10.6, 11.8 and 25 ms, one run each beside a server that acknowledges from
// memory at 0.86–0.89 of a core and p95 14–20 ms (docs/architecture.md, "One keystroke, from
// a phone to every tab"). Eight is the longest rest whose p95 stayed below that server's.
const writeRest = 8

// restFrom is the smallest room that rests. In a smaller one the writes are cheap (a fraction
// of a millisecond for a room of 60) and a rest would only add to the latency every person
// sees: resting eight times its writes, a room of 60 authors answered at ack p95 6 ms instead
// of 2.5.
const restFrom = 100

// minRest is the shortest rest worth taking: a timer under a millisecond wakes the room late
// (the runtime waits for the network in whole milliseconds), so a shorter rest would cost
// latency and save little.
const minRest = time.Millisecond

// restAfter is how long a room of tabs rests after writes that took wrote, when it did not
// write for idle before them: time it did not write is rest it has had. A room whose
// broadcasts come further apart than writeRest times their writes so never rests.
func restAfter(tabs int, wrote, idle time.Duration) time.Duration {
	if tabs < restFrom {
		return 0
	}
	return min(max(writeRest*wrote-idle, 0), maxRest)
}

// maxRest bounds a rest: writes slowed by a pause of the machine would otherwise make a rest
// writeRest times that pause, and the next batch wait for it.
const maxRest = 6 * time.Millisecond

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
