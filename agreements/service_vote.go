package agreements

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"
)

// Stores: AgreementStore, Decisions.

// MaxReasonLen bounds the reason given with a "Ja, men" or "Nej, men" (runes).
const MaxReasonLen = 500

// OpenVote freezes a draft and opens the vote on it; only the facilitator may.
func (s *Service) OpenVote(ctx context.Context, actor Actor, id string, rules VoteRules) (*Agreement, error) {
	if err := rules.Validate(s.clock()); err != nil {
		return nil, err
	}
	return s.changeStatus(ctx, actor, id, []Status{StatusDraft}, func(tx Tx, a *Agreement) error {
		if len(a.Clauses) == 0 {
			return ErrNothingToPublish
		}
		a.Status, a.Vote = StatusVoting, &rules
		return markOpened(tx, a)
	})
}

// markOpened records, when a vote opens, the value each clause's parameter shows: a "Ja"
// without a preference of its own is a yes to that value.
func markOpened(tx Tx, a *Agreement) error {
	for i := range a.Clauses {
		p := a.Clauses[i].Parameter
		if p == nil {
			continue
		}
		p.Opened = p.Value
		if err := tx.UpdateClause(&a.Clauses[i]); err != nil {
			return err
		}
	}
	return nil
}

// ReturnToDraft ends a vote (open or decided, not yet published) and discards its votes, so
// the class can go on drafting; everyone in the room is told.
func (s *Service) ReturnToDraft(ctx context.Context, actor Actor, id string) (*Agreement, error) {
	return s.changeStatus(ctx, actor, id, []Status{StatusVoting, StatusAdopted, StatusRejected}, func(tx Tx, a *Agreement) error {
		a.Status, a.Vote, a.DecidedAt = StatusDraft, nil, nil
		for i := range a.Clauses {
			c := &a.Clauses[i]
			c.Adopted = nil
			if c.Parameter != nil {
				c.Parameter.Opened = "" // the next vote records what it shows then
			}
			if err := tx.UpdateClause(c); err != nil {
				return err
			}
		}
		return tx.DeleteVotes(a.ID)
	})
}

// CloseVote decides the vote now; only the facilitator may. See decide. The results returned
// are concealed like everyone's: the facilitator sees no more than the room.
func (s *Service) CloseVote(ctx context.Context, actor Actor, id string) (*Results, error) {
	var res *Results
	_, err := s.changeStatus(ctx, actor, id, []Status{StatusVoting}, func(tx Tx, a *Agreement) (err error) {
		res, err = s.decide(tx, a)
		return err
	})
	if err != nil {
		return nil, err
	}
	res.conceal()
	return res, nil
}

// changeStatus loads an agreement for its facilitator, checks its status is one of from, lets
// change alter it and saves it; the room is told after the commit.
func (s *Service) changeStatus(ctx context.Context, actor Actor, id string, from []Status, change func(Tx, *Agreement) error) (*Agreement, error) {
	var a *Agreement
	err := s.commit(ctx, func(tx Tx) (_ []Event, err error) {
		if a, err = s.loadVisible(tx, actor, id); err != nil {
			return nil, err
		}
		s.hydrate(a)
		if !actor.IsFacilitatorOf(a.ClassID) {
			return nil, ErrForbidden
		}
		if !slices.Contains(from, a.Status) {
			if slices.Equal(from, []Status{StatusDraft}) {
				return nil, ErrNotDraft // a vote opens on a draft; a decided one goes back to draft first
			}
			return nil, statusError(a.Status)
		}
		if err := change(tx, a); err != nil {
			return nil, err
		}
		if err := s.active(tx, a.ClassID); err != nil {
			return nil, err
		}
		if err := tx.UpdateAgreement(a); err != nil {
			return nil, err
		}
		s.hydrate(a)
		return s.statusEvents(tx, a)
	})
	return a, err
}

// statusEvents tells the room of a new status and, when there is a vote, of its results.
func (s *Service) statusEvents(tx Tx, a *Agreement) ([]Event, error) {
	head := *a
	head.Clauses = nil
	events := []Event{{AgreementID: a.ID, Type: EventAgreement, Agreement: &head}}
	if a.Vote == nil {
		return events, nil
	}
	res, err := s.visibleResults(tx, a)
	if err != nil {
		return nil, err
	}
	return append(events, Event{AgreementID: a.ID, Type: EventResults, Results: res}), nil
}

// statusError says why an agreement's status does not allow what was asked.
func statusError(st Status) error {
	switch st {
	case StatusDraft:
		return ErrNotVoting
	case StatusVoting:
		return ErrNotDraft
	case StatusPublished:
		return ErrNotDraft
	}
	return ErrNotVoting
}

