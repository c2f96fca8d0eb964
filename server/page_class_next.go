package server

import "klasseaftale/agreements"

// nextStep is the one thing the class page puts first: the agreement the class is voting on or
// writing now, or, for the facilitator of a class that families have joined and that has no
// agreement of a kind yet, starting it. Before anyone has joined, inviting them comes first, and
// the invitation already opens the page.
type nextStep struct {
	Agreement *agreements.Agreement
	Start     agreements.AgreementKind
}

// nextStepOf finds the reader's next step on the class page; nil when there is none.
func nextStepOf(v *agreements.ClassView, facilitator bool, kinds []agreements.AgreementKind) *nextStep {
	for _, status := range []agreements.Status{agreements.StatusVoting, agreements.StatusDraft} {
		for i := range v.Agreements {
			if v.Agreements[i].Status == status {
				return &nextStep{Agreement: &v.Agreements[i]}
			}
		}
	}
	if !facilitator || len(v.Households) == 0 && len(v.Agreements) == 0 {
		return nil
	}
	for _, k := range kinds {
		if !hasKind(v.Agreements, k) {
			return &nextStep{Start: k}
		}
	}
	return nil
}

func hasKind(list []agreements.Agreement, k agreements.AgreementKind) bool {
	for _, a := range list {
		if a.Kind == k {
			return true
		}
	}
	return false
}
