package server_test

import (
	"fmt"
	"net/http"
	"testing"

	"klasseaftale/internal/apptest"
	"klasseaftale/server"
)

// The refusals: who may not do what, and that a refused request changes nothing.

// call is one request of a refusal table.
type call struct {
	method, path string
	body         any
}

// authRoutes lists every API route that needs a token, with a body it would accept.
func authRoutes(w *world) []call {
	a, cid := w.parents.ID, w.parents.Clauses[0].ID
	return []call{
		{"GET", "/api/v1/me", nil},
		{"GET", "/api/v1/schools/" + w.school.ID, nil},
		{"PUT", "/api/v1/schools/" + w.school.ID + "/help", map[string]any{"contact": "x"}},
		{"GET", "/api/v1/classes/" + w.a.ID, nil},
		{"POST", "/api/v1/classes/" + w.a.ID + "/codes/parent/rotate", nil},
		{"POST", "/api/v1/classes/" + w.a.ID + "/agreements", map[string]any{"kind": "parents", "templates": []string{"photos"}, "lang": "da"}},
		{"GET", "/api/v1/agreements/" + a, nil},
		{"POST", "/api/v1/agreements/" + a + "/clauses", map[string]any{"title": "x", "body": "y"}},
		{"PUT", "/api/v1/agreements/" + a + "/clauses/" + cid, map[string]any{"body": "y", "base_rev": 0}},
		{"DELETE", "/api/v1/agreements/" + a + "/clauses/" + cid, nil},
		{"POST", "/api/v1/agreements/" + a + "/clauses/" + cid + "/move", map[string]any{"after": ""}},
		{"POST", "/api/v1/agreements/" + a + "/publish", nil},
	}
}

func TestNoTokenIs401(t *testing.T) {
	w := newWorld(t)
	before := w.app.Snapshot()
	credentials := []struct {
		name    string
		token   string
		headers []string
	}{
		{"no token", "", nil},
		{"an unknown Bearer token", "not-a-token-of-ours", nil},
		{"an unknown session cookie", "", []string{session("not-a-token-of-ours")}},
		{"an empty Bearer", "", []string{"Authorization: Bearer "}},
	}
	for _, cr := range credentials {
		for _, rt := range authRoutes(w) {
			t.Run(cr.name+" "+rt.method+" "+rt.path, func(t *testing.T) {
				wantError(t, w.app.Do(rt.method, rt.path, cr.token, rt.body, cr.headers...), http.StatusUnauthorized, "auth.required")
			})
		}
	}
	if w.app.Snapshot() != before {
		t.Error("a request without a valid token changed the database")
	}
}

