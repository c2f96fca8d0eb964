package agreements

import (
	"context"
	"errors"
)

// Stores: AgreementStore.

// Revise starts the next revision's draft from a published agreement — its adopted clauses,
// with the values chosen — and keeps the published one readable. Only the facilitator may, and
// only once per revision.
func (s *Service) Revise(ctx context.Context, actor Actor, id string) (*Agreement, error) {
	var next *Agreement
	err := s.update(ctx, func(tx Tx) error {
		a, err := s.loadPublishedFor(tx, actor, id)
		if err != nil {
			return err
		}
		if _, err := tx.NextRevision(id); err == nil {
			return ErrAlreadyRevised
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		next = &Agreement{ID: NewID(), ClassID: a.ClassID, Kind: a.Kind, Title: a.Title, Status: StatusDraft,
			Lang: a.Lang, Revision: a.Revision + 1, PreviousID: a.ID, CreatedAt: s.clock()}
		if err := roomForAgreement(tx, a.ClassID); err != nil {
			return err
		}
		if err := tx.InsertAgreement(next); err != nil {
			return err
		}
		if err := s.active(tx, a.ClassID); err != nil {
			return err
		}
		newOf := map[string]string{}
		for _, c := range adoptedOnly(a.Clauses) {
			copied := Clause{ID: NewID(), AgreementID: next.ID, Position: len(next.Clauses), Key: c.Key,
				Title: c.Title, Body: c.Body, Parameter: c.Parameter}
			if err := tx.InsertClause(&copied); err != nil {
				return err
			}
			next.Clauses, newOf[c.ID] = append(next.Clauses, copied), copied.ID
		}
		if err := reviseCouncilClauses(tx, a.ID, next.ID, newOf); err != nil {
			return err
		}
		return withCouncilTexts(tx, next)
	})
	if err != nil {
		return nil, err
	}
	s.hydrate(next)
	return next, nil
}
