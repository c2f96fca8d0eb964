package agreements

import (
	"context"
	"errors"
)

// Stores: Classes, Schools.

// SetTrustedAdults replaces the school's list of trusted adults; only its admin may. Rows left
// empty are dropped, so a form with spare rows can be sent as it is.
func (s *Service) SetTrustedAdults(ctx context.Context, actor Actor, schoolID string, in []TrustedAdult) ([]TrustedAdult, error) {
	if !actor.IsSchoolAdmin(schoolID) {
		return nil, ErrForbidden
	}
	adults, err := cleanAdults(in)
	if err != nil {
		return nil, err
	}
	err = s.update(ctx, func(tx Tx) error { return tx.SetTrustedAdults(schoolID, adults) })
	if err != nil {
		return nil, err
	}
	return adults, nil
}

// TrustedAdults returns the school's list to its admin and its board members.
func (s *Service) TrustedAdults(ctx context.Context, actor Actor, schoolID string) ([]TrustedAdult, error) {
	if !actor.CanReadSchool(schoolID) {
		return nil, ErrForbidden
	}
	var out []TrustedAdult
	err := s.view(ctx, func(tx Tx) (err error) {
		out, err = tx.TrustedAdults(schoolID)
		return err
	})
	return out, err
}

// ClassContacts returns what the school of a class adds to the help, to a member of the class.
func (s *Service) ClassContacts(ctx context.Context, actor Actor, classID string) (*ContactsOfSchool, error) {
	if !actor.InClass(classID) {
		return nil, ErrForbidden
	}
	return s.ContactsOfClass(ctx, classID)
}

// ContactsOfClass returns what the school of a class adds to the help, for a page that has
// already decided its reader may see the class (the join page of a valid code, a published
// agreement's page). A class without a school, or an unknown one, has none.
func (s *Service) ContactsOfClass(ctx context.Context, classID string) (*ContactsOfSchool, error) {
	out := &ContactsOfSchool{Adults: []TrustedAdult{}}
	err := s.view(ctx, func(tx Tx) error {
		class, err := tx.Class(classID)
		if errors.Is(err, ErrNotFound) || (err == nil && (class.SchoolID == "" || class.ArchivedAt != nil)) {
			return nil
		}
		if err != nil {
			return err
		}
		return s.contactsOf(tx, class.SchoolID, out)
	})
	return out, err
}

func (s *Service) contactsOf(tx Tx, schoolID string, out *ContactsOfSchool) error {
	school, err := tx.School(schoolID)
	if err != nil {
		return err
	}
	out.SchoolName, out.Contact, out.ActionPlanURL = school.Name, school.Help.Contact, school.Help.ActionPlanURL
	out.Adults, err = tx.TrustedAdults(schoolID)
	return err
}

// ContactsOfSchool returns what a school adds to the help, for a page of the school that its
// reader may see (such as a school-wide pupils' space).
func (s *Service) ContactsOfSchool(ctx context.Context, schoolID string) (*ContactsOfSchool, error) {
	out := &ContactsOfSchool{Adults: []TrustedAdult{}}
	err := s.view(ctx, func(tx Tx) error {
		err := s.contactsOf(tx, schoolID, out)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		return err
	})
	return out, err
}