// decide tallies every clause, records the decisions and the chosen values, and sets the status:
// adopted when at least one clause is, rejected otherwise. The results it returns are not
// concealed yet.
func (s *Service) decide(tx Tx, a *Agreement) (*Results, error) {
	res, err := s.results(tx, a)
	if err != nil {
		return nil, err
	}
	a.Status = StatusRejected
	for i := range a.Clauses {
		c, r := &a.Clauses[i], res.Clauses[i]
		adopted := r.Adopted
		c.Adopted = &adopted
		if c.Parameter != nil && r.Value != "" {
			c.Parameter.Value = r.Value
		}
		if adopted {
			a.Status = StatusAdopted
		}
		if err := tx.UpdateClause(c); err != nil {
			return nil, err
		}
	}
	now := s.clock()
	a.DecidedAt = &now
	res.Status = a.Status
	return res, nil
}

// CloseDueVotes decides the votes whose closing time has passed; the server calls it regularly.
func (s *Service) CloseDueVotes(ctx context.Context) error {
	var ids []string
	if err := s.view(ctx, func(tx Tx) (err error) { ids, err = tx.VotesDue(s.clock()); return err }); err != nil {
		return err
	}
	for _, id := range ids {
		err := s.commit(ctx, func(tx Tx) ([]Event, error) {
			a, err := s.loadAll(tx, id)
			if err != nil || a.Status != StatusVoting {
				return nil, err
			}
			if _, err := s.decide(tx, a); err != nil {
				return nil, err
			}
			if err := tx.UpdateAgreement(a); err != nil {
				return nil, err
			}
			return s.statusEvents(tx, a)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// CastVote records the vote of the actor's household (or, in a pupils' agreement, the pupil's)
// on one clause, replacing the household's earlier vote on it.
func (s *Service) CastVote(ctx context.Context, actor Actor, id string, v Vote) (*Results, error) {
	if err := v.check(); err != nil {
		return nil, err
	}
	var res *Results
	err := s.commit(ctx, func(tx Tx) (_ []Event, err error) {
		a, voter, err := s.openVote(tx, actor, id)
		if err != nil {
			return nil, err
		}
		c := a.Clause(v.ClauseID)
		if c == nil {
			return nil, ErrClauseUnknown
		}
		switch {
		case v.Value != "" && c.Parameter == nil && v.Answer == "":
			return nil, ErrAnswerInvalid // a word that is neither an answer nor an option
		case v.Value != "" && c.Parameter == nil:
			return nil, ErrNoParameter
		case v.Value != "" && !c.Parameter.Has(v.Value):
			return nil, ErrValueInvalid
		}
		if err := tx.PutVote(a.ID, voter, v); err != nil {
			return nil, err
		}
		if err := s.active(tx, a.ClassID); err != nil {
			return nil, err
		}
		res, err = s.visibleResults(tx, a)
		return []Event{{AgreementID: a.ID, Type: EventResults, Results: res}}, err
	})
	return res, err
}

// check cleans a vote: an answer, an option, or both; a reason only with a "men" answer.
func (v *Vote) check() error {
	v.Reason = strings.TrimSpace(v.Reason)
	if v.Answer == "" && v.Value == "" {
		return ErrAnswerInvalid
	}
	if v.Answer != "" && !v.Answer.Valid() {
		return ErrAnswerInvalid
	}
	if !v.Answer.HasReason() {
		v.Reason = ""
	}
	if utf8.RuneCountInString(v.Reason) > MaxReasonLen {
		return ErrReasonTooLong
	}
	return nil
}

// openVote loads an agreement in an open vote and the actor's voter key.
func (s *Service) openVote(tx Tx, actor Actor, id string) (*Agreement, string, error) {
	a, err := s.loadVisible(tx, actor, id)
	if err != nil {
		return nil, "", err
	}
	s.hydrate(a)
	switch a.Status {
	case StatusVoting:
	case StatusAdopted, StatusRejected: // decided: closed by hand or by the tick after closes_at
		return nil, "", ErrVoteClosed
	default:
		return nil, "", statusError(a.Status)
	}
	if a.Vote.ClosesAt != nil && !s.clock().Before(*a.Vote.ClosesAt) {
		return nil, "", ErrVoteClosed
	}
	voter, err := voterOf(actor, a)
	return a, voter, err
}

// MyVotes returns the votes of the actor's household, so a second parent sees and can change
// what the first voted.
func (s *Service) MyVotes(ctx context.Context, actor Actor, id string) ([]Vote, error) {
	out := []Vote{}
	err := s.view(ctx, func(tx Tx) error {
		_, voter, err := s.loadVoter(tx, actor, id)
		if err != nil {
			return err
		}
		votes, err := tx.Votes(id)
		out = append(out, votes[voter]...)
		return err
	})
	return out, err
}
