package agreements

import (
	"context"
	"time"
)

// Stores: AgreementStore, Classes, OpLog, Schools.

// Publish makes an adopted agreement a read-only page at an unguessable address, with the
// clauses the vote adopted and the values it chose. The text's edit log is no longer needed
// and is deleted. The review date is set to the start of the next school year.
func (s *Service) Publish(ctx context.Context, actor Actor, id string) (*Agreement, error) {
	var a *Agreement
	err := s.commit(ctx, func(tx Tx) (_ []Event, err error) {
		if a, err = s.loadVisible(tx, actor, id); err != nil {
			return nil, err
		}
		if !actor.IsFacilitatorOf(a.ClassID) {
			return nil, ErrForbidden
		}
		if a.Status != StatusAdopted {
			return nil, ErrNotAdopted
		}
		now := s.clock().Truncate(time.Second)
		review := NextAugustFirst(now)
		a.Status, a.Slug, a.PublishedAt, a.ReviewAt = StatusPublished, NewSlug(), &now, &review
		if err := tx.UpdateAgreement(a); err != nil {
			return nil, err
		}
		if err := s.active(tx, a.ClassID); err != nil {
			return nil, err
		}
		s.hydrate(a)
		return []Event{{AgreementID: a.ID, Type: EventAgreement, Agreement: a}}, tx.DeleteOps(a.ID)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// PublishedView is a published agreement as anyone with its address reads it.
type PublishedView struct {
	Agreement  *Agreement     `json:"agreement"`
	Commitment *Commitment    `json:"commitment"`
	Newer      string         `json:"newer_revision,omitempty"` // the ID of the revision that followed
	ClassName  string         `json:"class_name"`
	Grade      int            `json:"grade"`
	SchoolName string         `json:"school_name,omitempty"`
	SchoolHelp SchoolHelp     `json:"school_help"`
	Adults     []TrustedAdult `json:"trusted_adults"` // the school's, whom a child can turn to
	Help       HelpBlock      `json:"help"`
	Lang       string         `json:"lang"` // the language the template texts are shown in
	// Decisions are the vote's results for the adopted clauses with a parameter: how each value
	// was chosen, concealed like all results (no figures below MinGroup answers).
	Decisions []ClauseResult `json:"decisions"`
}

// Decision is the result that chose a clause's value, or nil.
func (v *PublishedView) Decision(clauseID string) *ClauseResult {
	for i := range v.Decisions {
		if v.Decisions[i].ClauseID == clauseID {
			return &v.Decisions[i]
		}
	}
	return nil
}

// Published returns the agreement published at slug. Clauses the class kept as the template
// wrote them are shown in lang when the library has it; the class's own words stay as written.
func (s *Service) Published(ctx context.Context, slug, lang string) (*PublishedView, error) {
	v := &PublishedView{Adults: []TrustedAdult{}}
	err := s.view(ctx, func(tx Tx) error {
		a, err := tx.AgreementBySlug(slug)
		if err != nil {
			return err
		}
		if a.Clauses, err = tx.Clauses(a.ID); err != nil {
			return err
		}
		if v.Decisions, err = s.decisions(tx, a); err != nil {
			return err
		}
		a.Clauses = adoptedOnly(a.Clauses)
		if v.Commitment, err = s.commitment(tx, a); err != nil {
			return err
		}
		if next, err := tx.NextRevision(a.ID); err == nil {
			v.Newer = next.ID
		}
		class, err := tx.Class(a.ClassID)
		if err != nil {
			return err
		}
		if class.ArchivedAt != nil {
			return ErrNotFound
		}
		v.Agreement, v.ClassName, v.Grade = a, class.Name, class.Grade
		if class.SchoolID == "" {
			return nil
		}
		school, err := tx.School(class.SchoolID)
		if err != nil {
			return err
		}
		v.SchoolName, v.SchoolHelp = school.Name, school.Help
		v.Adults, err = tx.TrustedAdults(class.SchoolID)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.translate(v, lang)
	return v, nil
}

// decisions are the concealed results of an agreement's adopted clauses with a parameter.
func (s *Service) decisions(tx Tx, a *Agreement) ([]ClauseResult, error) {
	s.hydrate(a)
	res, err := s.results(tx, a)
	if err != nil {
		return nil, err
	}
	res.conceal()
	out := []ClauseResult{}
	for i, c := range a.Clauses {
		if c.Parameter != nil && (c.Adopted == nil || *c.Adopted) {
			out = append(out, res.Clauses[i])
		}
	}
	return out, nil
}

// translate keeps the class's own text and adds, to each clause the class kept as the template
// wrote it, the template's text in the reader's language. The help block is in the reader's.
func (s *Service) translate(v *PublishedView, lang string) {
	a := v.Agreement
	s.hydrate(a)
	if !s.hasLang(lang) {
		lang = a.Lang
	}
	v.Lang = lang
	s.Translate(a, lang)
	v.Help = s.lib.Help(a.Kind, lang)
}

// Translate gives each unchanged template clause of a its text in lang, to read next to the
// class's language. Clauses the class wrote or changed have none: their words are the class's.
func (s *Service) Translate(a *Agreement, lang string) {
	if lang == a.Lang || !s.hasLang(lang) {
		return
	}
	for i := range a.Clauses {
		c := &a.Clauses[i]
		tc, ok := s.lib.Clause(c.Key, lang)
		if !ok || c.Changed {
			continue
		}
		t := &Translation{Lang: lang, Title: tc.Title, Body: tc.Body}
		if c.Parameter != nil && tc.Parameter != nil {
			p := *tc.Parameter
			t.Label, t.Value = p.Label, (&Parameter{Options: p.Options}).LabelOf(c.Parameter.Value)
		}
		c.Translation = t
	}
}

func (s *Service) hasLang(lang string) bool {
	for _, l := range s.lib.Langs() {
		if l == lang {
			return true
		}
	}
	return false
}
