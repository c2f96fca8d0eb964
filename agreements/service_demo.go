package agreements

import (
	"context"
	"slices"
)

// Stores: DemoStore, Members, Municipalities, Schools.

// DemoMarks returns the marks a demo left in the store (none in a real database) and whether
// the store holds any school, class or municipality at all.
func (s *Service) DemoMarks(ctx context.Context) (marks map[string]string, holds bool, err error) {
	err = s.view(ctx, func(tx Tx) error {
		if marks, err = tx.DemoMarks(); err != nil {
			return err
		}
		holds, err = tx.HoldsData()
		return err
	})
	return marks, holds, err
}

// MarkDemo stores the demo's marks.
func (s *Service) MarkDemo(ctx context.Context, marks map[string]string) error {
	return s.update(ctx, func(tx Tx) error {
		for k, v := range marks {
			if err := tx.PutDemoMark(k, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// The operator's tools (the demo) give the people they sign in new keys with these; no route
// reaches them. The old key stops working, with every session made from it.

// ReissueMemberKey gives a member of the class a new key and returns it.
func (s *Service) ReissueMemberKey(ctx context.Context, classID, memberID string) (string, error) {
	tok := NewToken()
	err := s.update(ctx, func(tx Tx) error {
		ms, err := tx.Members(classID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(ms, func(m Member) bool { return m.ID == memberID }) {
			return ErrNotFound
		}
		if err := tx.DeleteSessions(memberID); err != nil {
			return err
		}
		return tx.SetMemberKey(memberID, HashToken(tok))
	})
	if err != nil {
		return "", err
	}
	s.endAccess(ctx, Event{Type: EventAccessEnded, ClassID: classID, MemberID: memberID})
	return tok, nil
}

// ReissueSchoolKey gives a school's admin a new key and returns it.
func (s *Service) ReissueSchoolKey(ctx context.Context, schoolID string) (string, error) {
	tok := NewToken()
	return tok, s.update(ctx, func(tx Tx) error { return tx.SetSchoolKey(schoolID, HashToken(tok)) })
}

// ReissueMunicipalityKey gives a municipality's admin a new key and returns it.
func (s *Service) ReissueMunicipalityKey(ctx context.Context, id string) (string, error) {
	tok := NewToken()
	return tok, s.update(ctx, func(tx Tx) error { return tx.SetMunicipalityKey(id, HashToken(tok)) })
}