func TestRoleRefusals(t *testing.T) {
	w := newWorld(t)
	a, pa, pb := w.a.ID, w.parents, w.parentsB
	cl, clB := pa.Clauses[0], pb.Clauses[0]
	edit := map[string]any{"body": "Ændret", "base_rev": cl.Rev}
	newAgreement := map[string]any{"kind": "parents", "templates": []string{"photos"}, "lang": "da"}
	cases := []struct {
		name  string
		token string
		call
	}{
		// A parent may edit text, not lead.
		{"parent publishes", w.parent, call{"POST", "/api/v1/agreements/" + pa.ID + "/publish", nil}},
		{"parent removes a clause", w.parent, call{"DELETE", "/api/v1/agreements/" + pa.ID + "/clauses/" + cl.ID, nil}},
		{"parent moves a clause", w.parent, call{"POST", "/api/v1/agreements/" + pa.ID + "/clauses/" + cl.ID + "/move", map[string]any{"after": ""}}},
		{"parent creates an agreement", w.parent, call{"POST", "/api/v1/classes/" + a + "/agreements", newAgreement}},
		{"parent rotates the parent code", w.parent, call{"POST", "/api/v1/classes/" + a + "/codes/parent/rotate", nil}},
		{"parent rotates the pupil code", w.parent, call{"POST", "/api/v1/classes/" + a + "/codes/pupil/rotate", nil}},
		{"parent reads the pupils' agreement", w.parent, call{"GET", "/api/v1/agreements/" + w.pupils.ID, nil}},
		{"parent edits the pupils' agreement", w.parent, call{"PUT", "/api/v1/agreements/" + w.pupils.ID + "/clauses/" + w.pupils.Clauses[0].ID,
			map[string]any{"body": "x", "base_rev": 0}}},
		// A pupil has the pupils' agreement only.
		{"pupil reads the parents' agreement", w.pupil, call{"GET", "/api/v1/agreements/" + pa.ID, nil}},
		{"pupil edits the parents' agreement", w.pupil, call{"PUT", "/api/v1/agreements/" + pa.ID + "/clauses/" + cl.ID, edit}},
		{"pupil adds to the parents' agreement", w.pupil, call{"POST", "/api/v1/agreements/" + pa.ID + "/clauses", map[string]any{"title": "x"}}},
		{"pupil publishes the pupils' agreement", w.pupil, call{"POST", "/api/v1/agreements/" + w.pupils.ID + "/publish", nil}},
		{"pupil rotates a code", w.pupil, call{"POST", "/api/v1/classes/" + a + "/codes/pupil/rotate", nil}},
		// Class A's people cannot reach class B.
		{"facilitator of A reads class B", w.a.Facilitator, call{"GET", "/api/v1/classes/" + w.b.ID, nil}},
		{"facilitator of A reads B's agreement", w.a.Facilitator, call{"GET", "/api/v1/agreements/" + pb.ID, nil}},
		{"facilitator of A edits B's agreement", w.a.Facilitator, call{"PUT", "/api/v1/agreements/" + pb.ID + "/clauses/" + clB.ID,
			map[string]any{"body": "x", "base_rev": clB.Rev}}},
		{"facilitator of A adds to B's agreement", w.a.Facilitator, call{"POST", "/api/v1/agreements/" + pb.ID + "/clauses", map[string]any{"title": "x"}}},
		{"facilitator of A removes from B's agreement", w.a.Facilitator, call{"DELETE", "/api/v1/agreements/" + pb.ID + "/clauses/" + clB.ID, nil}},
		{"facilitator of A moves in B's agreement", w.a.Facilitator, call{"POST", "/api/v1/agreements/" + pb.ID + "/clauses/" + clB.ID + "/move", map[string]any{"after": ""}}},
		{"facilitator of A publishes B's agreement", w.a.Facilitator, call{"POST", "/api/v1/agreements/" + pb.ID + "/publish", nil}},
		{"facilitator of A starts an agreement in B", w.a.Facilitator, call{"POST", "/api/v1/classes/" + w.b.ID + "/agreements", newAgreement}},
		{"facilitator of A rotates B's code", w.a.Facilitator, call{"POST", "/api/v1/classes/" + w.b.ID + "/codes/parent/rotate", nil}},
		{"parent of A reads class B", w.parent, call{"GET", "/api/v1/classes/" + w.b.ID, nil}},
		{"parent of A reads B's agreement", w.parent, call{"GET", "/api/v1/agreements/" + pb.ID, nil}},
		{"parent of A edits B's agreement", w.parent, call{"PUT", "/api/v1/agreements/" + pb.ID + "/clauses/" + clB.ID,
			map[string]any{"body": "x", "base_rev": clB.Rev}}},
		{"parent of B reads A's agreement", w.parentB, call{"GET", "/api/v1/agreements/" + pa.ID, nil}},
		// Schools: an admin has their own school only; class members have none.
		{"school admin reads another school", w.school.Token, call{"GET", "/api/v1/schools/" + w.otherSchool.ID, nil}},
		{"school admin sets another school's help", w.school.Token, call{"PUT", "/api/v1/schools/" + w.otherSchool.ID + "/help", map[string]any{"contact": "x"}}},
		{"school admin reads a class", w.school.Token, call{"GET", "/api/v1/classes/" + a, nil}},
		{"school admin reads an agreement", w.school.Token, call{"GET", "/api/v1/agreements/" + pa.ID, nil}},
		{"school admin edits an agreement", w.school.Token, call{"PUT", "/api/v1/agreements/" + pa.ID + "/clauses/" + cl.ID, edit}},
		{"facilitator reads a school", w.a.Facilitator, call{"GET", "/api/v1/schools/" + w.school.ID, nil}},
		{"facilitator sets a school's help", w.a.Facilitator, call{"PUT", "/api/v1/schools/" + w.school.ID + "/help", map[string]any{"contact": "x"}}},
		{"parent reads a school", w.parent, call{"GET", "/api/v1/schools/" + w.school.ID, nil}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := w.app.Snapshot()
			wantError(t, w.app.Do(tc.method, tc.path, tc.token, tc.body), http.StatusForbidden, "auth.forbidden")
			if w.app.Snapshot() != before {
				t.Error("the refused request changed the database")
			}
		})
	}
}

