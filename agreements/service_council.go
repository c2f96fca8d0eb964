package agreements

import (
	"context"
	"errors"
)

// Stores: Classes, Councils, Members.

// CreateCouncil creates the school's pupil council: a space of the school with a pupil code of
// its own and no parent code. A school has one; its admin then makes the links of the adults
// who lead it (AddCouncilFacilitator).
func (s *Service) CreateCouncil(ctx context.Context, actor Actor, schoolID string, in NewCouncil) (*Class, error) {
	if !actor.IsSchoolAdmin(schoolID) {
		return nil, ErrForbidden
	}
	name, err := cleanName(in.Name, ErrNameRequired)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	council := &Class{ID: NewID(), Name: name, Kind: ClassKindCouncil, SchoolID: schoolID,
		ActivationPercent: DefaultActivationPercent, CreatedAt: now, LastActiveAt: now}
	_, err = s.schoolAdmin(ctx, actor, schoolID, func(tx Tx) error {
		if _, err := tx.CouncilOf(schoolID); err == nil {
			return ErrCouncilExists
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		council.PupilCode = uniqueCode(func(c string) bool { _, _, err := tx.ClassByCode(c); return err == nil })
		return tx.InsertClass(council)
	})
	if err != nil {
		return nil, err
	}
	return council, nil
}

// Council returns the school's pupil council to the school's admin, with its pupil code, the
// adults who lead it and how many pupils have joined; a closed (archived) one too.
func (s *Service) Council(ctx context.Context, actor Actor, schoolID string) (*CouncilView, error) {
	if !actor.IsSchoolAdmin(schoolID) {
		return nil, ErrForbidden
	}
	v := &CouncilView{Facilitators: []Member{}}
	err := s.view(ctx, func(tx Tx) (err error) {
		if v.Council, err = tx.CouncilOf(schoolID); err != nil {
			return notFoundAs(err, ErrNoCouncil)
		}
		ms, err := tx.Members(v.Council.ID)
		for _, m := range ms {
			if m.Role == RoleFacilitator {
				v.Facilitators = append(v.Facilitators, m)
			} else {
				v.Pupils++
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// openCouncil loads the school's pupil council for a change by its admin: it must exist and not
// be closed.
func openCouncil(tx Tx, schoolID string) (*Class, error) {
	c, err := tx.CouncilOf(schoolID)
	if err != nil {
		return nil, notFoundAs(err, ErrNoCouncil)
	}
	if c.ArchivedAt != nil {
		return nil, ErrNoCouncil
	}
	return c, nil
}

// AddCouncilFacilitator makes the key of an adult who leads the school's pupil council (at most
// MaxCouncilFacilitators at once) and returns the new facilitator with the key (shown once).
func (s *Service) AddCouncilFacilitator(ctx context.Context, actor Actor, schoolID, name string) (*Member, string, error) {
	if !actor.IsSchoolAdmin(schoolID) {
		return nil, "", ErrForbidden
	}
	name, err := cleanName(name, ErrNameRequired)
	if err != nil {
		return nil, "", err
	}
	token := NewToken()
	m := &Member{ID: NewID(), Name: name, Role: RoleFacilitator, CreatedAt: s.clock()}
	m.Color = ColorFor(m.ID)
	_, err = s.schoolAdmin(ctx, actor, schoolID, func(tx Tx) error {
		council, err := openCouncil(tx, schoolID)
		if err != nil {
			return err
		}
		ms, err := tx.Members(council.ID)
		if err != nil {
			return err
		}
		if len(filter(ms, func(m Member) bool { return m.Role == RoleFacilitator })) >= MaxCouncilFacilitators {
			return ErrCouncilFull
		}
		m.ClassID = council.ID
		return tx.InsertMember(m, HashToken(token))
	})
	if err != nil {
		return nil, "", err
	}
	return m, token, nil
}

// RemoveCouncilFacilitator ends the access of an adult who led the school's pupil council: their
// key and sessions stop working and their live connections close.
func (s *Service) RemoveCouncilFacilitator(ctx context.Context, actor Actor, schoolID, memberID string) error {
	var councilID string
	_, err := s.schoolAdmin(ctx, actor, schoolID, func(tx Tx) error {
		council, err := tx.CouncilOf(schoolID)
		if err != nil {
			return err
		}
		ms, err := tx.Members(council.ID)
		if err != nil {
			return err
		}
		if m := memberIn(ms, memberID); m != nil && m.Role == RoleFacilitator {
			councilID = council.ID
			_, err := s.deleteMember(tx, ms, m)
			return err
		}
		return ErrNotFound
	})
	if err == nil {
		s.endAccess(ctx, Event{Type: EventAccessEnded, ClassID: councilID, MemberID: memberID})
	}
	return err
}

// RotateCouncilCode gives the school's pupil council a new pupil code, for the school's admin
// (the council's facilitators use RotateCode). Members who joined stay.
func (s *Service) RotateCouncilCode(ctx context.Context, actor Actor, schoolID string) (*Class, error) {
	var council *Class
	_, err := s.schoolAdmin(ctx, actor, schoolID, func(tx Tx) (err error) {
		if council, err = openCouncil(tx, schoolID); err != nil {
			return err
		}
		council.PupilCode = uniqueCode(func(c string) bool { _, _, err := tx.ClassByCode(c); return err == nil })
		return tx.SetClassCode(council.ID, RolePupil, council.PupilCode)
	})
	if err != nil {
		return nil, err
	}
	return council, nil
}

// councilHome checks the class a pupil joining a council names as their own: a class of the
// council's school, open, and not the council itself.
func councilHome(tx Tx, council *Class, classID string) (string, error) {
	if classID == "" {
		return "", ErrCouncilClassRequired
	}
	c, err := tx.Class(classID)
	if err != nil {
		return "", notFoundAs(err, ErrCouncilClassUnknown)
	}
	if c.SchoolID != council.SchoolID || c.IsCouncil() || c.ArchivedAt != nil {
		return "", ErrCouncilClassUnknown
	}
	return c.ID, nil
}

// CodeInfo returns what a join code opens (the space without its codes, and the role), and for
// a pupil council's code the school's open classes, for the joining pupil to name their own.
func (s *Service) CodeInfo(ctx context.Context, code string) (*CodeInfo, error) {
	class, role, err := s.ClassByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	info := &CodeInfo{Class: class, Role: role}
	if !class.IsCouncil() {
		return info, nil
	}
	err = s.view(ctx, func(tx Tx) error {
		cs, err := tx.ClassesOfSchool(class.SchoolID)
		for _, c := range cs {
			if c.ArchivedAt == nil {
				info.Classes = append(info.Classes, ClassChoice{ID: c.ID, Name: c.Name, Grade: c.Grade})
			}
		}
		return err
	})
	return info, err
}
