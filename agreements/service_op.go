package agreements

import (
	"context"
	"errors"
	"time"

	"klasseaftale/agreements/ot"
)

// Stores: AgreementStore, OpLog.

// OpRequest is a text operation from a live client: made on revision Rev of the clause's body,
// numbered Seq by the client that sent it.
type OpRequest struct {
	Clause string
	Rev    int
	Client string
	Seq    int
	Op     ot.Op
}

// OpSubmit is one operation of a batch, with who sent it.
type OpSubmit struct {
	Actor Actor
	Req   OpRequest
}

// OpResult is what became of one operation of a batch: its log entry, or the error for its
// author. Dup marks a resend of an operation applied before: it is acknowledged again with its
// original entry and not applied twice.
type OpResult struct {
	Rec *OpRecord
	Dup bool
	Err error
}

// ApplyOp applies one operation; see ApplyOps.
func (s *Service) ApplyOp(ctx context.Context, actor Actor, agreementID string, req OpRequest) (*OpRecord, error) {
	res, err := s.ApplyOps(ctx, agreementID, []OpSubmit{{Actor: actor, Req: req}})
	if err != nil {
		return nil, err
	}
	return res[0].Rec, res[0].Err
}

// ApplyOps transforms each operation against the revisions its author had not seen, applies it
// and commits the whole batch in one transaction; the events go out after the commit. An
// operation a person can be told about (invalid, stale, no right) fails alone; a fault of the
// store fails the batch. Within a batch the agreement is read once, each clause once and
// written once, and the batch's own operations are rebased against in memory.
func (s *Service) ApplyOps(ctx context.Context, agreementID string, batch []OpSubmit) ([]OpResult, error) {
	results := make([]OpResult, len(batch))
	var b *opBatch
	err := s.commitThen(ctx, func(tx Tx) ([]Event, error) {
		b = &opBatch{svc: s, tx: tx, clauses: map[string]*batchClause{}, now: s.clock()}
		var err error
		if b.a, err = tx.Agreement(agreementID); err != nil {
			return nil, err
		}
		var events []Event
		for i, sub := range batch {
			rec, clause, dup, err := b.apply(sub.Actor, sub.Req)
			if _, ok := AsError(err); err != nil && !ok {
				return nil, err
			}
			results[i] = OpResult{Rec: rec, Dup: dup, Err: err}
			if err == nil && !dup {
				events = append(events, Event{AgreementID: agreementID, Type: EventOp, Clause: clause, Op: rec})
			}
		}
		if len(events) > 0 {
			if err := s.active(tx, b.a.ClassID); err != nil {
				return nil, err
			}
		}
		return events, b.save()
	}, func() {
		for id, bc := range b.clauses {
			s.recent.add(id, bc.added, bc.maxSeq)
		}
	})
	return results, err
}

// opBatch is one transaction's worth of operations on one agreement: what reached the room
// while it was busy is read, rebased, written and committed together, so a busy room pays one
// commit per batch, not per keystroke. BenchmarkApplyOps/log=0 takes about 32 µs a keystroke
// in batches of 32 and 75 µs for one alone.
type opBatch struct {
	svc     *Service
	tx      Tx
	a       *Agreement
	clauses map[string]*batchClause
	now     time.Time // the batch's time, by the service's clock
}

// batchClause is a clause as the batch has changed it, with the revisions it added.
type batchClause struct {
	c       *Clause
	start   int            // the clause's revision when the batch first read it
	added   []OpRecord     // revisions start+1 … made in this batch
	maxSeq  map[string]int // per tab (tabKey), the highest seq of its ops in the log, where known
	chains  map[int]*chain // per base revision, the revisions after it chained
	scratch []ot.Op        // opsBetween's result, reused
}

// chain is the revisions of a clause after a base revision, chained into one operation (see
// ot.Chain), up to revision upTo.
type chain struct {
	op   ot.Op
	upTo int
}

// chainFrom is how many revisions behind an operation must be for the batch to rebase it past
// them chained rather than one by one: chaining costs more than a few rebases, and pays when
// operations of many authors, made on the same revision, are rebased past the same run, or
// one operation is far behind. BenchmarkApplyStaleOps (64 operations on 8 revisions, 300
// behind) takes about 150 µs a keystroke; one by one, 180 µs.
const chainFrom = 8

func (b *opBatch) clause(id string) (*batchClause, error) {
	if bc, ok := b.clauses[id]; ok {
		return bc, nil
	}
	c, err := b.tx.Clause(id)
	if err != nil || c.AgreementID != b.a.ID {
		return nil, ErrClauseUnknown
	}
	bc := &batchClause{c: c, start: c.Rev, maxSeq: map[string]int{}}
	b.clauses[id] = bc
	return bc, nil
}

