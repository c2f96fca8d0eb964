package server_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/agreements/ot"
	"klasseaftale/internal/apptest"
	"klasseaftale/internal/liveclient"
)

// historyWorld is a class in a school, with a board link, two parents, a pupil, a parents' and a
// pupils' agreement, and another class with its own facilitator and parent.
type historyWorld struct {
	app                  *apptest.App
	school               school
	board                string
	a, b                 apptest.Class
	mor, far, pupil      string // tokens in class A
	morID, farID         string
	parentB              string
	parents, pupils, agB agreements.Agreement
}

func newHistoryWorld(t *testing.T) *historyWorld {
	t.Helper()
	app := apptest.New(t)
	w := &historyWorld{app: app, school: registerSchool(t, app, "Bakkeskolen")}
	_, w.board = boardLink(t, app, w.school, "Formand")
	w.a, w.b = app.NewClassIn("4.A", 4, w.school.OrganiserCode), app.NewClass("4.B", 4)
	m, tok := app.Join(w.a.ParentCode, "Mor til Ida", "Ida")
	w.mor, w.morID = tok, m.ID
	m, tok = app.Join(w.a.ParentCode, "Far til Omar", "Omar")
	w.far, w.farID = tok, m.ID
	_, w.pupil = app.Join(w.a.PupilCode, "Lynet", "")
	_, w.parentB = app.Join(w.b.ParentCode, "Mor til Alma", "Alma")
	w.parents = app.NewAgreement(w.a, "parents", "photos", "evenings")
	w.pupils = app.NewAgreement(w.a, "pupils", "pupil-tone")
	w.agB = app.NewAgreement(w.b, "parents", "photos")
	return w
}

func clausePath(a agreements.Agreement, clause, rest string) string {
	return "/api/v1/agreements/" + a.ID + "/clauses/" + clause + rest
}

// editBody changes a clause's text over HTTP as the holder of tok, on its current revision.
func editBody(t *testing.T, app *apptest.App, a agreements.Agreement, clause, tok string, edit map[string]any) agreements.Clause {
	t.Helper()
	ag := getAgreement(t, app, a.ID, tok)
	cur := ag.Clause(clause)
	edit["base_rev"] = cur.Rev
	var out agreements.Clause
	app.Must(http.StatusOK, "PUT", clausePath(a, clause, ""), tok, edit, &out)
	return out
}

func readHistory(t *testing.T, app *apptest.App, a agreements.Agreement, clause, tok string) agreements.ClauseHistory {
	t.Helper()
	var h agreements.ClauseHistory
	app.Must(http.StatusOK, "GET", clausePath(a, clause, "/history"), tok, nil, &h)
	return h
}

func TestClauseHistoryShowsWhoChangedItAndWhen(t *testing.T) {
	w := newHistoryWorld(t)
	cl := w.parents.Clauses[0]
	start := time.Now().Add(-time.Second)
	editBody(t, w.app, w.parents, cl.ID, w.mor, map[string]any{"body": "Første udgave."})
	editBody(t, w.app, w.parents, cl.ID, w.mor, map[string]any{"body": "Anden udgave."})
	editBody(t, w.app, w.parents, cl.ID, w.far, map[string]any{"title": "Vi spørger altid først"})

	h := readHistory(t, w.app, w.parents, cl.ID, w.far)
	if h.Rev != 3 || !h.Kept || !h.Texts || h.More {
		t.Fatalf("history %+v", h)
	}
	if len(h.Authors) != 2 || h.Authors[0].Member.ID != w.farID || h.Authors[1].Member.ID != w.morID {
		t.Fatalf("authors, the latest first: %+v", h.Authors)
	}
	mor := h.Authors[1]
	if mor.Member.Name != "Mor til Ida" || mor.Member.Color != agreements.ColorFor(w.morID) || mor.Changes != 2 ||
		mor.LastAt.Before(start) || mor.LastAt.After(time.Now().Add(time.Second)) {
		t.Errorf("Mor as an author: %+v", mor)
	}
	// Mor's two edits in a row are one entry; Far's title is another, and kept the text.
	want := []agreements.HistoryEntry{
		{FromRev: 2, Rev: 3, Member: h.Authors[0].Member, Text: false},
		{FromRev: 0, Rev: 2, Member: mor.Member, Text: true},
	}
	if len(h.Entries) != 2 {
		t.Fatalf("entries %+v", h.Entries)
	}
	for i, e := range h.Entries {
		e.At = time.Time{}
		if e != want[i] {
			t.Errorf("entry %d: %+v, want %+v", i, e, want[i])
		}
	}

	// The facilitator sees the text at every revision, replayed from the log.
	for rev, body := range map[int]string{0: cl.Body, 1: "Første udgave.", 2: "Anden udgave.", 3: "Anden udgave."} {
		var v agreements.ClauseVersion
		w.app.Must(http.StatusOK, "GET", clausePath(w.parents, cl.ID, "/history/"+strconv.Itoa(rev)), w.a.Facilitator, nil, &v)
		if v.Rev != rev || v.Body != body {
			t.Errorf("revision %d: %+v, want %q", rev, v, body)
		}
		if (rev == 0) != (v.Member == nil) || (rev == 1 && v.Member.ID != w.morID) {
			t.Errorf("revision %d was made by %+v", rev, v.Member)
		}
	}
}

