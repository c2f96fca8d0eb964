package agreements

import (
	"context"
	"errors"
)

// Stores: AgreementStore, Classes, Councils, Members.

// JoinRequest is what a parent or pupil types on the join page. Household is the child's first
// name and is asked of parents only; HouseholdChoice says, when a child of that name is already
// in the class, whether the parent is that child's other parent or has another child.
type JoinRequest struct {
	Code            string          `json:"code"`
	Name            string          `json:"name"`
	Household       string          `json:"household,omitempty"`
	HouseholdChoice HouseholdChoice `json:"household_choice,omitempty"`
	// FromClassID is, for a pupil council's code, the ID of the joining pupil's own class.
	FromClassID string `json:"from_class_id,omitempty"`
}

// HouseholdChoice answers the question a parent is asked when the child's name is already in
// the class.
type HouseholdChoice string

const (
	// HouseholdSame joins the household of the child already named: its other parent.
	HouseholdSame HouseholdChoice = "same"
	// HouseholdOther is another child of the same first name: a household of its own, under
	// a name that tells them apart ("Ida B.").
	HouseholdOther HouseholdChoice = "other"
)

// Valid reports whether c is a choice the service knows; empty is none made.
func (c HouseholdChoice) Valid() bool { return c == "" || c == HouseholdSame || c == HouseholdOther }

// Joined is the result of joining: the new member, its class and its token, and the agreement
// the joiner's side of the class is drafting or voting on, where the meeting is.
type Joined struct {
	Member    *Member       `json:"member"`
	Class     *Class        `json:"class"`
	Token     string        `json:"token"`
	Agreement *AgreementRef `json:"agreement,omitempty"`
}

// AgreementRef names an agreement and says where it stands.
type AgreementRef struct {
	ID     string        `json:"id"`
	Kind   AgreementKind `json:"kind"`
	Title  string        `json:"title"`
	Status Status        `json:"status"`
}

// Join adds a member to the class whose parent or pupil code was given. A parent naming a child
// already in the class is asked whether it is the same child (ErrHouseholdExists) unless the
// request says so.
func (s *Service) Join(ctx context.Context, in JoinRequest) (*Joined, error) {
	name, err := cleanName(in.Name, ErrNameRequired)
	if err != nil {
		return nil, err
	}
	if !in.HouseholdChoice.Valid() {
		return nil, ErrHouseholdChoice
	}
	code := NormalizeCode(in.Code)
	if len(code) != CodeLen {
		return nil, ErrCodeUnknown
	}
	out := &Joined{Token: NewToken()}
	err = s.update(ctx, func(tx Tx) error {
		class, role, err := tx.ClassByCode(code)
		if err != nil {
			return notFoundAs(err, ErrCodeUnknown)
		}
		if class.ArchivedAt != nil {
			return ErrCodeUnknown
		}
		members, err := tx.Members(class.ID)
		if err != nil {
			return err
		}
		if len(members) >= MaxMembers {
			return ErrClassFull
		}
		m := &Member{ID: NewID(), ClassID: class.ID, Name: name, Role: role, CreatedAt: s.clock()}
		m.Color = ColorFor(m.ID)
		if role == RoleParent {
			if m.HouseholdID, err = s.household(tx, class.ID, in.Household, in.HouseholdChoice); err != nil {
				return err
			}
		}
		if class.IsCouncil() {
			if m.FromClassID, err = councilHome(tx, class, in.FromClassID); err != nil {
				return err
			}
		}
		if role == RoleParent {
			class.PupilCode = ""
		} else {
			class.ParentCode = ""
		}
		out.Member, out.Class = m, class
		if out.Agreement, err = meeting(tx, class.ID, role); err != nil {
			return err
		}
		if err := s.active(tx, class.ID); err != nil {
			return err
		}
		if err := tx.InsertMember(m, HashToken(out.Token)); err != nil || m.FromClassID == "" {
			return err
		}
		return tx.SetCouncilMember(m.ID, m.FromClassID)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// household finds or creates the household of the named child. A name already in the class
// (case, spaces and end punctuation aside) is that child's household only when the parent
// chose so; without a choice the parent is asked, and another child needs a name of its own.
func (s *Service) household(tx Tx, classID, child string, choice HouseholdChoice) (string, error) {
	child, err := cleanName(child, ErrChildRequired)
	if err != nil {
		return "", err
	}
	key := ChildKey(child)
	if h, err := tx.Household(classID, key); err == nil {
		switch choice {
		case HouseholdSame:
			return h.ID, nil
		case HouseholdOther:
			return "", withHousehold(ErrHouseholdTaken, h)
		}
		return "", withHousehold(ErrHouseholdExists, h)
	} else if !errors.Is(err, ErrNotFound) {
		return "", err
	}
	h := &Household{ID: NewID(), ClassID: classID, ChildName: child, CreatedAt: s.clock()}
	return h.ID, tx.InsertHousehold(h, key)
}

// withHousehold names the child already in the class in the message and gives its household
// to the client, which asks the parent.
func withHousehold(e *Error, h *Household) *Error {
	out := e.With("Child", h.ChildName)
	out.Detail = h
	return out
}

// meeting is the agreement a newcomer of the role is best taken to: the newest of the class's
// agreements of that side that is being drafted or voted on; nil when none is.
func meeting(tx Tx, classID string, role Role) (*AgreementRef, error) {
	kind := KindParents
	if role == RolePupil {
		kind = KindPupils
	}
	as, err := tx.Agreements(classID)
	if err != nil {
		return nil, err
	}
	for _, a := range as { // newest first
		if a.Kind == kind && (a.Status == StatusDraft || a.Status == StatusVoting) {
			return &AgreementRef{ID: a.ID, Kind: a.Kind, Title: a.Title, Status: a.Status}, nil
		}
	}
	return nil, nil
}

// ClassByCode returns the class a join code opens (without its codes) and the role it gives,
// so the join page can name the class and ask only what that role needs.
func (s *Service) ClassByCode(ctx context.Context, code string) (*Class, Role, error) {
	code = NormalizeCode(code)
	if len(code) != CodeLen {
		return nil, "", ErrCodeUnknown
	}
	var class *Class
	var role Role
	err := s.view(ctx, func(tx Tx) (err error) {
		class, role, err = tx.ClassByCode(code)
		if err == nil && class.ArchivedAt != nil {
			return ErrCodeUnknown
		}
		return notFoundAs(err, ErrCodeUnknown)
	})
	if err != nil {
		return nil, "", err
	}
	class.ParentCode, class.PupilCode = "", ""
	return class, role, nil
}
