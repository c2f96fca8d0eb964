package storetest

import (
	"context"
	"fmt"
	"testing"

	"klasseaftale/agreements"
)

// The value a clause showed when its vote opened is kept with the clause: a bare "Ja" counts for
// it while the vote runs and after it is decided, when the clause itself holds the decided value.
// Back in draft the class may change it, and the next vote counts for the new one.
func testAYesCountsForTheValueShownWhenTheVoteOpened(t *testing.T, e Engine) {
	f := newFixture(t, e)
	ctx := context.Background()
	a, err := f.svc.CreateAgreement(ctx, f.fac, f.class.ID, agreements.NewAgreement{Kind: agreements.KindParents, Templates: []string{"evenings"}, Lang: "da", Title: "Aftenen"})
	must(t, err)
	clause := a.Clauses[0]
	if clause.Value() != "20:00" {
		t.Fatalf("the template's evening starts at %q", clause.Value())
	}
	voters := []agreements.Actor{f.parent, f.other}
	for i := range 3 {
		j, err := f.svc.Join(ctx, agreements.JoinRequest{Code: f.class.ParentCode, Name: "Forælder", Household: fmt.Sprint("Barn", i)})
		must(t, err)
		voters = append(voters, agreements.Actor{Member: j.Member})
	}
	_, err = f.svc.OpenVote(ctx, f.fac, a.ID, agreements.VoteRules{Threshold: 50})
	must(t, err)
	for i, v := range []agreements.Vote{{Answer: agreements.AnswerYes}, {Answer: agreements.AnswerYes},
		{Answer: agreements.AnswerNoBut, Value: "21:00", Reason: "sport"}, {Answer: agreements.AnswerNo}, {Answer: agreements.AnswerAbstain}} {
		v.ClauseID = clause.ID
		_, err := f.svc.CastVote(ctx, voters[i], a.ID, v)
		must(t, err)
	}
	check := func(when string, r agreements.ClauseResult) {
		t.Helper()
		if r.Masked || r.Value != "20:00" || r.Shown != "20:00" || r.Values["20:00"] != 2 || r.Values["21:00"] != 1 || r.Preferences != 3 || r.Implied != 2 || r.Rule != agreements.RuleMedian {
			t.Errorf("%s: %+v", when, r)
		}
	}
	res, err := f.svc.Results(ctx, f.parent, a.ID)
	must(t, err)
	check("while voting", res.Clauses[0])
	res, err = f.svc.CloseVote(ctx, f.fac, a.ID)
	must(t, err)
	check("closing", res.Clauses[0])
	res, err = f.svc.Results(ctx, f.other, a.ID)
	must(t, err)
	check("decided", res.Clauses[0])
	got, err := f.svc.Agreement(ctx, f.fac, a.ID)
	must(t, err)
	if got.Clauses[0].Value() != "20:00" {
		t.Errorf("the clause was decided %q", got.Clauses[0].Value())
	}

	_, err = f.svc.ReturnToDraft(ctx, f.fac, a.ID)
	must(t, err)
	later, rev := "21:00", got.Clauses[0].Rev
	_, err = f.svc.EditClause(ctx, f.fac, a.ID, clause.ID, agreements.ClauseEdit{Value: &later, BaseRev: &rev})
	must(t, err)
	_, err = f.svc.OpenVote(ctx, f.fac, a.ID, agreements.VoteRules{Threshold: 50})
	must(t, err)
	for _, v := range voters {
		_, err := f.svc.CastVote(ctx, v, a.ID, agreements.Vote{ClauseID: clause.ID, Answer: agreements.AnswerYes})
		must(t, err)
	}
	res, err = f.svc.Results(ctx, f.parent, a.ID)
	must(t, err)
	if r := res.Clauses[0]; r.Shown != "21:00" || r.Values["21:00"] != 5 || r.Value != "21:00" {
		t.Errorf("the second vote, on 21:00: %+v", r)
	}
}
