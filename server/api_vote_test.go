package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
)

// Deciding: opening and closing the vote, one vote per household (or pupil), quorum and
// threshold, parameter values, hidden results, reasons, returning to draft. The committing
// side (signatures, check-ins, revise) is in api_commit_test.go.

// fakeClock is a service clock a test moves by hand.
type fakeClock struct{ ns atomic.Int64 }

// useClock sets the app's service clock to start and returns it.
func useClock(app *apptest.App, start time.Time) *fakeClock {
	c := &fakeClock{}
	c.set(start)
	app.Service.SetClock(c.now)
	return c
}

func (c *fakeClock) now() time.Time      { return time.Unix(0, c.ns.Load()).UTC() }
func (c *fakeClock) set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *fakeClock) add(d time.Duration) { c.ns.Add(int64(d)) }

// voteClass is a class with one parent in each of its households, and what they vote on.
type voteClass struct {
	apptest.Class
	parents    []string            // a token per household, in order
	households []agreements.Member // the parent of each household, in order
}

// classWith makes a class of grade 4 with n households of one parent each.
func classWith(t *testing.T, app *apptest.App, n int) voteClass {
	t.Helper()
	c := voteClass{Class: app.NewClass("4.A", 4)}
	for i := range n {
		m, tok := app.Join(c.ParentCode, fmt.Sprintf("Forælder %d", i+1), fmt.Sprintf("Barn%d", i+1))
		c.parents = append(c.parents, tok)
		c.households = append(c.households, m)
	}
	return c
}

func votePath(id, what string) string { return "/api/v1/agreements/" + id + "/" + what }

// openVote opens the vote on an agreement as the class's facilitator.
func openVote(t *testing.T, app *apptest.App, c apptest.Class, id string, rules map[string]any) agreements.Agreement {
	t.Helper()
	var a agreements.Agreement
	app.Must(http.StatusOK, "POST", votePath(id, "voting"), c.Facilitator, rules, &a)
	return a
}

// rules are vote rules as the API takes them.
func rules(quorum, threshold int) map[string]any {
	return map[string]any{"quorum_percent": quorum, "threshold_percent": threshold}
}

// castVote votes as the holder of tok; extra are the body's other fields (choice, value, reason).
func castVote(t *testing.T, app *apptest.App, id, tok, clauseID string, extra map[string]any) castAnswer {
	t.Helper()
	body := map[string]any{"clause_id": clauseID}
	for k, v := range extra {
		body[k] = v
	}
	var out castAnswer
	app.Must(http.StatusOK, "PUT", votePath(id, "votes"), tok, body, &out)
	return out
}

// castAnswer is what PUT /votes answers.
type castAnswer struct {
	Votes   []agreements.Vote  `json:"votes"`
	Results agreements.Results `json:"results"`
}

// choice is a vote body of one answer or option.
func choice(c string) map[string]any { return map[string]any{"choice": c} }

func myVotes(t *testing.T, app *apptest.App, id, tok string) []agreements.Vote {
	t.Helper()
	var out struct {
		Votes []agreements.Vote `json:"votes"`
	}
	app.Must(http.StatusOK, "GET", votePath(id, "votes"), tok, nil, &out)
	return out.Votes
}

func results(t *testing.T, app *apptest.App, id, tok string) agreements.Results {
	t.Helper()
	var out agreements.Results
	app.Must(http.StatusOK, "GET", votePath(id, "results"), tok, nil, &out)
	return out
}

// closeVote closes the vote as the facilitator and returns the answer's results.
func closeVote(t *testing.T, app *apptest.App, c apptest.Class, id string) agreements.Results {
	t.Helper()
	var out struct {
		Status  agreements.Status  `json:"status"`
		Results agreements.Results `json:"results"`
	}
	app.Must(http.StatusOK, "POST", votePath(id, "close"), c.Facilitator, nil, &out)
	if out.Status != out.Results.Status {
		t.Errorf("close answered status %q with results of status %q", out.Status, out.Results.Status)
	}
	return out.Results
}

// resultOf returns the result of one clause.
func resultOf(t *testing.T, r agreements.Results, clauseID string) agreements.ClauseResult {
	t.Helper()
	for _, c := range r.Clauses {
		if c.ClauseID == clauseID {
			return c
		}
	}
	t.Fatalf("no result for clause %s in %+v", clauseID, r)
	return agreements.ClauseResult{}
}

// publish publishes an adopted agreement as the facilitator and returns its slug.
func publish(t *testing.T, app *apptest.App, c apptest.Class, id string) string {
	t.Helper()
	var out struct {
		Agreement agreements.Agreement `json:"agreement"`
	}
	app.Must(http.StatusOK, "POST", votePath(id, "publish"), c.Facilitator, nil, &out)
	return out.Agreement.Slug
}

// published reads the public JSON of a published agreement.
func published(t *testing.T, app *apptest.App, slug string) agreements.PublishedView {
	t.Helper()
	var out struct {
		Published agreements.PublishedView `json:"published"`
	}
	app.Must(http.StatusOK, "GET", "/api/v1/published/"+slug, "", nil, &out)
	return out.Published
}

