package agreements

import (
	"context"
	"slices"
	"unicode/utf8"

	"klasseaftale/agreements/ot"
)

// Stores: AgreementStore, OpLog.

// NewClause is a clause the class writes itself. After is the ID of the clause it follows:
// nil puts it last, "" first.
type NewClause struct {
	Title string  `json:"title"`
	Body  string  `json:"body"`
	After *string `json:"after"`
}

// ClauseEdit changes a clause over HTTP. Only the fields given change; BaseRev is the revision
// the editor saw, and an edit made on an older one is refused rather than overwriting.
type ClauseEdit struct {
	Title   *string `json:"title"`
	Body    *string `json:"body"`
	Value   *string `json:"value"`
	BaseRev *int    `json:"base_rev"`
}

// editDraft loads a draft the actor may edit, runs fn on it inside the write transaction and
// publishes the events fn returns after the commit.
func (s *Service) editDraft(ctx context.Context, actor Actor, id string, facilitatorOnly bool,
	fn func(tx Tx, a *Agreement) ([]Event, error)) error {
	return s.commit(ctx, func(tx Tx) ([]Event, error) {
		a, err := s.loadVisible(tx, actor, id)
		if err != nil {
			return nil, err
		}
		if facilitatorOnly && !actor.IsFacilitatorOf(a.ClassID) {
			return nil, ErrForbidden
		}
		if !a.Editable() {
			return nil, ErrNotDraft
		}
		if err := s.active(tx, a.ClassID); err != nil {
			return nil, err
		}
		return fn(tx, a)
	})
}

