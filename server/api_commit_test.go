package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
)

// Committing: signatures with conditions and the class's activation threshold, check-ins, the
// review date and revising. The fixtures for voting are in api_vote_test.go.

// publishedAgreement makes a class of n households and publishes a parents' agreement of the
// templates, adopted by the first household's vote.
func publishedAgreement(t *testing.T, app *apptest.App, n int, keys ...string) (voteClass, agreements.Agreement, string) {
	t.Helper()
	c := classWith(t, app, n)
	a := app.NewAgreement(c.Class, "parents", keys...)
	app.Adopt(c.Class, a.ID, c.parents[0])
	slug := publish(t, app, c.Class, a.ID)
	return c, getAgreement(t, app, a.ID, c.Facilitator), slug
}

// signatures reads GET /signatures as the holder of tok.
func signatures(t *testing.T, app *apptest.App, id, tok string) (agreements.Commitment, *agreements.Signature) {
	t.Helper()
	var out struct {
		Commitment agreements.Commitment `json:"commitment"`
		Mine       *agreements.Signature `json:"mine"`
	}
	app.Must(http.StatusOK, "GET", votePath(id, "signatures"), tok, nil, &out)
	return out.Commitment, out.Mine
}

// Households sign now or on a condition, change and withdraw; a household that joins later
// counts in the total. The numbers are the same in every answer that carries them.
func TestSignaturesAndCommitment(t *testing.T) {
	app := apptest.New(t)
	c, a, slug := publishedAgreement(t, app, 4, "photos")
	_, otherParent := app.Join(c.ParentCode, "Far til Barn1", "Barn1") // the first household's second parent
	tokens := append(slices.Clone(c.parents), otherParent)
	const other = 4 // index of the second parent of household 0 in tokens
	commit := func(total, signed, holding int, active bool, needed int) agreements.Commitment {
		return agreements.Commitment{Households: total, Signed: signed, Holding: holding, Active: active, Needed: needed, Threshold: 75}
	}
	steps := []struct {
		name    string
		who     int    // index in tokens; -1: a new household joins
		action  string // "sign", "withdraw", "join"
		body    any    // the sign request's body; nil: none at all
		want    agreements.Commitment
		minePct int // the actor's signature afterwards; -1: none
	}{
		{"the first household signs now, without a body", 0, "sign", nil, commit(4, 1, 1, false, 2), 0},
		{"the second signs when half the class has", 1, "sign", map[string]any{"min_percent": 50}, commit(4, 2, 2, false, 1), 50},
		{"the third signs only when all have", 2, "sign", map[string]any{"min_percent": 100}, commit(4, 3, 2, false, 1), 100},
		{"the third lowers the condition to 75 %: three hold, active", 2, "sign", map[string]any{"min_percent": 75}, commit(4, 3, 3, true, 0), 75},
		{"the first household's other parent changes its signature to 100 %", other, "sign", map[string]any{"min_percent": 100}, commit(4, 3, 0, false, 1), 100},
		{"and back to now, with min_percent 0", other, "sign", map[string]any{"min_percent": 0}, commit(4, 3, 3, true, 0), 0},
		{"the second withdraws", 1, "withdraw", nil, commit(4, 2, 1, false, 1), -1},
		{"withdrawing twice changes nothing", 1, "withdraw", nil, commit(4, 2, 1, false, 1), -1},
		{"the second signs again", 1, "sign", map[string]any{"min_percent": 50}, commit(4, 3, 3, true, 0), 50},
		{"a fifth household joins: no longer active", -1, "join", nil, commit(5, 3, 1, false, 1), -1},
		{"the fifth signs now: active again", 5, "sign", map[string]any{}, commit(5, 4, 4, true, 0), 0},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			var answer *agreements.Commitment
			switch st.action {
			case "join":
				_, tok := app.Join(c.ParentCode, "Mor til Noor", "Noor")
				tokens = append(tokens, tok)
				st.who = len(tokens) - 1
			case "sign":
				answer = &agreements.Commitment{}
				app.Must(http.StatusOK, "POST", votePath(a.ID, "signatures"), tokens[st.who], st.body, answer)
			case "withdraw":
				answer = &agreements.Commitment{}
				app.Must(http.StatusOK, "DELETE", votePath(a.ID, "signatures"), tokens[st.who], nil, answer)
			}
			if answer != nil && *answer != st.want {
				t.Errorf("%s answered %+v, want %+v", st.action, *answer, st.want)
			}
			got, mine := signatures(t, app, a.ID, tokens[st.who])
			if got != st.want {
				t.Errorf("GET /signatures: %+v, want %+v", got, st.want)
			}
			if pub := published(t, app, slug).Commitment; pub == nil || *pub != st.want {
				t.Errorf("GET /published: %+v, want %+v", pub, st.want)
			}
			switch {
			case st.minePct < 0 && mine != nil:
				t.Errorf("mine %+v, want none", mine)
			case st.minePct >= 0 && (mine == nil || mine.MinPercent != st.minePct || mine.SignedAt.IsZero()):
				t.Errorf("mine %+v, want a signature at %d %%", mine, st.minePct)
			}
		})
	}
	t.Run("both parents of a household see its signature", func(t *testing.T) {
		_, a1 := signatures(t, app, a.ID, tokens[0])
		_, a2 := signatures(t, app, a.ID, tokens[other])
		if a1 == nil || a2 == nil || *a1 != *a2 {
			t.Errorf("the parents of household 1 see %+v and %+v", a1, a2)
		}
	})
	t.Run("the facilitator without a child sees the numbers, no signature", func(t *testing.T) {
		got, mine := signatures(t, app, a.ID, c.Facilitator)
		if mine != nil || got != commit(5, 4, 4, true, 0) {
			t.Errorf("%+v mine %+v", got, mine)
		}
	})
	t.Run("the published page shows the commitment", func(t *testing.T) {
		page := fetch(t, app, "GET", "/p/"+slug, "")
		if !strings.Contains(page.Body, `class="commitment active no-print"`) {
			t.Error("the page does not show the agreement as active")
		}
	})
}

