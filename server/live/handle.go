package live

import (
	"errors"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/agreements/ot"
)

// maxBatch bounds how many operations are committed in one transaction and broadcast
// together, so that one broadcast does bounded work: in a clause with hundreds of authors,
// each operation of a batch may be rebased past hundreds of revisions.
const maxBatch = 64

// handle acts on one message from a connection. Operations wait for the room's next broadcast
// and are committed together just before it: under load, a room pays one commit per
// broadcast, not one per keystroke. Any other message commits the waiting ones first, so the
// room acts on each connection's messages in the order they came.
func (r *room) handle(in *incoming) {
	if r.since.IsZero() && !in.at.IsZero() {
		r.since = in.at
	}
	if r.mustCommitBefore(in) {
		r.commit()
	}
	switch {
	case in.arrive:
		r.conns[in.c] = true
		return
	case in.leave:
		delete(r.conns, in.c)
		if in.clean {
			r.gone(in.c)
		}
		return
	case !r.conns[in.c]:
		return // dropped meanwhile
	}
	if in.err != nil {
		r.fail(in.c, badMessage(in.err), in.msg.Clause, in.msg.Seq)
		return
	}
	if in.msg.Type != "hello" && !in.c.hello {
		r.fail(in.c, agreements.ErrBadRequest, "", 0)
		return
	}
	r.touch(in.c)
	switch in.msg.Type {
	case "hello":
		r.hello(in.c, in.msg)
	case "op":
		if in.msg.Client != in.c.client || in.msg.Seq <= 0 {
			r.fail(in.c, agreements.ErrBadRequest, in.msg.Clause, in.msg.Seq)
			return
		}
		r.batch = append(r.batch, in)
		in.c.batched = true // a full batch goes out before the room reads on (see run)
	case "presence":
		r.updatePresence(in.c, in.msg)
	case "clause.add", "clause.remove", "clause.move", "clause.title", "clause.value":
		r.command(in.c, in.msg)
	default:
		r.fail(in.c, agreements.ErrBadRequest, in.msg.Clause, in.msg.Seq)
	}
}

// mustCommitBefore reports whether the waiting operations must be committed before the room
// acts on in: anything but another operation or a presence. (A presence of a tab whose
// operation waits is told after that operation: see updatePresence.)
func (r *room) mustCommitBefore(in *incoming) bool {
	switch {
	case len(r.batch) == 0, in.arrive, in.leave:
		return false
	case in.err != nil:
		return true
	}
	return in.msg.Type != "op" && in.msg.Type != "presence"
}

// badMessage maps a frame that is not a valid message to its error: an operation that is not
// valid (a lone surrogate, a zero component) is op.invalid, anything else malformed.
func badMessage(err error) error {
	if _, ok := agreements.AsError(err); ok {
		return err
	}
	for _, e := range []error{ot.ErrMalformed, ot.ErrLoneSurrogate, ot.ErrInvalidUTF8, ot.ErrTooLong} {
		if errors.Is(err, e) {
			return agreements.ErrOpInvalid
		}
	}
	return agreements.ErrBadRequest
}

// commit commits the waiting operations in one transaction and tells their authors of those
// that failed or were resends.
func (r *room) commit() {
	batch := r.batch
	r.batch = nil
	if len(batch) == 0 {
		return
	}
	for _, in := range batch {
		in.c.batched = false
	}
	defer r.presenceAfterCommit()
	ctx, cancel := r.ctx()
	start := time.Now()
	results, err := r.hub.svc.ApplyOps(ctx, r.id, submissions(batch))
	cancel()
	if err == nil {
		r.hub.cfg.Metrics.Committed(len(batch), time.Since(start))
	}
	r.flush() // the batch's operations first: a resend's ack must not overtake the revisions before it
	for i, in := range batch {
		switch {
		case !r.conns[in.c]:
			// Gone meanwhile: it learns on reconnecting, resending what it has in flight.
		case err != nil:
			r.fail(in.c, err, in.msg.Clause, in.msg.Seq)
		case results[i].Err != nil:
			r.fail(in.c, results[i].Err, in.msg.Clause, in.msg.Seq)
		case results[i].Dup:
			r.send(in.c, newOpMsg(in.msg.Clause, results[i].Rec))
		}
	}
}

func submissions(batch []*incoming) []agreements.OpSubmit {
	subs := make([]agreements.OpSubmit, len(batch))
	for i, in := range batch {
		m := in.msg
		subs[i] = agreements.OpSubmit{Actor: in.c.actor, Req: agreements.OpRequest{
			Clause: m.Clause, Rev: m.Rev, Client: m.Client, Seq: m.Seq, Op: m.Op}}
	}
	return subs
}

// command carries out a change of structure or of a clause's title or value. The server's
// order decides; the committed change reaches everyone as an event.
func (r *room) command(c *conn, m inMsg) {
	ctx, cancel := r.ctx()
	defer cancel()
	svc, actor := r.hub.svc, c.actor
	var err error
	switch m.Type {
	case "clause.add":
		title := ""
		if m.Title != nil {
			title = *m.Title
		}
		_, err = svc.AddClause(ctx, actor, r.id, agreements.NewClause{Title: title, Body: m.Body, After: m.After})
	case "clause.remove":
		err = svc.RemoveClause(ctx, actor, r.id, m.Clause)
	case "clause.move":
		_, err = svc.MoveClause(ctx, actor, r.id, m.Clause, m.After)
	case "clause.title":
		if m.Title == nil {
			err = agreements.ErrBadRequest
			break
		}
		_, err = svc.SetClause(ctx, actor, r.id, m.Clause, agreements.ClauseEdit{Title: m.Title})
	case "clause.value":
		if m.Value == nil {
			err = agreements.ErrBadRequest
			break
		}
		_, err = svc.SetClause(ctx, actor, r.id, m.Clause, agreements.ClauseEdit{Value: m.Value})
	}
	if err != nil {
		r.fail(c, err, m.Clause, m.Seq)
	}
}
