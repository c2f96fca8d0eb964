package live

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"klasseaftale/agreements"
)

// room is one agreement's live session. Its goroutine alone touches conns and presence, orders
// the edits it is sent, and broadcasts the events the service publishes after each commit.
type room struct {
	id   string
	hub  *Hub
	in   chan *incoming // arrivals, messages and departures, in the order each connection made them
	done chan struct{}

	evMu   sync.Mutex
	events []agreements.Event
	news   [][]byte // from the room's twins on other instances (takeRemote)
	notify chan struct{}

	conns     map[*conn]bool
	presence  map[string]*presence
	batch     []*incoming // operations waiting to be committed with the next broadcast
	presLater []*conn     // tabs whose presence is told after the batch, with their operations
	lastBusy  time.Time
	to        []*conn // whom a broadcast is written to, kept between broadcasts (see writeOut)

	out       []outMsg       // messages for everyone, waiting for the next broadcast
	outPres   map[string]int // per tab, where its presence waits in out: a newer one replaces it
	outMore   bool           // out holds more than where people are
	presSince time.Time      // when out, holding only where people are, began to
	since     time.Time      // when the oldest message the next broadcast answers arrived
	wrote     time.Duration  // how long the writes of the broadcasts since the last rest took
	wroteAt   time.Time      // when the last broadcast was written

	// Other instances (peers.go); all empty with one instance.
	revs    map[string]int         // per clause, the last revision told (see sayOp)
	remote  map[string]*presence   // the tabs on other instances, by tab ID
	toPeers map[string]presenceMsg // this instance's news for them, the newest per tab
	ask     bool                   // ask them where their tabs are
	resync  atomic.Bool            // close every connection: this instance missed news (Hub.Resync)
}

func newRoom(h *Hub, id string) *room {
	return &room{id: id, hub: h, in: make(chan *incoming, 1024), done: make(chan struct{}), notify: make(chan struct{}, 1),
		conns: map[*conn]bool{}, presence: map[string]*presence{}, lastBusy: time.Now(),
		ask: h.peers != nil}
}

// push queues a committed event; the queue is unbounded so the committing side never waits,
// and it is drained after every step of the room.
func (r *room) push(e agreements.Event) {
	r.evMu.Lock()
	r.events = append(r.events, e)
	r.evMu.Unlock()
	r.wake()
}

// wake makes the room look at its queues of events and news; it never blocks.
func (r *room) wake() {
	select {
	case r.notify <- struct{}{}:
	default:
	}
}

func (r *room) leaveLater(c *conn, clean bool) {
	select {
	case r.in <- &incoming{c: c, leave: true, clean: clean}:
	case <-r.done:
	}
}

// run is the room's loop. It batches by work, not by clock, as a database's group commit
// does: what arrived while the room was committing and broadcasting is taken at once, up to
// maxBatch operations, committed in one transaction and broadcast in one piece. The room
// writes each broadcast to the sockets itself (see conn), so a broadcast is in progress until
// it is written and the batches grow with the work of writing too. A quiet room so answers
// each message at once, and a busy one batches as much as its work requires.
func (r *room) run() {
	defer close(r.done)
	every := min(r.hub.cfg.PresenceTTL/6, r.hub.cfg.PingInterval)
	tick := time.NewTicker(every)
	defer tick.Stop()
	pingEvery, ticks := max(1, int(r.hub.cfg.PingInterval/every)), 0
	h := newHold()
	for {
		in := r.in
		if len(r.batch) >= maxBatch {
			in = nil // a full batch: the broadcast first
		}
		select {
		case m := <-in:
			r.handle(m)
			r.takeWaiting()
		case <-r.notify:
		case <-h.rest:
			h.rest = nil
		case <-h.presence:
			h.presence = nil
		case now := <-tick.C:
			ticks++
			if r.everyTick(now, ticks%pingEvery == 0) {
				return
			}
		case <-r.hub.ctx.Done():
			r.closeAll()
			return
		}
		r.flush()
		if r.resync.Swap(false) {
			r.resyncNow()
		}
		r.sendWhenFree(h)
	}
}

// sendWhenFree sends the outbox unless the room rests (and its batch is not full), or it holds
// only where people are, for less than Config.PresenceWait; after a broadcast the room rests
// in proportion to its writes.
func (r *room) sendWhenFree(h *hold) {
	only, left := r.onlyPresence()
	switch {
	case h.rest != nil && len(r.batch) < maxBatch:
	case only && left > 0:
		h.presenceFor(left) // it may go with the next keystroke
	default:
		h.done()
		before := r.wroteAt
		r.sendOut()
		if r.wrote > 0 {
			h.restFor(restAfter(len(r.conns), r.wrote, r.wroteAt.Sub(before)-r.wrote))
			r.wrote = 0
		}
	}
}

