package agreements

import (
	"context"
	"unicode/utf16"

	"klasseaftale/agreements/ot"
)

// Stores: AgreementStore, Members, OpLog.

// ClauseHistory returns who changed a clause and when, to everyone who may see the agreement.
// The log is deleted when the agreement is published; from then on the history is empty and
// Kept is false.
func (s *Service) ClauseHistory(ctx context.Context, actor Actor, agreementID, clauseID string) (*ClauseHistory, error) {
	h := &ClauseHistory{ClauseID: clauseID, Authors: []Author{}, Entries: []HistoryEntry{}}
	err := s.view(ctx, func(tx Tx) error {
		a, c, err := s.visibleClause(tx, actor, agreementID, clauseID)
		if err != nil {
			return err
		}
		h.Rev, h.Kept = c.Rev, a.Status != StatusPublished
		if !h.Kept {
			return nil
		}
		log, who, err := logOf(tx, a, c)
		if err != nil {
			return err
		}
		_, based, err := tx.ClauseBase(c.ID)
		if err != nil {
			return err
		}
		h.Texts = based && len(log) == c.Rev
		h.Authors = authorsOf(log, who)
		h.Entries, h.More = entriesOf(log, who)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// ClauseVersion returns a clause's text at an earlier revision, replayed from its log; only the
// facilitator may read it.
func (s *Service) ClauseVersion(ctx context.Context, actor Actor, agreementID, clauseID string, rev int) (*ClauseVersion, error) {
	var v *ClauseVersion
	err := s.view(ctx, func(tx Tx) error {
		a, c, err := s.facilitatorsClause(tx, actor, agreementID, clauseID)
		if err != nil {
			return err
		}
		v, err = version(tx, a, c, rev)
		return err
	})
	return v, err
}

// RestoreClause makes an earlier text of a clause its text again; only the facilitator may,
// while the agreement is a draft. The restore is an ordinary operation from the text as the
// facilitator found it: it is committed through the same path as every keystroke, transformed
// past whatever was committed meanwhile, and broadcast to everyone live.
func (s *Service) RestoreClause(ctx context.Context, actor Actor, agreementID, clauseID string, rev int) (*Clause, error) {
	var v *ClauseVersion
	var now *Clause
	err := s.view(ctx, func(tx Tx) error {
		a, c, err := s.facilitatorsClause(tx, actor, agreementID, clauseID)
		if err != nil {
			return err
		}
		if !a.Editable() {
			return ErrNotDraft
		}
		now = c
		v, err = version(tx, a, c, rev)
		return err
	})
	if err != nil {
		return nil, err
	}
	if op := ot.Diff(now.Body, v.Body); !op.IsNoop() {
		req := OpRequest{Clause: clauseID, Rev: now.Rev, Op: op}
		if _, err := s.ApplyOp(ctx, actor, agreementID, req); err != nil {
			return nil, err
		}
	}
	a, err := s.Agreement(ctx, actor, agreementID)
	if err != nil {
		return nil, err
	}
	if c := a.Clause(clauseID); c != nil {
		return c, nil
	}
	return nil, ErrClauseUnknown
}

// facilitatorsClause loads a clause of an agreement for the class's facilitator.
func (s *Service) facilitatorsClause(tx Tx, actor Actor, agreementID, clauseID string) (*Agreement, *Clause, error) {
	a, c, err := s.visibleClause(tx, actor, agreementID, clauseID)
	if err == nil && !actor.IsFacilitatorOf(a.ClassID) {
		err = ErrForbidden
	}
	return a, c, err
}

// version replays a clause's text at rev from its base and its log, while the log is kept.
func version(tx Tx, a *Agreement, c *Clause, rev int) (*ClauseVersion, error) {
	switch {
	case a.Status == StatusPublished:
		return nil, ErrHistoryGone
	case rev < 0 || rev > c.Rev:
		return nil, ErrRevUnknown
	}
	base, based, err := tx.ClauseBase(c.ID)
	if err != nil {
		return nil, err
	}
	log, who, err := logOf(tx, a, c)
	if err != nil {
		return nil, err
	}
	if !based || len(log) != c.Rev {
		return nil, ErrHistoryGone
	}
	v := &ClauseVersion{ClauseID: c.ID, Rev: rev}
	// The text is replayed in UTF-16 code units, in place: each operation moves only what it
	// must, so a long meeting's log replays in one pass over one buffer.
	text := utf16.Encode([]rune(base))
	for _, r := range log[:rev] {
		if text, err = ot.ApplyUTF16(text, r.Op); err != nil {
			return nil, err // a log that does not replay is a fault, not a person's doing
		}
	}
	v.Body = string(utf16.Decode(text))
	if rev > 0 {
		r := log[rev-1]
		m := who(r.MemberID)
		v.Member, v.At = &m, &r.At
	}
	return v, nil
}

// visibleClause loads an agreement the actor may see and one of its clauses.
func (s *Service) visibleClause(tx Tx, actor Actor, agreementID, clauseID string) (*Agreement, *Clause, error) {
	a, err := s.loadVisible(tx, actor, agreementID)
	if err != nil {
		return nil, nil, err
	}
	c := a.Clause(clauseID)
	if c == nil {
		return nil, nil, ErrClauseUnknown
	}
	return a, c, nil
}

// logOf reads a clause's log and who its authors are.
func logOf(tx Tx, a *Agreement, c *Clause) ([]LoggedOp, func(string) MemberRef, error) {
	log, err := tx.OpLog(c.ID)
	if err != nil {
		return nil, nil, err
	}
	members, err := tx.Members(a.ClassID)
	if err != nil {
		return nil, nil, err
	}
	return log, memberRefs(members), nil
}

// ClauseAuthors returns, per clause of an agreement, who changed it and when, for the page that
// shows it: one query for all the clauses.
func (s *Service) ClauseAuthors(ctx context.Context, actor Actor, agreementID string) (map[string][]Author, error) {
	var out map[string][]Author
	err := s.view(ctx, func(tx Tx) error {
		a, err := tx.Agreement(agreementID)
		if err != nil {
			return err
		}
		if !actor.CanSee(a.ClassID, a.Kind) {
			return ErrForbidden
		}
		if out, err = tx.OpAuthors(agreementID); err != nil {
			return err
		}
		members, err := tx.Members(a.ClassID)
		who := memberRefs(members)
		for _, as := range out {
			for i := range as {
				as[i].Member = who(as[i].Member.ID)
			}
		}
		return err
	})
	return out, err
}

// SetClauseLock locks a clause, so that only the facilitator can change its text, heading and
// value, or unlocks it; only the facilitator may, while the agreement is a draft. Everyone
// hears of it as a changed clause.
func (s *Service) SetClauseLock(ctx context.Context, actor Actor, agreementID, clauseID string, locked bool) (*Clause, error) {
	var out *Clause
	err := s.editDraft(ctx, actor, agreementID, true, func(tx Tx, a *Agreement) ([]Event, error) {
		c := a.Clause(clauseID)
		if c == nil {
			return nil, ErrClauseUnknown
		}
		s.hydrateClause(c, a.Lang)
		out = c
		if c.Locked == locked {
			return nil, nil
		}
		c.Locked = locked
		return []Event{{AgreementID: a.ID, Type: EventClause, Clause: c}}, tx.SetClauseLocked(c.ID, locked)
	})
	return out, err
}
