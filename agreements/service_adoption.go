package agreements

import (
	"context"
	"slices"
)

// Stores: AgreementStore, Classes, Decisions, Members, Municipalities, Schools.

// SchoolAdoption returns the school's overview to its admin and its board members: per class
// where its agreements stand, and the totals. No family and no child is named; numbers about a
// class of fewer than MinGroup households are masked.
func (s *Service) SchoolAdoption(ctx context.Context, actor Actor, schoolID string) (*SchoolAdoption, error) {
	if !actor.CanReadSchool(schoolID) {
		return nil, ErrForbidden
	}
	var out *SchoolAdoption
	err := s.view(ctx, func(tx Tx) (err error) {
		out, err = s.schoolAdoption(tx, schoolID)
		return err
	})
	return out, err
}

func (s *Service) schoolAdoption(tx Tx, schoolID string) (*SchoolAdoption, error) {
	school, err := tx.School(schoolID)
	if err != nil {
		return nil, err
	}
	classes, err := tx.ClassesOfSchool(schoolID)
	if err != nil {
		return nil, err
	}
	out := &SchoolAdoption{SchoolID: school.ID, SchoolName: school.Name, Municipality: school.Municipality,
		Totals: newTotals(), Classes: []ClassAdoption{}, GeneratedAt: s.clock()}
	for _, c := range classes {
		if c.ArchivedAt != nil {
			continue
		}
		ca, err := s.classAdoption(tx, &c)
		if err != nil {
			return nil, err
		}
		out.Classes = append(out.Classes, *ca)
		out.Totals.add(*ca)
	}
	if err := s.councilSummary(tx, out); err != nil {
		return nil, err
	}
	out.Totals.finish()
	slices.SortStableFunc(out.Classes, func(a, b ClassAdoption) int { return a.Grade - b.Grade })
	return out, nil
}

// classAdoption sums up one class: its households and the newest revision of each kind.
func (s *Service) classAdoption(tx Tx, c *Class) (*ClassAdoption, error) {
	hs, err := tx.Households(c.ID)
	if err != nil {
		return nil, err
	}
	ca := &ClassAdoption{ClassID: c.ID, Name: c.Name, Grade: c.Grade, Households: countOf(len(hs), len(hs))}
	as, err := tx.Agreements(c.ID)
	if err != nil {
		return nil, err
	}
	for _, kind := range []AgreementKind{KindParents, KindPupils} {
		a := newest(as, kind)
		if a == nil {
			continue
		}
		aa, err := s.agreementAdoption(tx, a)
		if err != nil {
			return nil, err
		}
		if kind == KindParents {
			ca.Parents = aa
			continue
		}
		ca.Pupils = aa
		if aa.Council, err = s.councilFigures(tx, a, aa.Masked); err != nil {
			return nil, err
		}
	}
	return ca, nil
}

// newest is the latest revision of a kind, or the published one while the revision after it is
// still a draft, so the board sees the agreement in force. It does not depend on the order of
// as (the store lists the newest first).
func newest(as []Agreement, kind AgreementKind) *Agreement {
	var latest, published *Agreement
	for i := range as {
		a := &as[i]
		if a.Kind != kind {
			continue
		}
		if latest == nil || a.Revision > latest.Revision {
			latest = a
		}
		if a.Status == StatusPublished && (published == nil || a.Revision > published.Revision) {
			published = a
		}
	}
	if latest != nil && latest.Status == StatusDraft && published != nil {
		return published
	}
	return latest
}

// agreementAdoption sums up one agreement for the school. Figures about an electorate smaller
// than MinGroup are masked, values and activity included.
func (s *Service) agreementAdoption(tx Tx, a *Agreement) (*AgreementAdoption, error) {
	voters, err := s.electorate(tx, a)
	if err != nil {
		return nil, err
	}
	n := len(voters)
	aa := &AgreementAdoption{ID: a.ID, Status: a.Status, Revision: a.Revision, PublishedAt: a.PublishedAt,
		ReviewAt: a.ReviewAt, ReviewOverdue: a.ReviewDue(s.clock()), Masked: n < MinGroup, Values: map[string]string{},
		Signed: countOf(0, n), Holding: countOf(0, n), Active: flagOf(false, n)}
	if !aa.Masked {
		if err := s.keyValues(tx, a, aa.Values); err != nil {
			return nil, err
		}
	}
	if a.Status != StatusPublished {
		return aa, nil
	}
	com, err := s.commitment(tx, a)
	if err != nil {
		return nil, err
	}
	aa.Signed, aa.Holding, aa.Active = countOf(com.Signed, n), countOf(com.Holding, n), flagOf(com.Active, n)
	if c, err := tx.LatestCheckin(a.ID); err == nil {
		res, err := s.checkinResults(tx, a, c, "")
		if err != nil {
			return nil, err
		}
		aa.Checkin = checkinFigures(c, res)
	}
	return aa, nil
}

// keyValues fills in the values the vote chose for the KeyValues clauses the agreement adopted.
func (s *Service) keyValues(tx Tx, a *Agreement, out map[string]string) error {
	clauses, err := tx.Clauses(a.ID)
	if err != nil {
		return err
	}
	for _, c := range adoptedOnly(clauses) {
		for _, kv := range KeyValues {
			if c.Key == kv.Clause && c.Parameter != nil && out[kv.Name] == "" {
				out[kv.Name] = c.Parameter.Value
			}
		}
	}
	return nil
}

// MunicipalityAdoption returns the municipality's roll-up to its admin: per opted-in school its
// totals, and the totals across them.
func (s *Service) MunicipalityAdoption(ctx context.Context, actor Actor, id string) (*MunicipalityAdoption, error) {
	if actor.MunicipalityID == "" || actor.MunicipalityID != id {
		return nil, ErrForbidden
	}
	var out *MunicipalityAdoption
	err := s.view(ctx, func(tx Tx) error {
		m, err := tx.Municipality(id)
		if err != nil {
			return err
		}
		schools, err := tx.SchoolsOfMunicipality(id)
		if err != nil {
			return err
		}
		out = &MunicipalityAdoption{MunicipalityID: id, Name: m.Name, Totals: newTotals(),
			Schools: []SchoolAdoptionRow{}, GeneratedAt: s.clock()}
		for _, sc := range schools {
			sa, err := s.schoolAdoption(tx, sc.ID)
			if err != nil {
				return err
			}
			out.Schools = append(out.Schools, SchoolAdoptionRow{SchoolID: sc.ID, Name: sc.Name, Totals: sa.Totals})
			out.Totals.merge(sa.Totals)
		}
		out.Totals.finish()
		return nil
	})
	return out, err
}
