package agreements

import (
	"context"
	"slices"
	"unicode/utf8"
)

// Stores: AgreementStore, Classes.

// NewAgreement is what a facilitator chooses to start an agreement.
type NewAgreement struct {
	Kind      AgreementKind `json:"kind"`
	Templates []string      `json:"templates"`
	Lang      string        `json:"lang"`
	Title     string        `json:"title"`
}

// CreateAgreement starts a draft for the class from the chosen templates, taking from each the
// clauses that suit the class's grade, in the agreement's language.
func (s *Service) CreateAgreement(ctx context.Context, actor Actor, classID string, in NewAgreement) (*Agreement, error) {
	if !actor.IsFacilitatorOf(classID) {
		return nil, ErrForbidden
	}
	if err := s.checkNew(&in); err != nil {
		return nil, err
	}
	a := &Agreement{ID: NewID(), ClassID: classID, Kind: in.Kind, Title: in.Title,
		Status: StatusDraft, Lang: in.Lang, Revision: 1, CreatedAt: s.clock()}
	err := s.update(ctx, func(tx Tx) error {
		class, err := tx.Class(classID)
		if err != nil {
			return err
		}
		grade := class.Grade
		if class.IsCouncil() {
			if in.Kind != KindPupils {
				return ErrCouncilPupilsOnly
			}
			grade = -1 // the council writes for the whole school
		}
		a.Clauses = s.clausesFrom(in.Templates, in.Lang, grade)
		if err := roomForAgreement(tx, classID); err != nil {
			return err
		}
		if err := tx.InsertAgreement(a); err != nil {
			return err
		}
		if err := s.active(tx, classID); err != nil {
			return err
		}
		for i := range a.Clauses {
			a.Clauses[i].AgreementID, a.Clauses[i].Position = a.ID, i
			if err := tx.InsertClause(&a.Clauses[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.hydrate(a)
	return a, nil
}

func (s *Service) checkNew(in *NewAgreement) error {
	if !in.Kind.Valid() {
		return ErrKindInvalid
	}
	if !slices.Contains(s.lib.Langs(), in.Lang) {
		return ErrLangInvalid
	}
	in.Title = oneLine(in.Title)
	if utf8.RuneCountInString(in.Title) > MaxTitleLen {
		return ErrAgreementTitle
	}
	if len(in.Templates) == 0 {
		return ErrNoTemplates
	}
	for _, key := range in.Templates {
		t, ok := s.lib.Template(key, in.Lang)
		if !ok {
			return ErrTemplateUnknown.With("key", key)
		}
		if t.Kind != in.Kind {
			return ErrTemplateKind.With("key", key)
		}
	}
	return nil
}

// clausesFrom copies the template clauses that suit the grade (all of them for grade -1), each
// template once.
func (s *Service) clausesFrom(keys []string, lang string, grade int) []Clause {
	var out []Clause
	seen := map[string]bool{}
	for _, key := range keys {
		t, _ := s.lib.Template(key, lang)
		if seen[key] {
			continue
		}
		seen[key] = true
		for _, tc := range t.Clauses {
			if grade >= 0 && !tc.Suits(grade) {
				continue
			}
			c := Clause{ID: NewID(), Key: tc.Key, Title: tc.Title, Body: tc.Body}
			if tc.Parameter != nil {
				c.Parameter = &Parameter{Value: tc.Parameter.Default}
			}
			out = append(out, c)
		}
	}
	return out
}

// Agreement returns an agreement with its clauses to a member who may see it.
func (s *Service) Agreement(ctx context.Context, actor Actor, id string) (*Agreement, error) {
	var a *Agreement
	err := s.view(ctx, func(tx Tx) (err error) {
		a, err = s.loadVisible(tx, actor, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.hydrate(a)
	return a, nil
}

// AllGrades asks Templates for the templates of every grade.
const AllGrades = -1

// Templates lists the library's templates of a kind that suit a grade (0 to MaxGrade, or
// AllGrades), in a language.
func (s *Service) Templates(kind AgreementKind, grade int, lang string) ([]Template, error) {
	if !kind.Valid() {
		return nil, ErrKindInvalid
	}
	if grade != AllGrades && (grade < 0 || grade > MaxGrade) {
		return nil, ErrGradeInvalid
	}
	if !slices.Contains(s.lib.Langs(), lang) {
		return nil, ErrLangInvalid
	}
	out := []Template{}
	for _, t := range s.lib.Templates(kind, lang) {
		if grade != AllGrades {
			t.Clauses = filter(t.Clauses, func(c TemplateClause) bool { return c.Suits(grade) })
		}
		if len(t.Clauses) > 0 {
			out = append(out, t)
		}
	}
	return out, nil
}