// Signing needs a voice in a published agreement.
func TestSignRefusals(t *testing.T) {
	w := newWorld(t)
	app := w.app
	app.Adopt(w.a, w.parents.ID, w.parent)
	publish(t, app, w.a, w.parents.ID)
	app.Adopt(w.a, w.pupils.ID, w.pupil)
	publish(t, app, w.a, w.pupils.ID)
	pa, pu, draft := w.parents.ID, w.pupils.ID, w.parentsB.ID
	sign := votePath(pa, "signatures")
	now := map[string]any{}
	runBad(t, app, []badCase{
		{"facilitator without a child signs", w.a.Facilitator, "POST", sign, now, nil, 403, "vote.no_voice"},
		{"facilitator without a child withdraws", w.a.Facilitator, "DELETE", sign, nil, nil, 403, "vote.no_voice"},
		{"facilitator signs the pupils' agreement", w.a.Facilitator, "POST", votePath(pu, "signatures"), now, nil, 403, "vote.no_voice"},
		{"pupil signs the parents' agreement", w.pupil, "POST", sign, now, nil, 403, "auth.forbidden"},
		{"parent signs the pupils' agreement", w.parent, "POST", votePath(pu, "signatures"), now, nil, 403, "auth.forbidden"},
		{"parent reads the pupils' signatures", w.parent, "GET", votePath(pu, "signatures"), nil, nil, 403, "auth.forbidden"},
		{"parent of another class signs", w.parentB, "POST", sign, now, nil, 403, "auth.forbidden"},
		{"parent of another class reads the signatures", w.parentB, "GET", sign, nil, nil, 403, "auth.forbidden"},
		{"school admin signs", w.school.Token, "POST", sign, now, nil, 403, "auth.forbidden"},
		{"a condition over 100 %", w.parent, "POST", sign, map[string]any{"min_percent": 101}, nil, 400, "signature.percent_invalid"},
		{"a negative condition", w.parent, "POST", sign, map[string]any{"min_percent": -1}, nil, 400, "signature.percent_invalid"},
		{"a string for the condition", w.parent, "POST", sign, `{"min_percent":"50"}`, nil, 400, "request.malformed"},
		{"malformed", w.parent, "POST", sign, `{"min_percent":`, nil, 400, "request.malformed"},
		{"sign a draft", w.parentB, "POST", votePath(draft, "signatures"), now, nil, 409, "agreement.not_published"},
		{"withdraw from a draft", w.parentB, "DELETE", votePath(draft, "signatures"), nil, nil, 409, "agreement.not_published"},
		{"sign an unknown agreement", w.parent, "POST", votePath("nope", "signatures"), now, nil, 404, "not_found"},
	})
	t.Run("a pupil signs the pupils' agreement for themselves", func(t *testing.T) {
		var got agreements.Commitment
		app.Must(http.StatusOK, "POST", votePath(pu, "signatures"), w.pupil, nil, &got)
		if got.Households != 1 || got.Signed != 1 || !got.Active {
			t.Errorf("%+v, want the one pupil signed and active", got)
		}
	})
}

