package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
)

// fiveClauses is a parents' agreement of five clauses, three of them with a choice, put to
// the vote, and a parent of the class: the ballot a family meets at the meeting.
func fiveClauses(t *testing.T, app *apptest.App) (apptest.Class, agreements.Agreement, string) {
	t.Helper()
	class := app.NewClass("4.B", 4)
	_, tok := app.Join(class.ParentCode, "Mor til Ida", "Ida")
	draft := app.NewAgreement(class, "parents", "first-smartphone", "class-chat", "evenings")
	if len(draft.Clauses) != 5 {
		t.Fatalf("the agreement has %d clauses, want 5", len(draft.Clauses))
	}
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+draft.ID+"/voting", class.Facilitator,
		map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)
	return class, draft, tok
}

// countInput counts, from here on, the taps (pointer presses) and the keys a person presses,
// and marks the page so that a navigation (a reload, a submitted form) shows: the mark is gone.
var countInput = chromedp.Evaluate[chromedp.Void](`window.kaTaps = 0; window.kaKeys = 0; window.kaSamePage = true;
	addEventListener('pointerdown', () => window.kaTaps++, true);
	addEventListener('keydown', () => window.kaKeys++, true);`)

// ballotReady waits until the ballot's script has bound the ballot.
func ballotReady() chromedp.Action[chromedp.Void] {
	return steps(ready(), waitJS(`document.documentElement.dataset.ballot === '1'`))
}

// clauseState is the saved state of a clause on the ballot and the words beside it.
func clauseState(t *testing.T, ctx context.Context, clause string) (state, words string) {
	t.Helper()
	sel := jsString("#clause-" + clause + " [data-testid=vote-state]")
	return eval[string](t, ctx, `document.querySelector(`+sel+`).dataset.state ?? ''`),
		eval[string](t, ctx, `document.querySelector(`+sel+`).textContent.trim()`)
}

// tapAnswer taps an answer on a clause as a person does, on its words, and waits until the
// clause says whether it was saved.
func tapAnswer(t *testing.T, ctx context.Context, clause, answer string) {
	t.Helper()
	li := "#clause-" + clause
	do(t, ctx, "tap "+answer+" on "+clause,
		centre(li+` input[name=choice][value="`+answer+`"]`),
		chromedp.Click(css(li+` label:has(input[name=choice][value="`+answer+`"])`)),
		waitJS(`['saved', 'error'].includes(document.querySelector('`+li+` [data-testid=vote-state]').dataset.state)`),
	)
}

// myVotes reads the household's votes through the API.
func myVotes(t *testing.T, app *apptest.App, id, tok string) map[string]agreements.Vote {
	t.Helper()
	var out struct{ Votes []agreements.Vote }
	app.Must(http.StatusOK, "GET", "/api/v1/agreements/"+id+"/votes", tok, nil, &out)
	m := map[string]agreements.Vote{}
	for _, v := range out.Votes {
		m[v.ClauseID] = v
	}
	return m
}