// A second vote from a household replaces its first, whichever parent casts it; both parents
// see the household's current vote.
func TestSecondVoteReplacesTheHouseholds(t *testing.T) {
	type ballot struct {
		who  string // "mor", "far" (the same household) or "omar" (another)
		body map[string]any
	}
	cases := []struct {
		name    string
		ballots []ballot
		want    agreements.Vote // the household's vote as GET /votes shows it
		counts  agreements.Counts
		values  map[string]int
	}{
		{"the other parent changes the answer; the option chosen stays",
			[]ballot{{"mor", map[string]any{"choice": "yes_but", "value": "12", "reason": "Men først efter sommerferien."}}, {"far", choice("no")}},
			agreements.Vote{Answer: "no", Value: "12"}, agreements.Counts{No: 1}, map[string]int{"12": 1}},
		{"the same parent again",
			[]ballot{{"mor", choice("yes")}, {"mor", map[string]any{"choice": "no_but", "reason": "Hellere 14 år."}}},
			agreements.Vote{Answer: "no_but", Reason: "Hellere 14 år."}, agreements.Counts{NoBut: 1}, map[string]int{}},
		{"the other parent picks another option; the answer stays",
			[]ballot{{"far", map[string]any{"choice": "yes", "value": "14"}}, {"mor", choice("12")}},
			agreements.Vote{Answer: "yes", Value: "12"}, agreements.Counts{Yes: 1}, map[string]int{"12": 1}},
		{"the other parent abstains after a yes",
			[]ballot{{"mor", choice("yes")}, {"far", choice("abstain")}},
			agreements.Vote{Answer: "abstain"}, agreements.Counts{Abstain: 1}, map[string]int{}},
		{"another household's vote is its own; a bare Ja, men counts for the age shown, a bare Nej for none",
			[]ballot{{"mor", choice("yes")}, {"omar", choice("no")}, {"far", choice("yes_but")}},
			agreements.Vote{Answer: "yes_but"}, agreements.Counts{YesBut: 1, No: 1}, map[string]int{"13": 1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			app := apptest.New(t)
			c := app.NewClass("4.A", 4)
			mor, morTok := app.Join(c.ParentCode, "Mor til Ida", "Ida")
			far, farTok := app.Join(c.ParentCode, "Far til Ida", " ida ")
			_, omarTok := app.Join(c.ParentCode, "Far til Omar", "Omar")
			if mor.HouseholdID == "" || far.HouseholdID != mor.HouseholdID {
				t.Fatalf("the parents of Ida are in households %q and %q", mor.HouseholdID, far.HouseholdID)
			}
			tokens := map[string]string{"mor": morTok, "far": farTok, "omar": omarTok}
			a := app.NewAgreement(c, "parents", "first-smartphone")
			age := clauseByKey(t, a, "first-smartphone.age")
			openVote(t, app, c, a.ID, rules(0, 50))
			// Five more households abstain, so the clause's figures are shown (see TestVoteSecrecy).
			for i := range agreements.MinGroup {
				_, tok := app.Join(c.ParentCode, fmt.Sprintf("Forælder %d", i), fmt.Sprintf("Andet barn %d", i))
				castVote(t, app, a.ID, tok, age.ID, choice("abstain"))
			}
			var last castAnswer
			for _, b := range tc.ballots {
				last = castVote(t, app, a.ID, tokens[b.who], age.ID, b.body)
			}

			want := tc.want
			want.ClauseID = age.ID
			tc.counts.Abstain += agreements.MinGroup
			for who, tok := range map[string]string{"mor": morTok, "far": farTok} {
				if got := myVotes(t, app, a.ID, tok); !slices.Equal(got, []agreements.Vote{want}) {
					t.Errorf("%s sees the household's votes %+v, want %+v", who, got, want)
				}
			}
			res := results(t, app, a.ID, c.Facilitator)
			r := resultOf(t, res, age.ID)
			if r.Counts != tc.counts {
				t.Errorf("counts %+v, want %+v", r.Counts, tc.counts)
			}
			if len(r.Values) != len(tc.values) || !mapsEqual(r.Values, tc.values) {
				t.Errorf("values %v, want %v", r.Values, tc.values)
			}
			if households := tc.counts.Voters(); res.Voted != households || res.Electorate != 7 {
				t.Errorf("voted %d of %d, want %d of 7 households", res.Voted, res.Electorate, households)
			}
			if last.Results.Voted != res.Voted || resultOf(t, last.Results, age.ID).Counts != tc.counts {
				t.Errorf("the last PUT answered results %+v, unlike GET %+v", last.Results, res)
			}
		})
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// A vote after the vote has closed is refused — closed by the facilitator, or by its time
// having passed, before and after the server's tick decides it — and changes nothing.
func TestVoteAfterClosing(t *testing.T) {
	app := apptest.New(t)
	start := time.Date(2027, 3, 10, 18, 0, 0, 0, time.UTC)
	clock := useClock(app, start)
	c := classWith(t, app, 2)

	byHand := app.NewAgreement(c.Class, "parents", "photos")
	openVote(t, app, c.Class, byHand.ID, rules(50, 50))
	castVote(t, app, byHand.ID, c.parents[0], byHand.Clauses[0].ID, choice("yes"))
	if r := closeVote(t, app, c.Class, byHand.ID); r.Status != agreements.StatusAdopted {
		t.Fatalf("closed by hand: %s", r.Status)
	}

	onTime := app.NewAgreement(c.Class, "parents", "photos")
	closesAt := start.Add(time.Second)
	opened := openVote(t, app, c.Class, onTime.ID, map[string]any{"quorum_percent": 50, "threshold_percent": 50, "closes_at": closesAt})
	if opened.Vote == nil || opened.Vote.ClosesAt == nil || !opened.Vote.ClosesAt.Equal(closesAt) {
		t.Fatalf("opened with vote %+v, want closes_at %s", opened.Vote, closesAt)
	}
	castVote(t, app, onTime.ID, c.parents[0], onTime.Clauses[0].ID, choice("yes"))
	if err := app.Service.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if a := getAgreement(t, app, onTime.ID, c.Facilitator); a.Status != agreements.StatusVoting {
		t.Fatalf("the tick before closes_at left the vote %s", a.Status)
	}
	clock.add(2 * time.Second)

	vote := func(clauseID, answer string) map[string]any {
		return map[string]any{"clause_id": clauseID, "choice": answer}
	}
	type refusal struct {
		name, id, token string
		body            map[string]any
	}
	cases := []refusal{
		{"closed by the facilitator: a household that voted", byHand.ID, c.parents[0], vote(byHand.Clauses[0].ID, "no")},
		{"closed by the facilitator: a household that did not", byHand.ID, c.parents[1], vote(byHand.Clauses[0].ID, "yes")},
		{"closes_at passed, not yet decided: a household that voted", onTime.ID, c.parents[0], vote(onTime.Clauses[0].ID, "no")},
		{"closes_at passed, not yet decided: a household that did not", onTime.ID, c.parents[1], vote(onTime.Clauses[0].ID, "no")},
	}
	run := func(t *testing.T, cases []refusal) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := app.Snapshot()
				wantError(t, app.Do("PUT", votePath(tc.id, "votes"), tc.token, tc.body), http.StatusConflict, "vote.closed")
				if app.Snapshot() != before {
					t.Error("the refused vote changed the database")
				}
			})
		}
	}
	run(t, cases)

	// The server's tick decides the vote whose time is up, with the votes cast in time.
	if err := app.Service.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	decided := getAgreement(t, app, onTime.ID, c.parents[1])
	if decided.Status != agreements.StatusAdopted || decided.DecidedAt == nil || !decided.DecidedAt.Equal(clock.now()) {
		t.Errorf("after the tick: %s decided at %v, want adopted at %s", decided.Status, decided.DecidedAt, clock.now())
	}
	if cl := decided.Clauses[0]; cl.Adopted == nil || !*cl.Adopted {
		t.Errorf("clause %+v, want adopted", cl)
	}
	if r := results(t, app, onTime.ID, c.parents[1]); r.Status != agreements.StatusAdopted || r.Voted != 1 ||
		r.Clauses[0].Answers != 1 || !r.Clauses[0].Adopted || !r.Clauses[0].Masked {
		t.Errorf("results after the tick %+v", r)
	}
	decidedCases := slices.Clone(cases[2:])
	for i := range decidedCases {
		decidedCases[i].name = strings.Replace(decidedCases[i].name, "not yet decided", "decided by the tick", 1)
	}
	run(t, decidedCases)
	if err := app.Service.CloseDueVotes(context.Background()); err != nil {
		t.Errorf("closing again: %v", err)
	}
}