// The facilitator sets the class's activation threshold; it decides whether the agreement is
// active.
func TestActivationThreshold(t *testing.T) {
	app := apptest.New(t)
	c, a, _ := publishedAgreement(t, app, 4, "photos")
	for _, tok := range c.parents[:2] {
		app.Must(http.StatusOK, "POST", votePath(a.ID, "signatures"), tok, nil, nil)
	}
	other := classWith(t, app, 1)
	_, pupil := app.Join(c.PupilCode, "Kalle", "")
	sc := registerSchool(t, app, "Bakkeskolen")
	activation := "/api/v1/classes/" + c.ID + "/activation"
	pct := func(p int) map[string]any { return map[string]any{"activation_percent": p} }

	if got, _ := signatures(t, app, a.ID, c.parents[0]); got.Threshold != agreements.DefaultActivationPercent || got.Active || got.Needed != 1 {
		t.Fatalf("by default: %+v, want 75 %%, not active, one more needed", got)
	}
	runBad(t, app, []badCase{
		{"parent sets it", c.parents[0], "PUT", activation, pct(50), nil, 403, "auth.forbidden"},
		{"pupil sets it", pupil, "PUT", activation, pct(50), nil, 403, "auth.forbidden"},
		{"another class's facilitator sets it", other.Facilitator, "PUT", activation, pct(50), nil, 403, "auth.forbidden"},
		{"school admin sets it", sc.Token, "PUT", activation, pct(50), nil, 403, "auth.forbidden"},
		{"no token", "", "PUT", activation, pct(50), nil, 401, "auth.required"},
		{"an unknown class", c.Facilitator, "PUT", "/api/v1/classes/nope/activation", pct(50), nil, 403, "auth.forbidden"},
		{"0 %", c.Facilitator, "PUT", activation, pct(0), nil, 400, "signature.activation_invalid"},
		{"101 %", c.Facilitator, "PUT", activation, pct(101), nil, 400, "signature.activation_invalid"},
		{"left out", c.Facilitator, "PUT", activation, map[string]any{}, nil, 400, "signature.activation_invalid"},
		{"a string", c.Facilitator, "PUT", activation, `{"activation_percent":"50"}`, nil, 400, "request.malformed"},
	})
	cases := []struct {
		percent int
		active  bool
		needed  int
	}{
		{50, true, 0}, // 2 of 4 holding
		{51, false, 1},
		{100, false, 2},
		{1, true, 0},
		{75, false, 1},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("%d %%", tc.percent), func(t *testing.T) {
			var out struct {
				Class agreements.Class `json:"class"`
			}
			app.Must(http.StatusOK, "PUT", activation, c.Facilitator, pct(tc.percent), &out)
			if out.Class.ID != c.ID || out.Class.ActivationPercent != tc.percent {
				t.Errorf("answered class %+v", out.Class)
			}
			var view agreements.ClassView
			app.Must(http.StatusOK, "GET", "/api/v1/classes/"+c.ID, c.parents[0], nil, &view)
			if view.Class.ActivationPercent != tc.percent {
				t.Errorf("the class shows %d %%", view.Class.ActivationPercent)
			}
			got, _ := signatures(t, app, a.ID, c.parents[3])
			want := agreements.Commitment{Households: 4, Signed: 2, Holding: 2, Active: tc.active, Needed: tc.needed, Threshold: tc.percent}
			if got != want {
				t.Errorf("commitment %+v, want %+v", got, want)
			}
		})
	}
}