// AddClause adds a clause the class writes itself.
func (s *Service) AddClause(ctx context.Context, actor Actor, agreementID string, in NewClause) (*Clause, error) {
	title, err := cleanTitle(in.Title)
	if err != nil {
		return nil, err
	}
	if title == "" {
		return nil, ErrClauseEmpty
	}
	if err := checkBody(in.Body); err != nil {
		return nil, err
	}
	c := &Clause{ID: NewID(), AgreementID: agreementID, Title: title, Body: in.Body}
	err = s.editDraft(ctx, actor, agreementID, false, func(tx Tx, a *Agreement) ([]Event, error) {
		if len(a.Clauses) >= MaxClauses {
			return nil, ErrTooManyClauses
		}
		if err := tx.InsertClause(c); err != nil {
			return nil, err
		}
		order, err := placeAfter(ids(a.Clauses), c.ID, in.After)
		if err != nil {
			return nil, err
		}
		if err := tx.SetClauseOrder(a.ID, order); err != nil {
			return nil, err
		}
		return []Event{{AgreementID: a.ID, Type: EventClause, Clause: c},
			{AgreementID: a.ID, Type: EventOrder, Order: order}}, nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// RemoveClause removes a clause; only the facilitator may.
func (s *Service) RemoveClause(ctx context.Context, actor Actor, agreementID, clauseID string) error {
	return s.editDraft(ctx, actor, agreementID, true, func(tx Tx, a *Agreement) ([]Event, error) {
		if a.Clause(clauseID) == nil {
			return nil, ErrClauseUnknown
		}
		if err := tx.DeleteClause(clauseID); err != nil {
			return nil, err
		}
		return []Event{{AgreementID: a.ID, Type: EventClauseRemoved, ClauseID: clauseID}}, nil
	})
}

// MoveClause puts a clause after another (nil: last, "": first); only the facilitator may.
func (s *Service) MoveClause(ctx context.Context, actor Actor, agreementID, clauseID string, after *string) ([]string, error) {
	var order []string
	err := s.editDraft(ctx, actor, agreementID, true, func(tx Tx, a *Agreement) ([]Event, error) {
		if a.Clause(clauseID) == nil || (after != nil && *after == clauseID) {
			return nil, ErrClauseUnknown
		}
		rest := filter(ids(a.Clauses), func(id string) bool { return id != clauseID })
		var err error
		if order, err = placeAfter(rest, clauseID, after); err != nil {
			return nil, err
		}
		if err := tx.SetClauseOrder(a.ID, order); err != nil {
			return nil, err
		}
		return []Event{{AgreementID: a.ID, Type: EventOrder, Order: order}}, nil
	})
	return order, err
}

// EditClause changes a clause's title, body or parameter value in one new revision.
func (s *Service) EditClause(ctx context.Context, actor Actor, agreementID, clauseID string, in ClauseEdit) (*Clause, error) {
	if in.BaseRev == nil {
		return nil, ErrBadRequest.With("field", "base_rev")
	}
	return s.editClause(ctx, actor, agreementID, clauseID, in)
}

// SetClause changes a clause's title or parameter value from the live room, where the server's
// order decides: the last change wins, so no base revision is checked.
func (s *Service) SetClause(ctx context.Context, actor Actor, agreementID, clauseID string, in ClauseEdit) (*Clause, error) {
	in.BaseRev, in.Body = nil, nil
	return s.editClause(ctx, actor, agreementID, clauseID, in)
}

func (s *Service) editClause(ctx context.Context, actor Actor, agreementID, clauseID string, in ClauseEdit) (*Clause, error) {
	var out *Clause
	err := s.editDraft(ctx, actor, agreementID, false, func(tx Tx, a *Agreement) ([]Event, error) {
		c := a.Clause(clauseID)
		if c == nil {
			return nil, ErrClauseUnknown
		}
		s.hydrateClause(c, a.Lang)
		if lockedFor(c, a, actor) {
			return nil, ErrClauseLocked
		}
		if in.BaseRev != nil && *in.BaseRev != c.Rev {
			return nil, &Error{Kind: KindConflict, Code: ErrStaleRev.Code, Detail: c}
		}
		rec, err := s.applyEdit(c, in, actor.Member.ID)
		out = c
		if err != nil || rec == nil {
			return nil, err // refused, or nothing to change: no new revision
		}
		s.hydrateClause(c, a.Lang)
		if err := s.save(tx, c, rec); err != nil {
			return nil, err
		}
		return []Event{{AgreementID: a.ID, Type: EventOp, Clause: c, Op: rec},
			{AgreementID: a.ID, Type: EventClause, Clause: c}}, nil
	})
	return out, err
}

// applyEdit changes c in memory and returns the log entry of the change: a body edit as the
// text operation from the old body to the new, other edits as an operation that keeps the text.
// An edit that changes nothing returns no entry.
func (s *Service) applyEdit(c *Clause, in ClauseEdit, memberID string) (*OpRecord, error) {
	before := *c
	if c.Parameter != nil {
		p := *c.Parameter
		before.Parameter = &p
	}
	if in.Title != nil {
		title, err := cleanTitle(*in.Title)
		if err != nil {
			return nil, err
		}
		if title == "" {
			return nil, ErrClauseEmpty
		}
		c.Title = title
	}
	if in.Value != nil {
		if c.Parameter == nil {
			return nil, ErrNoParameter
		}
		if !c.Parameter.Has(*in.Value) {
			return nil, ErrValueInvalid
		}
		c.Parameter.Value = *in.Value
	}
	body := c.Body
	if in.Body != nil {
		if err := checkBody(*in.Body); err != nil {
			return nil, err
		}
		body = *in.Body
	}
	if body == c.Body && c.Title == before.Title && c.Value() == before.Value() {
		return nil, nil
	}
	op := ot.Diff(c.Body, body)
	c.Body = body
	c.Rev++
	return &OpRecord{Rev: c.Rev, MemberID: memberID, Op: op}, nil
}

// save writes a clause's new revision and its log entry.
func (s *Service) save(tx Tx, c *Clause, rec *OpRecord) error {
	if err := tx.UpdateClause(c); err != nil {
		return err
	}
	return tx.InsertOp(c.ID, s.clock(), *rec)
}

func cleanTitle(s string) (string, error) {
	s = oneLine(s)
	if utf8.RuneCountInString(s) > MaxTitleLen {
		return "", ErrTitleTooLong
	}
	return s, nil
}

func checkBody(body string) error {
	if !utf8.ValidString(body) {
		return ErrBadRequest
	}
	if ot.Len(body) > MaxBodyLen {
		return ErrBodyTooLong
	}
	return nil
}

func ids(cs []Clause) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// placeAfter inserts id into order after the clause named by after (nil: last, "": first).
func placeAfter(order []string, id string, after *string) ([]string, error) {
	at := len(order)
	if after != nil {
		at = 0
		if *after != "" {
			i := slices.Index(order, *after)
			if i < 0 {
				return nil, ErrClauseUnknown
			}
			at = i + 1
		}
	}
	out := make([]string, 0, len(order)+1)
	out = append(out, order[:at]...)
	out = append(out, id)
	return append(out, order[at:]...), nil
}
