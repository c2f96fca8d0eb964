package live

import (
	"context"
	"encoding/json"
	"sync"
	"time"

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
	notify chan struct{}

	conns    map[*conn]bool
	presence map[string]*presence
	pending  *incoming // a message read while draining a batch, handled next
	lastBusy time.Time
}

func newRoom(h *Hub, id string) *room {
	return &room{id: id, hub: h, in: make(chan *incoming, 1024), done: make(chan struct{}), notify: make(chan struct{}, 1),
		conns: map[*conn]bool{}, presence: map[string]*presence{}, lastBusy: time.Now()}
}

// push queues a committed event; the queue is unbounded so the committing side never waits,
// and it is drained after every step of the room.
func (r *room) push(e agreements.Event) {
	r.evMu.Lock()
	r.events = append(r.events, e)
	r.evMu.Unlock()
	select {
	case r.notify <- struct{}{}:
	default:
	}
}

func (r *room) leaveLater(c *conn) {
	select {
	case r.in <- &incoming{c: c, leave: true}:
	case <-r.done:
	}
}

func (r *room) run() {
	defer close(r.done)
	tick := time.NewTicker(r.hub.cfg.PresenceTTL / 6)
	defer tick.Stop()
	for {
		select {
		case in := <-r.in:
			r.handle(in)
		case <-r.notify:
		case now := <-tick.C:
			r.expire(now)
			if r.idle(now) && r.hub.leaveIfIdle(r) {
				return
			}
		case <-r.hub.ctx.Done():
			r.closeAll()
			return
		}
		r.flush()
		for r.pending != nil {
			in := r.pending
			r.pending = nil
			r.handle(in)
			r.flush()
		}
	}
}

func (r *room) idle(now time.Time) bool {
	if len(r.conns) > 0 || len(r.presence) > 0 {
		r.lastBusy = now
		return false
	}
	return now.Sub(r.lastBusy) > r.hub.cfg.RoomIdle
}

// flush broadcasts the committed events, in commit order.
func (r *room) flush() {
	r.evMu.Lock()
	events := r.events
	r.events = nil
	r.evMu.Unlock()
	for _, e := range events {
		if m := eventMsg(e); m != nil {
			r.broadcast(m, nil)
		}
	}
}

// broadcast sends a message to every connection that has said hello, except skip.
func (r *room) broadcast(m any, skip *conn) {
	b, err := json.Marshal(m)
	if err != nil {
		r.hub.cfg.Logger.Error("live: encode", "err", err)
		return
	}
	for c := range r.conns {
		if c != skip && c.hello && !c.queue(b) {
			delete(r.conns, c)
		}
	}
}

// send sends a message to one connection.
func (r *room) send(c *conn, m any) {
	b, err := json.Marshal(m)
	if err != nil {
		r.hub.cfg.Logger.Error("live: encode", "err", err)
		return
	}
	if !c.queue(b) {
		delete(r.conns, c)
	}
}

// fail tells a connection's person what went wrong, in their language.
func (r *room) fail(c *conn, err error, clause string, seq int) {
	e, ok := agreements.AsError(err)
	if !ok {
		r.hub.cfg.Logger.Error("live: room", "agreement", r.id, "err", err)
		e = agreements.ErrInternal
	}
	r.send(c, errorMsg{Type: "error", Code: e.Code, Message: r.hub.msgs.T(c.lang, e.Code, e.Data), Clause: clause, Seq: seq})
}

func (r *room) closeAll() {
	for c := range r.conns {
		c.closeWith(1001, "server restarting")
	}
}

// ctx bounds one call of the service from the room.
func (r *room) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.hub.ctx, 10*time.Second)
}