// Check-ins: only the facilitator opens one; answers are counted per household and shown only
// from five on, in aggregate, with the comments sorted.
func TestCheckins(t *testing.T) {
	app := apptest.New(t)
	c, a, _ := publishedAgreement(t, app, 6, "class-chat")
	_, pupil := app.Join(c.PupilCode, "Kalle", "")
	draft := app.NewAgreement(c.Class, "parents", "photos")
	answers, open := votePath(a.ID, "checkins"), votePath(a.ID, "checkins/open")
	kept := map[string]any{"answer": "kept"}

	runBad(t, app, []badCase{
		{"answer before any check-in", c.parents[0], "POST", answers, kept, nil, 409, "checkin.none"},
		{"read before any check-in", c.parents[0], "GET", answers, nil, nil, 409, "checkin.none"},
		{"parent opens a check-in", c.parents[0], "POST", open, nil, nil, 403, "auth.forbidden"},
		{"pupil opens a check-in", pupil, "POST", open, nil, nil, 403, "auth.forbidden"},
		{"facilitator opens one on a draft", c.Facilitator, "POST", votePath(draft.ID, "checkins/open"), nil, nil, 409, "agreement.not_published"},
		{"answer on a draft", c.parents[0], "POST", votePath(draft.ID, "checkins"), kept, nil, 409, "agreement.not_published"},
	})
	var ck agreements.Checkin
	app.Must(http.StatusCreated, "POST", open, c.Facilitator, nil, &ck)
	if ck.ID == "" || ck.OpenedAt.IsZero() {
		t.Fatalf("opened %+v", ck)
	}
	runBad(t, app, []badCase{
		{"facilitator without a child answers", c.Facilitator, "POST", answers, kept, nil, 403, "vote.no_voice"},
		{"pupil answers the parents'", pupil, "POST", answers, kept, nil, 403, "auth.forbidden"},
		{"pupil reads the parents'", pupil, "GET", answers, nil, nil, 403, "auth.forbidden"},
		{"an unknown answer", c.parents[0], "POST", answers, map[string]any{"answer": "yes"}, nil, 400, "checkin.answer_invalid"},
		{"no answer", c.parents[0], "POST", answers, map[string]any{"comment": "Hej"}, nil, 400, "checkin.answer_invalid"},
		{"too long a comment", c.parents[0], "POST", answers, map[string]any{"answer": "kept", "comment": strings.Repeat("x", agreements.MaxReasonLen+1)}, nil, 400, "vote.reason_too_long"},
		{"malformed", c.parents[0], "POST", answers, `{"answer":`, nil, 400, "request.malformed"},
	})

	var secret []string // what would tell who answered
	for i, m := range c.households {
		secret = append(secret, m.ID, m.HouseholdID, m.Name, fmt.Sprintf("Barn%d", i+1))
	}
	steps := []struct {
		name                  string
		household             int
		answer, comment       string
		answers               int
		shown                 bool
		kept, partly, notKept int
		comments              []string
	}{
		{"one answer: hidden", 0, "kept", "Det går godt.", 1, false, 0, 0, 0, nil},
		{"two", 1, "partly", "Chatten larmer stadig om aftenen.", 2, false, 0, 0, 0, nil},
		{"three", 2, "kept", "", 3, false, 0, 0, 0, nil},
		{"four", 3, "not_kept", "Ærligt talt: nej.", 4, false, 0, 0, 0, nil},
		{"a household changes its answer: still four", 0, "partly", "  ", 4, false, 0, 0, 0, nil},
		{"five: shown, in aggregate, comments sorted", 4, "kept", "Bedre end sidste år.", 5, true, 2, 2, 1,
			[]string{"Bedre end sidste år.", "Chatten larmer stadig om aftenen.", "Ærligt talt: nej."}},
		{"six", 5, "not_kept", "Alle skriver efter kl. 21.", 6, true, 2, 2, 2,
			[]string{"Alle skriver efter kl. 21.", "Bedre end sidste år.", "Chatten larmer stadig om aftenen.", "Ærligt talt: nej."}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			var res agreements.CheckinResults
			app.Must(http.StatusOK, "POST", answers, c.parents[st.household], map[string]any{"answer": st.answer, "comment": st.comment}, &res)
			if res.Mine == nil || res.Mine.Answer != agreements.CheckinAnswer(st.answer) || res.Mine.Comment != strings.TrimSpace(st.comment) {
				t.Errorf("mine %+v, want the household's own answer", res.Mine)
			}
			r := app.Do("GET", answers, c.Facilitator, nil)
			var view agreements.CheckinResults
			if err := r.JSON(&view); err != nil || r.Status != http.StatusOK {
				t.Fatalf("%d %s", r.Status, r.Body)
			}
			for _, got := range []agreements.CheckinResults{res, view} {
				comments := got.Comments
				if len(comments) == 0 {
					comments = nil
				}
				if got.Checkin == nil || got.Checkin.ID != ck.ID || got.Answers != st.answers || got.Shown != st.shown ||
					got.Kept != st.kept || got.Partly != st.partly || got.NotKept != st.notKept || !slices.Equal(comments, st.comments) {
					t.Errorf("results %+v, want %d answers shown %v: %d kept, %d partly, %d not kept, comments %q",
						got, st.answers, st.shown, st.kept, st.partly, st.notKept, st.comments)
				}
			}
			if view.Mine != nil {
				t.Errorf("the facilitator without a child has an answer %+v", view.Mine)
			}
			var keys map[string]json.RawMessage
			json.Unmarshal(r.Body, &keys)
			for k := range keys {
				if !slices.Contains([]string{"checkin", "answers", "shown", "kept", "partly", "not_kept", "comments"}, k) {
					t.Errorf("the results carry %q", k)
				}
			}
			for _, s := range secret {
				if strings.Contains(string(r.Body), s) {
					t.Errorf("the results name %q: %s", s, r.Body)
				}
			}
		})
	}
	t.Run("a household that has not answered sees no answer of its own", func(t *testing.T) {
		_, tok := app.Join(c.ParentCode, "Mor til Noor", "Noor")
		var res agreements.CheckinResults
		app.Must(http.StatusOK, "GET", answers, tok, nil, &res)
		if res.Mine != nil || res.Answers != 6 {
			t.Errorf("%+v", res)
		}
	})
	t.Run("a new check-in starts with no answers", func(t *testing.T) {
		var next agreements.Checkin
		app.Must(http.StatusCreated, "POST", open, c.Facilitator, nil, &next)
		var res agreements.CheckinResults
		app.Must(http.StatusOK, "GET", answers, c.parents[0], nil, &res)
		if next.ID == ck.ID || res.Checkin == nil || res.Checkin.ID != next.ID || res.Answers != 0 || res.Mine != nil {
			t.Errorf("after a new check-in %+v", res)
		}
	})
}

