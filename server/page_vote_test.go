package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"klasseaftale/internal/apptest"
)

// Without JavaScript a clause's form on the ballot posts as a plain form: the vote is cast as
// through the API and the page comes back at the clause; a closed vote is refused in words and
// nothing changes; a stranger's post changes nothing.
func TestBallotWithoutScript(t *testing.T) {
	app := apptest.New(t)
	class := app.NewClass("4.B", 4)
	_, tok := app.Join(class.ParentCode, "Mor til Ida", "Ida")
	draft := app.NewAgreement(class, "parents", "first-smartphone", "photos")
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+draft.ID+"/voting", class.Facilitator,
		map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)
	age := draft.Clauses[0].ID
	form := func(v url.Values) string { return v.Encode() }
	post := func(token string, body string) reply {
		return fetch(t, app, "POST", "/a/"+draft.ID+"/votes?lang=da", body, session(token),
			"Content-Type: application/x-www-form-urlencoded", "Origin: "+app.URL)
	}

	res := post(tok, form(url.Values{"clause_id": {age}, "choice": {"no_but"}, "value": {"14"}, "reason": {"Først i 7."}}))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/a/"+draft.ID+"#clause-"+age {
		t.Fatalf("the ballot's form: %d to %q\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	page := fetch(t, app, "GET", "/a/"+draft.ID+"?lang=da", "", session(tok))
	for _, want := range []string{`value="no_but" checked`, `value="14" selected`, "Først i 7.", "1 af 2 besvaret", `data-state="saved"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("after the plain form the ballot lacks %q", want)
		}
	}

	before := app.Snapshot()
	if res := post("", form(url.Values{"clause_id": {age}, "choice": {"yes"}})); res.StatusCode < 400 {
		t.Errorf("a post without a session: %d", res.StatusCode)
	}
	if res := post(tok, form(url.Values{"clause_id": {age}, "choice": {"maybe"}})); res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusBadRequest {
		t.Errorf("an unknown answer: %d", res.StatusCode)
	}
	if app.Snapshot() != before {
		t.Error("a refused post changed the database")
	}
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+draft.ID+"/close", class.Facilitator, nil, nil)
	before = app.Snapshot()
	res = post(tok, form(url.Values{"clause_id": {age}, "choice": {"yes"}}))
	if res.StatusCode < 400 || !strings.Contains(res.Body, "Afstemningen er slut") {
		t.Errorf("a vote after the close: %d\n%s", res.StatusCode, res.Body)
	}
	if after := app.Snapshot(); after != before {
		t.Error("a refused vote changed the database")
	}
}