// Who may not open, close or return a vote, and who has no vote.
func TestVoteRoleRefusals(t *testing.T) {
	w := newWorld(t)
	app := w.app
	openVote(t, app, w.a, w.parents.ID, rules(0, 50))
	openVote(t, app, w.a, w.pupils.ID, rules(0, 50))
	pa, pu, pb := w.parents, w.pupils, w.parentsB
	yes := func(a agreements.Agreement) map[string]any {
		return map[string]any{"clause_id": a.Clauses[0].ID, "choice": "yes"}
	}
	forbidden, noVoice := "auth.forbidden", "vote.no_voice"
	cases := []struct {
		name  string
		token string
		call
		code string
	}{
		// Only the facilitator leads the vote.
		{"parent opens the vote on a draft", w.parentB, call{"POST", votePath(w.parentsB.ID, "voting"), rules(0, 50)}, forbidden},
		{"parent opens the vote on an open vote", w.parent, call{"POST", votePath(pa.ID, "voting"), rules(0, 50)}, forbidden},
		{"parent closes the vote", w.parent, call{"POST", votePath(pa.ID, "close"), nil}, forbidden},
		{"parent returns the agreement to draft", w.parent, call{"DELETE", votePath(pa.ID, "voting"), nil}, forbidden},
		{"pupil closes the pupils' vote", w.pupil, call{"POST", votePath(pu.ID, "close"), nil}, forbidden},
		{"pupil returns the pupils' agreement to draft", w.pupil, call{"DELETE", votePath(pu.ID, "voting"), nil}, forbidden},
		{"facilitator of B closes A's vote", w.b.Facilitator, call{"POST", votePath(pa.ID, "close"), nil}, forbidden},
		{"facilitator of B returns A's agreement to draft", w.b.Facilitator, call{"DELETE", votePath(pa.ID, "voting"), nil}, forbidden},
		// Who has no vote.
		{"pupil votes in the parents' agreement", w.pupil, call{"PUT", votePath(pa.ID, "votes"), yes(pa)}, forbidden},
		{"parent votes in the pupils' agreement", w.parent, call{"PUT", votePath(pu.ID, "votes"), yes(pu)}, forbidden},
		{"facilitator without a child votes", w.a.Facilitator, call{"PUT", votePath(pa.ID, "votes"), yes(pa)}, noVoice},
		{"facilitator votes in the pupils' agreement", w.a.Facilitator, call{"PUT", votePath(pu.ID, "votes"), yes(pu)}, noVoice},
		{"parent of another class votes", w.parentB, call{"PUT", votePath(pa.ID, "votes"), yes(pa)}, forbidden},
		{"parent of A votes in B's agreement", w.parent, call{"PUT", votePath(pb.ID, "votes"), yes(pb)}, forbidden},
		{"facilitator of B votes in A's agreement", w.b.Facilitator, call{"PUT", votePath(pa.ID, "votes"), yes(pa)}, forbidden},
		{"school admin votes", w.school.Token, call{"PUT", votePath(pa.ID, "votes"), yes(pa)}, forbidden},
		// Reading.
		{"facilitator without a child reads the household's votes", w.a.Facilitator, call{"GET", votePath(pa.ID, "votes"), nil}, noVoice},
		{"pupil reads the parents' results", w.pupil, call{"GET", votePath(pa.ID, "results"), nil}, forbidden},
		{"parent reads the pupils' results", w.parent, call{"GET", votePath(pu.ID, "results"), nil}, forbidden},
		{"parent of B reads A's results", w.parentB, call{"GET", votePath(pa.ID, "results"), nil}, forbidden},
		{"parent of B reads A's votes", w.parentB, call{"GET", votePath(pa.ID, "votes"), nil}, forbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := app.Snapshot()
			wantError(t, app.Do(tc.method, tc.path, tc.token, tc.body), http.StatusForbidden, tc.code)
			if app.Snapshot() != before {
				t.Error("the refused request changed the database")
			}
		})
	}
	if got := getAgreement(t, app, pa.ID, w.a.Facilitator); got.Status != agreements.StatusVoting {
		t.Errorf("after the refusals the vote is %s", got.Status)
	}
	if r := results(t, app, pa.ID, w.a.Facilitator); r.Voted != 0 {
		t.Errorf("after the refusals %d have voted", r.Voted)
	}
}

// A facilitator who is also a parent in the class votes for that household.
func TestFacilitatorWithAChildVotes(t *testing.T) {
	app := apptest.New(t)
	var created struct {
		Class  agreements.Class  `json:"class"`
		Member agreements.Member `json:"member"`
		Token  string            `json:"token"`
	}
	app.Must(http.StatusCreated, "POST", "/api/v1/classes", "",
		map[string]any{"name": "4.A", "grade": 4, "facilitator_name": "Lone", "household": "Ida"}, &created)
	c := apptest.Class{ID: created.Class.ID, ParentCode: created.Class.ParentCode, Facilitator: created.Token}
	other, otherTok := app.Join(c.ParentCode, "Far til Ida", "Ida")
	if created.Member.HouseholdID == "" || other.HouseholdID != created.Member.HouseholdID {
		t.Fatalf("facilitator household %q, Ida's father's %q", created.Member.HouseholdID, other.HouseholdID)
	}
	a := app.NewAgreement(c, "parents", "photos")
	openVote(t, app, c, a.ID, rules(0, 50))
	castVote(t, app, a.ID, c.Facilitator, a.Clauses[0].ID, choice("yes"))
	if got := myVotes(t, app, a.ID, otherTok); len(got) != 1 || got[0].Answer != "yes" {
		t.Errorf("the other parent of the household sees %+v", got)
	}
}

