package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
	"klasseaftale/internal/liveclient"
)

// Leaving a class and removing a member: the membership, and the household when it is left
// empty, are deleted at once with its votes, signatures and answers; the token stops working
// and live connections are closed. One member can never remove another but the facilitator.

func memberPath(classID, memberID string) string {
	return "/api/v1/classes/" + classID + "/members/" + memberID
}

// leave removes a member as the holder of tok and returns the answer.
func leave(t *testing.T, app *apptest.App, classID, memberID, tok string) agreements.Departure {
	t.Helper()
	var out agreements.Departure
	app.Must(http.StatusOK, "DELETE", memberPath(classID, memberID), tok, nil, &out)
	return out
}

// rowsWith counts the database's rows, in every table, that contain s.
func rowsWith(app *apptest.App, s string) int {
	n := 0
	for _, line := range strings.Split(app.Snapshot(), "\n") {
		if strings.Contains(line, s) {
			n++
		}
	}
	return n
}

// A parent of a household of two leaves: their membership goes, the household and its vote,
// signature and check-in answer stay for the other parent. When the other parent leaves too,
// the household goes with all of it.
func TestParentsLeave(t *testing.T) {
	app := apptest.New(t)
	c, a, _ := publishedAgreement(t, app, 5, "photos")
	mor, morTok := app.Join(c.ParentCode, "Mor Leavesen", "Barn1") // household 0's second parent
	for _, tok := range c.parents {
		app.Must(http.StatusOK, "POST", votePath(a.ID, "signatures"), tok, map[string]any{"min_percent": 0}, nil)
	}
	app.Must(http.StatusCreated, "POST", votePath(a.ID, "checkins/open"), c.Facilitator, nil, nil)
	app.Must(http.StatusOK, "POST", votePath(a.ID, "checkins"), morTok, map[string]any{"answer": "partly", "comment": "Kommentar fra Barn1s familie"}, nil)
	// A second agreement in an open vote, on which household 0 has voted.
	open := app.NewAgreement(c.Class, "parents", "evenings")
	openVote(t, app, c.Class, open.ID, rules(0, 50))
	castVote(t, app, open.ID, morTok, open.Clauses[0].ID, map[string]any{"choice": "no_but", "reason": "Grund fra Barn1s familie"})
	castVote(t, app, open.ID, c.parents[1], open.Clauses[0].ID, choice("yes"))

	// The first parent of household 0 leaves; Mor stays.
	if got := leave(t, app, c.ID, "me", c.parents[0]); got.MemberID != c.households[0].ID || got.HouseholdDeleted {
		t.Errorf("the first parent left: %+v", got)
	}
	wantError(t, app.Do("GET", "/api/v1/classes/"+c.ID, c.parents[0], nil), http.StatusUnauthorized, "auth.required")
	if com, mine := signatures(t, app, a.ID, morTok); com.Signed != 5 || mine == nil {
		t.Errorf("with one parent left the household's signature stays: %+v, mine %v", com, mine)
	}
	if votes := myVotes(t, app, open.ID, morTok); len(votes) != 1 || votes[0].Answer != "no_but" {
		t.Errorf("with one parent left the household's vote stays: %+v", votes)
	}
	if rowsWith(app, "Forælder 1") != 0 {
		t.Errorf("the first parent's name is still in the database")
	}

	// Mor leaves too: the household goes, with its vote, signature and check-in answer.
	before := results(t, app, open.ID, c.Facilitator)
	if got := leave(t, app, c.ID, mor.ID, morTok); !got.HouseholdDeleted {
		t.Errorf("the last parent left: %+v", got)
	}
	wantError(t, app.Do("GET", votePath(a.ID, "signatures"), morTok, nil), http.StatusUnauthorized, "auth.required")
	if com, _ := signatures(t, app, a.ID, c.parents[1]); com.Signed != 4 || com.Households != 4 {
		t.Errorf("the commitment after the household left: %+v", com)
	}
	after := results(t, app, open.ID, c.Facilitator)
	if before.Voted != 2 || after.Voted != 1 || after.Electorate != 4 {
		t.Errorf("the open vote: voted %d → %d of %d", before.Voted, after.Voted, after.Electorate)
	}
	var view agreements.ClassView
	app.Must(http.StatusOK, "GET", "/api/v1/classes/"+c.ID, c.Facilitator, nil, &view)
	for _, h := range view.Households {
		if h.ChildName == "Barn1" {
			t.Errorf("the household is still in the class: %+v", view.Households)
		}
	}
	for _, s := range []string{"Barn1", "Mor Leavesen", "Grund fra Barn1s familie", "Kommentar fra Barn1s familie", c.households[0].HouseholdID} {
		if n := rowsWith(app, s); n != 0 {
			t.Errorf("%q is still in %d rows", s, n)
		}
	}
	if got := myVotes(t, app, open.ID, c.parents[1]); len(got) != 1 || got[0].Answer != "yes" {
		t.Errorf("another household's vote was touched: %+v", got)
	}
	if got := myVotes(t, app, a.ID, c.parents[1]); len(got) != 0 {
		t.Errorf("household 1 has votes it never cast: %+v", got)
	}
}