// The facilitator restores an earlier text: it is one new revision, made by an ordinary
// operation that every live tab receives, and an operation made meanwhile on the text before
// the restore is transformed past it like past any other.
func TestRestoreIsAnOrdinaryOperation(t *testing.T) {
	w := newHistoryWorld(t)
	cl := w.parents.Clauses[0].ID
	editBody(t, w.app, w.parents, cl, w.mor, map[string]any{"body": "Start."})
	editBody(t, w.app, w.parents, cl, w.far, map[string]any{"body": "Start. Far skrev mere her."})
	tabs := []*liveclient.Client{}
	for i, tok := range []string{w.mor, w.far} {
		c := &liveclient.Client{URL: w.app.URL, Agree: w.parents.ID, Token: tok, ID: "tab" + strconv.Itoa(i)}
		if err := c.Connect(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		tabs = append(tabs, c)
	}

	var restored agreements.Clause
	w.app.Must(http.StatusOK, "POST", clausePath(w.parents, cl, "/restore"), w.a.Facilitator, map[string]any{"rev": 1}, &restored)
	if restored.Body != "Start." || restored.Rev != 3 {
		t.Fatalf("restored %+v", restored)
	}
	for _, c := range tabs {
		if !c.Wait(10*time.Second, func() bool { return c.Rev(cl) == 3 && c.Text(cl) == "Start." }) {
			t.Fatalf("%s has %q at %d", c.ID, c.Text(cl), c.Rev(cl))
		}
	}

	// An edit Far made on revision 2, before he saw the restore, is rebased past it.
	far, err := w.app.Service.Authenticate(context.Background(), w.far)
	if err != nil {
		t.Fatal(err)
	}
	late := insertAt(ot.Len("Start. Far skrev mere her."), ot.Len("Start. Far skrev mere her."), " (Far)")
	if _, err := w.app.Service.ApplyOp(context.Background(), far, w.parents.ID, agreements.OpRequest{Clause: cl, Rev: 2, Op: late}); err != nil {
		t.Fatal(err)
	}
	for _, c := range tabs {
		if !c.Wait(10*time.Second, func() bool { return c.Rev(cl) == 4 }) || c.Text(cl) != "Start. (Far)" {
			t.Fatalf("%s has %q at %d", c.ID, c.Text(cl), c.Rev(cl))
		}
	}
	if ag := getAgreement(t, w.app, w.parents.ID, w.mor); ag.Clause(cl).Body != "Start. (Far)" {
		t.Errorf("the server has %q", ag.Clause(cl).Body)
	}
	h := readHistory(t, w.app, w.parents, cl, w.mor)
	if h.Authors[1].Member.Name != "Lærer" || h.Entries[1].FromRev != 2 || h.Entries[1].Rev != 3 {
		t.Errorf("the restore in the history: %+v %+v", h.Authors, h.Entries)
	}

	// Restoring the text a clause already has makes no revision.
	w.app.Must(http.StatusOK, "POST", clausePath(w.parents, cl, "/restore"), w.a.Facilitator, map[string]any{"rev": 4}, &restored)
	if restored.Rev != 4 {
		t.Errorf("a restore to the current text made revision %d", restored.Rev)
	}
}

func insertAt(n, pos int, s string) ot.Op {
	var op ot.Op
	op.Retain(pos).Insert(s).Retain(n - pos)
	return op
}

// A locked clause refuses every change from anyone but the facilitator, over HTTP and live,
// with a clear error, and changes nothing; the facilitator unlocks it again.
func TestLockedClauseRefusesOthers(t *testing.T) {
	w := newHistoryWorld(t)
	cl, param := w.parents.Clauses[0], w.parents.Clauses[1] // photos.consent, evenings.messages
	seen := make(chan map[string]any, 16)
	watcher := &liveclient.Client{URL: w.app.URL, Agree: w.parents.ID, Token: w.far, ID: "watch",
		Hooks: liveclient.Hooks{Other: func(m map[string]any) { offer(seen, m) }}}
	if err := watcher.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(watcher.Close)

	for _, id := range []string{cl.ID, param.ID} {
		var out agreements.Clause
		w.app.Must(http.StatusOK, "PUT", clausePath(w.parents, id, "/lock"), w.a.Facilitator, nil, &out)
		if !out.Locked {
			t.Fatalf("locked %+v", out)
		}
	}
	if m := waitFor(t, seen, "clause"); !m["clause"].(map[string]any)["locked"].(bool) {
		t.Errorf("the room heard %v", m)
	}
	if ag := getAgreement(t, w.app, w.parents.ID, w.mor); !ag.Clause(cl.ID).Locked {
		t.Error("the agreement does not show the lock")
	}

	before := w.app.Snapshot()
	r := w.app.Do("PUT", clausePath(w.parents, cl.ID, ""), w.mor, map[string]any{"body": "Mor vil ændre", "base_rev": 0})
	wantError(t, r, http.StatusConflict, "clause.locked")
	r = w.app.Do("PUT", clausePath(w.parents, param.ID, ""), w.mor, map[string]any{"value": "19:00", "base_rev": 0})
	wantError(t, r, http.StatusConflict, "clause.locked")

	errs := make(chan map[string]any, 8)
	mor := &liveclient.Client{URL: w.app.URL, Agree: w.parents.ID, Token: w.mor, ID: "mor",
		Hooks: liveclient.Hooks{Other: func(m map[string]any) {
			if m["type"] == "error" {
				offer(errs, m)
			}
		}}}
	if err := mor.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mor.Close)
	if _, err := mor.EditFunc(cl.ID, func(text string) ot.Op { return insertAt(ot.Len(text), 0, "Mor: ") }); err != nil {
		t.Fatal(err)
	}
	for _, msg := range []string{
		`{"type":"clause.title","clause":"` + cl.ID + `","title":"Ny titel"}`,
		`{"type":"clause.value","clause":"` + param.ID + `","value":"19:00"}`,
	} {
		if err := mor.SendRaw([]byte(msg)); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		e := waitFor(t, errs, "error")
		if e["code"] != "clause.locked" || e["message"] == "" {
			t.Errorf("live refusal %v", e)
		}
	}
	if w.app.Snapshot() != before {
		t.Error("a refused change to a locked clause changed the database")
	}

	// The facilitator still writes in it, and unlocks it for the others.
	editBody(t, w.app, w.parents, cl.ID, w.a.Facilitator, map[string]any{"body": "Mødelederens tekst."})
	var out agreements.Clause
	w.app.Must(http.StatusOK, "DELETE", clausePath(w.parents, cl.ID, "/lock"), w.a.Facilitator, nil, &out)
	if out.Locked {
		t.Fatalf("unlocked %+v", out)
	}
	editBody(t, w.app, w.parents, cl.ID, w.mor, map[string]any{"body": "Mor må igen."})
}