// Requests that the vote's state does not allow: 409 with a code, nothing changed.
func TestVoteStatusRefusals(t *testing.T) {
	w := newWorld(t)
	app := w.app
	pa, draft := w.parents, w.parentsB // pa is put to the vote; B's stays a draft
	openVote(t, app, w.a, pa.ID, rules(0, 50))
	cl := pa.Clauses[0]
	rejected := app.NewAgreement(w.a, "parents", "photos")
	openVote(t, app, w.a, rejected.ID, rules(0, 50))
	castVote(t, app, rejected.ID, w.parent, rejected.Clauses[0].ID, choice("no"))
	closeVote(t, app, w.a, rejected.ID)
	yes := map[string]any{"clause_id": cl.ID, "choice": "yes"}

	runBad(t, app, []badCase{
		{"vote on a draft", w.parentB, "PUT", votePath(draft.ID, "votes"), map[string]any{"clause_id": draft.Clauses[0].ID, "choice": "yes"}, nil, 409, "vote.not_open"},
		{"close a draft", w.b.Facilitator, "POST", votePath(draft.ID, "close"), nil, nil, 409, "vote.not_open"},
		{"return a draft to draft", w.b.Facilitator, "DELETE", votePath(draft.ID, "voting"), nil, nil, 409, "vote.not_open"},
		{"open a vote twice", w.a.Facilitator, "POST", votePath(pa.ID, "voting"), rules(0, 50), nil, 409, "agreement.not_draft"},
		{"publish while voting", w.a.Facilitator, "POST", votePath(pa.ID, "publish"), nil, nil, 409, "agreement.not_adopted"},
		{"publish a rejected agreement", w.a.Facilitator, "POST", votePath(rejected.ID, "publish"), nil, nil, 409, "agreement.not_adopted"},
		{"publish a draft", w.b.Facilitator, "POST", votePath(draft.ID, "publish"), nil, nil, 409, "agreement.not_adopted"},
		{"open a vote on a rejected agreement", w.a.Facilitator, "POST", votePath(rejected.ID, "voting"), rules(0, 50), nil, 409, "agreement.not_draft"},
		{"close a rejected agreement's vote again", w.a.Facilitator, "POST", votePath(rejected.ID, "close"), nil, nil, 409, "vote.not_open"},
		{"vote on a rejected agreement", w.parent2, "PUT", votePath(rejected.ID, "votes"), map[string]any{"clause_id": rejected.Clauses[0].ID, "choice": "yes"}, nil, 409, "vote.closed"},
		{"edit a clause while voting", w.parent, "PUT", votePath(pa.ID, "clauses/"+cl.ID), map[string]any{"body": "x", "base_rev": cl.Rev}, nil, 409, "agreement.not_draft"},
		{"add a clause while voting", w.parent, "POST", votePath(pa.ID, "clauses"), map[string]any{"title": "x"}, nil, 409, "agreement.not_draft"},
		{"remove a clause while voting", w.a.Facilitator, "DELETE", votePath(pa.ID, "clauses/"+cl.ID), nil, nil, 409, "agreement.not_draft"},
		{"sign while voting", w.parent, "POST", votePath(pa.ID, "signatures"), map[string]any{}, nil, 409, "agreement.not_published"},
		{"read the signatures while voting", w.parent, "GET", votePath(pa.ID, "signatures"), nil, nil, 409, "agreement.not_published"},
		{"sign a rejected agreement", w.parent, "POST", votePath(rejected.ID, "signatures"), map[string]any{}, nil, 409, "agreement.not_published"},
		{"open a check-in while voting", w.a.Facilitator, "POST", votePath(pa.ID, "checkins/open"), nil, nil, 409, "agreement.not_published"},
		{"answer a check-in while voting", w.parent, "POST", votePath(pa.ID, "checkins"), map[string]any{"answer": "kept"}, nil, 409, "agreement.not_published"},
		{"revise while voting", w.a.Facilitator, "POST", votePath(pa.ID, "revise"), nil, nil, 409, "agreement.not_published"},
		{"revise a rejected agreement", w.a.Facilitator, "POST", votePath(rejected.ID, "revise"), nil, nil, 409, "agreement.not_published"},
	})
	// And the vote still takes votes.
	castVote(t, app, pa.ID, w.parent, cl.ID, yes)
}