// tabKey names a tab of a member: an operation's identity is (member, tab, seq), so a tab ID
// that another member also uses never matches their operations.
func tabKey(member, client string) string { return member + "\x00" + client }

// applied returns the operation a member's tab sent with seq, when it was applied before. The
// highest seq of each tab's operations is kept in memory once read, so an operation newer than
// all a tab sent before — nearly every one — needs no lookup in the log. A seq that is neither
// new nor in the log breaks the numbering (seqs only grow): it is refused, so that no edit is
// mistaken for another.
func (b *opBatch) applied(bc *batchClause, member, client string, seq int) (*OpRecord, error) {
	if done := bc.bySeq(member, client, seq); done != nil {
		return done, nil
	}
	tab := tabKey(member, client)
	top, ok := bc.maxSeq[tab]
	if !ok {
		// On a shared store another instance may have logged the tab's newer operations (the
		// tab reconnected there and back): only the log, read under the clause's lock, knows.
		if top, ok = b.svc.recent.maxSeq(bc.c.ID, tab); !ok || b.svc.shared {
			var err error
			if top, err = b.tx.MaxSeq(bc.c.ID, member, client); err != nil {
				return nil, err
			}
		}
		bc.maxSeq[tab] = top
	}
	if seq > top {
		bc.maxSeq[tab] = seq // it is applied now, or refused and never logged: either way no older one is above it
		return nil, nil
	}
	done, err := b.tx.OpBySeq(bc.c.ID, member, client, seq)
	if errors.Is(err, ErrNotFound) {
		return nil, ErrSeqOld
	}
	return done, err
}

func (b *opBatch) apply(actor Actor, req OpRequest) (*OpRecord, *Clause, bool, error) {
	if !b.a.CanEdit(actor) {
		return nil, nil, false, ErrForbidden
	}
	bc, err := b.clause(req.Clause)
	if err != nil {
		return nil, nil, false, err
	}
	c := bc.c
	if req.Client != "" {
		if req.Seq <= 0 {
			return nil, nil, false, ErrBadRequest
		}
		done, err := b.applied(bc, actor.Member.ID, req.Client, req.Seq)
		if err != nil {
			return nil, nil, false, err
		}
		if done != nil {
			return done, snapshot(c), true, nil
		}
	}
	if !b.a.Editable() {
		return nil, nil, false, ErrNotDraft
	}
	if lockedFor(c, b.a, actor) {
		return nil, nil, false, ErrClauseLocked
	}
	if req.Rev < 0 || req.Rev > c.Rev {
		return nil, nil, false, ErrOpInvalid
	}
	op, err := b.rebase(bc, req.Rev, req.Op)
	if err != nil {
		return nil, nil, false, err
	}
	body, err := ot.Apply(c.Body, op)
	if err != nil {
		return nil, nil, false, ErrOpInvalid
	}
	// Apply has checked that what the op inserts and keeps is valid UTF-8 and that it spans the
	// whole body, so the new body is as long as the op's target: only that is left to check,
	// without counting the body again.
	if op.TargetLen() > MaxBodyLen {
		return nil, nil, false, ErrBodyTooLong
	}
	c.Body, c.Rev = body, c.Rev+1
	rec := OpRecord{Rev: c.Rev, Client: req.Client, Seq: req.Seq, MemberID: actor.Member.ID, Op: op}
	bc.added = append(bc.added, rec)
	return &rec, snapshot(c), false, nil
}

// bySeq finds an operation the batch has already applied for the member's tab and seq.
func (bc *batchClause) bySeq(member, client string, seq int) *OpRecord {
	for i := range bc.added {
		if r := &bc.added[i]; r.Client == client && r.Seq == seq && r.MemberID == member {
			return r
		}
	}
	return nil
}

// rebase transforms op past the revisions after rev: those of this batch and recent ones from
// memory, older ones from the log. Far enough behind, past them chained (rebaseChained).
func (b *opBatch) rebase(bc *batchClause, rev int, op ot.Op) (ot.Op, error) {
	if bc.c.Rev-rev >= chainFrom {
		if rebased, ok, err := b.rebaseChained(bc, rev, op); err != nil || ok {
			return rebased, err
		}
	}
	ops, err := b.opsBetween(bc, rev, bc.c.Rev)
	if err != nil {
		return nil, err
	}
	for _, past := range ops {
		if op, err = ot.Rebase(op, past); err != nil {
			return nil, ErrOpInvalid
		}
	}
	return op, nil
}