// offer passes a message on without blocking the client that heard it.
func offer(ch chan map[string]any, m map[string]any) {
	select {
	case ch <- m:
	default:
	}
}

func waitFor(t *testing.T, ch chan map[string]any, typ string) map[string]any {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case m := <-ch:
			if m["type"] == typ {
				return m
			}
		case <-timeout:
			t.Fatalf("no %s message", typ)
		}
	}
}

// Every role against every history, restore and lock route: only the class's facilitator
// restores and locks; whoever may see the agreement reads who changed it; nobody reads another
// class's clause through their own agreement. Nothing refused changes anything.
func TestHistoryRefusals(t *testing.T) {
	w := newHistoryWorld(t)
	cl, pcl := w.parents.Clauses[0], w.pupils.Clauses[0]
	editBody(t, w.app, w.parents, cl.ID, w.mor, map[string]any{"body": "Klasse A's hemmelige tekst."})
	before := w.app.Snapshot()
	type tc struct {
		name, token, method, path string
		body                      any
		status                    int
		code                      string
	}
	hist, ver, restore, lock := clausePath(w.parents, cl.ID, "/history"), clausePath(w.parents, cl.ID, "/history/1"),
		clausePath(w.parents, cl.ID, "/restore"), clausePath(w.parents, cl.ID, "/lock")
	rev1 := map[string]any{"rev": 1}
	cases := []tc{
		{"no token reads the history", "", "GET", hist, nil, 401, "auth.required"},
		{"no token locks", "", "PUT", lock, nil, 401, "auth.required"},
		{"a pupil reads the parents' history", w.pupil, "GET", hist, nil, 403, "auth.forbidden"},
		{"a parent of another class reads it", w.parentB, "GET", hist, nil, 403, "auth.forbidden"},
		{"another class's facilitator reads it", w.b.Facilitator, "GET", hist, nil, 403, "auth.forbidden"},
		{"the school's admin reads it", w.school.Token, "GET", hist, nil, 403, "auth.forbidden"},
		{"a board member reads it", w.board, "GET", hist, nil, 403, "auth.forbidden"},
		{"another class's facilitator, through their own agreement", w.b.Facilitator, "GET", clausePath(w.agB, cl.ID, "/history"), nil, 404, "clause.unknown"},
		{"another class's facilitator reads a text through their own agreement", w.b.Facilitator, "GET", clausePath(w.agB, cl.ID, "/history/1"), nil, 404, "clause.unknown"},
		{"another class's facilitator restores through their own agreement", w.b.Facilitator, "POST", clausePath(w.agB, cl.ID, "/restore"), rev1, 404, "clause.unknown"},
		{"a parent reads an earlier text", w.mor, "GET", ver, nil, 403, "auth.forbidden"},
		{"a pupil reads an earlier text of the pupils' agreement", w.pupil, "GET", clausePath(w.pupils, pcl.ID, "/history/0"), nil, 403, "auth.forbidden"},
		{"a parent restores", w.mor, "POST", restore, rev1, 403, "auth.forbidden"},
		{"a pupil restores in the pupils' agreement", w.pupil, "POST", clausePath(w.pupils, pcl.ID, "/restore"), map[string]any{"rev": 0}, 403, "auth.forbidden"},
		{"the school's admin restores", w.school.Token, "POST", restore, rev1, 403, "auth.forbidden"},
		{"a board member restores", w.board, "POST", restore, rev1, 403, "auth.forbidden"},
		{"a parent locks", w.mor, "PUT", lock, nil, 403, "auth.forbidden"},
		{"a parent unlocks", w.mor, "DELETE", lock, nil, 403, "auth.forbidden"},
		{"a pupil locks in the pupils' agreement", w.pupil, "PUT", clausePath(w.pupils, pcl.ID, "/lock"), nil, 403, "auth.forbidden"},
		{"another class's facilitator locks", w.b.Facilitator, "PUT", lock, nil, 403, "auth.forbidden"},
		{"the school's admin locks", w.school.Token, "PUT", lock, nil, 403, "auth.forbidden"},
		{"a board member locks", w.board, "PUT", lock, nil, 403, "auth.forbidden"},
		{"a revision that is no number", w.a.Facilitator, "GET", clausePath(w.parents, cl.ID, "/history/x"), nil, 400, "request.malformed"},
		{"a revision below 0", w.a.Facilitator, "GET", clausePath(w.parents, cl.ID, "/history/-1"), nil, 404, "clause.rev_unknown"},
		{"a revision not made yet", w.a.Facilitator, "GET", clausePath(w.parents, cl.ID, "/history/9"), nil, 404, "clause.rev_unknown"},
		{"a restore to a revision not made yet", w.a.Facilitator, "POST", restore, map[string]any{"rev": 9}, 404, "clause.rev_unknown"},
		{"a restore without a revision", w.a.Facilitator, "POST", restore, map[string]any{}, 400, "request.malformed"},
		{"a restore with a revision as text", w.a.Facilitator, "POST", restore, `{"rev":"1"}`, 400, "request.malformed"},
		{"a restore without a body", w.a.Facilitator, "POST", restore, nil, 400, "request.malformed"},
		{"an unknown clause", w.a.Facilitator, "PUT", clausePath(w.parents, "nosuchclause", "/lock"), nil, 404, "clause.unknown"},
		{"an unknown agreement", w.a.Facilitator, "GET", clausePath(agreements.Agreement{ID: "nosuchagreem"}, cl.ID, "/history"), nil, 404, "not_found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := w.app.Do(c.method, c.path, c.token, c.body)
			wantError(t, r, c.status, c.code)
			if strings.Contains(string(r.Body), "hemmelige") {
				t.Errorf("the refusal leaks class A's text: %s", r.Body)
			}
		})
	}
	if w.app.Snapshot() != before {
		t.Error("a refused request changed the database")
	}

	// Everyone who may see an agreement reads who changed its clauses.
	for _, tok := range []string{w.mor, w.far, w.a.Facilitator} {
		readHistory(t, w.app, w.parents, cl.ID, tok)
	}
	readHistory(t, w.app, w.pupils, pcl.ID, w.pupil)
}