// A pupil leaves: their votes and signature go with them.
func TestPupilLeaves(t *testing.T) {
	w := newWorld(t)
	app := w.app
	app.Join(w.a.PupilCode, "Sofie", "")
	openVote(t, app, w.a, w.pupils.ID, rules(0, 50))
	castVote(t, app, w.pupils.ID, w.pupil, w.pupils.Clauses[0].ID, map[string]any{"choice": "yes_but", "reason": "Pupilreason"})
	var me struct {
		Member agreements.Member `json:"member"`
	}
	app.Must(http.StatusOK, "GET", "/api/v1/me", w.pupil, nil, &me)
	leave(t, app, w.a.ID, me.Member.ID, w.pupil)
	if r := results(t, app, w.pupils.ID, w.a.Facilitator); r.Voted != 0 || r.Electorate != 1 {
		t.Errorf("after the pupil left: %+v", r)
	}
	for _, s := range []string{"Kalle", "Pupilreason", me.Member.ID} {
		if n := rowsWith(app, s); n != 0 {
			t.Errorf("%q is still in %d rows", s, n)
		}
	}
}

// The facilitator removes a parent and a pupil; the removed lose access at once, in the API and
// on their open live connection.
func TestFacilitatorRemovesMembers(t *testing.T) {
	w := newWorld(t)
	app := w.app
	var view agreements.ClassView
	app.Must(http.StatusOK, "GET", "/api/v1/classes/"+w.a.ID, w.a.Facilitator, nil, &view)
	ids := map[string]string{}
	for _, m := range view.Members {
		ids[m.Name] = m.ID
	}
	// Mor edits a clause: the edit log names her until she is removed.
	cl := w.parents.Clauses[0]
	app.Must(http.StatusOK, "PUT", votePath(w.parents.ID, "clauses/"+cl.ID), w.parent, map[string]any{"body": "Mors tekst.", "base_rev": cl.Rev}, nil)
	if rowsWith(app, ids["Mor til Ida"]) < 2 {
		t.Fatal("the edit log does not name the editor: the check below would prove nothing")
	}
	tab := &liveclient.Client{URL: app.URL, Agree: w.parents.ID, Token: w.parent, ID: "mors-telefon"}
	if err := tab.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer tab.Close()

	if got := leave(t, app, w.a.ID, ids["Mor til Ida"], w.a.Facilitator); !got.HouseholdDeleted {
		t.Errorf("removing the only parent of Ida: %+v", got)
	}
	select {
	case <-tab.Closed():
	case <-time.After(10 * time.Second):
		t.Error("the removed parent's live connection is still open")
	}
	wantError(t, app.Do("GET", "/api/v1/agreements/"+w.parents.ID, w.parent, nil), http.StatusUnauthorized, "auth.required")
	if n := rowsWith(app, ids["Mor til Ida"]); n != 0 {
		t.Errorf("the removed parent's ID is still in %d rows", n)
	}
	if got := getAgreement(t, app, w.parents.ID, w.a.Facilitator); got.Clauses[0].Body != "Mors tekst." {
		t.Errorf("what she wrote is gone: %q", got.Clauses[0].Body)
	}
	if r := fetch(t, app, "GET", "/c/"+w.a.ID, "", session(w.parent)); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("the removed parent's class page: %d", r.StatusCode)
	}
	leave(t, app, w.a.ID, ids["Kalle"], w.a.Facilitator)
	wantError(t, app.Do("GET", "/api/v1/classes/"+w.a.ID, w.pupil, nil), http.StatusUnauthorized, "auth.required")
	// The others are untouched.
	app.Must(http.StatusOK, "GET", "/api/v1/classes/"+w.a.ID, w.parent2, nil, nil)
	app.Must(http.StatusOK, "GET", "/api/v1/classes/"+w.b.ID, w.parentB, nil, nil)
}

