package agreements

import "context"

// Stores: Members.

// NewKey is a facilitator's replaced key link: Key for the link, Session (when asked for) for
// the browser that asked, which stays signed in.
type NewKey struct {
	Key     string
	Session string
}

// ReplaceKey gives a class's facilitator a new key link in place of a lost one, from a device
// still signed in as them. The old key stops working at once, and with it every session made
// from it (whoever found the lost link may have signed in with it): the other devices sign in
// again with the new link. Their live connections are closed.
func (s *Service) ReplaceKey(ctx context.Context, actor Actor, classID string, session bool) (*NewKey, error) {
	if !actor.IsFacilitatorOf(classID) {
		return nil, ErrForbidden
	}
	m := actor.Member
	out := &NewKey{Key: NewToken()}
	if session {
		out.Session = NewToken()
	}
	err := s.update(ctx, func(tx Tx) error {
		if err := tx.DeleteSessions(m.ID); err != nil {
			return err
		}
		if err := tx.SetMemberKey(m.ID, HashToken(out.Key)); err != nil {
			return err
		}
		if session {
			if err := tx.InsertSession(m.ID, HashToken(out.Session), s.clock(), MaxSessions); err != nil {
				return err
			}
		}
		return s.active(tx, classID)
	})
	if err != nil {
		return nil, err
	}
	s.endAccess(ctx, Event{Type: EventAccessEnded, ClassID: classID, MemberID: m.ID})
	return out, nil
}
