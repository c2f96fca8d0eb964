package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"klasseaftale/agreements"
)

func adultsPath(schoolID string) string { return "/api/v1/schools/" + schoolID + "/trusted-adults" }

type adultsJSON struct {
	Adults []agreements.TrustedAdult `json:"trusted_adults"`
}

// The school's admin keeps the list of trusted adults: cleaned like the school's other help
// texts, empty rows dropped, capped; its board reads it; nobody else reads or changes it.
func TestTrustedAdults(t *testing.T) {
	w := newHistoryWorld(t)
	other := registerSchool(t, w.app, "Engskolen")
	in := []map[string]string{
		{"name": "  Hanne\u202e  ", "role": "AKT-lærer", "where": "lokale   12"},
		{"name": "", "role": "", "where": "  "},
		{"name": "Jonas", "role": "pædagog i SFO", "where": ""},
	}
	var out adultsJSON
	w.app.Must(http.StatusOK, "PUT", adultsPath(w.school.ID), w.school.Token, map[string]any{"trusted_adults": in}, &out)
	want := []agreements.TrustedAdult{{Name: "Hanne", Role: "AKT-lærer", Where: "lokale 12"}, {Name: "Jonas", Role: "pædagog i SFO"}}
	if !equalAdults(out.Adults, want) {
		t.Fatalf("saved %+v, want %+v", out.Adults, want)
	}
	for _, tok := range []string{w.school.Token, w.board} {
		var got adultsJSON
		w.app.Must(http.StatusOK, "GET", adultsPath(w.school.ID), tok, nil, &got)
		if !equalAdults(got.Adults, want) {
			t.Errorf("read %+v", got.Adults)
		}
	}

	long := strings.Repeat("x", agreements.MaxAdultTextLen+1)
	many := make([]map[string]string, agreements.MaxTrustedAdults+1)
	for i := range many {
		many[i] = map[string]string{"name": "Voksen"}
	}
	before := w.app.Snapshot()
	cases := []struct {
		name, token, method, school string
		body                        any
		status                      int
		code                        string
	}{
		{"no token", "", "GET", w.school.ID, nil, 401, "auth.required"},
		{"a board member changes it", w.board, "PUT", w.school.ID, map[string]any{"trusted_adults": in}, 403, "auth.forbidden"},
		{"another school's admin reads it", other.Token, "GET", w.school.ID, nil, 403, "auth.forbidden"},
		{"another school's admin changes it", other.Token, "PUT", w.school.ID, map[string]any{"trusted_adults": in}, 403, "auth.forbidden"},
		{"a facilitator reads it", w.a.Facilitator, "GET", w.school.ID, nil, 403, "auth.forbidden"},
		{"a facilitator changes it", w.a.Facilitator, "PUT", w.school.ID, map[string]any{"trusted_adults": in}, 403, "auth.forbidden"},
		{"a parent reads it", w.mor, "GET", w.school.ID, nil, 403, "auth.forbidden"},
		{"a pupil changes it", w.pupil, "PUT", w.school.ID, map[string]any{"trusted_adults": in}, 403, "auth.forbidden"},
		{"too many", w.school.Token, "PUT", w.school.ID, map[string]any{"trusted_adults": many}, 400, "adults.too_many"},
		{"a role too long", w.school.Token, "PUT", w.school.ID, map[string]any{"trusted_adults": []map[string]string{{"name": "A", "role": long}}}, 400, "adults.too_long"},
		{"a place too long", w.school.Token, "PUT", w.school.ID, map[string]any{"trusted_adults": []map[string]string{{"name": "A", "where": long}}}, 400, "adults.too_long"},
		{"a role without a name", w.school.Token, "PUT", w.school.ID, map[string]any{"trusted_adults": []map[string]string{{"role": "AKT-lærer"}}}, 400, "name.required"},
		{"a name too long", w.school.Token, "PUT", w.school.ID, map[string]any{"trusted_adults": []map[string]string{{"name": strings.Repeat("n", 61)}}}, 400, "name.too_long"},
		{"no list", w.school.Token, "PUT", w.school.ID, map[string]any{}, 400, "request.malformed"},
		{"a list of the wrong shape", w.school.Token, "PUT", w.school.ID, `{"trusted_adults":["Hanne"]}`, 400, "request.malformed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantError(t, w.app.Do(c.method, adultsPath(c.school), c.token, c.body), c.status, c.code)
		})
	}
	if w.app.Snapshot() != before {
		t.Error("a refused request changed the database")
	}

	// The longest list and texts are taken; an empty list clears it.
	max := make([]map[string]string, agreements.MaxTrustedAdults)
	for i := range max {
		max[i] = map[string]string{"name": strings.Repeat("n", 60), "role": long[1:], "where": long[1:]}
	}
	w.app.Must(http.StatusOK, "PUT", adultsPath(w.school.ID), w.school.Token, map[string]any{"trusted_adults": max}, &out)
	if len(out.Adults) != agreements.MaxTrustedAdults {
		t.Errorf("kept %d", len(out.Adults))
	}
	w.app.Must(http.StatusOK, "PUT", adultsPath(w.school.ID), w.school.Token, map[string]any{"trusted_adults": []any{}}, &out)
	if out.Adults == nil || len(out.Adults) != 0 {
		t.Errorf("cleared to %#v", out.Adults)
	}
}