func TestPublishedAgreementCannotChange(t *testing.T) {
	w := newWorld(t)
	pa := w.parents
	cl := pa.Clauses[0]
	w.app.Adopt(w.a, pa.ID, w.parent)
	w.app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+pa.ID+"/publish", w.a.Facilitator, nil, nil)
	cases := []struct {
		name  string
		token string
		call
		code string
	}{
		{"parent edits the text", w.parent, call{"PUT", "/api/v1/agreements/" + pa.ID + "/clauses/" + cl.ID, map[string]any{"body": "x", "base_rev": cl.Rev}}, "agreement.not_draft"},
		{"parent sets a value", w.parent, call{"PUT", "/api/v1/agreements/" + pa.ID + "/clauses/" + cl.ID, map[string]any{"value": "12", "base_rev": cl.Rev}}, "agreement.not_draft"},
		{"parent adds a clause", w.parent, call{"POST", "/api/v1/agreements/" + pa.ID + "/clauses", map[string]any{"title": "x"}}, "agreement.not_draft"},
		{"facilitator removes a clause", w.a.Facilitator, call{"DELETE", "/api/v1/agreements/" + pa.ID + "/clauses/" + cl.ID, nil}, "agreement.not_draft"},
		{"facilitator moves a clause", w.a.Facilitator, call{"POST", "/api/v1/agreements/" + pa.ID + "/clauses/" + cl.ID + "/move", map[string]any{"after": nil}}, "agreement.not_draft"},
		{"facilitator publishes again", w.a.Facilitator, call{"POST", "/api/v1/agreements/" + pa.ID + "/publish", nil}, "agreement.not_adopted"},
		{"facilitator opens a vote again", w.a.Facilitator, call{"POST", "/api/v1/agreements/" + pa.ID + "/voting", map[string]any{"quorum_percent": 0, "threshold_percent": 50}}, "agreement.not_draft"},
		{"parent votes after publishing", w.parent, call{"PUT", "/api/v1/agreements/" + pa.ID + "/votes", map[string]any{"clause_id": cl.ID, "choice": "no"}}, "agreement.not_draft"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := w.app.Snapshot()
			wantError(t, w.app.Do(tc.method, tc.path, tc.token, tc.body), http.StatusConflict, tc.code)
			if w.app.Snapshot() != before {
				t.Error("the refused request changed the database")
			}
		})
	}
}

