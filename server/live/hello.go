package live

import (
	"context"
	"encoding/json"

	"github.com/gorilla/websocket"

	"klasseaftale/agreements"
)

// The handshake: a connection's first message is a hello, answered with a welcome that holds the
// agreement as it is now, who is here, and the operations each resumed clause missed
// (docs/protocol.md, Connecting). Which tab ID the connection gets is presence's (tabID).

// hello answers a connection's first message with the agreement as it is now and who is here,
// then replays the operations each resumed clause missed.
func (r *room) hello(c *conn, m inMsg) {
	if c.hello {
		r.fail(c, agreements.ErrBadRequest, "", 0)
		return
	}
	c.client = r.tabID(c, m.Client)
	ctx, cancel := r.ctx()
	defer cancel()
	a, err := r.hub.svc.Agreement(ctx, c.actor, r.id)
	if err != nil {
		r.fail(c, err, "", 0)
		c.closeWith(websocket.ClosePolicyViolation, "")
		return
	}
	frame, err := r.welcome(ctx, c, a, m.Resume)
	if err != nil {
		r.fail(c, err, "", 0)
		c.closeWith(websocket.CloseInternalServerErr, "") // it reconnects and says hello again
		return
	}
	r.sendOut() // what the room said before, first: the welcome is newer
	c.hello = true
	if !c.queue(frame) {
		delete(r.conns, c)
		return
	}
	r.touch(c)
	r.broadcastPresence(r.presence[c.client].msg, c)
}

// welcome builds the welcome and, after it, the operations each resumed clause missed, as one
// frame: queued as one message, catching up after a long absence cannot overflow the queue.
func (r *room) welcome(ctx context.Context, c *conn, a *agreements.Agreement, resume map[string]int) ([]byte, error) {
	seq, err := r.hub.svc.TabSeq(ctx, c.actor, r.id, c.client)
	if err != nil {
		return nil, err
	}
	frame, err := json.Marshal(welcomeMsg{Type: "welcome", Client: c.client, Seq: seq, Member: c.actor.Member, Agreement: a, Presence: r.others(c)})
	if err != nil {
		return nil, err
	}
	for id, rev := range resume {
		cl := a.Clause(id)
		if cl == nil || rev >= cl.Rev || rev < 0 {
			continue
		}
		ops, err := r.hub.svc.OpsSince(ctx, c.actor, r.id, id, rev)
		if err != nil {
			return nil, err
		}
		for i := range ops {
			line, _ := json.Marshal(newOpMsg(id, &ops[i]))
			frame = append(append(frame, '\n'), line...)
		}
	}
	return frame, nil
}
