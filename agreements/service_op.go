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

// ApplyOp transforms a client's operation against the revisions it has not seen, applies it and
// commits it. A resend of an operation already applied (same clause, client and seq) returns
// the original log entry and changes nothing, so a lost acknowledgement never doubles text.
func (s *Service) ApplyOp(ctx context.Context, actor Actor, agreementID string, req OpRequest) (*OpRecord, *Clause, error) {
	var rec *OpRecord
	var clause *Clause
	err := s.update(ctx, func(tx Tx) (err error) {
		rec, clause, err = s.applyOp(tx, actor, agreementID, req)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	s.publish(Event{AgreementID: agreementID, Type: EventOp, Clause: clause, Op: rec})
	return rec, clause, nil
}

func (s *Service) applyOp(tx Tx, actor Actor, agreementID string, req OpRequest) (*OpRecord, *Clause, error) {
	a, err := tx.Agreement(agreementID)
	if err != nil {
		return nil, nil, err
	}
	if !a.CanEdit(actor) {
		return nil, nil, ErrForbidden
	}
	c, err := tx.Clause(req.Clause)
	if err != nil || c.AgreementID != agreementID {
		return nil, nil, ErrClauseUnknown
	}
	if req.Client != "" {
		if done, err := tx.OpBySeq(c.ID, req.Client, req.Seq); err == nil {
			return done, c, nil
		}
	}
	if !a.Editable() {
		return nil, nil, ErrNotDraft
	}
	if req.Rev < 0 || req.Rev > c.Rev {
		return nil, nil, ErrOpInvalid
	}
	op, err := s.rebase(tx, c.ID, req.Rev, req.Op)
	if err != nil {
		return nil, nil, err
	}
	body, err := ot.Apply(c.Body, op)
	if err != nil {
		return nil, nil, ErrOpInvalid
	}
	if err := checkBody(body); err != nil {
		return nil, nil, err
	}
	c.Body, c.Rev = body, c.Rev+1
	rec := &OpRecord{Rev: c.Rev, Client: req.Client, Seq: req.Seq, MemberID: actor.Member.ID, Op: op}
	return rec, c, s.save(tx, c, rec)
}

// rebase transforms op, made on revision rev, past every logged revision after it.
func (s *Service) rebase(tx Tx, clauseID string, rev int, op ot.Op) (ot.Op, error) {
	log, err := tx.OpsSince(clauseID, rev)
	if err != nil {
		return nil, err
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