// A parent on a phone votes on five clauses with five taps, each saved at once without the page
// reloading; the ballot says "saved" at each clause and counts the answers; a reload keeps
// them. The "men" reason and the preference are on the same page, saved as they are left.
// In Danish and in Arabic, and the ballot never scrolls sideways.
func TestBallotFiveTaps(t *testing.T) {
	t.Parallel()
	root := browser(t)
	for _, tc := range []struct{ lang, saved, answered string }{
		{"da", "Gemt", "5 af 5 besvaret"},
		{"ar", "حُفظ", "أُجيب عن 5 من 5"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			t.Parallel()
			app := apptest.New(t)
			_, draft, tok := fiveClauses(t, app)
			p := login(t, root, app, tok)
			do(t, p, "open the ballot", phone(), speak(app.URL, tc.lang, "/a/"+draft.ID), ballotReady(), countInput)
			screenshot(t, p, "ballot-"+tc.lang+"-before")

			answers := []string{"yes", "yes_but", "no", "no_but", "yes"}
			for i, cl := range draft.Clauses {
				tapAnswer(t, p, cl.ID, answers[i])
				if state, words := clauseState(t, p, cl.ID); state != "saved" || !strings.Contains(words, tc.saved) {
					t.Errorf("clause %d after one tap: state %q, %q", i+1, state, words)
				}
				want := fmt.Sprintf("%d", i+1)
				if got := eval[string](t, p, `document.getElementById('ballot-progress').dataset.answered`); got != want {
					t.Errorf("after %d taps the ballot counts %s answered", i+1, got)
				}
			}
			taps, keys := eval[int](t, p, `window.kaTaps`), eval[int](t, p, `window.kaKeys`)
			screens := eval[float64](t, p, `document.documentElement.scrollHeight / innerHeight`)
			t.Logf("%s: %d taps, %d keys, no reload: %v, the page is %.1f screens tall", tc.lang, taps, keys,
				eval[bool](t, p, `window.kaSamePage === true`), screens)
			if taps != 5 || keys != 0 {
				t.Errorf("five answers took %d taps and %d keys, want 5 and 0", taps, keys)
			}
			if !eval[bool](t, p, `window.kaSamePage === true`) {
				t.Error("the page navigated while voting")
			}
			if got := get(t, p, "the count", chromedp.Text(css("#ballot-progress"))); !strings.Contains(got, tc.answered) {
				t.Errorf("the ballot's count says %q, want %q", got, tc.answered)
			}
			votes := myVotes(t, app, draft.ID, tok)
			for i, cl := range draft.Clauses {
				if votes[cl.ID].Answer != agreements.Answer(answers[i]) {
					t.Errorf("clause %d: the server has %q, want %q", i+1, votes[cl.ID].Answer, answers[i])
				}
			}

			// The "men" answer shows its reason field; the reason is saved when it is left.
			but := draft.Clauses[1].ID
			reason := "#clause-" + but + " textarea[name=reason]"
			if !eval[bool](t, p, `!!document.querySelector('`+reason+`')?.checkVisibility()`) {
				t.Error("the reason field does not show after Ja, men")
			}
			if eval[bool](t, p, `!!document.querySelector('#clause-`+draft.Clauses[0].ID+` textarea[name=reason]')?.checkVisibility()`) {
				t.Error("a reason field shows after a plain Ja")
			}
			do(t, p, "write a reason and leave the field",
				centre(reason), chromedp.Click(css(reason)), chromedp.SendKeys(css(reason), "Kun i weekenden"),
				chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`),
				waitJS(`document.querySelector('#clause-`+but+` [data-testid=vote-state]').dataset.state === 'saved'`))
			if v := myVotes(t, app, draft.ID, tok)[but]; v.Reason != "Kun i weekenden" || v.Answer != agreements.AnswerYesBut {
				t.Errorf("after the reason the server has %+v", v)
			}
			// A preference for a clause with options, chosen from its list.
			age := draft.Clauses[0].ID
			pref := "#clause-" + age + " select[name=value]"
			do(t, p, "choose a preferred age",
				centre(pref), chromedp.SetValue(css(pref), "14"),
				chromedp.Evaluate[chromedp.Void](`document.querySelector('`+pref+`').dispatchEvent(new Event('change', {bubbles: true}))`),
				waitJS(`document.querySelector('#clause-`+age+` [data-testid=vote-state]').dataset.state === 'saved'`))
			if v := myVotes(t, app, draft.ID, tok)[age]; v.Value != "14" || v.Answer != agreements.AnswerYes {
				t.Errorf("after the preference the server has %+v", v)
			}
			// Changing an answer saves it again.
			tapAnswer(t, p, age, "no")
			if v := myVotes(t, app, draft.ID, tok)[age]; v.Answer != agreements.AnswerNo || v.Value != "14" {
				t.Errorf("after changing the answer the server has %+v", v)
			}
			if !eval[bool](t, p, `window.kaSamePage === true`) {
				t.Error("the page navigated while voting")
			}
			screenshot(t, p, "ballot-"+tc.lang+"-voted")
			do(t, p, "scroll to the top", chromedp.Evaluate[chromedp.Void](`scrollTo(0, 0)`))
			shoot(t, p, "ballot-"+tc.lang+"-top")
			do(t, p, "scroll to the second clause", centre("#clause-"+but+" .answers"))
			shoot(t, p, "ballot-"+tc.lang+"-reason")

			do(t, p, "reload", chromedp.Reload(), ballotReady())
			answers[0] = "no"
			for i, cl := range draft.Clauses {
				got := eval[string](t, p, `document.querySelector('#clause-`+cl.ID+` input[name=choice]:checked')?.value ?? ''`)
				if got != answers[i] {
					t.Errorf("after a reload clause %d shows %q, want %q", i+1, got, answers[i])
				}
				if state, _ := clauseState(t, p, cl.ID); state != "saved" {
					t.Errorf("after a reload clause %d is %q, want saved", i+1, state)
				}
			}
			if got := get(t, p, "the count", chromedp.Text(css("#ballot-progress"))); !strings.Contains(got, tc.answered) {
				t.Errorf("after a reload the count says %q, want %q", got, tc.answered)
			}
			if got := eval[string](t, p, `document.querySelector('`+reason+`').value`); got != "Kun i weekenden" {
				t.Errorf("after a reload the reason is %q", got)
			}
		})
	}
}

// A parent votes with the keyboard alone: Tab reaches a clause's answers as one group, the
// arrow keys change the answer and each change is saved; the saved state and the count are
// announced to a screen reader.
func TestBallotKeyboard(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	_, draft, tok := fiveClauses(t, app)
	p := login(t, root, app, tok)
	do(t, p, "open the ballot", phone(), speak(app.URL, "da", "/a/"+draft.ID), ballotReady())
	first, second := "#clause-"+draft.Clauses[0].ID, "#clause-"+draft.Clauses[1].ID

	// Every answer group is a fieldset with a legend, and what is said after saving is live.
	if n := eval[int](t, p, `document.querySelectorAll('#ballot fieldset:has(> legend) input[type=radio][name=choice]').length`); n != 25 {
		t.Errorf("%d answers in fieldsets with a legend, want 25", n)
	}
	// A screen reader names each group by the question and its clause.
	if got := eval[string](t, p, `document.querySelector('`+first+` fieldset > legend').textContent`); got != "Hvad siger jeres familie til dette punkt? Punkt 1: "+draft.Clauses[0].Title {
		t.Errorf("the first clause's answers are named %q", got)
	}
	if n := eval[int](t, p, `document.querySelectorAll('#ballot [data-testid=vote-state][aria-live=polite]').length`); n != 5 {
		t.Errorf("%d clauses announce their saved state, want 5", n)
	}
	if eval[string](t, p, `document.getElementById('ballot-progress').getAttribute('aria-live')`) != "polite" {
		t.Error("the count of answers is not announced")
	}

	tabTo(t, p, first+` input[name=choice]`, 60)
	press(t, p, " ") // Space checks the focused answer: "Ja"
	do(t, p, "saved", waitJS(`document.querySelector('`+first+` [data-testid=vote-state]').dataset.state === 'saved'`))
	press(t, p, kb.ArrowDown) // the next answer in the group: "Ja, men …"
	do(t, p, "saved again", waitJS(`document.querySelector('`+first+` input[value=yes_but]').checked && document.querySelector('`+first+` [data-testid=vote-state]').dataset.state === 'saved'`))
	if v := myVotes(t, app, draft.ID, tok)[draft.Clauses[0].ID]; v.Answer != agreements.AnswerYesBut {
		t.Errorf("after the arrow key the server has %+v", v)
	}
	// Tab goes on to the reason the "men" answer opened, then to the preference.
	tabTo(t, p, first+` textarea[name=reason]`, 2)
	press(t, p, "Ikke før 13")
	tabTo(t, p, first+` select[name=value]`, 2)
	do(t, p, "reason saved", waitJS(`document.querySelector('`+first+` [data-testid=vote-state]').dataset.state === 'saved'`))
	if v := myVotes(t, app, draft.ID, tok)[draft.Clauses[0].ID]; v.Reason != "Ikke før 13" {
		t.Errorf("after leaving the reason the server has %+v", v)
	}
	tabTo(t, p, second+` input[name=choice]`, 4)
	press(t, p, " ")
	do(t, p, "second saved", waitJS(`document.querySelector('`+second+` [data-testid=vote-state]').dataset.state === 'saved'`))
	if got := get(t, p, "the count", chromedp.Text(css("#ballot-progress"))); !strings.Contains(got, "2 af 5 besvaret") {
		t.Errorf("the count says %q", got)
	}
}

// An answer that cannot be saved says why at its clause and is not shown as saved: without a
// network, and once the vote has closed.
func TestBallotErrors(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class, draft, tok := fiveClauses(t, app)
	p := login(t, root, app, tok)
	do(t, p, "open the ballot", phone(), speak(app.URL, "da", "/a/"+draft.ID), ballotReady())
	first, second := draft.Clauses[0].ID, draft.Clauses[1].ID

	offline := func(off bool) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			if _, err := cdp.Call(ctx, tg, network.Enable, network.EnableParams{}); err != nil {
				return err
			}
			conds := []*network.Conditions{}
			if off {
				conds = append(conds, &network.Conditions{URLPattern: app.URL + "/api/*", Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
			}
			_, err := cdp.Call(ctx, tg, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{MatchedNetworkConditions: conds})
			return err
		})
	}
	do(t, p, "lose the network", offline(true))
	tapAnswer(t, p, first, "yes")
	state, words := clauseState(t, p, first)
	if net := eval[string](t, p, `document.body.dataset.msgNetwork`); state != "error" || !strings.Contains(words, "Ikke gemt") || net == "" || !strings.Contains(words, net) {
		t.Errorf("without a network: state %q, %q", state, words)
	}
	shoot(t, p, "ballot-da-offline")
	if got := eval[string](t, p, `getComputedStyle(document.querySelector('#clause-`+first+` label:has(input:checked)')).borderTopStyle`); got != "dashed" {
		t.Errorf("the answer not saved is drawn %s, as a saved one", got)
	}
	if got := eval[string](t, p, `document.getElementById('ballot-progress').dataset.answered`); got != "0" {
		t.Errorf("an answer not saved is counted: %s answered", got)
	}
	do(t, p, "the network is back; try again", offline(false),
		chromedp.Click(css("#clause-"+first+" button.retry")),
		waitJS(`document.querySelector('#clause-`+first+` [data-testid=vote-state]').dataset.state === 'saved'`))
	if v := myVotes(t, app, draft.ID, tok)[first]; v.Answer != agreements.AnswerYes {
		t.Errorf("after trying again the server has %+v", v)
	}

	// The page would reload to show the decision as soon as it hears of it; a tap can come first.
	do(t, p, "stay on the ballot", chromedp.Evaluate[chromedp.Void](`document.documentElement.dataset.navigating = '1'`))
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+draft.ID+"/close", class.Facilitator, nil, nil)
	tapAnswer(t, p, second, "no")
	state, words = clauseState(t, p, second)
	if state != "error" || !strings.Contains(words, "Afstemningen er slut") {
		t.Errorf("after the vote closed: state %q, %q", state, words)
	}
}

// A pupils' ballot speaks of pupils, never of families, in every language; no answer ends in
// four dots; the reason's label carries no stray number.
func TestPupilsBallotWording(t *testing.T) {
	t.Parallel()
	root := browser(t)
	app := apptest.New(t)
	class := app.NewClass("6.A", 6)
	_, pupil := app.Join(class.PupilCode, "Zebra", "")
	_, parent := app.Join(class.ParentCode, "Mor til Ida", "Ida")
	draft := app.NewAgreement(class, "pupils", "pupil-photos", "pupil-tone")
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+draft.ID+"/voting", class.Facilitator,
		map[string]any{"quorum_percent": 50, "threshold_percent": 60}, nil)
	parents := app.NewAgreement(class, "parents", "photos")
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+parents.ID+"/voting", class.Facilitator,
		map[string]any{"quorum_percent": 50, "threshold_percent": 60}, nil)

	// Both have answered "Ja, men" to the first point: the ballot shows their own answer.
	app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+draft.ID+"/votes", pupil,
		map[string]any{"clause_id": draft.Clauses[0].ID, "choice": "yes_but", "reason": "Også i frikvarteret"}, nil)
	app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+parents.ID+"/votes", parent,
		map[string]any{"clause_id": parents.Clauses[0].ID, "choice": "yes_but"}, nil)
	p := login(t, root, app, pupil)
	adult := login(t, root, app, parent)
	for _, lang := range []string{"da", "en", "ar", "tr", "uk", "pl", "ro", "ur", "fa", "so"} {
		var msgs map[string]any
		res := app.Do("GET", "/i18n/"+lang, "", nil)
		if err := json.Unmarshal(res.Body, &msgs); err != nil {
			t.Fatal(err)
		}
		text := func(key string) string { s, _ := msgs[key].(string); return s }
		do(t, p, "the pupils' ballot in "+lang, phone(), speak(app.URL, lang, "/a/"+draft.ID), ready())
		page := get(t, p, "read the ballot", chromedp.Text(css("main")))
		rules := strings.NewReplacer("{{.Quorum}}", "50", "{{.Threshold}}", "60").Replace(text("vote.rules_pupils"))
		if rules == "" || !strings.Contains(page, rules) {
			t.Errorf("%s: the pupils' ballot lacks its rules %q", lang, rules)
		}
		// The words the parents' ballot has of families are not on the pupils'.
		do(t, adult, "the parents' ballot in "+lang, phone(), speak(app.URL, lang, "/a/"+parents.ID), ready())
		adults := get(t, adult, "read the parents' ballot", chromedp.Text(css("main")))
		for _, key := range []string{"vote.question", "vote.heading", "vote.instant"} {
			if s := text(key); s == "" || !strings.Contains(adults, s) {
				t.Errorf("%s: the parents' ballot lacks %s %q", lang, key, s)
			} else if strings.Contains(page, s) {
				t.Errorf("%s: the pupils' ballot says the parents' %s %q", lang, key, s)
			}
		}
		if lang == "da" && strings.Contains(strings.ToLower(page), "famili") {
			t.Errorf("the Danish pupils' ballot speaks of families:\n%s", page)
		}
		for _, pg := range []string{page, adults} {
			if strings.Contains(pg, "….") || strings.Contains(pg, "...") {
				t.Errorf("%s: four dots on the ballot:\n%s", lang, pg)
			}
		}
		if got := eval[string](t, p, `getComputedStyle(document.querySelector('#ballot label[for^=reason-]'), '::before').content`); got != "none" {
			t.Errorf("%s: the reason's label begins with %s", lang, got)
		}
		screenshot(t, p, "ballot-pupils-"+lang)
		if lang == "da" || lang == "ar" {
			do(t, p, "the first clause", centre("#ballot > li:first-child .answers"))
			shoot(t, p, "ballot-pupils-"+lang)
		}
	}
}
