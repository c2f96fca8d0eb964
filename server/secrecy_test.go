package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
	"klasseaftale/internal/liveclient"
)

// Vote secrecy: nobody but a household learns who has or has not voted, or how — not from the
// results, not from the live results messages, not from the pages, and not the facilitator.

// secretBallot is one household's vote on both clauses of the secrecy tests.
type secretBallot struct {
	photos, reason, age, value string
}

var secretBallots = []secretBallot{
	{"yes", "", "yes", "11"},
	{"no_but", "Kun hvis barnet selv siger ja.", "no", "15"},
	{"abstain", "", "yes_but", "13"},
	{"no", "", "no_but", "12"},
	{"yes_but", "Det er vigtigt for os.", "yes", "14"},
}

// leaked lists what the results give away beyond the numbers the rule allows to change: it
// deletes voted, not_voted_count and each clause's answers and quorum_met from a copy and
// reports whether the rest differs between before and after.
func leaked(t *testing.T, before, after []byte) bool {
	t.Helper()
	strip := func(b []byte) map[string]any {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		delete(m, "voted")
		delete(m, "not_voted_count")
		for _, c := range m["clauses"].([]any) {
			delete(c.(map[string]any), "answers")
			delete(c.(map[string]any), "quorum_met")
		}
		return m
	}
	return !reflect.DeepEqual(strip(before), strip(after))
}

// resultsWatcher collects the live results messages one member receives.
type resultsWatcher struct {
	mu   sync.Mutex
	msgs [][]byte
}

func watchResults(t *testing.T, app *apptest.App, agreementID, token string) *resultsWatcher {
	t.Helper()
	w := &resultsWatcher{}
	c := &liveclient.Client{URL: app.URL, Agree: agreementID, Token: token, ID: "watcher", Hooks: liveclient.Hooks{
		Other: func(m map[string]any) {
			if m["type"] != "results" {
				return
			}
			b, _ := json.Marshal(m["results"])
			w.mu.Lock()
			w.msgs = append(w.msgs, b)
			w.mu.Unlock()
		}}}
	if err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return w
}

// next waits for the n-th results message.
func (w *resultsWatcher) next(t *testing.T, n int) []byte {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		w.mu.Lock()
		if len(w.msgs) >= n {
			m := w.msgs[n-1]
			w.mu.Unlock()
			return m
		}
		w.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no results message %d", n)
	return nil
}

// The facilitator reads GET /results before and after each of four households votes, and
// watches the live results: the only change is how many have answered. From the fifth answer
// on, a clause's figures and reasons are shown; nobody is ever named.
func TestVoteSecrecy(t *testing.T) {
	app := apptest.New(t)
	c := classWith(t, app, 6)
	a := app.NewAgreement(c.Class, "parents", "photos", "first-smartphone")
	photos, age := a.Clauses[0].ID, clauseByKey(t, a, "first-smartphone.age").ID
	openVote(t, app, c.Class, a.ID, rules(0, 50))
	live := watchResults(t, app, a.ID, c.Facilitator)
	read := func() []byte {
		return app.Must(http.StatusOK, "GET", votePath(a.ID, "results"), c.Facilitator, nil, nil).Body
	}
	names := []string{"Barn1", "Forælder 1"} // the households' children and their parents, as they joined
	for _, m := range c.households {
		names = append(names, m.ID, m.HouseholdID)
	}

	before, liveBefore := read(), []byte(nil)
	for i, b := range secretBallots[:4] {
		castVote(t, app, a.ID, c.parents[i], photos, map[string]any{"choice": b.photos, "reason": b.reason})
		castVote(t, app, a.ID, c.parents[i], age, map[string]any{"choice": b.age, "value": b.value})
		after := read()
		t.Run(fmt.Sprintf("after household %d", i+1), func(t *testing.T) {
			if leaked(t, before, after) {
				t.Errorf("the results changed beyond the number of answers:\n%s\n%s", before, after)
			}
			var res agreements.Results
			json.Unmarshal(after, &res)
			if res.Voted != i+1 || res.NotVoted != 6-(i+1) || res.MinAnswers != agreements.MinGroup {
				t.Errorf("voted %d, not voted %d, min %d", res.Voted, res.NotVoted, res.MinAnswers)
			}
			for _, r := range res.Clauses {
				if !r.Masked || r.Answers != i+1 {
					t.Errorf("clause %s: masked %v with %d answers, want masked with %d", r.ClauseID, r.Masked, r.Answers, i+1)
				}
			}
			for _, s := range append(names, "counts", "values", "yes_percent", `"adopted"`, `"value"`, "not_voted\"", secretBallots[1].reason, secretBallots[4].reason) {
				if strings.Contains(string(after), s) {
					t.Errorf("the results show %q: %s", s, after)
				}
			}
			// The live message after the second vote of this household says the same.
			msg := live.next(t, 2*(i+1))
			if liveBefore != nil && leaked(t, liveBefore, msg) {
				t.Errorf("the live results changed beyond the number of answers:\n%s\n%s", liveBefore, msg)
			}
			if !strings.Contains(string(msg), `"masked":true`) || strings.Contains(string(msg), "counts") {
				t.Errorf("the live results: %s", msg)
			}
			liveBefore = msg
		})
		before = after
	}

	t.Run("the pages say it in words, and name nobody", func(t *testing.T) {
		for _, tok := range []string{c.Facilitator, c.parents[5]} {
			page := fetch(t, app, "GET", "/a/"+a.ID, "", session(tok)).Body
			masked := template.HTMLEscapeString(localeText(t, "da", "vote.masked.other", map[string]string{"Count": "4", "Min": "5"}))
			if strings.Count(page, masked) != 2 || !strings.Contains(page, `data-testid="vote-secret"`) {
				t.Errorf("the ballot page does not say that 4 have answered and the rest waits for 5")
			}
			for _, s := range names[:2] {
				if strings.Contains(page, s) {
					t.Errorf("the ballot page names %q", s)
				}
			}
		}
		page := fetch(t, app, "GET", "/a/"+a.ID, "", session(c.Facilitator)).Body
		if want := localeText(t, "da", "vote.not_voted_count.other", map[string]string{"Count": "2"}); !strings.Contains(page, want) {
			t.Errorf("the facilitator is not told that %q", want)
		}
	})

	t.Run("from the fifth answer on, the clause's figures are shown", func(t *testing.T) {
		b := secretBallots[4]
		castVote(t, app, a.ID, c.parents[4], photos, map[string]any{"choice": b.photos, "reason": b.reason})
		var res agreements.Results
		app.Must(http.StatusOK, "GET", votePath(a.ID, "results"), c.parents[5], nil, &res)
		r := resultOf(t, res, photos)
		if r.Masked || r.Answers != 5 || r.Counts != (agreements.Counts{Yes: 1, YesBut: 1, No: 1, NoBut: 1, Abstain: 1}) {
			t.Errorf("five answers: %+v", r)
		}
		if len(res.Comments) != 2 {
			t.Errorf("comments %+v, want the two reasons of the photo clause", res.Comments)
		}
		if r := resultOf(t, res, age); !r.Masked || r.Answers != 4 || len(r.Values) != 0 {
			t.Errorf("the age clause, four answers: %+v", r)
		}
	})
}