// opsBetween returns the operations of the clause's revisions from+1 … to, in the batch's
// scratch slice (valid until its next call): those before the batch from memory or the log,
// then the batch's own.
func (b *opBatch) opsBetween(bc *batchClause, from, to int) ([]ot.Op, error) {
	ops := bc.scratch[:0]
	if from < bc.start {
		var ok bool
		if ops, ok = b.svc.recent.appendOps(ops, bc.c.ID, from, bc.start); !ok {
			log, err := b.tx.OpsSince(bc.c.ID, from)
			if err != nil {
				return nil, err
			}
			log = log[:min(len(log), bc.start-from)]
			b.svc.recent.fill(bc.c.ID, log, bc.start)
			for _, r := range log {
				ops = append(ops, r.Op)
			}
		}
	}
	for _, r := range bc.added[max(0, from-bc.start) : to-bc.start] {
		ops = append(ops, r.Op)
	}
	bc.scratch = ops
	if len(ops) != to-from {
		return nil, ErrOpInvalid // the log no longer reaches back to from
	}
	return ops, nil
}

// rebaseChained rebases op, made on revision rev, past the revisions after it chained into one
// operation, which it keeps for the batch's other operations made on rev: a clause with
// hundreds of authors at once has many operations on each revision, each one many revisions
// behind. ok is false when the chain cannot stand in for the revisions (see
// ot.RebaseChained: rare, when they delete all the text between what op deletes and what it
// inserts after that); the caller then rebases op past each revision.
func (b *opBatch) rebaseChained(bc *batchClause, rev int, op ot.Op) (ot.Op, bool, error) {
	ch := bc.chains[rev]
	if ch == nil {
		ch = &chain{upTo: rev}
		if bc.chains == nil {
			bc.chains = map[int]*chain{}
		}
		bc.chains[rev] = ch
	}
	if ch.upTo < bc.c.Rev {
		// The revisions since are chained first, then onto the chain in one pass over it: the
		// chain is long, what it gains is short.
		more, err := b.opsBetween(bc, ch.upTo, bc.c.Rev)
		if err != nil {
			return nil, false, err
		}
		chained, err := ot.Chain(more...)
		if err == nil && ch.op != nil {
			chained, err = ot.Chain(ch.op, chained)
		}
		if err != nil {
			delete(bc.chains, rev)
			return nil, false, nil
		}
		ch.op, ch.upTo = chained, bc.c.Rev
	}
	rebased, ok, err := ot.RebaseChained(op, ch.op)
	return rebased, ok && err == nil, nil
}

// save writes each changed clause once, and logs its new revisions together.
func (b *opBatch) save() error {
	for _, bc := range b.clauses {
		if len(bc.added) > 0 {
			if err := b.tx.UpdateClause(bc.c); err != nil {
				return err
			}
			if err := b.tx.InsertOps(bc.c.ID, b.now, bc.added); err != nil {
				return err
			}
		}
	}
	return nil
}

// snapshot copies a clause as it is now, for an event: the batch goes on changing its own copy.
func snapshot(c *Clause) *Clause {
	cp := *c
	return &cp
}

// OpsSince returns the log entries of a clause after revision rev, for a client catching up.
func (s *Service) OpsSince(ctx context.Context, actor Actor, agreementID, clauseID string, rev int) ([]OpRecord, error) {
	var out []OpRecord
	err := s.view(ctx, func(tx Tx) error {
		a, err := tx.Agreement(agreementID)
		if err != nil {
			return err
		}
		if !actor.CanSee(a.ClassID, a.Kind) {
			return ErrForbidden
		}
		out, err = logSince(tx, agreementID, clauseID, rev)
		return err
	})
	return out, err
}

// logSince reads the log of one of the agreement's clauses after revision rev.
func logSince(tx Tx, agreementID, clauseID string, rev int) ([]OpRecord, error) {
	c, err := tx.Clause(clauseID)
	if err != nil || c.AgreementID != agreementID {
		return nil, ErrClauseUnknown
	}
	return tx.OpsSince(clauseID, rev)
}

// LogSince returns the log entries of a clause after revision rev, for a live room that missed
// some (committed by another instance and not heard of yet). The room checked its people's
// access when they arrived.
func (s *Service) LogSince(ctx context.Context, agreementID, clauseID string, rev int) ([]OpRecord, error) {
	var out []OpRecord
	err := s.view(ctx, func(tx Tx) (err error) {
		out, err = logSince(tx, agreementID, clauseID, rev)
		return err
	})
	return out, err
}

// TabSeq returns the highest seq a member's tab has used on the agreement's clauses, so that a
// tab that lost count (a reloaded page) numbers its next operation above it.
func (s *Service) TabSeq(ctx context.Context, actor Actor, agreementID, client string) (int, error) {
	if actor.Member == nil {
		return 0, ErrForbidden
	}
	var seq int
	err := s.view(ctx, func(tx Tx) (err error) {
		seq, err = tx.MaxSeqOfTab(agreementID, actor.Member.ID, client)
		return err
	})
	return seq, err
}