// Bad votes and vote rules: 4xx with a code, nothing changed.
func TestVoteBadInput(t *testing.T) {
	w := newWorld(t)
	app := w.app
	pa := w.parents
	openVote(t, app, w.a, pa.ID, rules(0, 50))
	age := clauseByKey(t, pa, "first-smartphone.age")
	chat := clauseByKey(t, pa, "class-chat.rules")
	past := time.Now().Add(-time.Minute)
	votes := votePath(pa.ID, "votes")
	vote := func(clauseID string, kv ...any) map[string]any {
		m := map[string]any{"clause_id": clauseID}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	}
	open := votePath(w.parentsB.ID, "voting")
	photos := app.NewAgreement(w.a, "parents", "photos") // a clause without a parameter
	openVote(t, app, w.a, photos.ID, rules(0, 50))
	photo := photos.Clauses[0].ID
	runBad(t, app, []badCase{
		{"quorum over 100", w.b.Facilitator, "POST", open, rules(101, 50), nil, 400, "vote.rules_invalid"},
		{"a negative quorum", w.b.Facilitator, "POST", open, rules(-1, 50), nil, 400, "vote.rules_invalid"},
		{"threshold 0", w.b.Facilitator, "POST", open, rules(0, 0), nil, 400, "vote.rules_invalid"},
		{"threshold over 100", w.b.Facilitator, "POST", open, rules(50, 101), nil, 400, "vote.rules_invalid"},
		{"threshold left out", w.b.Facilitator, "POST", open, map[string]any{"quorum_percent": 50}, nil, 400, "vote.rules_invalid"},
		{"closes_at in the past", w.b.Facilitator, "POST", open, map[string]any{"quorum_percent": 0, "threshold_percent": 50, "closes_at": past}, nil, 400, "vote.rules_invalid"},
		{"closes_at not a time", w.b.Facilitator, "POST", open, map[string]any{"quorum_percent": 0, "threshold_percent": 50, "closes_at": "tomorrow"}, nil, 400, "request.malformed"},
		{"a string for the quorum", w.b.Facilitator, "POST", open, `{"quorum_percent":"50","threshold_percent":50}`, nil, 400, "request.malformed"},
		{"malformed vote", w.parent, "PUT", votes, `{"clause_id":`, nil, 400, "request.malformed"},
		{"no choice", w.parent, "PUT", votes, vote(age.ID), nil, 400, "vote.answer_invalid"},
		{"an empty choice", w.parent, "PUT", votes, vote(age.ID, "choice", ""), nil, 400, "vote.answer_invalid"},
		{"an option not among the parameter's", w.parent, "PUT", votes, vote(age.ID, "choice", "9"), nil, 400, "clause.value_invalid"},
		{"a value not among the parameter's", w.parent, "PUT", votes, vote(age.ID, "choice", "yes", "value", "9"), nil, 400, "clause.value_invalid"},
		{"another clause's option", w.parent, "PUT", votes, vote(chat.ID, "choice", "13"), nil, 400, "clause.value_invalid"},
		{"a word that is no answer, on a clause without a parameter", w.parent, "PUT", votePath(photos.ID, "votes"), vote(photo, "choice", "maybe"), nil, 400, "vote.answer_invalid"},
		{"a value for a clause without a parameter", w.parent, "PUT", votePath(photos.ID, "votes"), vote(photo, "choice", "yes", "value", "13"), nil, 400, "clause.no_parameter"},
		{"an answer in capitals", w.parent, "PUT", votePath(photos.ID, "votes"), vote(photo, "choice", "YES"), nil, 400, "vote.answer_invalid"},
		{"too long a reason", w.parent, "PUT", votes, vote(age.ID, "choice", "no_but", "reason", strings.Repeat("æ", agreements.MaxReasonLen+1)), nil, 400, "vote.reason_too_long"},
		{"no clause", w.parent, "PUT", votes, map[string]any{"choice": "yes"}, nil, 404, "clause.unknown"},
		{"an unknown clause", w.parent, "PUT", votes, vote("nope", "choice", "yes"), nil, 404, "clause.unknown"},
		{"another agreement's clause", w.parent, "PUT", votes, vote(photo, "choice", "yes"), nil, 404, "clause.unknown"},
		{"a clause of the pupils' agreement", w.parent, "PUT", votes, vote(w.pupils.Clauses[0].ID, "choice", "yes"), nil, 404, "clause.unknown"},
		{"an unknown agreement", w.parent, "PUT", votePath("nope", "votes"), vote(age.ID, "choice", "yes"), nil, 404, "not_found"},
		{"results of an unknown agreement", w.parent, "GET", votePath("nope", "results"), nil, nil, 404, "not_found"},
		{"open an unknown agreement", w.a.Facilitator, "POST", votePath("nope", "voting"), rules(0, 50), nil, 404, "not_found"},
		{"close an unknown agreement", w.a.Facilitator, "POST", votePath("nope", "close"), nil, nil, 404, "not_found"},
		{"wrong method on results", w.parent, "POST", votePath(pa.ID, "results"), nil, nil, 405, "request.method"},
		{"wrong method on votes", w.parent, "POST", votes, vote(age.ID, "choice", "yes"), nil, 405, "request.method"},
	})
	// A reason of exactly the limit is taken.
	reason := strings.Repeat("æ", agreements.MaxReasonLen)
	got := castVote(t, app, pa.ID, w.parent, age.ID, map[string]any{"choice": "no_but", "reason": reason})
	if len(got.Votes) != 1 || got.Votes[0].Reason != reason {
		t.Errorf("a reason of %d runes came back as %+v", agreements.MaxReasonLen, got.Votes)
	}
}

// Quorum over all households, threshold over the votes cast without abstentions, end to end in
// a class of four households.
func TestQuorumAndThreshold(t *testing.T) {
	app := apptest.New(t)
	cases := []struct {
		name              string
		quorum, threshold int
		answers           []string // one per household that votes
		quorumMet         bool
		adopted           bool
		yesPercent        int // what the tally decides with (agreements/vote_test.go); not shown
	}{
		{"two of four at quorum 50 %: adopted", 50, 50, []string{"yes", "yes"}, true, true, 100},
		{"one of four at quorum 50 %: not adopted", 50, 50, []string{"yes"}, false, false, 100},
		{"three of four at quorum 75 %", 75, 50, []string{"yes", "yes", "no"}, true, true, 66},
		{"abstentions count toward the quorum", 75, 50, []string{"yes", "abstain", "abstain"}, true, true, 100},
		{"abstentions do not count toward the threshold", 0, 100, []string{"yes", "abstain"}, true, true, 100},
		{"everyone abstains: not adopted", 0, 50, []string{"abstain", "abstain"}, true, false, 0},
		{"nobody votes, quorum 0: not adopted", 0, 50, nil, true, false, 0},
		{"threshold 67 %, two of three yes: not adopted", 0, 67, []string{"yes", "yes", "no"}, true, false, 66},
		{"threshold 66 %, two of three yes: adopted", 0, 66, []string{"yes", "yes", "no"}, true, true, 66},
		{"yes-but counts as yes", 0, 50, []string{"yes_but", "no"}, true, true, 50},
		{"no-but counts as no", 0, 51, []string{"yes", "no_but"}, true, false, 50},
		{"a tie at threshold 50 %", 50, 50, []string{"yes", "no"}, true, true, 50},
		{"unanimity wanted, one no", 100, 100, []string{"yes", "yes", "yes", "no"}, true, false, 75},
		{"unanimity reached", 100, 100, []string{"yes", "yes", "yes", "yes_but"}, true, true, 100},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := classWith(t, app, 4)
			a := app.NewAgreement(c.Class, "parents", "photos")
			cl := a.Clauses[0].ID
			openVote(t, app, c.Class, a.ID, rules(tc.quorum, tc.threshold))
			for i, ans := range tc.answers {
				castVote(t, app, a.ID, c.parents[i], cl, choice(ans))
			}
			res := closeVote(t, app, c.Class, a.ID)
			r := resultOf(t, res, cl)
			wantStatus := agreements.StatusRejected
			if tc.adopted {
				wantStatus = agreements.StatusAdopted
			}
			// Four households are fewer than five answers: the decision is shown, the figures not.
			if r.QuorumMet != tc.quorumMet || r.Adopted != tc.adopted || res.Status != wantStatus || !r.Masked ||
				r.Answers != len(tc.answers) || r.YesPercent != 0 || r.Counts != (agreements.Counts{}) {
				t.Errorf("quorum %v adopted %v status %s, %+v; want %v %v %s, masked with %d answers",
					r.QuorumMet, r.Adopted, res.Status, r, tc.quorumMet, tc.adopted, wantStatus, len(tc.answers))
			}
			if res.Electorate != 4 || res.Voted != len(tc.answers) {
				t.Errorf("voted %d of %d, want %d of 4", res.Voted, res.Electorate, len(tc.answers))
			}
			got := getAgreement(t, app, a.ID, c.parents[0])
			if got.Status != wantStatus || got.DecidedAt == nil || got.Vote == nil || got.Vote.Quorum != tc.quorum || got.Vote.Threshold != tc.threshold {
				t.Errorf("agreement %s decided %v vote %+v", got.Status, got.DecidedAt, got.Vote)
			}
			if ad := got.Clauses[0].Adopted; ad == nil || *ad != tc.adopted {
				t.Errorf("clause adopted %v, want %v", ad, tc.adopted)
			}
		})
	}
}

