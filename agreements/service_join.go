package agreements

import (
	"context"
	"errors"
)

// JoinRequest is what a parent or pupil types on the join page. Household is the child's first
// name and is asked of parents only.
type JoinRequest struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Household string `json:"household,omitempty"`
	// FromClassID is, for a pupil council's code, the ID of the joining pupil's own class.
	FromClassID string `json:"from_class_id,omitempty"`
}

// Joined is the result of joining: the new member, its class and its token.
type Joined struct {
	Member *Member `json:"member"`
	Class  *Class  `json:"class"`
	Token  string  `json:"token"`
}

// Join adds a member to the class whose parent or pupil code was given. A parent naming a child
// already in the class joins that child's household.
func (s *Service) Join(ctx context.Context, in JoinRequest) (*Joined, error) {
	name, err := cleanName(in.Name, ErrNameRequired)
	if err != nil {
		return nil, err
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
			if m.HouseholdID, err = s.household(tx, class.ID, in.Household); err != nil {
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

// household finds or creates the household of the named child.
func (s *Service) household(tx Tx, classID, child string) (string, error) {
	child, err := cleanName(child, ErrChildRequired)
	if err != nil {
		return "", err
	}
	key := ChildKey(child)
	if h, err := tx.Household(classID, key); err == nil {
		return h.ID, nil
	} else if !errors.Is(err, ErrNotFound) {
		return "", err
	}
	h := &Household{ID: NewID(), ClassID: classID, ChildName: child, CreatedAt: s.clock()}
	return h.ID, tx.InsertHousehold(h, key)
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
