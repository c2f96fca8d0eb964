package agreements

import "context"

// Stores: AgreementStore, Decisions, Members, OpLog.

// Departure says what ended with a member's leaving or removal.
type Departure struct {
	MemberID         string `json:"member_id"`
	HouseholdDeleted bool   `json:"household_deleted"` // the member was the last of their household
}

// RemoveMember ends a membership: a member leaves (memberID is their own) or the facilitator
// removes one. The member is deleted, and their token stops working at once. A pupil's votes,
// signatures and check-in answers go with them. A parent's household goes only when no one is
// left in it — then with its child's name, votes, signatures and answers; while another parent
// of the child stays, the household's vote stays too: it was cast for the child, and the other
// parent sees it and can change it. What the member wrote in the agreements stays, without
// their name. The class must keep a facilitator.
func (s *Service) RemoveMember(ctx context.Context, actor Actor, classID, memberID string) (*Departure, error) {
	if !actor.InClass(classID) || (actor.Member.ID != memberID && !actor.IsFacilitatorOf(classID)) {
		return nil, ErrForbidden
	}
	out := &Departure{MemberID: memberID}
	err := s.commitThen(ctx, func(tx Tx) ([]Event, error) {
		members, err := tx.Members(classID)
		if err != nil {
			return nil, err
		}
		m := memberIn(members, memberID)
		if m == nil {
			return nil, ErrMemberUnknown
		}
		if m.Role == RoleFacilitator && count(members, RoleFacilitator) == 1 {
			return nil, ErrLastFacilitator
		}
		voter, err := s.deleteMember(tx, members, m)
		if err != nil {
			return nil, err
		}
		out.HouseholdDeleted = voter != "" && voter == m.HouseholdID
		if err := s.active(tx, classID); err != nil {
			return nil, err
		}
		events := []Event{{Type: EventAccessEnded, ClassID: classID, MemberID: m.ID}}
		if voter == "" {
			return events, nil
		}
		more, err := s.openVoteResults(tx, classID)
		return append(events, more...), err
	}, func() { s.flushDue.Store(true) }) // the next tick empties the journal of what was deleted
	if err != nil {
		return nil, err
	}
	return out, nil
}

// deleteMember deletes m, and the voter it was the last of (its household, or itself as a
// pupil) with that voter's votes, signatures and check-in answers. It returns that voter, or
// "" when the member's household lives on (or it had none).
func (s *Service) deleteMember(tx Tx, members []Member, m *Member) (string, error) {
	if err := tx.DeleteMember(m.ID); err != nil {
		return "", err
	}
	if err := tx.ForgetAuthor(m.ClassID, m.ID); err != nil {
		return "", err
	}
	voter := ""
	switch {
	case m.Role == RolePupil:
		voter = m.ID
	case m.HouseholdID != "" && householdSize(members, m.HouseholdID) == 1:
		voter = m.HouseholdID
		if err := tx.DeleteHousehold(m.HouseholdID); err != nil {
			return "", err
		}
	}
	if voter == "" {
		return "", nil
	}
	return voter, tx.DeleteVoter(m.ClassID, voter)
}

// openVoteResults tells the rooms of the class's open votes how they stand now that a voter is
// gone: fewer voters, a smaller electorate.
func (s *Service) openVoteResults(tx Tx, classID string) ([]Event, error) {
	as, err := tx.Agreements(classID)
	if err != nil {
		return nil, err
	}
	var events []Event
	for _, head := range as {
		if head.Status != StatusVoting {
			continue
		}
		a, err := s.loadAll(tx, head.ID)
		if err != nil {
			return nil, err
		}
		res, err := s.visibleResults(tx, a)
		if err != nil {
			return nil, err
		}
		events = append(events, Event{AgreementID: a.ID, Type: EventResults, Results: res})
	}
	return events, nil
}

func memberIn(ms []Member, id string) *Member {
	for i := range ms {
		if ms[i].ID == id {
			return &ms[i]
		}
	}
	return nil
}

func count(ms []Member, role Role) int {
	n := 0
	for _, m := range ms {
		if m.Role == role {
			n++
		}
	}
	return n
}

func householdSize(ms []Member, householdID string) int {
	n := 0
	for _, m := range ms {
		if m.HouseholdID == householdID {
			n++
		}
	}
	return n
}
