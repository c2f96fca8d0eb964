package live

import (
	"time"

	"github.com/gorilla/websocket"

	"klasseaftale/agreements"
)

// presence is where one tab is: a person may have several.
type presence struct {
	msg      presenceMsg
	lastSeen time.Time
	conn     *conn // nil while disconnected; the entry lingers until PresenceTTL
}

// maxClientID bounds the tab id a client chooses.
const maxClientID = 64

// tabID is the tab ID a connection gets: the one its hello proposes, unless that is not a
// plain ID of 1–64 characters, or another member's tab in the room has it, or another open
// connection of the same member does (a duplicated browser tab): then a fresh one. A reloaded
// tab proposes its own ID again and takes its presence back.
func (r *room) tabID(c *conn, proposed string) string {
	if !validTabID(proposed) {
		return agreements.NewID()
	}
	if p := r.presence[proposed]; p != nil {
		other := p.msg.Member.ID != c.actor.Member.ID
		open := p.conn != nil && p.conn != c && r.conns[p.conn]
		if other || open {
			return agreements.NewID()
		}
	}
	// A tab of another instance: the same member's may be this one, come over.
	if p := r.remote[proposed]; p != nil && p.msg.Member.ID != c.actor.Member.ID {
		return agreements.NewID()
	}
	return proposed
}

func validTabID(id string) bool {
	if id == "" || len(id) > maxClientID {
		return false
	}
	for i := 0; i < len(id); i++ {
		b := id[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' || b == '_' || b == '.' || b == ':') {
			return false
		}
	}
	return true
}

// others lists the presence of everyone but c.
func (r *room) others(c *conn) []presenceMsg {
	out := []presenceMsg{}
	for id, p := range r.presence {
		if id != c.client {
			out = append(out, p.msg)
		}
	}
	for id, p := range r.remote {
		if id != c.client && r.presence[id] == nil {
			out = append(out, p.msg)
		}
	}
	return out
}

// touch records that a tab is alive, creating its presence on first sight.
func (r *room) touch(c *conn) {
	if !c.hello {
		return
	}
	p := r.presence[c.client]
	if p == nil {
		p = &presence{msg: presenceMsg{Type: "presence", Member: refOf(c.actor.Member), Client: c.client, Sel: []int{}}}
		r.presence[c.client] = p
		delete(r.remote, c.client) // it came over from another instance
	}
	p.lastSeen, p.conn = time.Now(), c
}

// updatePresence records where a tab's person is and tells the others.
func (r *room) updatePresence(c *conn, m inMsg) {
	p := r.presence[c.client]
	p.msg.Clause = nil
	if m.Clause != "" {
		clause := m.Clause
		p.msg.Clause = &clause
	}
	p.msg.Sel, p.msg.Rev, p.msg.Away = m.Sel, m.Rev, m.Away
	if len(p.msg.Sel) > 2 {
		p.msg.Sel = p.msg.Sel[:2]
	}
	if c.batched {
		// The selection counts in the revision of the tab's operation that waits: the others
		// are told after that operation, with the commit.
		r.presLater = append(r.presLater, c)
		return
	}
	r.broadcastPresence(p.msg, c)
}

// presenceAfterCommit tells the presences that waited for their tabs' operations.
func (r *room) presenceAfterCommit() {
	r.flush() // the operations first
	for _, c := range r.presLater {
		if p := r.presence[c.client]; p != nil && p.conn == c && r.conns[c] {
			r.broadcastPresence(p.msg, c)
		}
	}
	r.presLater = r.presLater[:0]
}

// gone removes at once the presence of a tab that closed its socket itself: a closed or
// reloaded tab (which comes back under the same ID) is not shown twice, nor for PresenceTTL
// after it left. A connection lost without a word lingers, to be taken back on reconnecting.
func (r *room) gone(c *conn) {
	p := r.presence[c.client]
	if p == nil || p.conn != c {
		return
	}
	delete(r.presence, c.client)
	left := p.msg
	left.Gone = true
	r.broadcastPresence(left, c)
}

// expire removes the people silent for longer than PresenceTTL and tells the others. A
// connected tab answers the server's pings, so only a vanished phone falls silent.
func (r *room) expire(now time.Time) {
	for id, p := range r.presence {
		if p.conn != nil && !r.conns[p.conn] {
			p.conn = nil
		}
		if p.conn != nil {
			if seen := time.Unix(0, p.conn.seen.Load()); seen.After(p.lastSeen) {
				p.lastSeen = seen
			}
		}
		if now.Sub(p.lastSeen) <= r.hub.cfg.PresenceTTL {
			continue
		}
		delete(r.presence, id)
		if p.conn != nil {
			p.conn.closeWith(websocket.CloseGoingAway, "silent")
			delete(r.conns, p.conn)
		}
		gone := p.msg
		gone.Gone = true
		r.broadcastPresence(gone, nil)
	}
}
