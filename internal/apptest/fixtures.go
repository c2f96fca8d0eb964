package apptest

import (
	"net/http"

	"klasseaftale/agreements"
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
	var out struct {
		Class agreements.Class `json:"class"`
		Token string           `json:"token"`
	}
	a.Must(http.StatusCreated, "POST", "/api/v1/classes", "", map[string]any{"name": name, "grade": grade, "facilitator_name": "Lærer"}, &out)
	return Class{ID: out.Class.ID, ParentCode: out.Class.ParentCode, PupilCode: out.Class.PupilCode, Facilitator: out.Token}
}

// Join joins a class with a code and returns the member and token.
func (a *App) Join(code, name, child string) (agreements.Member, string) {
	a.t.Helper()
	var out agreements.Joined
	body := map[string]any{"code": code, "name": name}
	if child != "" {
		body["household"] = child
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
