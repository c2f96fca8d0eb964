package agreements

import (
	"errors"
	"slices"
	"strings"
)

// Stores: AgreementStore, Classes, Councils, Decisions, Members.

// The helpers the service's files share, in one place so that no service file leans on
// another: loading an agreement as an actor may see it and completing it with its templates'
// texts; who votes, what they decided and who signed; and small tools for lists and codes.

// roomForAgreement refuses a class that has as many agreements as it may have.
func roomForAgreement(tx Tx, classID string) error {
	as, err := tx.Agreements(classID)
	if err != nil {
		return err
	}
	if len(as) >= MaxAgreements {
		return ErrTooManyAgreements
	}
	return nil
}

// loadVisible loads an agreement with its clauses and checks that the actor may see it.
func (s *Service) loadVisible(tx Tx, actor Actor, id string) (*Agreement, error) {
	a, err := tx.Agreement(id)
	if err != nil {
		return nil, err
	}
	if !actor.CanSee(a.ClassID, a.Kind) {
		return nil, ErrForbidden
	}
	if a.Clauses, err = tx.Clauses(id); err != nil {
		return nil, err
	}
	return a, withCouncilTexts(tx, a)
}

// hydrate fills each clause's parameter from its template, in the agreement's language, and
// marks the clauses the class has changed.
func (s *Service) hydrate(a *Agreement) {
	for i := range a.Clauses {
		s.hydrateClause(&a.Clauses[i], a.Lang)
	}
}

func (s *Service) hydrateClause(c *Clause, lang string) {
	defer c.compareWithCouncil()
	tc, ok := s.lib.Clause(c.Key, lang)
	if !ok {
		c.Parameter = nil
		return
	}
	c.Changed = c.Title != tc.Title || c.Body != tc.Body
	if tc.Parameter == nil {
		c.Parameter = nil
		return
	}
	value, opened := tc.Parameter.Default, ""
	if c.Parameter != nil && c.Parameter.Value != "" {
		value = c.Parameter.Value
	}
	if c.Parameter != nil {
		opened = c.Parameter.Opened
	}
	c.Parameter = &Parameter{Kind: tc.Parameter.Kind, Label: tc.Parameter.Label,
		Options: tc.Parameter.Options, Value: value, Protective: tc.Parameter.Protective, Opened: opened}
}

func filter[T any](xs []T, keep func(T) bool) []T {
	out := make([]T, 0, len(xs))
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}

// notFoundAs turns a store's ErrNotFound into a more telling error and passes others through.
func notFoundAs(err error, as *Error) error {
	if errors.Is(err, ErrNotFound) {
		return as
	}
	return err
}

// withCouncilTexts gives each clause of a that was copied from the pupil council the council's
// text, and a the council agreement it started from.
func withCouncilTexts(tx Tx, a *Agreement) error {
	ccs, err := tx.CouncilClauses(a.ID)
	if err == nil {
		attachCouncilTexts(a, ccs)
	}
	return err
}

// attachCouncilTexts gives the clauses of a the council's texts they were copied from.
func attachCouncilTexts(a *Agreement, ccs []CouncilClause) {
	if len(ccs) > 0 {
		a.FromCouncil = ccs[0].CouncilAgreementID
	}
	for _, cc := range ccs {
		if c := a.Clause(cc.ClauseID); cc.ClauseID != "" && c != nil {
			text := cc.Text
			c.Council = &text
		}
	}
}

// lockedFor reports whether a locked clause refuses the actor's change: everyone's but the
// facilitator's.
func lockedFor(c *Clause, a *Agreement, actor Actor) bool {
	return c.Locked && !actor.IsFacilitatorOf(a.ClassID)
}

// electorate lists who may vote on an agreement, by voter key: the class's households, or its
// pupils in a pupils' agreement.
func (s *Service) electorate(tx Tx, a *Agreement) (map[string]bool, error) {
	out := map[string]bool{}
	if a.Kind == KindParents {
		hs, err := tx.Households(a.ClassID)
		for _, h := range hs {
			out[h.ID] = true
		}
		return out, err
	}
	ms, err := tx.Members(a.ClassID)
	for _, m := range ms {
		if m.Role == RolePupil {
			out[m.ID] = true
		}
	}
	return out, err
}