func equalAdults(a, b []agreements.TrustedAdult) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A member of a class reads the help its pages show: in words for a child for a pupil, for an
// adult otherwise, with what the class's school adds. Nobody outside the class reads it.
func TestClassHelp(t *testing.T) {
	w := newHistoryWorld(t)
	adults := []map[string]string{{"name": "Hanne", "role": "AKT-lærer", "where": "lokale 12"}}
	w.app.Must(http.StatusOK, "PUT", adultsPath(w.school.ID), w.school.Token, map[string]any{"trusted_adults": adults}, nil)
	w.app.Must(http.StatusOK, "PUT", "/api/v1/schools/"+w.school.ID+"/help", w.school.Token,
		map[string]any{"contact": "Kontoret", "action_plan_url": "https://bakkeskolen.example/trivsel"}, nil)
	type helpJSON struct {
		Audience  string                      `json:"audience"`
		Help      agreements.HelpBlock        `json:"help"`
		School    agreements.ContactsOfSchool `json:"school"`
		Childline struct{ Phone string }      `json:"childline"`
	}
	for _, tc := range []struct {
		tok, audience string
	}{{w.pupil, "child"}, {w.mor, "adult"}, {w.a.Facilitator, "adult"}} {
		var h helpJSON
		w.app.Must(http.StatusOK, "GET", "/api/v1/classes/"+w.a.ID+"/help", tc.tok, nil, &h)
		if h.Audience != tc.audience || len(h.Help.Items) == 0 || h.Childline.Phone != "116111" {
			t.Errorf("as %s: %+v", tc.audience, h)
		}
		if h.School.SchoolName != "Bakkeskolen" || len(h.School.Adults) != 1 || h.School.Adults[0].Name != "Hanne" ||
			h.School.ActionPlanURL != "https://bakkeskolen.example/trivsel" {
			t.Errorf("the school's part as %s: %+v", tc.audience, h.School)
		}
	}
	var h helpJSON
	w.app.Must(http.StatusOK, "GET", "/api/v1/classes/"+w.b.ID+"/help", w.parentB, nil, &h)
	if h.School.SchoolName != "" || h.School.Adults == nil || len(h.School.Adults) != 0 {
		t.Errorf("a class without a school: %+v", h.School)
	}
	for name, tok := range map[string]string{"another class's parent": w.parentB, "the school's admin": w.school.Token,
		"a board member": w.board, "another class's facilitator": w.b.Facilitator} {
		r := w.app.Do("GET", "/api/v1/classes/"+w.a.ID+"/help", tok, nil)
		wantError(t, r, http.StatusForbidden, "auth.forbidden")
		if strings.Contains(string(r.Body), "Hanne") {
			t.Errorf("%s learns the adults: %s", name, r.Body)
		}
	}
	wantError(t, w.app.Do("GET", "/api/v1/classes/"+w.a.ID+"/help", "", nil), http.StatusUnauthorized, "auth.required")
}