// With hide_results, only the count is shown while the vote is open, to everyone; everything
// once it closes.
func TestHiddenResults(t *testing.T) {
	app := apptest.New(t)
	c := classWith(t, app, 6)
	a := app.NewAgreement(c.Class, "parents", "photos")
	cl := a.Clauses[0].ID
	opened := openVote(t, app, c.Class, a.ID, map[string]any{"quorum_percent": 50, "threshold_percent": 50, "hide_results": true})
	if opened.Vote == nil || !opened.Vote.HideResults {
		t.Fatalf("vote %+v, want hidden results", opened.Vote)
	}
	reason := "Kun med barnets eget ja."
	mine := castVote(t, app, a.ID, c.parents[0], cl, map[string]any{"choice": "yes_but", "reason": reason})
	for i, ans := range []string{"yes", "yes", "no", "no"} {
		castVote(t, app, a.ID, c.parents[i+1], cl, choice(ans))
	}

	hiddenCases := []struct {
		name  string
		token string
	}{
		{"a parent who voted", c.parents[0]},
		{"a parent who has not voted", c.parents[5]},
		{"the facilitator, who sees no more", c.Facilitator},
	}
	for _, tc := range hiddenCases {
		t.Run("while open: "+tc.name, func(t *testing.T) {
			r := app.Do("GET", votePath(a.ID, "results"), tc.token, nil)
			var res agreements.Results
			if err := r.JSON(&res); err != nil || r.Status != http.StatusOK {
				t.Fatalf("%d %s", r.Status, r.Body)
			}
			if !res.Hidden || res.Voted != 5 || res.Electorate != 6 || res.NotVoted != 1 || len(res.Clauses) != 0 || len(res.Comments) != 0 {
				t.Errorf("results %+v, want only that 5 of 6 voted", res)
			}
			if strings.Contains(string(r.Body), reason) || strings.Contains(string(r.Body), `"yes_but"`) || strings.Contains(string(r.Body), "Barn6") {
				t.Errorf("hidden results show a vote or a name: %s", r.Body)
			}
		})
	}
	t.Run("while open: the voter's own answer", func(t *testing.T) {
		if !mine.Results.Hidden || len(mine.Results.Clauses) != 0 || mine.Results.Voted != 1 {
			t.Errorf("PUT answered results %+v, want them hidden", mine.Results)
		}
		if len(mine.Votes) != 1 || mine.Votes[0].Answer != "yes_but" || mine.Votes[0].Reason != reason {
			t.Errorf("PUT answered the household's votes %+v", mine.Votes)
		}
	})

	closed := closeVote(t, app, c.Class, a.ID)
	for _, tok := range []string{c.parents[5], c.Facilitator} {
		t.Run("after closing", func(t *testing.T) {
			for _, res := range []agreements.Results{closed, results(t, app, a.ID, tok)} {
				r := resultOf(t, res, cl)
				if res.Hidden || r.Masked || r.Counts != (agreements.Counts{Yes: 2, YesBut: 1, No: 2}) || !r.Adopted || res.Status != agreements.StatusAdopted {
					t.Errorf("results %+v, want everything shown", res)
				}
				if len(res.Comments) != 1 || res.Comments[0].Text != reason {
					t.Errorf("comments %+v", res.Comments)
				}
				if res.NotVoted != 1 {
					t.Errorf("not voted %d after the vote, want 1", res.NotVoted)
				}
			}
		})
	}
}