// The cross-origin guard refuses a browser's state-changing request from another site, with a
// valid token and all, and lets API clients (which send neither header) through.
func TestCrossOriginRequestsAreRefused(t *testing.T) {
	w := newWorld(t)
	evil := []string{"Origin: https://evil.example", "Sec-Fetch-Site: cross-site"}
	cases := []struct {
		name    string
		token   string
		headers []string
		call
	}{
		{"join", "", evil, call{"POST", "/api/v1/join", map[string]any{"code": w.a.ParentCode, "name": "Ond", "household": "Ida"}}},
		{"create a class", "", evil, call{"POST", "/api/v1/classes", map[string]any{"name": "X", "grade": 4}}},
		{"edit a clause with a session cookie", "", append([]string{session(w.parent)}, evil...),
			call{"PUT", "/api/v1/agreements/" + w.parents.ID + "/clauses/" + w.parents.Clauses[0].ID, map[string]any{"body": "x", "base_rev": 0}}},
		{"publish with a session cookie", "", append([]string{session(w.a.Facilitator)}, evil...),
			call{"POST", "/api/v1/agreements/" + w.parents.ID + "/publish", nil}},
		{"rotate with Sec-Fetch-Site alone", "", []string{session(w.a.Facilitator), "Sec-Fetch-Site: cross-site"},
			call{"POST", "/api/v1/classes/" + w.a.ID + "/codes/parent/rotate", nil}},
		{"rotate with a foreign Origin alone", "", []string{session(w.a.Facilitator), "Origin: https://evil.example"},
			call{"POST", "/api/v1/classes/" + w.a.ID + "/codes/parent/rotate", nil}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := w.app.Snapshot()
			wantError(t, w.app.Do(tc.method, tc.path, tc.token, tc.body, tc.headers...), http.StatusForbidden, "auth.cross_origin")
			if w.app.Snapshot() != before {
				t.Error("the refused request changed the database")
			}
		})
	}
	t.Run("same origin passes", func(t *testing.T) {
		r := w.app.Do("POST", "/api/v1/join", "", map[string]any{"code": w.a.ParentCode, "name": "Ven", "household": "Ida", "household_choice": "same"},
			"Origin: "+w.app.URL, "Sec-Fetch-Site: same-origin")
		if r.Status != http.StatusCreated {
			t.Errorf("a same-origin join: %d %s", r.Status, r.Body)
		}
	})
}

// Wrong codes are limited per address; right ones never are, since a whole class meeting
// shares one school address.
func TestJoinRateLimit(t *testing.T) {
	t.Run("many right codes from one address", func(t *testing.T) {
		app := apptest.New(t)
		c := app.NewClass("4.B", 4)
		for i := range 40 {
			r := app.Do("POST", "/api/v1/join", "", map[string]any{"code": c.ParentCode, "name": fmt.Sprint("Forælder ", i), "household": fmt.Sprint("Barn ", i)})
			if r.Status != http.StatusCreated {
				t.Fatalf("join %d: %d %s", i+1, r.Status, r.Body)
			}
		}
		if n := app.Count("members"); n != 41 {
			t.Errorf("%d members, want the facilitator and 40 parents", n)
		}
	})
	t.Run("wrong codes from one address", func(t *testing.T) {
		app := apptest.New(t)
		c := app.NewClass("4.B", 4)
		wrong := "XXXXXXXX"
		if wrong == c.ParentCode || wrong == c.PupilCode {
			t.Skip("drew the wrong code by chance")
		}
		limited := 0
		for i := range 70 {
			r := app.Do("POST", "/api/v1/join", "", map[string]any{"code": wrong, "name": "Gætter"})
			switch {
			case r.Status == http.StatusTooManyRequests:
				limited++
				wantError(t, r, http.StatusTooManyRequests, "request.too_many")
			case limited > 0:
				t.Fatalf("attempt %d was let through after being limited: %d", i+1, r.Status)
			default:
				wantError(t, r, http.StatusNotFound, "code.unknown")
			}
		}
		if want := 70 - server.DefaultLimits().GuessBurst; limited < want-2 || limited > want {
			t.Errorf("%d of 70 wrong codes limited, want %d", limited, want)
		}
		before := app.Snapshot()
		wantError(t, app.Do("POST", "/api/v1/join", "", map[string]any{"code": c.ParentCode, "name": "Ægte", "household": "Ida"}),
			http.StatusTooManyRequests, "request.too_many")
		if app.Snapshot() != before {
			t.Error("a limited join changed the database")
		}
	})
}