// Every page a pupil sees carries the help button and its panel, with the school's trusted
// adults, in words for a child; a parent's pages carry it in words for adults, with the
// school's action plan. The poster prints the adults too.
func TestHelpPanelOnEveryPage(t *testing.T) {
	w := newHistoryWorld(t)
	adults := []map[string]string{{"name": "Hanne", "role": "AKT-lærer", "where": "lokale 12"}}
	w.app.Must(http.StatusOK, "PUT", adultsPath(w.school.ID), w.school.Token, map[string]any{"trusted_adults": adults}, nil)
	w.app.Must(http.StatusOK, "PUT", "/api/v1/schools/"+w.school.ID+"/help", w.school.Token,
		map[string]any{"action_plan_url": "https://bakkeskolen.example/trivsel"}, nil)
	page := func(path, tok string) string {
		t.Helper()
		var hs []string
		if tok != "" {
			hs = append(hs, session(tok))
		}
		r := w.app.Do("GET", path, "", nil, hs...)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d", path, r.Status)
		}
		return string(r.Body)
	}
	for _, tc := range []struct {
		name, path, tok, audience string
		adults                    bool
	}{
		{"the join page of the pupils' code", "/join?code=" + w.a.PupilCode, "", "child", true},
		{"the join page of the parents' code", "/join?code=" + w.a.ParentCode, "", "adult", true},
		{"the join page without a code", "/join", "", "child", false},
		{"a pupil's class page", "/c/" + w.a.ID, w.pupil, "child", true},
		{"a parent's class page", "/c/" + w.a.ID, w.mor, "adult", true},
		{"a pupil's editor", "/a/" + w.pupils.ID, w.pupil, "child", true},
		{"a parent's editor", "/a/" + w.parents.ID, w.mor, "adult", true},
		{"the facilitator in the pupils' editor", "/a/" + w.pupils.ID, w.a.Facilitator, "child", true},
		{"a class without a school", "/c/" + w.b.ID, w.parentB, "adult", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := page(tc.path, tc.tok)
			if !strings.Contains(body, `data-testid="help-button"`) || !strings.Contains(body, `data-audience="`+tc.audience+`"`) {
				t.Fatalf("no %s help panel", tc.audience)
			}
			if strings.Contains(body, "Hanne") != tc.adults || strings.Contains(body, "lokale 12") != tc.adults {
				t.Errorf("the school's adults shown: %v, want %v", !tc.adults, tc.adults)
			}
			if strings.Contains(body, `href="tel:116111"`) != true {
				t.Error("no call link")
			}
			plan := strings.Contains(body, "https://bakkeskolen.example/trivsel")
			if plan != (tc.audience == "adult" && tc.adults) {
				t.Errorf("the action plan shown: %v", plan)
			}
		})
	}

	// The ballot, and the published page and poster of the pupils' agreement.
	w.app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+w.pupils.ID+"/voting", w.a.Facilitator,
		map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)
	if body := page("/a/"+w.pupils.ID, w.pupil); !strings.Contains(body, `id="ballot"`) ||
		!strings.Contains(body, `data-audience="child"`) || !strings.Contains(body, "Hanne") {
		t.Error("the pupil's ballot lacks the help panel")
	}
	w.app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+w.pupils.ID+"/votes", w.pupil,
		map[string]any{"clause_id": w.pupils.Clauses[0].ID, "choice": "yes"}, nil)
	w.app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+w.pupils.ID+"/close", w.a.Facilitator, nil, nil)
	w.app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+w.pupils.ID+"/publish", w.a.Facilitator, nil, nil)
	a := getAgreement(t, w.app, w.pupils.ID, w.pupil)
	body := page("/p/"+a.Slug, "")
	if !strings.Contains(body, `data-audience="child"`) || !strings.Contains(body, `data-testid="poster-adults"`) ||
		strings.Count(body, "Hanne") < 2 {
		t.Error("the published page lacks the help panel or the poster's adults")
	}
	var pub struct {
		Published struct {
			Adults []agreements.TrustedAdult `json:"trusted_adults"`
		} `json:"published"`
	}
	r := w.app.Do("GET", "/api/v1/published/"+a.Slug, "", nil)
	if err := json.Unmarshal(r.Body, &pub); err != nil || len(pub.Published.Adults) != 1 {
		t.Errorf("the published JSON: %s", r.Body)
	}
}
