package agreements

import (
	"context"

	"klasseaftale/agreements/ot"
)

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
// store fails the batch.
func (s *Service) ApplyOps(ctx context.Context, agreementID string, batch []OpSubmit) ([]OpResult, error) {
	results := make([]OpResult, len(batch))
	err := s.commit(ctx, func(tx Tx) ([]Event, error) {
		var events []Event
		for i, sub := range batch {
			rec, clause, dup, err := s.applyOp(tx, sub.Actor, agreementID, sub.Req)
			if _, ok := AsError(err); err != nil && !ok {
				return nil, err
			}
			results[i] = OpResult{Rec: rec, Dup: dup, Err: err}
			if err == nil && !dup {
				events = append(events, Event{AgreementID: agreementID, Type: EventOp, Clause: clause, Op: rec})
			}
		}
		return events, nil
	})
	return results, err
}

func (s *Service) applyOp(tx Tx, actor Actor, agreementID string, req OpRequest) (*OpRecord, *Clause, bool, error) {
	a, err := tx.Agreement(agreementID)
	if err != nil {
		return nil, nil, false, err
	}
	if !a.CanEdit(actor) {
		return nil, nil, false, ErrForbidden
	}
	c, err := tx.Clause(req.Clause)
	if err != nil || c.AgreementID != agreementID {
		return nil, nil, false, ErrClauseUnknown
	}
	if req.Client != "" {
		if done, err := tx.OpBySeq(c.ID, req.Client, req.Seq); err == nil {
			return done, c, true, nil
		}
	}
	if !a.Editable() {
		return nil, nil, false, ErrNotDraft
	}
	if req.Rev < 0 || req.Rev > c.Rev {
		return nil, nil, false, ErrOpInvalid
	}
	op, err := s.rebase(tx, c, req.Rev, req.Op)
	if err != nil {
		return nil, nil, false, err
	}
	body, err := ot.Apply(c.Body, op)
	if err != nil {
		return nil, nil, false, ErrOpInvalid
	}
	if err := checkBody(body); err != nil {
		return nil, nil, false, err
	}
	c.Body, c.Rev = body, c.Rev+1
	rec := &OpRecord{Rev: c.Rev, Client: req.Client, Seq: req.Seq, MemberID: actor.Member.ID, Op: op}
	return rec, c, false, s.save(tx, c, rec)
}

// rebase transforms op, made on revision rev, past every logged revision of c after it.
func (s *Service) rebase(tx Tx, c *Clause, rev int, op ot.Op) (ot.Op, error) {
	log, err := tx.OpsSince(c.ID, rev)
	if err != nil {
		return nil, err
	}
	if len(log) != c.Rev-rev {
		return nil, ErrOpInvalid // the log no longer reaches back to rev
	}
	for _, r := range log {
		if op, _, err = ot.Transform(op, r.Op); err != nil {
			return nil, ErrOpInvalid
		}
	}
	return op, nil
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
		c, err := tx.Clause(clauseID)
		if err != nil || c.AgreementID != agreementID {
			return ErrClauseUnknown
		}
		out, err = tx.OpsSince(clauseID, rev)
		return err
	})
	return out, err
}
