package agreements

import (
	"context"
	"slices"
	"strings"
)

// Results are a vote's state as the room may see it — the same for everyone, the facilitator
// included. Nobody learns who has or has not voted, or how: the results count voters and never
// name them, and a clause's counts, values and reasons are shown only once MinGroup voters have
// answered it (see conceal). While results are hidden and the vote is open, only how many have
// voted is shown, so nobody follows the crowd.
type Results struct {
	AgreementID string         `json:"agreement_id"`
	Status      Status         `json:"status"`
	Rules       *VoteRules     `json:"rules,omitempty"`
	Electorate  int            `json:"electorate"`      // households, or pupils in a pupils' agreement
	Voted       int            `json:"voted"`           // who have voted on at least one clause
	NotVoted    int            `json:"not_voted_count"` // Electorate - Voted: a number, never names
	MinAnswers  int            `json:"min_answers"`     // a clause's figures are shown from this many answers on
	Hidden      bool           `json:"hidden"`
	Clauses     []ClauseResult `json:"clauses"`
	Comments    []Comment      `json:"comments"`
}

// Comment is a reason given with a "men" answer, shown without who gave it.
type Comment struct {
	ClauseID string `json:"clause_id"`
	Answer   Answer `json:"answer"`
	Text     string `json:"text"`
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

// Results returns the vote's results to a member of the class who may see the agreement.
func (s *Service) Results(ctx context.Context, actor Actor, id string) (*Results, error) {
	var res *Results
	err := s.view(ctx, func(tx Tx) error {
		a, err := s.loadVisible(tx, actor, id)
		if err != nil {
			return err
		}
		s.hydrate(a)
		res, err = s.visibleResults(tx, a)
		return err
	})
	return res, err
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