// A vote decided with fewer than five answers shows the decision — adopted or not, and the
// value chosen — and how many answered, never the figures; in the API, the answer to closing,
// the pages and the meeting view's data alike.
func TestSmallVoteShowsTheDecisionOnly(t *testing.T) {
	app := apptest.New(t)
	c := classWith(t, app, 3)
	a := app.NewAgreement(c.Class, "parents", "first-smartphone")
	age := clauseByKey(t, a, "first-smartphone.age")
	openVote(t, app, c.Class, a.ID, rules(50, 50))
	castVote(t, app, a.ID, c.parents[0], age.ID, map[string]any{"choice": "yes", "value": "15"})
	castVote(t, app, a.ID, c.parents[1], age.ID, map[string]any{"choice": "no_but", "value": "11", "reason": "For tidligt."})
	// 11 and 15: the median's tie goes to the more protective, older age.

	closed := closeVote(t, app, c.Class, a.ID)
	for what, res := range map[string]agreements.Results{"closing": closed, "GET": results(t, app, a.ID, c.parents[2])} {
		r := resultOf(t, res, age.ID)
		if !r.Masked || r.Answers != 2 || !r.Adopted || r.Value != "15" || !r.QuorumMet || r.Counts != (agreements.Counts{}) || len(r.Values) != 0 || len(res.Comments) != 0 {
			t.Errorf("%s: %+v, comments %v; want the decision (adopted, 15) and 2 answers only", what, r, res.Comments)
		}
	}
	body := string(app.Must(http.StatusOK, "GET", votePath(a.ID, "results"), c.parents[2], nil, nil).Body)
	for _, s := range []string{"counts", "values", "yes_percent", "For tidligt"} {
		if strings.Contains(body, s) {
			t.Errorf("the decided results show %q: %s", s, body)
		}
	}
	want := template.HTMLEscapeString(localeText(t, "da", "vote.masked_decided.other", map[string]string{"Count": "2", "Min": "5"}))
	for _, path := range []string{"/a/" + a.ID} {
		page := fetch(t, app, "GET", path, "", session(c.Facilitator)).Body
		if !strings.Contains(page, want) || !strings.Contains(page, `data-testid="decision"`) {
			t.Errorf("%s does not show the decision with %q", path, want)
		}
	}
	meeting := fetch(t, app, "GET", "/a/"+a.ID+"/meeting", "", session(c.Facilitator)).Body
	if !strings.Contains(meeting, `\u0022masked\u0022:true`) && !strings.Contains(meeting, `"masked":true`) {
		t.Errorf("the meeting view's data is not masked")
	}
	if strings.Contains(meeting, "counts") || strings.Contains(meeting, "For tidligt") {
		t.Errorf("the meeting view's data shows figures")
	}
	publish(t, app, c.Class, a.ID)
	if page := fetch(t, app, "GET", "/a/"+a.ID, "", session(c.parents[0])).Body; !strings.Contains(page, want) {
		t.Errorf("the published agreement's page does not say %q", want)
	}
}
