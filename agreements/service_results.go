package agreements

import (
	"context"
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