// everyTick does the room's periodic work: who is gone, what the other instances are to hear,
// a ping when it is time. It reports whether the room, empty for RoomIdle, has closed.
func (r *room) everyTick(now time.Time, ping bool) bool {
	r.expire(now)
	r.expireRemote(now)
	r.tellPeersAll()
	if ping {
		r.ping()
	}
	return r.idle(now) && r.hub.leaveIfIdle(r)
}

// ping pings every connection (each PingInterval), so a peer that vanished is found: its
// reader sees no pong within PongWait, and a socket that takes nothing more fails its flusher.
func (r *room) ping() {
	for c := range r.conns {
		if !c.queueFrame(pingWire) {
			delete(r.conns, c)
		}
	}
}

// takeWaiting acts on the messages that are already waiting, without waiting for more, until
// the batch holds maxBatch operations: the rest go with the next broadcast, so one broadcast
// does bounded work. (A message other than an operation or a presence commits the batch
// first; see handle.)
func (r *room) takeWaiting() {
	for n := len(r.in); n > 0 && len(r.batch) < maxBatch; n-- {
		r.handle(<-r.in)
	}
}

func (r *room) idle(now time.Time) bool {
	if len(r.conns) > 0 || len(r.presence) > 0 {
		r.lastBusy = now
		return false
	}
	return now.Sub(r.lastBusy) > r.hub.cfg.RoomIdle
}

// flush puts the committed events in the outbox, in commit order, and the news from other
// instances.
func (r *room) flush() {
	r.evMu.Lock()
	events, news := r.events, r.news
	r.events, r.news = nil, nil
	r.evMu.Unlock()
	for _, e := range events {
		switch e.Type {
		case agreements.EventAccessEnded:
			r.endAccess(e)
		case agreements.EventOp:
			r.sayOp(e.Clause.ID, e.Op)
		default:
			if m := eventMsg(e); m != nil {
				r.broadcast(m, nil)
			}
		}
	}
	if len(news) > 0 {
		now := time.Now()
		for _, b := range news {
			r.takeRemote(b, now)
		}
	}
}

// fail tells a connection's person what went wrong, in their language.
func (r *room) fail(c *conn, err error, clause string, seq int) {
	e, ok := agreements.AsError(err)
	if !ok {
		r.hub.cfg.Logger.Error("live: room", "agreement", r.id, "err", err)
		r.hub.cfg.Metrics.Fault()
		e = agreements.ErrInternal
	}
	r.send(c, errorMsg{Type: "error", Code: e.Code, Message: r.hub.msgs.T(c.lang, e.Code, e.Data), Clause: clause, Seq: seq})
}

// endAccess closes the connections of the members who lost access to the class, with an
// error that says so: their next messages would otherwise still be acted on.
func (r *room) endAccess(e agreements.Event) {
	ended := map[*conn]bool{}
	for c := range r.conns {
		m := c.actor.Member
		if m != nil && m.ClassID == e.ClassID && (e.MemberID == "" || m.ID == e.MemberID) &&
			(e.TokenHash == "" || c.actor.TokenHash == e.TokenHash) {
			ended[c] = true
		}
	}
	if len(ended) == 0 {
		return
	}
	// Their operations still waiting are not theirs to make any more: dropped, never committed.
	r.batch = slices.DeleteFunc(r.batch, func(in *incoming) bool { return ended[in.c] })
	r.sendOut()
	for c := range ended {
		delete(r.conns, c)
		if p := r.presence[c.client]; p != nil && p.conn == c {
			delete(r.presence, c.client)
			gone := p.msg
			gone.Gone = true
			r.broadcastPresence(gone, c)
		}
		c.end(c.errorFrame(agreements.ErrAuthRequired), websocket.ClosePolicyViolation, agreements.ErrAuthRequired.Code)
	}
}

func (r *room) closeAll() {
	r.batch = nil // not acknowledged: the clients send them again to the next server
	r.sendOut()
	for c := range r.conns {
		c.closeWith(websocket.CloseGoingAway, "server restarting")
	}
}

// ctx bounds one call of the service from the room.
func (r *room) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.hub.ctx, 10*time.Second)
}