// Who may not remove whom, and what cannot be removed; every refusal changes nothing.
func TestRemoveMemberRefusals(t *testing.T) {
	w := newWorld(t)
	app := w.app
	var view, viewB agreements.ClassView
	app.Must(http.StatusOK, "GET", "/api/v1/classes/"+w.a.ID, w.a.Facilitator, nil, &view)
	app.Must(http.StatusOK, "GET", "/api/v1/classes/"+w.b.ID, w.b.Facilitator, nil, &viewB)
	ids := map[string]string{}
	for _, m := range append(view.Members, viewB.Members...) {
		ids[m.ClassID+"/"+m.Name] = m.ID
	}
	omar, kalle, alma := ids[w.a.ID+"/Far til Omar"], ids[w.a.ID+"/Kalle"], ids[w.b.ID+"/Mor til Alma"]
	facA := ids[w.a.ID+"/Lærer"]
	cases := []badCase{
		{"no token", "", "DELETE", memberPath(w.a.ID, omar), nil, nil, 401, "auth.required"},
		{"a parent removes another parent", w.parent, "DELETE", memberPath(w.a.ID, omar), nil, nil, 403, "auth.forbidden"},
		{"a pupil removes a parent", w.pupil, "DELETE", memberPath(w.a.ID, omar), nil, nil, 403, "auth.forbidden"},
		{"a parent removes the facilitator", w.parent, "DELETE", memberPath(w.a.ID, facA), nil, nil, 403, "auth.forbidden"},
		{"another class's parent", w.parentB, "DELETE", memberPath(w.a.ID, kalle), nil, nil, 403, "auth.forbidden"},
		{"another class's facilitator", w.b.Facilitator, "DELETE", memberPath(w.a.ID, kalle), nil, nil, 403, "auth.forbidden"},
		{"a member of another class, through one's own", w.a.Facilitator, "DELETE", memberPath(w.a.ID, alma), nil, nil, 404, "member.unknown"},
		{"an unknown member", w.a.Facilitator, "DELETE", memberPath(w.a.ID, "aaaaaaaaaaaa"), nil, nil, 404, "member.unknown"},
		{"the last facilitator leaves", w.a.Facilitator, "DELETE", memberPath(w.a.ID, "me"), nil, nil, 409, "member.last_facilitator"},
		{"the last facilitator, by ID", w.a.Facilitator, "DELETE", memberPath(w.a.ID, facA), nil, nil, 409, "member.last_facilitator"},
		{"a school's admin", w.school.Token, "DELETE", memberPath(w.a.ID, omar), nil, nil, 403, "auth.forbidden"},
	}
	runBad(t, app, cases)
}

// Leaving from a browser ends the session cookie too.
func TestLeavingEndsTheSession(t *testing.T) {
	app := apptest.New(t)
	c := app.NewClass("3.B", 3)
	_, tok := app.Join(c.ParentCode, "Far", "Alma")
	r := fetch(t, app, "DELETE", memberPath(c.ID, "me"), "", session(tok), "Sec-Fetch-Site: same-origin")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("%d %s", r.StatusCode, r.Body)
	}
	if ck := cookie(r, "ka_session"); ck == nil || ck.MaxAge >= 0 {
		t.Errorf("the session cookie is not deleted: %+v", ck)
	}
}
