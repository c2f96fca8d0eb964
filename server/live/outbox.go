package live

import (
	"encoding/json"
	"time"

	"github.com/gorilla/websocket"
)

// The outbox: what a room says to everyone waits here for the room's next broadcast, which
// goes out as one piece to every connection.

// outMsg is one message of the outbox, for every connection but skip; b is nil for one a
// newer message replaced.
type outMsg struct {
	b    []byte
	skip *conn
}

// DefaultPresenceWait is how long a broadcast of nothing but where people are may wait for one
// with more (Config.PresenceWait). Someone typing sends their caret right after each
// keystroke; in a busy room the keystroke has often been committed and broadcast when the
// caret arrives, and a broadcast of the caret alone writes to every socket again. Waiting, it
// goes with the next keystroke of anyone in the room (in a room of 60 authors, within a few
// milliseconds), and a caret in a quiet room moves at most this much later, which the eye does
// not see. In a room of 60 authors with carets on, the server's CPU drops from 0.30–0.35 to
// 0.28 cores and ack p95 from 4.3–5.0 to 4.0–4.1 ms (liveload -spawn -rooms 1 -clients 60
// -authors 60 -keep 8).
const DefaultPresenceWait = 15 * time.Millisecond

// broadcast puts a message for every connection that has said hello, except skip, in the
// outbox.
func (r *room) broadcast(m any, skip *conn) {
	if r.add(m, skip) {
		r.outMore = true
	}
}

// add puts a message in the outbox.
func (r *room) add(m any, skip *conn) bool {
	b, err := json.Marshal(m)
	if err != nil {
		r.hub.cfg.Logger.Error("live: encode", "err", err)
		return false
	}
	r.out = append(r.out, outMsg{b: b, skip: skip})
	return true
}

// onlyPresence reports whether the outbox holds where people are and nothing else, since
// when, so the broadcast may wait for more (Config.PresenceWait).
func (r *room) onlyPresence() (bool, time.Duration) {
	if r.outMore || len(r.out) == 0 || len(r.batch) > 0 {
		return false, 0
	}
	return true, r.hub.cfg.PresenceWait - time.Since(r.presSince)
}

// broadcastPresence puts where a tab of this instance is in the outbox, in place of where it
// was when that is still waiting (a person typing moves their caret with every keystroke, and
// only the last place matters to the others), and tells the other instances.
func (r *room) broadcastPresence(p presenceMsg, skip *conn) {
	r.outPresence(p, skip)
	r.tellPeers(p)
}

// outPresence puts where a tab is in the outbox, for the tabs here only.
func (r *room) outPresence(p presenceMsg, skip *conn) {
	if i, ok := r.outPres[p.Client]; ok {
		r.out[i].b = nil
	}
	if len(r.out) == 0 {
		r.presSince = time.Now()
	}
	r.add(p, skip)
	if r.outPres == nil {
		r.outPres = map[string]int{}
	}
	r.outPres[p.Client] = len(r.out) - 1
}

// sendOut sends the outbox: the messages joined once, one line each, framed once and written
// to every connection as the same bytes. A connection some message skips gets its own copy
// without it. The time the writes took adds to r.wrote (the room's rest is in proportion).
func (r *room) sendOut() {
	r.commit() // the operations that waited, and what they made
	r.sendPeers()
	if len(r.out) == 0 {
		return
	}
	if !r.since.IsZero() {
		r.hub.cfg.Metrics.Broadcast(time.Since(r.since))
		r.since = time.Time{}
	}
	out := r.out
	r.out, r.outMore = nil, false
	clear(r.outPres)
	all, lines := joinLines(out)
	var skips map[*conn][]int // per connection some messages skip, which
	for i, m := range out {
		if m.b != nil && m.skip != nil {
			if skips == nil {
				skips = map[*conn][]int{}
			}
			skips[m.skip] = append(skips[m.skip], i)
		}
	}
	if all == nil {
		return
	}
	begun := time.Now()
	to := r.sendTo[:0]
	for c := range r.conns {
		if c.hello {
			to = append(to, c)
		}
	}
	// A very large room's writes go in two halves at once, the second from a helper goroutine
	// (see splitFrom). Each connection is written by one of them only, and both are done before
	// the room goes on, so every connection still gets every frame in order.
	var gone, gone2 []*conn
	if half := len(to) / 2; len(to) >= splitFrom {
		done := make(chan struct{})
		go func() {
			gone2 = writeEach(to[half:], all, lines, skips)
			close(done)
		}()
		gone = writeEach(to[:half], all, lines, skips)
		<-done
	} else {
		gone = writeEach(to, all, lines, skips)
	}
	for _, c := range append(gone, gone2...) {
		delete(r.conns, c)
	}
	clear(to)
	r.sendTo = to
	r.wroteAt = time.Now()
	r.wrote += r.wroteAt.Sub(begun)
}

