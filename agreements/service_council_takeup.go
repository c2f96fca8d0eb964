package agreements

import (
	"context"
	"errors"
	"unicode/utf8"
)

// Stores: AgreementStore, Classes, Councils, Schools.

// StartFromCouncil starts a draft of the class's pupils' agreement from the school's pupil
// council's published agreement: its adopted clauses arrive as the council wrote them, each with
// the council's text kept beside it, so the class can keep, adapt or drop each and see what it
// changed. Only the class's facilitator may, once per council agreement.
func (s *Service) StartFromCouncil(ctx context.Context, actor Actor, classID string, in NewFromCouncil) (*Agreement, error) {
	if !actor.IsFacilitatorOf(classID) {
		return nil, ErrForbidden
	}
	title := oneLine(in.Title)
	if utf8.RuneCountInString(title) > MaxTitleLen {
		return nil, ErrAgreementTitle
	}
	var a *Agreement
	err := s.update(ctx, func(tx Tx) error {
		class, err := tx.Class(classID)
		if err != nil {
			return err
		}
		if class.IsCouncil() {
			return ErrForbidden // the council writes its own agreement from the templates
		}
		src, _, err := s.councilAgreement(tx, class.SchoolID)
		if err != nil {
			return err
		}
		if _, err := tx.TakenUp(classID, src.ID); err == nil {
			return ErrCouncilTakenUp
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		if err := roomForAgreement(tx, classID); err != nil {
			return err
		}
		if err := s.active(tx, classID); err != nil {
			return err
		}
		if title == "" {
			title = src.Title
		}
		a = &Agreement{ID: NewID(), ClassID: classID, Kind: KindPupils, Title: title, Status: StatusDraft,
			Lang: src.Lang, Revision: 1, FromCouncil: src.ID, CreatedAt: s.clock()}
		return s.copyFromCouncil(tx, src, a)
	})
	if err != nil {
		return nil, err
	}
	s.hydrate(a)
	return a, nil
}

// copyFromCouncil stores a with a copy of each of the council agreement's clauses, and the
// council's text of each beside it.
func (s *Service) copyFromCouncil(tx Tx, src, a *Agreement) error {
	if err := tx.InsertAgreement(a); err != nil {
		return err
	}
	for i, cc := range src.Clauses {
		text := CouncilText{ClauseID: cc.ID, Title: cc.Title, Body: cc.Body, Value: cc.Value()}
		c := Clause{ID: NewID(), AgreementID: a.ID, Position: i, Key: cc.Key, Title: cc.Title, Body: cc.Body, Council: &text}
		if cc.Parameter != nil {
			c.Parameter = &Parameter{Value: cc.Parameter.Value}
		}
		if err := tx.InsertClause(&c); err != nil {
			return err
		}
		err := tx.InsertCouncilClause(CouncilClause{AgreementID: a.ID, Position: i, ClauseID: c.ID,
			CouncilAgreementID: src.ID, Text: text})
		if err != nil {
			return err
		}
		a.Clauses = append(a.Clauses, c)
	}
	return nil
}

// councilAgreement returns the school's pupil council's agreement in force, with the clauses its
// vote adopted, and the council: ErrCouncilNoAgreement when the school has no open council or
// the council has published nothing.
func (s *Service) councilAgreement(tx Tx, schoolID string) (*Agreement, *Class, error) {
	if schoolID == "" {
		return nil, nil, ErrCouncilNoAgreement
	}
	council, err := tx.CouncilOf(schoolID)
	if err != nil {
		return nil, nil, notFoundAs(err, ErrCouncilNoAgreement)
	}
	as, err := tx.Agreements(council.ID)
	if err != nil {
		return nil, nil, err
	}
	a := inForce(as)
	if a == nil || council.ArchivedAt != nil {
		return nil, nil, ErrCouncilNoAgreement
	}
	if a.Clauses, err = tx.Clauses(a.ID); err != nil {
		return nil, nil, err
	}
	a.Clauses = adoptedOnly(a.Clauses)
	s.hydrate(a)
	return a, council, nil
}

// inForce is the pupils' agreement published last, or nil.
func inForce(as []Agreement) *Agreement {
	var out *Agreement
	for i := range as {
		a := &as[i]
		if a.Kind != KindPupils || a.Status != StatusPublished || a.PublishedAt == nil {
			continue
		}
		if out == nil || a.PublishedAt.After(*out.PublishedAt) ||
			(a.PublishedAt.Equal(*out.PublishedAt) && a.Revision > out.Revision) {
			out = a
		}
	}
	return out
}

// councilParts adds to a class's view what concerns the school's pupil council: in the council
// itself, the class each member comes from; in a class, for its facilitators and pupils, the
// council's published agreement.
func (s *Service) councilParts(tx Tx, v *ClassView, role Role) error {
	if v.Class.IsCouncil() {
		return councilMembers(tx, v)
	}
	if role == RoleParent {
		return nil
	}
	src, council, err := s.councilAgreement(tx, v.Class.SchoolID)
	if errors.Is(err, ErrCouncilNoAgreement) {
		return nil
	} else if err != nil {
		return err
	}
	v.Council = &CouncilOffer{Council: council.Name, Agreement: src}
	id, err := tx.TakenUp(v.Class.ID, src.ID)
	v.Council.TakenUpBy = id
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// councilMembers fills in, in a council's view, the class each member comes from, the school's
// classes and the school's name.
func councilMembers(tx Tx, v *ClassView) error {
	from, err := tx.CouncilMembers(v.Class.ID)
	if err != nil {
		return err
	}
	for i := range v.Members {
		v.Members[i].FromClassID = from[v.Members[i].ID]
	}
	school, err := tx.School(v.Class.SchoolID)
	if err != nil {
		return err
	}
	cs, err := tx.ClassesOfSchool(school.ID)
	v.SchoolName, v.SchoolClasses = school.Name, []ClassChoice{}
	for _, c := range cs {
		v.SchoolClasses = append(v.SchoolClasses, ClassChoice{ID: c.ID, Name: c.Name, Grade: c.Grade})
	}
	return err
}

// reviseCouncilClauses carries a revised agreement's council texts over to its next revision:
// newOf maps each clause copied into the next revision to its copy; the others count as dropped.
func reviseCouncilClauses(tx Tx, fromID, nextID string, newOf map[string]string) error {
	ccs, err := tx.CouncilClauses(fromID)
	for _, cc := range ccs {
		if err != nil {
			break
		}
		cc.AgreementID, cc.ClauseID = nextID, newOf[cc.ClauseID]
		err = tx.InsertCouncilClause(cc)
	}
	return err
}
