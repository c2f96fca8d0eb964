package live

import (
	"encoding/json"
	"time"

	"github.com/gorilla/websocket"

	"klasseaftale/agreements"
)

// Other instances. On a shared store several instances serve the same agreement, each to the
// tabs that reached it, and any may serve any tab. A room hears of committed changes from the
// service: its own instance's right after the commit, the others' from the store's
// announcements, which come later. So a room tells each clause's revisions in order itself
// (sayOp). Where people are is not stored: rooms tell their twins on the other instances
// through Peers, and hear of theirs with RemotePresence. With one instance (SQLite), Peers is
// nil and none of this happens.

// Peers carries presence news to the same agreement's room on the other instances.
type Peers interface {
	// SendPresence hands a room's news (an encoded peerNews) to the other instances. It must
	// not block.
	SendPresence(agreementID string, payload []byte)
}

// peerNews is what a room tells its twins: where its tabs are, and whether it asks to be told
// where theirs are (a room that just opened knows nobody yet).
type peerNews struct {
	Ask      bool          `json:"ask,omitempty"`
	Presence []presenceMsg `json:"presence,omitempty"`
}

// SetPeers attaches the other instances; call it before the hub serves.
func (h *Hub) SetPeers(p Peers) { h.peers = p }

// RemotePresence takes a room's news from another instance; it never blocks. News for an
// agreement nobody here has open is dropped: a room that opens asks.
func (h *Hub) RemotePresence(agreementID string, payload []byte) {
	h.mu.Lock()
	r := h.rooms[agreementID]
	h.mu.Unlock()
	if r == nil {
		return
	}
	r.evMu.Lock()
	r.news = append(r.news, payload)
	r.evMu.Unlock()
	r.wake()
}

// Resync closes every live connection with 1012 (service restart), after this instance may
// have missed what the other instances announced (its listener lost the database for a
// while): the rooms may lack changes. The operations waiting are committed first; the tabs
// reconnect, are welcomed with the agreement as stored and resend what is in flight.
func (h *Hub) Resync() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, r := range h.rooms {
		r.resync.Store(true)
		r.wake()
	}
}

// resyncNow is Resync in the room's goroutine.
func (r *room) resyncNow() {
	r.sendOut()
	for c := range r.conns {
		c.closeWith(websocket.CloseServiceRestart, "resync")
		delete(r.conns, c)
	}
	clear(r.revs)
}

// sayOp puts a committed revision in the outbox, each clause's revisions in order and each
// once (docs/protocol.md, Revisions). With one instance they arrive so. On a shared store this
// instance's own revision may arrive before another instance's earlier one, which was
// committed first (this one was made on it) but is heard of later: the room then reads the
// revisions it missed from the log, and drops them when they arrive.
func (r *room) sayOp(clauseID string, rec *agreements.OpRecord) {
	last, known := r.revs[clauseID]
	if known && rec.Rev <= last {
		return
	}
	if known && rec.Rev > last+1 {
		ctx, cancel := r.ctx()
		missed, err := r.hub.svc.LogSince(ctx, r.id, clauseID, last)
		cancel()
		if err != nil {
			r.hub.cfg.Logger.Error("live: read missed revisions", "agreement", r.id, "err", err)
			r.hub.cfg.Metrics.Fault()
		}
		for i := range missed {
			if missed[i].Rev < rec.Rev {
				r.broadcast(newOpMsg(clauseID, &missed[i]), nil)
			}
		}
	}
	if r.revs == nil {
		r.revs = map[string]int{}
	}
	r.revs[clauseID] = rec.Rev
	r.broadcast(newOpMsg(clauseID, rec), nil)
}

// tellPeers queues a local tab's presence for the other instances, the newest per tab.
func (r *room) tellPeers(p presenceMsg) {
	if r.hub.peers == nil {
		return
	}
	if r.toPeers == nil {
		r.toPeers = map[string]presenceMsg{}
	}
	r.toPeers[p.Client] = p
}

// tellPeersAll queues the presence of every tab connected here: a room says so every tick, so
// that its people stay present elsewhere while they are here, and when another room asks.
func (r *room) tellPeersAll() {
	if r.hub.peers == nil {
		return
	}
	for _, p := range r.presence {
		if p.conn != nil && r.conns[p.conn] && p.conn.hello {
			r.tellPeers(p.msg)
		}
	}
}

// sendPeers sends what waits for the other instances, in one piece.
func (r *room) sendPeers() {
	if r.hub.peers == nil || (len(r.toPeers) == 0 && !r.ask) {
		return
	}
	news := peerNews{Ask: r.ask, Presence: make([]presenceMsg, 0, len(r.toPeers))}
	for _, p := range r.toPeers {
		news.Presence = append(news.Presence, p)
	}
	clear(r.toPeers)
	r.ask = false
	b, err := json.Marshal(news)
	if err != nil {
		r.hub.cfg.Logger.Error("live: encode", "err", err)
		return
	}
	r.hub.peers.SendPresence(r.id, b)
}

// takeRemote acts on news from the room's twins: their people are shown here, as present as
// this room's own, until they leave or fall silent there (PresenceTTL without news).
func (r *room) takeRemote(payload []byte, now time.Time) {
	var news peerNews
	if err := json.Unmarshal(payload, &news); err != nil {
		r.hub.cfg.Logger.Error("live: presence from another instance", "agreement", r.id, "err", err)
		return
	}
	if news.Ask {
		r.tellPeersAll()
	}
	for _, p := range news.Presence {
		if !validTabID(p.Client) {
			continue
		}
		if l := r.presence[p.Client]; l != nil {
			if l.conn != nil && r.conns[l.conn] {
				continue // connected here: this room knows best
			}
			delete(r.presence, p.Client) // it lost this instance and reached another
		}
		if p.Gone {
			if r.remote[p.Client] != nil {
				delete(r.remote, p.Client)
				r.outPresence(p, nil)
			}
			continue
		}
		if r.remote == nil {
			r.remote = map[string]*presence{}
		}
		r.remote[p.Client] = &presence{msg: p, lastSeen: now}
		r.outPresence(p, nil)
	}
}

// expireRemote forgets the people of other instances not heard of for PresenceTTL (their
// instance is gone) and tells the tabs here.
func (r *room) expireRemote(now time.Time) {
	for id, p := range r.remote {
		if now.Sub(p.lastSeen) > r.hub.cfg.PresenceTTL {
			delete(r.remote, id)
			gone := p.msg
			gone.Gone = true
			r.outPresence(gone, nil)
		}
	}
}