// The reasons of "Ja, men" and "Nej, men" are shown as comments without who gave them; a reason
// with any other answer is dropped.
func TestReasonsAreAnonymousComments(t *testing.T) {
	app := apptest.New(t)
	c := classWith(t, app, 5)
	a := app.NewAgreement(c.Class, "parents", "photos", "evenings")
	p, ev := a.Clauses[0].ID, clauseByKey(t, a, "evenings.night").ID
	openVote(t, app, c.Class, a.ID, rules(0, 50))
	ballots := []struct {
		household  int
		clause     string
		answer     string
		reason     string
		wantReason string // as GET /votes shows it
	}{
		{0, p, "yes_but", "  Kun med barnets eget ja.  ", "Kun med barnets eget ja."},
		{1, p, "no_but", "Vi vil hellere tale om det på et møde.", "Vi vil hellere tale om det på et møde."},
		{2, p, "yes", "Fint sådan.", ""},
		{3, p, "no", "Nej tak.", ""},
		{4, p, "abstain", "Ved ikke.", ""},
		{0, ev, "no_but", "Aftenen er for kort.", "Aftenen er for kort."},
		{1, ev, "yes_but", "   ", ""},
	}
	for i, b := range ballots {
		t.Run(fmt.Sprintf("%d %s", i, b.answer), func(t *testing.T) {
			got := castVote(t, app, a.ID, c.parents[b.household], b.clause, map[string]any{"choice": b.answer, "reason": b.reason})
			i := slices.IndexFunc(got.Votes, func(v agreements.Vote) bool { return v.ClauseID == b.clause })
			if i < 0 || got.Votes[i].Answer != agreements.Answer(b.answer) || got.Votes[i].Reason != b.wantReason {
				t.Errorf("the household's votes %+v, want %s with reason %q", got.Votes, b.answer, b.wantReason)
			}
		})
	}
	want := []agreements.Comment{
		{ClauseID: p, Answer: "yes_but", Text: "Kun med barnets eget ja."},
		{ClauseID: p, Answer: "no_but", Text: "Vi vil hellere tale om det på et møde."},
	}
	readComments := func() ([]agreements.Comment, []byte) {
		r := app.Do("GET", votePath(a.ID, "results"), c.parents[4], nil)
		var res agreements.Results
		if err := r.JSON(&res); err != nil {
			t.Fatal(err)
		}
		return res.Comments, r.Body
	}
	// The evening clause has two answers: its reason waits until five have answered it.
	if got, _ := readComments(); !slices.Equal(got, want) {
		t.Errorf("comments %+v, want %+v", got, want)
	}
	for _, i := range []int{2, 3, 4} {
		castVote(t, app, a.ID, c.parents[i], ev, choice("yes"))
	}
	want = append(want, agreements.Comment{ClauseID: ev, Answer: "no_but", Text: "Aftenen er for kort."})
	slices.SortFunc(want, func(x, y agreements.Comment) int { return strings.Compare(x.ClauseID+x.Text, y.ClauseID+y.Text) })
	got, body := readComments()
	if !slices.Equal(got, want) {
		t.Errorf("comments after five answers %+v, want %+v", got, want)
	}
	r := &apptest.Response{Body: body}
	for _, m := range c.households {
		for _, s := range []string{m.ID, m.HouseholdID, m.Name} {
			if strings.Contains(string(r.Body), s) {
				t.Errorf("the results name %q: %s", s, r.Body)
			}
		}
	}
	var raw struct {
		Comments []map[string]any `json:"comments"`
	}
	json.Unmarshal(r.Body, &raw)
	for _, cm := range raw.Comments {
		if len(cm) != 3 {
			t.Errorf("a comment carries %v, want clause_id, answer and text only", cm)
		}
	}
}

// A parameter is decided by the households' choices: the median for ordered ones, the most
// chosen for the others, ties to the more protective option; the published page shows it.
func TestParameterVoteDecidesTheValue(t *testing.T) {
	app := apptest.New(t)
	c := classWith(t, app, 6) // households 4 and 5 abstain: six answers, so the figures are shown
	a := app.NewAgreement(c.Class, "parents", "first-smartphone", "class-chat")
	age := clauseByKey(t, a, "first-smartphone.age")     // number, higher protects more
	chat := clauseByKey(t, a, "class-chat.rules")        // choice, listed most protective first
	quiet := clauseByKey(t, a, "class-chat.quiet-hours") // time, earlier protects more
	openVote(t, app, c.Class, a.ID, rules(50, 50))
	// Households 0 and 1 answer and choose in one vote ("value"); 2 and 3 answer, then choose
	// with "choice" alone, which keeps their answer.
	prefs := []struct {
		clause agreements.Clause
		values []string // per household; "" for none
	}{
		{age, []string{"11", "15", "13", "14"}},                      // median of 11 13 14 15: 13 or 14 → 14
		{chat, []string{"teacher", "parents", "teacher", "no-chat"}}, // plurality: teacher
		{quiet, []string{"21:00", "", "19:00", ""}},                  // a bare yes is one for 20:00: 19 20 20 21 → 20:00
	}
	for _, p := range prefs {
		for _, tok := range c.parents[4:] {
			castVote(t, app, a.ID, tok, p.clause.ID, choice("abstain"))
		}
		for i, v := range p.values {
			switch {
			case v == "":
				castVote(t, app, a.ID, c.parents[i], p.clause.ID, choice("yes"))
			case i < 2:
				castVote(t, app, a.ID, c.parents[i], p.clause.ID, map[string]any{"choice": "yes", "value": v})
			default:
				castVote(t, app, a.ID, c.parents[i], p.clause.ID, choice("yes"))
				castVote(t, app, a.ID, c.parents[i], p.clause.ID, choice(v))
			}
		}
	}
	if got := myVotes(t, app, a.ID, c.parents[3]); len(got) != 3 || got[0].Answer != "yes" {
		t.Errorf("household 4's votes %+v: choosing an option must keep the answer", got)
	}
	cases := []struct {
		name   string
		clause agreements.Clause
		values map[string]int
		want   string
		label  string
	}{
		{"a number: the median, the tie to the older age", age, map[string]int{"11": 1, "13": 1, "14": 1, "15": 1}, "14", "14 år"},
		{"a choice: the most chosen", chat, map[string]int{"teacher": 2, "parents": 1, "no-chat": 1}, "teacher", "Klasselæreren"},
		{"a time: two bare yeses count for the 20:00 shown", quiet, map[string]int{"21:00": 1, "19:00": 1, "20:00": 2}, "20:00", "Fra kl. 20 til kl. 7"},
	}
	res := closeVote(t, app, c.Class, a.ID)
	if res.Status != agreements.StatusAdopted {
		t.Fatalf("the vote ended %s", res.Status)
	}
	slug := publish(t, app, c.Class, a.ID)
	view := published(t, app, slug)
	page := fetch(t, app, "GET", "/p/"+slug, "")
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := resultOf(t, res, tc.clause.ID)
			if !mapsEqual(r.Values, tc.values) || r.Value != tc.want || !r.Adopted {
				t.Errorf("result %+v, want values %v deciding %q", r, tc.values, tc.want)
			}
			if got := clauseByKey(t, getAgreement(t, app, a.ID, c.parents[0]), tc.clause.Key); got.Parameter == nil || got.Parameter.Value != tc.want {
				t.Errorf("the agreement's clause has %+v, want %q", got.Parameter, tc.want)
			}
			if got := clauseByKey(t, *view.Agreement, tc.clause.Key); got.Parameter == nil || got.Parameter.Value != tc.want {
				t.Errorf("the published agreement shows %+v, want %q", got.Parameter, tc.want)
			}
			if !strings.Contains(page.Body, "<strong>"+template.HTMLEscapeString(tc.label)+"</strong>") {
				t.Errorf("the published page does not show %q", tc.label)
			}
		})
	}
}

