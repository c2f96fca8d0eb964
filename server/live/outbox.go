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

// broadcast puts a message for every connection that has said hello, except skip, in the
// outbox.
func (r *room) broadcast(m any, skip *conn) {
	b, err := json.Marshal(m)
	if err != nil {
		r.hub.cfg.Logger.Error("live: encode", "err", err)
		return
	}
	r.out = append(r.out, outMsg{b: b, skip: skip})
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
	r.broadcast(p, skip)
	if r.outPres == nil {
		r.outPres = map[string]int{}
	}
	r.outPres[p.Client] = len(r.out) - 1
}

// sendOut sends the outbox: the messages joined once, one line each, and queued to every
// connection as one piece. A connection some message skips gets its own copy without it.
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
	r.out = nil
	clear(r.outPres)
	all := joinLines(out, nil)
	skipped := map[*conn][]byte{}
	for _, m := range out {
		if m.b != nil && m.skip != nil && skipped[m.skip] == nil {
			skipped[m.skip] = joinLines(out, m.skip)
		}
	}
	for c := range r.conns {
		if !c.hello {
			continue
		}
		b := all
		if own, ok := skipped[c]; ok {
			b = own
		}
		if len(b) > 0 && !c.queueBroadcast(b) {
			delete(r.conns, c)
		}
	}
}

// joinLines joins the messages not meant to skip, one a line.
func joinLines(out []outMsg, skip *conn) []byte {
	n := 0
	for _, m := range out {
		n += len(m.b) + 1
	}
	b := make([]byte, 0, n)
	for _, m := range out {
		if m.b == nil || (skip != nil && m.skip == skip) {
			continue
		}
		if len(b) > 0 {
			b = append(b, '\n')
		}
		b = append(b, m.b...)
	}
	return b
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
