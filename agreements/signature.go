package agreements

import (
	"slices"
	"time"
)

// Signature is a household's promise to keep a published agreement: now (MinPercent 0), or only
// when at least MinPercent of the class's households have signed too — so no family keeps an
// agreement alone while the others quietly don't.
type Signature struct {
	Key        string    `json:"-"` // the household (or pupil) signing
	MinPercent int       `json:"min_percent"`
	SignedAt   time.Time `json:"signed_at"`
}

// Commitment is where the signatures of an agreement stand. Holding counts the signatures whose
// condition is met; the agreement is Active when they reach the class's activation threshold.
// Needed is how many more families signing now would make it active.
type Commitment struct {
	Households int  `json:"households_total"`
	Signed     int  `json:"signed"`
	Holding    int  `json:"holding"`
	Active     bool `json:"active"`
	Needed     int  `json:"needed"`
	Threshold  int  `json:"activation_percent"`
}

// Holding returns how many of the conditions hold together: the largest set of signers in which
// every member's condition is met by the set's own size. If a set of k works, the k signers with
// the lowest conditions work too, so it is enough to try those, largest first.
func Holding(conditions []int, households int) int {
	if households <= 0 {
		return 0
	}
	sorted := slices.Clone(conditions)
	slices.Sort(sorted)
	for k := len(sorted); k > 0; k-- {
		if sorted[k-1]*households <= k*100 {
			return k
		}
	}
	return 0
}

// Commit computes the commitment of a class of the given size to an agreement.
func Commit(sigs []Signature, households, threshold int) Commitment {
	conds := make([]int, len(sigs))
	for i, s := range sigs {
		conds[i] = s.MinPercent
	}
	c := Commitment{Households: households, Signed: len(sigs), Threshold: threshold}
	c.Holding = Holding(conds, households)
	c.Active = active(c.Holding, households, threshold)
	for extra := 0; !active(Holding(conds, households), households, threshold) && len(conds) < households; extra++ {
		conds = append(conds, 0)
		c.Needed = extra + 1
	}
	return c
}

func active(holding, households, threshold int) bool {
	return households > 0 && holding*100 >= threshold*households
}
