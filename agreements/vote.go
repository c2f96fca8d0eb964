package agreements

import (
	"slices"
	"time"
)

// Answer is a household's answer to a clause, as in Medierådet's exercise: Ja / Ja, men / Nej /
// Nej, men, or not voting.
type Answer string

// The answers.
const (
	AnswerYes     Answer = "yes"
	AnswerYesBut  Answer = "yes_but"
	AnswerNo      Answer = "no"
	AnswerNoBut   Answer = "no_but"
	AnswerAbstain Answer = "abstain"
)

// Valid reports whether a is one of the answers.
func (a Answer) Valid() bool {
	switch a {
	case AnswerYes, AnswerYesBut, AnswerNo, AnswerNoBut, AnswerAbstain:
		return true
	}
	return false
}

// HasReason reports whether the answer may carry a reason ("Ja, men …", "Nej, men …").
func (a Answer) HasReason() bool { return a == AnswerYesBut || a == AnswerNoBut }

// VoteRules are set when a vote opens: how many households must take part (Quorum, percent of
// all households), which share of the votes cast must be yes (Threshold, percent of votes
// cast without abstentions), when it closes, and whether results stay hidden until then.
type VoteRules struct {
	Quorum      int        `json:"quorum_percent"`
	Threshold   int        `json:"threshold_percent"`
	ClosesAt    *time.Time `json:"closes_at,omitempty"`
	HideResults bool       `json:"hide_results"`
}

// Validate checks the percentages.
func (r VoteRules) Validate(now time.Time) error {
	if r.Quorum < 0 || r.Quorum > 100 || r.Threshold < 1 || r.Threshold > 100 {
		return ErrVoteRules
	}
	if r.ClosesAt != nil && !r.ClosesAt.After(now) {
		return ErrVoteRules
	}
	return nil
}

// Vote is one household's (or, in pupils' agreements, one pupil's) vote on one clause: an
// answer, an optional reason for the "men" answers, and for a clause with a parameter the
// option it prefers.
type Vote struct {
	ClauseID string `json:"clause_id"`
	Answer   Answer `json:"answer,omitempty"`
	Value    string `json:"value,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// Counts are the answers to one clause.
type Counts struct {
	Yes     int `json:"yes"`
	YesBut  int `json:"yes_but"`
	No      int `json:"no"`
	NoBut   int `json:"no_but"`
	Abstain int `json:"abstain"`
}

// Voters is how many took part, abstentions included.
func (c Counts) Voters() int { return c.Yes + c.YesBut + c.No + c.NoBut + c.Abstain }

// Cast is how many votes count toward the threshold: all but abstentions.
func (c Counts) Cast() int { return c.Yes + c.YesBut + c.No + c.NoBut }

func (c *Counts) add(a Answer) {
	switch a {
	case AnswerYes:
		c.Yes++
	case AnswerYesBut:
		c.YesBut++
	case AnswerNo:
		c.No++
	case AnswerNoBut:
		c.NoBut++
	case AnswerAbstain:
		c.Abstain++
	}
}

// ClauseResult is the outcome for one clause. Answers is how many voters answered it (an
// option chosen without an answer counts). A Masked result has only Answers, QuorumMet and,
// once decided, Adopted and Value: see conceal.
type ClauseResult struct {
	ClauseID   string         `json:"clause_id"`
	Answers    int            `json:"answers"`
	Masked     bool           `json:"masked"`
	Counts     Counts         `json:"counts"`
	Values     map[string]int `json:"values,omitempty"` // votes per option
	QuorumMet  bool           `json:"quorum_met"`
	Adopted    bool           `json:"adopted"`
	Value      string         `json:"value,omitempty"` // the decided option
	YesPercent int            `json:"yes_percent"`
	decided    bool           // the vote is decided: a masked result still shows the decision
}

// Tally decides one clause: it is adopted when the quorum of households took part and the yes
// answers (with or without "men") reach the threshold of the votes cast without abstentions.
// A clause where everyone abstained is not adopted.
func Tally(clauseID string, votes []Vote, households int, rules VoteRules, p *Parameter) ClauseResult {
	r := ClauseResult{ClauseID: clauseID}
	var values []string
	for _, v := range votes {
		if v.Answer == "" {
			r.Counts.add(AnswerAbstain) // only an option chosen: it takes part, but says neither yes nor no
		} else {
			r.Counts.add(v.Answer)
		}
		if v.Value != "" && p != nil && p.Has(v.Value) {
			values = append(values, v.Value)
		}
	}
	r.Answers = r.Counts.Voters()
	r.QuorumMet = households > 0 && r.Answers*100 >= rules.Quorum*households
	if cast := r.Counts.Cast(); cast > 0 {
		yes := r.Counts.Yes + r.Counts.YesBut
		r.YesPercent = yes * 100 / cast
		r.Adopted = r.QuorumMet && yes*100 >= rules.Threshold*cast
	}
	if p != nil {
		r.Values = map[string]int{}
		for _, v := range values {
			r.Values[v]++
		}
		r.Value = Decide(p, values)
	}
	return r
}

// Decide picks a parameter's value from the options households preferred: for ages and times
// the median household's choice, for other choices the most chosen. Ties go to the option that
// protects the children more. With no preferences the current value stands.
func Decide(p *Parameter, values []string) string {
	if len(values) == 0 {
		return p.Value
	}
	rank := p.protectiveRank() // rank[v] < rank[w]: v protects more
	if p.Kind == ParamNumber || p.Kind == ParamTime {
		sorted := slices.Clone(values)
		slices.SortFunc(sorted, func(a, b string) int { return p.index(a) - p.index(b) })
		n := len(sorted)
		if n%2 == 1 {
			return sorted[n/2]
		}
		lo, hi := sorted[n/2-1], sorted[n/2]
		if rank[hi] < rank[lo] {
			return hi
		}
		return lo
	}
	count := map[string]int{}
	for _, v := range values {
		count[v]++
	}
	best := ""
	for _, o := range p.Options {
		if c := count[o.Value]; c > 0 && (best == "" || c > count[best] || (c == count[best] && rank[o.Value] < rank[best])) {
			best = o.Value
		}
	}
	return best
}

func (p *Parameter) index(v string) int {
	for i, o := range p.Options {
		if o.Value == v {
			return i
		}
	}
	return -1
}

// protectiveRank orders the options from the most protective (0): a choice as listed, numbers
// and times from the end the template names.
func (p *Parameter) protectiveRank() map[string]int {
	rank := make(map[string]int, len(p.Options))
	n := len(p.Options)
	for i, o := range p.Options {
		if p.Protective == "high" {
			rank[o.Value] = n - 1 - i
		} else {
			rank[o.Value] = i
		}
	}
	return rank
}
