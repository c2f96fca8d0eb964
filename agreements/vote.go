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
	Values     map[string]int `json:"values,omitempty"` // preferences per option, a "Ja" without one counted for the shown value
	QuorumMet  bool           `json:"quorum_met"`
	Adopted    bool           `json:"adopted"`
	Value      string         `json:"value,omitempty"` // the decided option
	YesPercent int            `json:"yes_percent"`
	// For a clause with a parameter: how its value is chosen and from which preferences.
	Rule         Rule          `json:"rule,omitempty"`
	Preferences  int           `json:"preferences,omitempty"` // preferences that count, the implied ones included
	Implied      int           `json:"implied,omitempty"`     // of them, yes answers without a preference of their own
	Shown        string        `json:"shown_value,omitempty"` // the value the clause showed when the vote opened
	Distribution []OptionTally `json:"distribution,omitempty"`
	decided      bool          // the vote is decided: a masked result still shows the decision
}

// Rule says how a parameter's value was chosen from the preferences.
type Rule string

// The rules: the middle preference of an ordered parameter (ages, times), the most chosen
// option of an unordered one, or, with no preference at all, the value the clause showed.
const (
	RuleMedian    Rule = "median"
	RulePlurality Rule = "plurality"
	RuleUnchanged Rule = "unchanged"
)

// OptionTally is one option of a parameter with the preferences for it, in the options' order.
type OptionTally struct {
	Value  string `json:"value"`
	Label  string `json:"label"`
	Count  int    `json:"count"`
	Chosen bool   `json:"chosen"`
}

// Tally decides one clause: it is adopted when the quorum of households took part and the yes
// answers (with or without "men") reach the threshold of the votes cast without abstentions.
// A clause where everyone abstained is not adopted. A clause's parameter is decided from the
// preferences (see Decide): an option a voter chose, or, for a "Ja" or "Ja, men" without one,
// the value the clause showed when the vote opened — what the family said yes to. A "Nej"
// without a preference counts for no value.
func Tally(clauseID string, votes []Vote, households int, rules VoteRules, p *Parameter) ClauseResult {
	r := ClauseResult{ClauseID: clauseID}
	var values []string
	for _, v := range votes {
		if v.Answer == "" {
			r.Counts.add(AnswerAbstain) // only an option chosen: it takes part, but says neither yes nor no
		} else {
			r.Counts.add(v.Answer)
		}
		if pref, implied := preference(v, p); pref != "" {
			values = append(values, pref)
			if implied {
				r.Implied++
			}
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
		r.decideValue(p, values)
	}
	return r
}

// preference is the option a vote counts for, and whether it is implied by a "Ja" to the
// value the clause showed rather than chosen; "" when it counts for none.
func preference(v Vote, p *Parameter) (value string, implied bool) {
	switch {
	case p == nil:
		return "", false
	case v.Value != "" && p.Has(v.Value):
		return v.Value, false
	case v.Value == "" && (v.Answer == AnswerYes || v.Answer == AnswerYesBut) && p.Has(p.Opened):
		return p.Opened, true
	}
	return "", false
}

// decideValue chooses the parameter's value from the preferences and keeps their distribution.
func (r *ClauseResult) decideValue(p *Parameter, values []string) {
	r.Values, r.Preferences, r.Shown = map[string]int{}, len(values), p.Opened
	for _, v := range values {
		r.Values[v]++
	}
	r.Value = Decide(p, values)
	r.Rule = RulePlurality
	switch {
	case len(values) == 0:
		r.Rule = RuleUnchanged
	case p.Ordered():
		r.Rule = RuleMedian
	}
	for _, o := range p.Options {
		r.Distribution = append(r.Distribution, OptionTally{Value: o.Value, Label: o.Label, Count: r.Values[o.Value], Chosen: o.Value == r.Value})
	}
}

// Ordered reports whether the options are ordered (ages, times), so a vote takes the median.
func (p *Parameter) Ordered() bool { return p.Kind == ParamNumber || p.Kind == ParamTime }

// Decide picks a parameter's value from the options households preferred: for ages and times
// the median household's choice, for other choices the most chosen. Ties go to the option that
// protects the children more. With no preferences the current value stands.
func Decide(p *Parameter, values []string) string {
	if len(values) == 0 {
		return p.Value
	}
	rank := p.protectiveRank() // rank[v] < rank[w]: v protects more
	if p.Ordered() {
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
