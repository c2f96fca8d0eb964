package apptest

import (
	"context"
	"net/http"

	"klasseaftale/agreements"
	"klasseaftale/internal/demo"
)

// Class is a class made through the API, with the tokens of its people.
type Class struct {
	ID          string
	ParentCode  string
	PupilCode   string
	Facilitator string // token
}

// NewClass creates a class of the grade through the API.
func (a *App) NewClass(name string, grade int) Class {
	a.t.Helper()
	return a.NewClassIn(name, grade, "")
}

// NewClassIn creates a class inside the school whose organiser code is given ("" for none).
func (a *App) NewClassIn(name string, grade int, organiserCode string) Class {
	a.t.Helper()
	var out struct {
		Class agreements.Class `json:"class"`
		Token string           `json:"token"`
	}
	body := map[string]any{"name": name, "grade": grade, "facilitator_name": "Lærer"}
	if organiserCode != "" {
		body["organiser_code"] = organiserCode
	}
	a.Must(http.StatusCreated, "POST", "/api/v1/classes", "", body, &out)
	return Class{ID: out.Class.ID, ParentCode: out.Class.ParentCode, PupilCode: out.Class.PupilCode, Facilitator: out.Token}
}

// School is a school registered through the API.
type School struct {
	ID, Token, OrganiserCode string
}

// NewSchool registers a school.
func (a *App) NewSchool(name string) School {
	a.t.Helper()
	var out struct {
		School        agreements.School `json:"school"`
		Token         string            `json:"token"`
		OrganiserCode string            `json:"organiser_code"`
	}
	a.Must(http.StatusCreated, "POST", "/api/v1/schools", "", map[string]any{"name": name, "municipality": "Aarhus"}, &out)
	return School{ID: out.School.ID, Token: out.Token, OrganiserCode: out.OrganiserCode}
}

// Join joins a class with a code and returns the member and token. A parent naming a child
// already in the class joins that child's household, as its other parent.
func (a *App) Join(code, name, child string) (agreements.Member, string) {
	a.t.Helper()
	var out agreements.Joined
	body := map[string]any{"code": code, "name": name}
	if child != "" {
		body["household"] = child
		body["household_choice"] = "same"
	}
	a.Must(http.StatusCreated, "POST", "/api/v1/join", "", body, &out)
	return *out.Member, out.Token
}

// NewAgreement starts an agreement from templates as the facilitator.
func (a *App) NewAgreement(c Class, kind string, keys ...string) agreements.Agreement {
	a.t.Helper()
	var out agreements.Agreement
	a.Must(http.StatusCreated, "POST", "/api/v1/classes/"+c.ID+"/agreements", c.Facilitator,
		map[string]any{"kind": kind, "templates": keys, "lang": "da"}, &out)
	return out
}

// Adopt puts a draft to the vote as the facilitator, has each voter (a token) vote yes on every
// clause, and closes the vote; the agreement is then adopted, ready to publish.
func (a *App) Adopt(c Class, agreementID string, voters ...string) {
	a.t.Helper()
	a.Must(http.StatusOK, "POST", "/api/v1/agreements/"+agreementID+"/voting", c.Facilitator,
		map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)
	var ag agreements.Agreement
	a.Must(http.StatusOK, "GET", "/api/v1/agreements/"+agreementID, c.Facilitator, nil, &ag)
	for _, tok := range voters {
		for _, cl := range ag.Clauses {
			a.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+agreementID+"/votes", tok,
				map[string]any{"clause_id": cl.ID, "choice": "yes"}, nil)
		}
	}
	var out struct {
		Status string `json:"status"`
	}
	a.Must(http.StatusOK, "POST", "/api/v1/agreements/"+agreementID+"/close", c.Facilitator, nil, &out)
	if out.Status != "adopted" {
		a.t.Fatalf("the vote on %s ended %q", agreementID, out.Status)
	}
}

// Demo fills the app with the demo's school — a municipality, a pupil council and five classes
// whose agreements stand at every stage — and returns it with the links that sign its people in.
func (a *App) Demo() *demo.School {
	a.t.Helper()
	w, err := demo.Start(context.Background(), a.Store, a.Service.Library())
	if err != nil {
		a.t.Fatal(err)
	}
	return w
}