// The server's tick opens the first check-in about three months after publishing, once.
func TestCheckinOpensByItself(t *testing.T) {
	app := apptest.New(t)
	start := time.Date(2027, 3, 10, 18, 0, 0, 0, time.UTC)
	clock := useClock(app, start)
	c, a, _ := publishedAgreement(t, app, 2, "photos")
	path := votePath(a.ID, "checkins")
	tick := func() {
		t.Helper()
		if err := app.Service.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	clock.add(agreements.CheckinDelay - time.Minute)
	tick()
	wantError(t, app.Do("GET", path, c.parents[0], nil), http.StatusConflict, "checkin.none")

	clock.add(2 * time.Minute)
	tick()
	var first agreements.CheckinResults
	app.Must(http.StatusOK, "GET", path, c.parents[0], nil, &first)
	if first.Checkin == nil || !first.Checkin.OpenedAt.Equal(clock.now()) || first.Answers != 0 {
		t.Fatalf("after the tick %+v, want a check-in opened at %s", first, clock.now())
	}
	app.Must(http.StatusOK, "POST", path, c.parents[1], map[string]any{"answer": "kept"}, nil)
	clock.add(agreements.CheckinDelay)
	tick()
	var later agreements.CheckinResults
	app.Must(http.StatusOK, "GET", path, c.parents[0], nil, &later)
	if later.Checkin == nil || later.Checkin.ID != first.Checkin.ID || later.Answers != 1 {
		t.Errorf("a later tick opened another check-in: %+v", later)
	}
}

// Publishing sets the review date to the first 1 August after it.
func TestReviewDate(t *testing.T) {
	app := apptest.New(t)
	clock := useClock(app, time.Now())
	cases := []struct {
		published, review string
	}{
		{"2027-03-10T18:00:00Z", "2027-08-01T00:00:00Z"},
		{"2027-07-31T23:59:59Z", "2027-08-01T00:00:00Z"},
		{"2027-08-01T00:00:00Z", "2028-08-01T00:00:00Z"},
		{"2027-11-23T09:30:00Z", "2028-08-01T00:00:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.published, func(t *testing.T) {
			at, _ := time.Parse(time.RFC3339, tc.published)
			review, _ := time.Parse(time.RFC3339, tc.review)
			clock.set(at)
			c := classWith(t, app, 1)
			a := app.NewAgreement(c.Class, "parents", "photos")
			app.Adopt(c.Class, a.ID, c.parents[0])
			var out struct {
				Agreement agreements.Agreement `json:"agreement"`
			}
			app.Must(http.StatusOK, "POST", votePath(a.ID, "publish"), c.Facilitator, nil, &out)
			for _, got := range []agreements.Agreement{out.Agreement, getAgreement(t, app, a.ID, c.parents[0])} {
				if got.PublishedAt == nil || !got.PublishedAt.Equal(at) || got.ReviewAt == nil || !got.ReviewAt.Equal(review) {
					t.Errorf("published %v, review %v; want %s and %s", got.PublishedAt, got.ReviewAt, at, review)
				}
			}
		})
	}
}