// results tallies an agreement's votes, every figure shown: for deciding, never for people.
func (s *Service) results(tx Tx, a *Agreement) (*Results, error) {
	voters, err := s.electorate(tx, a)
	if err != nil {
		return nil, err
	}
	votes, err := tx.Votes(a.ID)
	if err != nil {
		return nil, err
	}
	res := &Results{AgreementID: a.ID, Status: a.Status, Rules: a.Vote, Electorate: len(voters),
		MinAnswers: MinGroup, Clauses: []ClauseResult{}, Comments: []Comment{}}
	byClause := map[string][]Vote{}
	for voter, vs := range votes {
		if !voters[voter] {
			continue // a household no longer in the class
		}
		res.Voted++
		for _, v := range vs {
			byClause[v.ClauseID] = append(byClause[v.ClauseID], v)
			if v.Reason != "" {
				res.Comments = append(res.Comments, Comment{ClauseID: v.ClauseID, Answer: v.Answer, Text: v.Reason})
			}
		}
	}
	res.NotVoted = res.Electorate - res.Voted
	rules := VoteRules{}
	if a.Vote != nil {
		rules = *a.Vote
	}
	for _, c := range a.Clauses {
		res.Clauses = append(res.Clauses, Tally(c.ID, byClause[c.ID], len(voters), rules, c.Parameter))
	}
	slices.SortFunc(res.Comments, func(x, y Comment) int { return strings.Compare(x.ClauseID+x.Text, y.ClauseID+y.Text) })
	return res, nil
}

// visibleResults are the results as people may see them now: before a vote with hidden results
// closes, only how many have voted; otherwise concealed as conceal says.
func (s *Service) visibleResults(tx Tx, a *Agreement) (*Results, error) {
	res, err := s.results(tx, a)
	if err != nil {
		return nil, err
	}
	if a.Status == StatusVoting && a.Vote != nil && a.Vote.HideResults {
		res.Hidden, res.Clauses, res.Comments = true, []ClauseResult{}, []Comment{}
	}
	res.conceal()
	return res, nil
}

// loadPublishedFor loads a published agreement for its facilitator.
func (s *Service) loadPublishedFor(tx Tx, actor Actor, id string) (*Agreement, error) {
	a, err := s.loadVisible(tx, actor, id)
	switch {
	case err != nil:
		return nil, err
	case !actor.IsFacilitatorOf(a.ClassID):
		return nil, ErrForbidden
	case a.Status != StatusPublished:
		return nil, ErrNotPublished
	}
	return a, nil
}

// adoptedOnly keeps the clauses a vote adopted (all, for an agreement that was never voted on).
func adoptedOnly(cs []Clause) []Clause {
	return filter(cs, func(c Clause) bool { return c.Adopted == nil || *c.Adopted })
}

// uniqueCode draws codes until taken says one is free. Write transactions are serialised, so
// a code found free inside one stays free until it commits.
func uniqueCode(taken func(string) bool) string {
	for {
		if c := NewCode(); !taken(c) {
			return c
		}
	}
}

// commitment computes where the signatures of an agreement stand in its class now: households
// that joined after signing began count in the total.
func (s *Service) commitment(tx Tx, a *Agreement) (*Commitment, error) {
	sigs, err := tx.Signatures(a.ID)
	if err != nil {
		return nil, err
	}
	voters, err := s.electorate(tx, a)
	if err != nil {
		return nil, err
	}
	class, err := tx.Class(a.ClassID)
	if err != nil {
		return nil, err
	}
	counted := sigs[:0]
	for _, sig := range sigs {
		if _, ok := voters[sig.Key]; ok {
			counted = append(counted, sig)
		}
	}
	c := Commit(counted, len(voters), class.ActivationPercent)
	return &c, nil
}

// loadAll loads an agreement with its clauses, their parameters filled in.
func (s *Service) loadAll(tx Tx, id string) (*Agreement, error) {
	a, err := tx.Agreement(id)
	if err != nil {
		return nil, err
	}
	if a.Clauses, err = tx.Clauses(id); err != nil {
		return nil, err
	}
	s.hydrate(a)
	return a, nil
}

// loadVoter loads an agreement the actor may see, with the actor's voter key.
func (s *Service) loadVoter(tx Tx, actor Actor, id string) (*Agreement, string, error) {
	a, err := s.loadVisible(tx, actor, id)
	if err != nil {
		return nil, "", err
	}
	voter, err := voterOf(actor, a)
	return a, voter, err
}

// voterOf is who votes and signs for the actor: the household in a parents' agreement, the
// pupil in a pupils' agreement. A facilitator without a child in the class has no voice.
func voterOf(actor Actor, a *Agreement) (string, error) {
	m := actor.Member
	switch {
	case m == nil || m.ClassID != a.ClassID:
		return "", ErrForbidden
	case a.Kind == KindPupils && m.Role == RolePupil:
		return m.ID, nil
	case a.Kind == KindParents && m.HouseholdID != "":
		return m.HouseholdID, nil
	}
	return "", ErrNoVoice
}
