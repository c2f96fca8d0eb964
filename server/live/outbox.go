package live

import (
	"encoding/json"
	"time"
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
// to every connection as the same bytes (see broadcast.go). The time the writes took adds to
// r.wrote (the room's rest is in proportion).
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
	f := newFrameOut(r.out)
	r.out, r.outMore = nil, false
	clear(r.outPres)
	if f == nil {
		return
	}
	begun := time.Now()
	for _, c := range r.writeOut(f) {
		delete(r.conns, c)
	}
	r.wroteAt = time.Now()
	r.wrote += r.wroteAt.Sub(begun)
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
