package agreements

import "encoding/json"

// conceal hides what could tell how a few voters voted. A clause fewer than MinGroup voters
// have answered shows how many answered and nothing else: no counts, no chosen values, no
// share of yes, no reasons, and while the vote is open not what closing now would decide.
// Once the vote is decided the decision itself (adopted or not, and the value chosen) is the
// class's and is shown, however few voted.
func (r *Results) conceal() {
	decided := r.Status == StatusAdopted || r.Status == StatusRejected || r.Status == StatusPublished
	shown := map[string]bool{}
	for i := range r.Clauses {
		c := &r.Clauses[i]
		if c.Answers >= MinGroup {
			shown[c.ClauseID] = true
			continue
		}
		masked := ClauseResult{ClauseID: c.ClauseID, Answers: c.Answers, Masked: true, QuorumMet: c.QuorumMet, decided: decided}
		if decided {
			masked.Adopted, masked.Value = c.Adopted, c.Value
		}
		*c = masked
	}
	r.Comments = filter(r.Comments, func(x Comment) bool { return shown[x.ClauseID] })
}

// maskedResult is how a masked clause is written: how many answered and, once decided, the
// decision. The figures are left out rather than sent as zeros, which would read as results.
type maskedResult struct {
	ClauseID  string `json:"clause_id"`
	Answers   int    `json:"answers"`
	Masked    bool   `json:"masked"`
	QuorumMet bool   `json:"quorum_met"`
	Adopted   *bool  `json:"adopted,omitempty"`
	Value     string `json:"value,omitempty"`
}

// MarshalJSON writes a clause's result in full, or, when masked, as maskedResult.
func (c ClauseResult) MarshalJSON() ([]byte, error) {
	if !c.Masked {
		type plain ClauseResult
		return json.Marshal(plain(c))
	}
	m := maskedResult{ClauseID: c.ClauseID, Answers: c.Answers, Masked: true, QuorumMet: c.QuorumMet}
	if c.decided {
		adopted := c.Adopted
		m.Adopted, m.Value = &adopted, c.Value
	}
	return json.Marshal(m)
}
