package agreements

import (
	"context"
	"time"
)

// Stores: Classes, Municipalities, Schools.

// RotateOrganiserCode gives the school a new organiser code; classes made with the old one stay.
func (s *Service) RotateOrganiserCode(ctx context.Context, actor Actor, schoolID string) (*School, error) {
	return s.schoolAdmin(ctx, actor, schoolID, func(tx Tx) error {
		code := uniqueCode(func(c string) bool { _, err := tx.SchoolByOrganiserCode(c); return err == nil })
		return tx.SetOrganiserCode(schoolID, code)
	})
}

// schoolAdmin runs change for the school's admin and returns the school after it.
func (s *Service) schoolAdmin(ctx context.Context, actor Actor, schoolID string, change func(Tx) error) (*School, error) {
	if !actor.IsSchoolAdmin(schoolID) {
		return nil, ErrForbidden
	}
	var school *School
	err := s.update(ctx, func(tx Tx) (err error) {
		if err := change(tx); err != nil {
			return err
		}
		school, err = tx.School(schoolID)
		return err
	})
	return school, err
}

// SchoolClasses lists the school's classes to its admin, archived ones included.
func (s *Service) SchoolClasses(ctx context.Context, actor Actor, schoolID string) ([]Class, error) {
	if !actor.CanReadSchool(schoolID) {
		return nil, ErrForbidden
	}
	var out []Class
	err := s.view(ctx, func(tx Tx) (err error) {
		out, err = tx.ClassesOfSchool(schoolID)
		return err
	})
	for i := range out {
		out[i].ParentCode, out[i].PupilCode = "", ""
	}
	return out, err
}

// CreateBoardLink makes a read-only link for a board member and returns it with its token
// (shown once).
func (s *Service) CreateBoardLink(ctx context.Context, actor Actor, schoolID, label string) (*BoardLink, string, error) {
	label, err := cleanName(label, ErrNameRequired)
	if err != nil {
		return nil, "", err
	}
	l := &BoardLink{ID: NewID(), SchoolID: schoolID, Label: label, CreatedAt: s.clock()}
	token := NewToken()
	_, err = s.schoolAdmin(ctx, actor, schoolID, func(tx Tx) error { return tx.InsertBoardLink(l, HashToken(token)) })
	if err != nil {
		return nil, "", err
	}
	return l, token, nil
}

// BoardLinks lists the school's board links, revoked ones included.
func (s *Service) BoardLinks(ctx context.Context, actor Actor, schoolID string) ([]BoardLink, error) {
	if !actor.IsSchoolAdmin(schoolID) {
		return nil, ErrForbidden
	}
	var out []BoardLink
	err := s.view(ctx, func(tx Tx) (err error) { out, err = tx.BoardLinks(schoolID); return err })
	return out, err
}

// RevokeBoardLink ends a board member's access.
func (s *Service) RevokeBoardLink(ctx context.Context, actor Actor, schoolID, linkID string) error {
	_, err := s.schoolAdmin(ctx, actor, schoolID, func(tx Tx) error {
		return notFoundAs(tx.RevokeBoardLink(schoolID, linkID, s.clock()), ErrNotFound)
	})
	return err
}

// AttachClass puts a class made without a school under the school whose organiser code its
// facilitator gives.
func (s *Service) AttachClass(ctx context.Context, actor Actor, classID, organiserCode string) (*Class, error) {
	if !actor.IsFacilitatorOf(classID) {
		return nil, ErrForbidden
	}
	var class *Class
	err := s.update(ctx, func(tx Tx) error {
		if c, err := tx.Class(classID); err != nil {
			return err
		} else if c.IsCouncil() {
			return ErrForbidden // a pupil council belongs to the school that made it
		}
		school, err := tx.SchoolByOrganiserCode(NormalizeCode(organiserCode))
		if err != nil {
			return notFoundAs(err, ErrOrganiserUnknown)
		}
		if err := tx.SetClassSchool(classID, school.ID); err != nil {
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

// ArchiveClass closes a class of the school: its members can no longer sign in, its pages are
// gone, and after the retention period all its data is deleted. Restore undoes it until then.
func (s *Service) ArchiveClass(ctx context.Context, actor Actor, schoolID, classID string, archive bool) (*Class, error) {
	var class *Class
	_, err := s.schoolAdmin(ctx, actor, schoolID, func(tx Tx) (err error) {
		if class, err = tx.Class(classID); err != nil {
			return err
		}
		if class.SchoolID != schoolID {
			return ErrForbidden
		}
		var at *time.Time
		if archive {
			now := s.clock()
			at = &now
		}
		class.ArchivedAt = at
		return tx.SetArchived(classID, at)
	})
	if err == nil && archive {
		s.endAccess(ctx, Event{Type: EventAccessEnded, ClassID: classID})
	}
	return class, err
}

// RegisterMunicipality creates a municipality's space and returns it with its admin's token
// (shown once); schools opt in with its join code.
func (s *Service) RegisterMunicipality(ctx context.Context, name string) (*Municipality, string, error) {
	name, err := cleanName(name, ErrNameRequired)
	if err != nil {
		return nil, "", err
	}
	m := &Municipality{ID: NewID(), Name: name, CreatedAt: s.clock()}
	token := NewToken()
	err = s.update(ctx, func(tx Tx) error {
		m.JoinCode = uniqueCode(func(c string) bool { _, err := tx.MunicipalityByCode(c); return err == nil })
		return tx.InsertMunicipality(m, HashToken(token))
	})
	if err != nil {
		return nil, "", err
	}
	return m, token, nil
}

// Municipality returns the municipality to its admin, with its join code.
func (s *Service) Municipality(ctx context.Context, actor Actor, id string) (*Municipality, error) {
	if actor.MunicipalityID != id {
		return nil, ErrForbidden
	}
	var m *Municipality
	err := s.view(ctx, func(tx Tx) (err error) { m, err = tx.Municipality(id); return err })
	return m, err
}

// JoinMunicipality lets a school's admin opt the school into a municipality's roll-up ("" for
// code opts out).
func (s *Service) JoinMunicipality(ctx context.Context, actor Actor, schoolID, code string) (*School, error) {
	return s.schoolAdmin(ctx, actor, schoolID, func(tx Tx) error {
		if code == "" {
			return tx.SetSchoolMunicipality(schoolID, "")
		}
		m, err := tx.MunicipalityByCode(NormalizeCode(code))
		if err != nil {
			return notFoundAs(err, ErrMunicipalityCode)
		}
		return tx.SetSchoolMunicipality(schoolID, m.ID)
	})
}