// While the agreement is not a draft nothing can be restored or locked; once it is published its
// log is gone, and the history says so.
func TestHistoryAfterDrafting(t *testing.T) {
	w := newHistoryWorld(t)
	cl := w.parents.Clauses[0].ID
	editBody(t, w.app, w.parents, cl, w.mor, map[string]any{"body": "Vi spørger."})
	w.app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+w.parents.ID+"/voting", w.a.Facilitator,
		map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)
	wantError(t, w.app.Do("POST", clausePath(w.parents, cl, "/restore"), w.a.Facilitator, map[string]any{"rev": 0}), 409, "agreement.not_draft")
	wantError(t, w.app.Do("PUT", clausePath(w.parents, cl, "/lock"), w.a.Facilitator, nil), 409, "agreement.not_draft")
	if h := readHistory(t, w.app, w.parents, cl, w.mor); !h.Kept || len(h.Entries) != 1 {
		t.Errorf("during the vote the history is %+v", h)
	}
	for _, tok := range []string{w.mor, w.far} {
		ag := getAgreement(t, w.app, w.parents.ID, tok)
		for _, c := range ag.Clauses {
			w.app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+w.parents.ID+"/votes", tok, map[string]any{"clause_id": c.ID, "choice": "yes"}, nil)
		}
	}
	w.app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+w.parents.ID+"/close", w.a.Facilitator, nil, nil)
	w.app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+w.parents.ID+"/publish", w.a.Facilitator, nil, nil)
	h := readHistory(t, w.app, w.parents, cl, w.mor)
	if h.Kept || h.Texts || len(h.Entries) != 0 || len(h.Authors) != 0 {
		t.Errorf("after publishing the history is %+v", h)
	}
	wantError(t, w.app.Do("GET", clausePath(w.parents, cl, "/history/0"), w.a.Facilitator, nil), 409, "clause.history_gone")
}
