package server_test

import (
	"net/http"
	"testing"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
)

// A parent naming a child already in the class (case and spaces aside) is asked whether it is
// the same child; the answer joins that household or, with an initial, makes another one. A
// missing, unknown or unfitting answer changes nothing.
func TestJoinAsksAboutAChildOfTheSameName(t *testing.T) {
	app := apptest.New(t)
	c := app.NewClass("4.B", 4)
	mor, _ := app.Join(c.ParentCode, "Mor til Ida", "Ida")
	join := func(child string, choice any) *apptest.Response {
		body := map[string]any{"code": c.ParentCode, "name": "Ny forælder", "household": child}
		if choice != nil {
			body["household_choice"] = choice
		}
		return app.Do("POST", "/api/v1/join", "", body)
	}
	before := app.Snapshot()
	for _, tc := range []struct {
		name   string
		child  string
		choice any
		status int
		code   string
	}{
		{"no answer: asked", " ida ", nil, http.StatusConflict, "household.exists"},
		{"an unknown answer", "Ida", "maybe", http.StatusBadRequest, "household.choice_unknown"},
		{"an answer of the wrong type", "Ida", 3, http.StatusBadRequest, "request.malformed"},
		{"another child, but under the same name", "IDA", "other", http.StatusConflict, "household.taken"},
	} {
		r := join(tc.child, tc.choice)
		if r.Status != tc.status || r.ErrorCode() != tc.code || r.ErrorMessage() == "" {
			t.Errorf("%s: %d %s", tc.name, r.Status, r.Body)
		}
	}
	if app.Snapshot() != before {
		t.Fatal("a refused join changed the database")
	}
	var asked struct {
		Error   struct{ Message string }
		Current agreements.Household
	}
	if err := join("ida", nil).JSON(&asked); err != nil || asked.Current.ChildName != "Ida" || asked.Current.ID != mor.HouseholdID {
		t.Errorf("the question names %+v, want Ida's household %s (%v)", asked.Current, mor.HouseholdID, err)
	}
	en := app.Do("POST", "/api/v1/join?lang=en", "", map[string]any{"code": c.ParentCode, "name": "X", "household": "Ida"})
	if msg := en.ErrorMessage(); msg == "" || msg == asked.Error.Message {
		t.Errorf("the question in English: %q", msg)
	}

	var same, other agreements.Joined
	app.Must(http.StatusCreated, "POST", "/api/v1/join", "", map[string]any{"code": c.ParentCode, "name": "Far til Ida", "household": " ida ", "household_choice": "same"}, &same)
	if same.Member.HouseholdID != mor.HouseholdID {
		t.Errorf("the other parent is in household %s, want Ida's %s", same.Member.HouseholdID, mor.HouseholdID)
	}
	app.Must(http.StatusCreated, "POST", "/api/v1/join", "", map[string]any{"code": c.ParentCode, "name": "Mor til Ida B.", "household": "Ida B.", "household_choice": "other"}, &other)
	if other.Member.HouseholdID == "" || other.Member.HouseholdID == mor.HouseholdID {
		t.Errorf("another Ida got household %q", other.Member.HouseholdID)
	}
	var view struct{ Households []agreements.Household }
	app.Must(http.StatusOK, "GET", "/api/v1/classes/"+c.ID, c.Facilitator, nil, &view)
	if len(view.Households) != 2 {
		t.Errorf("households %+v, want Ida and Ida B.", view.Households)
	}
}

// Joining names the agreement its side of the class is drafting or voting on, so the page
// takes the newcomer there; with none, it names none.
func TestJoinNamesTheMeetingsAgreement(t *testing.T) {
	app := apptest.New(t)
	c := app.NewClass("4.B", 4)
	var out agreements.Joined
	app.Must(http.StatusCreated, "POST", "/api/v1/join", "", map[string]any{"code": c.ParentCode, "name": "Mor", "household": "Ida"}, &out)
	if out.Agreement != nil {
		t.Errorf("with no agreement the join names %+v", out.Agreement)
	}
	draft := app.NewAgreement(c, "parents", "photos")
	app.NewAgreement(c, "pupils", "pupil-when-wrong")
	app.Must(http.StatusCreated, "POST", "/api/v1/join", "", map[string]any{"code": c.ParentCode, "name": "Far", "household": "Omar"}, &out)
	if out.Agreement == nil || out.Agreement.ID != draft.ID || out.Agreement.Status != agreements.StatusDraft {
		t.Errorf("a parent joining while the parents draft is taken to %+v, want %s", out.Agreement, draft.ID)
	}
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+draft.ID+"/voting", c.Facilitator, map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)
	app.Must(http.StatusCreated, "POST", "/api/v1/join", "", map[string]any{"code": c.ParentCode, "name": "Mormor", "household": "Sofie"}, &out)
	if out.Agreement == nil || out.Agreement.ID != draft.ID || out.Agreement.Status != agreements.StatusVoting {
		t.Errorf("a parent joining during the vote is taken to %+v", out.Agreement)
	}
	app.Must(http.StatusCreated, "POST", "/api/v1/join", "", map[string]any{"code": c.PupilCode, "name": "Lynet"}, &out)
	if out.Agreement == nil || out.Agreement.Kind != agreements.KindPupils {
		t.Errorf("a pupil is taken to %+v, want the pupils' draft", out.Agreement)
	}
}