// splitFrom is the smallest room whose broadcasts are written in two halves at once. A
// broadcast is in progress until its last socket has it; in a room of 400 authors its writes
// are 40% of the room's time, the commits 30%, and a pause of the machine leaves a queue that
// the room is slow to work off. Written in halves, 6 runs of 6 of 400 authors in one clause
// stay below 60 ms ack p95 (before: 4 of 5 below 100 ms), for some 0.05 more of a core: two
// cores writing to sockets at once cost more than one. A room of 200 is written by the room
// alone: there halves bought 2–3 ms of p95 for 0.02–0.03 more of a core, and its CPU is what
// counts (liveload -spawn -rooms 1 -clients 401 -authors 400 -keep 4 -thin, and -clients 201
// -authors 200 -keep 8 -thin -carets=false).
// A variable, so a test can write a small room in halves.
var splitFrom = 300

// writeEach writes a broadcast to each connection (see sendOut) and returns those that ended.
func writeEach(to []*conn, all []byte, lines []line, skips map[*conn][]int) []*conn {
	var gone []*conn
	for _, c := range to {
		ok := true
		if skip, own := skips[c]; own {
			if parts := without(all, lines, skip); parts != nil {
				ok = c.queueParts(parts)
			}
		} else {
			ok = c.queueFrame(all)
		}
		if !ok {
			gone = append(gone, c)
		}
	}
	return gone
}

// line is where a message's line is in a frame of joined lines, without the newline before
// it; empty for a message that is not there.
type line struct{ from, to int }

// joinLines joins the messages, one a line, in a text frame, and says where each one's line
// is in it; nil when there is none.
func joinLines(out []outMsg) ([]byte, []line) {
	n := maxHead
	for _, m := range out {
		n += len(m.b) + 1
	}
	b := make([]byte, maxHead, n)
	lines := make([]line, len(out))
	for i, m := range out {
		if m.b == nil {
			continue
		}
		if len(b) > maxHead {
			b = append(b, '\n')
		}
		lines[i] = line{len(b), len(b) + len(m.b)}
		b = append(b, m.b...)
	}
	if len(b) == maxHead {
		return nil, nil
	}
	f := framed(b)
	shift := len(b) - len(f) // the header's unused bytes
	for i := range lines {
		if lines[i].to > 0 {
			lines[i].from -= shift
			lines[i].to -= shift
		}
	}
	return f, lines
}

// without is the frame all without the lines of the messages skip (indexes in order), as the
// parts of a frame: a header of its own, then the runs of all's payload that are left. It is
// nil when nothing is left.
func without(all []byte, lines []line, skip []int) [][]byte {
	var runs []line
	n := 0
	for i, l := range lines {
		if len(skip) > 0 && skip[0] == i {
			skip = skip[1:]
			continue
		}
		if l.to == 0 {
			continue
		}
		if len(runs) > 0 {
			l.from-- // the newline before it
		}
		n += l.to - l.from
		if k := len(runs) - 1; k >= 0 && runs[k].to == l.from {
			runs[k].to = l.to // it follows the run before it
			continue
		}
		runs = append(runs, l)
	}
	if n == 0 {
		return nil
	}
	parts := make([][]byte, 1, 1+len(runs))
	parts[0] = make([]byte, headLen(n))
	putHead(parts[0], websocket.TextMessage, n)
	for _, l := range runs {
		parts = append(parts, all[l.from:l.to])
	}
	return parts
}

// send sends a message to one connection, after what the outbox holds, so the connection
// sees every message in the order the room made them.
func (r *room) send(c *conn, m any) {
	b, err := json.Marshal(m)
	if err != nil {
		r.hub.cfg.Logger.Error("live: encode", "err", err)
		return
	}
	r.sendOut()
	if !c.queue(b) {
		delete(r.conns, c)
	}
}
