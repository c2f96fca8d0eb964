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

	conns     map[*conn]bool
	presence  map[string]*presence
	batch     []*incoming // operations waiting to be committed with the next broadcast
	presLater []*conn     // tabs whose presence is told after the batch, with their operations
	lastBusy  time.Time

	out      []outMsg       // messages for everyone, waiting for the next broadcast
	outPres  map[string]int // per tab, where its presence waits in out: a newer one replaces it
	lastOut  time.Time      // when the last broadcast went out
	outTimer *time.Timer    // armed while a broadcast waits for its turn
}

// outMsg is one message of the outbox, for every connection but skip; b is nil for one a
// newer message replaced.
type outMsg struct {
	b    []byte
	skip *conn
}

func newRoom(h *Hub, id string) *room {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &room{id: id, hub: h, in: make(chan *incoming, 1024), done: make(chan struct{}), notify: make(chan struct{}, 1),
		conns: map[*conn]bool{}, presence: map[string]*presence{}, lastBusy: time.Now(), outTimer: t}
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
	defer r.outTimer.Stop()
	for {
		select {
		case in := <-r.in:
			r.handle(in)
		case <-r.notify:
		case <-r.outTimer.C:
			r.sendOut()
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
		r.pace()
	}
}

func (r *room) idle(now time.Time) bool {
	if len(r.conns) > 0 || len(r.presence) > 0 {
		r.lastBusy = now
		return false
	}
	return now.Sub(r.lastBusy) > r.hub.cfg.RoomIdle
}

// flush puts the committed events in the outbox, in commit order.
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

// broadcastPresence puts where a tab is in the outbox, in place of where it was when that is
// still waiting: a person typing moves their caret with every keystroke, and only the last
// place matters to the others.
func (r *room) broadcastPresence(p presenceMsg, skip *conn) {
	if i, ok := r.outPres[p.Client]; ok {
		r.out[i].b = nil
	}
	r.broadcast(p, skip)
	if r.outPres == nil {
		r.outPres = map[string]int{}
	}
	r.outPres[p.Client] = len(r.out) - 1
}

// pace sends the outbox now, or arms the timer for when the room's turn comes: a broadcast
// costs a write to every connection, so a room of n connections broadcasts at most once every
// n × BroadcastGap (capped at MaxBroadcastGap), and all that piled up meanwhile goes in one
// frame, the operations committed in one transaction just before. A quiet room sends at once.
func (r *room) pace() {
	if len(r.out) == 0 && len(r.batch) == 0 {
		return
	}
	gap := min(time.Duration(len(r.conns))*r.hub.cfg.BroadcastGap, r.hub.cfg.MaxBroadcastGap)
	wait := gap - time.Since(r.lastOut)
	if wait <= 0 {
		r.sendOut()
		return
	}
	r.outTimer.Reset(wait) // an armed timer moves to the same instant, give or take
}

// sendOut sends the outbox: the messages joined once, one line each, and queued to every
// connection as one piece. A connection some message skips gets its own copy without it.
func (r *room) sendOut() {
	r.outTimer.Stop()
	if len(r.batch) > 0 {
		r.commit()
		r.flush()
	}
	if len(r.out) == 0 {
		return
	}
	r.lastOut = time.Now()
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
		if len(b) > 0 && !c.queue(b) {
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
	r.batch = nil // not acknowledged: the clients send them again to the next server
	r.sendOut()
	for c := range r.conns {
		c.closeWith(1001, "server restarting")
	}
}

// ctx bounds one call of the service from the room.
func (r *room) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.hub.ctx, 10*time.Second)
}