// The agreement is adopted when at least one clause is; the published text leaves out the
// rejected clauses. With none adopted it is rejected and cannot be published.
func TestAdoptedWhenOneClauseIs(t *testing.T) {
	app := apptest.New(t)
	c := classWith(t, app, 2)
	cases := []struct {
		name    string
		answers map[string]string // clause key → the answer of both households
		status  agreements.Status
	}{
		{"one yes, one no: adopted", map[string]string{"class-chat.rules": "yes", "class-chat.quiet-hours": "no"}, agreements.StatusAdopted},
		{"both no: rejected", map[string]string{"class-chat.rules": "no", "class-chat.quiet-hours": "no_but"}, agreements.StatusRejected},
		{"both yes: adopted", map[string]string{"class-chat.rules": "yes_but", "class-chat.quiet-hours": "yes"}, agreements.StatusAdopted},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := app.NewAgreement(c.Class, "parents", "class-chat")
			openVote(t, app, c.Class, a.ID, rules(50, 50))
			for _, cl := range a.Clauses {
				for _, tok := range c.parents {
					castVote(t, app, a.ID, tok, cl.ID, choice(tc.answers[cl.Key]))
				}
			}
			if res := closeVote(t, app, c.Class, a.ID); res.Status != tc.status {
				t.Fatalf("the vote ended %s, want %s", res.Status, tc.status)
			}
			decided := getAgreement(t, app, a.ID, c.Facilitator)
			var adopted []string
			for _, cl := range decided.Clauses {
				if cl.Adopted == nil {
					t.Errorf("clause %s has no decision", cl.Key)
				} else if *cl.Adopted {
					adopted = append(adopted, cl.Key)
				}
			}
			if tc.status == agreements.StatusRejected {
				before := app.Snapshot()
				wantError(t, app.Do("POST", votePath(a.ID, "publish"), c.Facilitator, nil), http.StatusConflict, "agreement.not_adopted")
				if app.Snapshot() != before {
					t.Error("the refused publish changed the database")
				}
				return
			}
			slug := publish(t, app, c.Class, a.ID)
			var shown []string
			for _, cl := range published(t, app, slug).Agreement.Clauses {
				shown = append(shown, cl.Key)
			}
			if !slices.Equal(shown, adopted) {
				t.Errorf("the published text has %v, want the adopted %v", shown, adopted)
			}
			page := fetch(t, app, "GET", "/p/"+slug, "")
			for _, cl := range decided.Clauses {
				if in := strings.Contains(page.Body, template.HTMLEscapeString(cl.Title)); in != *cl.Adopted {
					t.Errorf("the page shows %q: %v, adopted: %v", cl.Title, in, *cl.Adopted)
				}
			}
		})
	}
}

// Returning to draft discards the votes and the decision; a vote opened again starts empty.
func TestReturnToDraftDiscardsTheVotes(t *testing.T) {
	app := apptest.New(t)
	c := classWith(t, app, 2)
	cases := []struct {
		name   string
		answer string
		close  bool
	}{
		{"from an open vote", "yes", false},
		{"from an adopted agreement", "yes", true},
		{"from a rejected agreement", "no", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := app.NewAgreement(c.Class, "parents", "photos")
			cl := a.Clauses[0]
			openVote(t, app, c.Class, a.ID, map[string]any{"quorum_percent": 50, "threshold_percent": 60, "hide_results": true})
			for _, tok := range c.parents {
				castVote(t, app, a.ID, tok, cl.ID, map[string]any{"choice": tc.answer + "_but", "reason": "En grund."})
			}
			if tc.close {
				closeVote(t, app, c.Class, a.ID)
			}
			var back agreements.Agreement
			app.Must(http.StatusOK, "DELETE", votePath(a.ID, "voting"), c.Facilitator, nil, &back)
			if back.Status != agreements.StatusDraft || back.Vote != nil || back.DecidedAt != nil || back.Clauses[0].Adopted != nil {
				t.Errorf("back in draft: %s vote %+v decided %v adopted %v", back.Status, back.Vote, back.DecidedAt, back.Clauses[0].Adopted)
			}
			if got := myVotes(t, app, a.ID, c.parents[0]); len(got) != 0 {
				t.Errorf("the household still has votes %+v", got)
			}
			// The text can be changed again.
			app.Must(http.StatusOK, "PUT", votePath(a.ID, "clauses/"+cl.ID), c.parents[1], map[string]any{"body": "Ny tekst.", "base_rev": cl.Rev}, nil)

			reopened := openVote(t, app, c.Class, a.ID, rules(50, 50))
			if reopened.Vote == nil || reopened.Vote.Threshold != 50 || reopened.Vote.HideResults {
				t.Errorf("reopened with the rules %+v, want the new ones", reopened.Vote)
			}
			res := results(t, app, a.ID, c.Facilitator)
			if res.Voted != 0 || res.Hidden || len(res.Comments) != 0 || resultOf(t, res, cl.ID).Counts != (agreements.Counts{}) {
				t.Errorf("results after reopening %+v, want no votes", res)
			}
			if res.NotVoted != 2 {
				t.Errorf("not voted %d, want both households", res.NotVoted)
			}
		})
	}
}

// In the pupils' agreement each pupil has one vote; parents and the facilitator have none.
func TestPupilsVoteOneEach(t *testing.T) {
	w := newWorld(t)
	app, pu := w.app, w.pupils
	_, sofie := app.Join(w.a.PupilCode, "Sofie", "")
	cl := pu.Clauses[0].ID
	openVote(t, app, w.a, pu.ID, rules(100, 50))

	castVote(t, app, pu.ID, w.pupil, cl, choice("yes"))
	if r := results(t, app, pu.ID, sofie); r.Electorate != 2 || r.Voted != 1 || resultOf(t, r, cl).QuorumMet {
		t.Errorf("after one pupil: %+v, want 1 of 2 pupils and no quorum", r)
	}
	castVote(t, app, pu.ID, sofie, cl, choice("no_but"))
	castVote(t, app, pu.ID, sofie, cl, choice("yes_but")) // a pupil changes their own vote
	if got := myVotes(t, app, pu.ID, w.pupil); len(got) != 1 || got[0].Answer != "yes" {
		t.Errorf("Kalle's votes %+v: a pupil's vote is their own", got)
	}
	res := closeVote(t, app, w.a, pu.ID)
	if r := resultOf(t, res, cl); r.Answers != 2 || !r.Masked || !r.QuorumMet || !r.Adopted || res.Voted != 2 {
		t.Errorf("two pupils, two votes: %+v", res)
	}
	// The parents' households are not the electorate of the pupils' agreement.
	if res.Electorate != 2 {
		t.Errorf("electorate %d, want the 2 pupils", res.Electorate)
	}
}
