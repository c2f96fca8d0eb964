package agreements

import (
	"context"
)

// Stores: AgreementStore, Classes, Members, Schools.

// CreateClass creates a class space, inside a school when the organiser code is given, and
// returns it with the facilitator's token (shown once, as a link to bookmark).
func (s *Service) CreateClass(ctx context.Context, in NewClass) (*Class, *Member, string, error) {
	if err := in.Validate(); err != nil {
		return nil, nil, "", err
	}
	now := s.clock()
	class := &Class{ID: NewID(), Name: in.Name, Grade: in.Grade,
		ActivationPercent: DefaultActivationPercent, CreatedAt: now, LastActiveAt: now}
	member := &Member{ID: NewID(), ClassID: class.ID, Name: in.FacilitatorName,
		Role: RoleFacilitator, CreatedAt: now}
	member.Color = ColorFor(member.ID)
	token := NewToken()
	err := s.update(ctx, func(tx Tx) error {
		if in.OrganiserCode != "" {
			school, err := tx.SchoolByOrganiserCode(NormalizeCode(in.OrganiserCode))
			if err != nil {
				return notFoundAs(err, ErrOrganiserUnknown)
			}
			class.SchoolID = school.ID
		}
		free := func(c string) bool { _, _, err := tx.ClassByCode(c); return err == nil }
		class.ParentCode = uniqueCode(free)
		class.PupilCode = uniqueCode(func(c string) bool { return c == class.ParentCode || free(c) })
		if err := tx.InsertClass(class); err != nil {
			return err
		}
		if in.Household != "" {
			var err error
			if member.HouseholdID, err = s.household(tx, class.ID, in.Household, ""); err != nil {
				return err
			}
		}
		return tx.InsertMember(member, HashToken(token))
	})
	if err != nil {
		return nil, nil, "", err
	}
	return class, member, token, nil
}

// ClassView is a class as one member sees it. DeletionSoon says that the class will be deleted
// for inactivity within DeletionNotice (at Class.DeletionDue) unless someone uses it.
type ClassView struct {
	Class        *Class        `json:"class"`
	Households   []Household   `json:"households"`
	Members      []Member      `json:"members"`
	Agreements   []Agreement   `json:"agreements"`
	DeletionSoon bool          `json:"deletion_soon"`
	Council      *CouncilOffer `json:"council,omitempty"` // the school's pupil council's agreement
	// In a pupil council: its school's name, and the school's classes its members come from.
	SchoolName    string        `json:"school_name,omitempty"`
	SchoolClasses []ClassChoice `json:"school_classes,omitempty"`
}

// Class returns the class as the actor may see it: facilitators see everything; parents see
// the parents and households and the parent code; pupils see the pupils and the pupil code.
func (s *Service) Class(ctx context.Context, actor Actor, id string) (*ClassView, error) {
	if !actor.InClass(id) {
		return nil, ErrForbidden
	}
	v := &ClassView{}
	err := s.view(ctx, func(tx Tx) (err error) {
		if v.Class, err = tx.Class(id); err != nil {
			return err
		}
		if v.Households, err = tx.Households(id); err != nil {
			return err
		}
		if v.Members, err = tx.Members(id); err != nil {
			return err
		}
		if v.Agreements, err = tx.Agreements(id); err != nil {
			return err
		}
		return s.councilParts(tx, v, actor.Member.Role)
	})
	if err != nil {
		return nil, err
	}
	due := DeletionDue(v.Class.LastActiveAt)
	v.Class.DeletionDue, v.DeletionSoon = &due, due.Sub(s.clock()) <= DeletionNotice
	v.restrictTo(actor.Member.Role)
	return v, nil
}

// restrictTo removes what a role may not see.
func (v *ClassView) restrictTo(role Role) {
	if role == RoleFacilitator {
		return
	}
	keep := KindParents
	if role == RolePupil {
		keep, v.Class.ParentCode, v.Households = KindPupils, "", []Household{}
	} else {
		v.Class.PupilCode = ""
	}
	v.Members = filter(v.Members, func(m Member) bool { return m.Role == role || m.Role == RoleFacilitator })
	v.Agreements = filter(v.Agreements, func(a Agreement) bool { return a.Kind == keep })
}

// RotateCode replaces the parent or pupil join code, so an old code shared too widely stops
// working. Members who already joined stay.
func (s *Service) RotateCode(ctx context.Context, actor Actor, classID string, role Role) (*Class, error) {
	if !actor.IsFacilitatorOf(classID) {
		return nil, ErrForbidden
	}
	if role != RoleParent && role != RolePupil {
		return nil, ErrCodeKindInvalid
	}
	var class *Class
	err := s.update(ctx, func(tx Tx) (err error) {
		if class, err = tx.Class(classID); err != nil {
			return err
		}
		if class.IsCouncil() && role == RoleParent {
			return ErrCodeKindInvalid // a pupil council has no parents
		}
		code := uniqueCode(func(c string) bool { _, _, err := tx.ClassByCode(c); return err == nil })
		if err = tx.SetClassCode(classID, role, code); err != nil {
			return err
		}
		if err := s.active(tx, classID); err != nil {
			return err
		}
		class, err = tx.Class(classID)
		return err
	})
	return class, err
}