// Revising makes the next revision a draft of the adopted clauses with their chosen values;
// the published one stays readable and points to it; a revision is revised once.
func TestRevise(t *testing.T) {
	w := newWorld(t)
	app := w.app
	pa := w.parents
	age := clauseByKey(t, pa, "first-smartphone.age")
	rules := clauseByKey(t, pa, "class-chat.rules")
	quiet := clauseByKey(t, pa, "class-chat.quiet-hours")
	ownWords := "Vi venter, til de fleste i klassen er 14."
	app.Must(http.StatusOK, "PUT", votePath(pa.ID, "clauses/"+age.ID), w.parent, map[string]any{"body": ownWords, "base_rev": age.Rev}, nil)
	openVote(t, app, w.a, pa.ID, map[string]any{"quorum_percent": 50, "threshold_percent": 50})
	for _, tok := range []string{w.parent, w.parent2} {
		castVote(t, app, pa.ID, tok, age.ID, map[string]any{"choice": "yes", "value": "14"})
		castVote(t, app, pa.ID, tok, rules.ID, map[string]any{"choice": "yes_but", "value": "teacher"})
		castVote(t, app, pa.ID, tok, quiet.ID, choice("no"))
	}
	closeVote(t, app, w.a, pa.ID)
	slug := publish(t, app, w.a, pa.ID)
	draft := app.NewAgreement(w.a, "parents", "photos")

	revise := votePath(pa.ID, "revise")
	runBad(t, app, []badCase{
		{"parent revises", w.parent, "POST", revise, nil, nil, 403, "auth.forbidden"},
		{"pupil revises", w.pupil, "POST", revise, nil, nil, 403, "auth.forbidden"},
		{"another class's facilitator revises", w.b.Facilitator, "POST", revise, nil, nil, 403, "auth.forbidden"},
		{"revise a draft", w.a.Facilitator, "POST", votePath(draft.ID, "revise"), nil, nil, 409, "agreement.not_published"},
		{"revise an unknown agreement", w.a.Facilitator, "POST", votePath("nope", "revise"), nil, nil, 404, "not_found"},
	})

	var next agreements.Agreement
	app.Must(http.StatusCreated, "POST", revise, w.a.Facilitator, nil, &next)
	t.Run("the next revision", func(t *testing.T) {
		if next.ID == "" || next.ID == pa.ID || next.Revision != 2 || next.Status != agreements.StatusDraft || next.PreviousID != pa.ID ||
			next.Title != pa.Title || next.Kind != pa.Kind || next.Slug != "" || next.Vote != nil || next.DecidedAt != nil {
			t.Errorf("revision %+v", next)
		}
		var keys []string
		for _, cl := range next.Clauses {
			keys = append(keys, cl.Key)
			if cl.Adopted != nil {
				t.Errorf("clause %s carries the old decision %v", cl.Key, *cl.Adopted)
			}
		}
		if !slices.Equal(keys, []string{age.Key, rules.Key}) {
			t.Errorf("clauses %v, want the adopted %s and %s", keys, age.Key, rules.Key)
		}
		if got := getAgreement(t, app, next.ID, w.parent); !slices.Equal(clauseIDs(got), clauseIDs(next)) {
			t.Errorf("GET shows %v, created %v", clauseIDs(got), clauseIDs(next))
		}
		a := clauseByKey(t, next, age.Key)
		if a.Body != ownWords || a.Parameter == nil || a.Parameter.Value != "14" || !a.Changed {
			t.Errorf("the age clause %+v, want the class's words and 14", a)
		}
		if r := clauseByKey(t, next, rules.Key); r.Parameter == nil || r.Parameter.Value != "teacher" {
			t.Errorf("the chat clause %+v, want teacher", r.Parameter)
		}
		// It is a draft like any other.
		app.Must(http.StatusOK, "PUT", votePath(next.ID, "clauses/"+a.ID), w.parent2, map[string]any{"value": "15", "base_rev": a.Rev}, nil)
	})
	t.Run("the old revision stays readable and points to the new", func(t *testing.T) {
		v := published(t, app, slug)
		if v.Agreement.ID != pa.ID || v.Agreement.Status != agreements.StatusPublished || v.Newer != next.ID || len(v.Agreement.Clauses) != 2 {
			t.Errorf("the old page shows %s (%s), newer %q, %d clauses", v.Agreement.ID, v.Agreement.Status, v.Newer, len(v.Agreement.Clauses))
		}
		page := fetch(t, app, "GET", "/p/"+slug, "")
		if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, localeText(t, "da", "published.newer", nil)) {
			t.Errorf("the old page (%d) does not say that a newer revision exists", page.StatusCode)
		}
		if old := getAgreement(t, app, pa.ID, w.parent); old.Status != agreements.StatusPublished || old.Revision != 1 {
			t.Errorf("the old agreement is %s revision %d", old.Status, old.Revision)
		}
	})
	t.Run("revising twice", func(t *testing.T) {
		before := app.Snapshot()
		wantError(t, app.Do("POST", revise, w.a.Facilitator, nil), http.StatusConflict, "agreement.already_revised")
		if app.Snapshot() != before {
			t.Error("the refused revise changed the database")
		}
	})
	t.Run("the next revision is published and revised in turn", func(t *testing.T) {
		app.Adopt(w.a, next.ID, w.parent)
		slug2 := publish(t, app, w.a, next.ID)
		if v := published(t, app, slug2); v.Newer != "" || v.Agreement.Revision != 2 {
			t.Errorf("revision 2's page: newer %q, revision %d", v.Newer, v.Agreement.Revision)
		}
		var third agreements.Agreement
		app.Must(http.StatusCreated, "POST", votePath(next.ID, "revise"), w.a.Facilitator, nil, &third)
		if third.Revision != 3 || third.PreviousID != next.ID {
			t.Errorf("revision %d from %q", third.Revision, third.PreviousID)
		}
		if v := published(t, app, slug); v.Newer != next.ID {
			t.Errorf("revision 1 points to %q, want its own successor %q", v.Newer, next.ID)
		}
	})
}
