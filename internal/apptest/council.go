package apptest

import (
	"net/http"

	"klasseaftale/agreements"
)

// Council is a school's pupil council made through the API: its ID, its pupil code and the key
// of the adult who leads it, as a Class, so the class fixtures work on it too.
type Council = Class

// NewCouncil creates the school's pupil council and the key of one adult to lead it.
func (a *App) NewCouncil(s School, name string) Council {
	a.t.Helper()
	var out struct {
		Council agreements.Class `json:"council"`
	}
	a.Must(http.StatusCreated, "POST", "/api/v1/schools/"+s.ID+"/council", s.Token, map[string]any{"name": name}, &out)
	var adult struct {
		Token string `json:"token"`
	}
	a.Must(http.StatusCreated, "POST", "/api/v1/schools/"+s.ID+"/council/facilitators", s.Token, map[string]any{"name": "Lærer Lene"}, &adult)
	return Council{ID: out.Council.ID, PupilCode: out.Council.PupilCode, Facilitator: adult.Token}
}

// JoinCouncil joins a pupil council as a pupil of the class with the ID.
func (a *App) JoinCouncil(code, nickname, classID string) (agreements.Member, string) {
	a.t.Helper()
	var out agreements.Joined
	a.Must(http.StatusCreated, "POST", "/api/v1/join", "", map[string]any{"code": code, "name": nickname, "from_class_id": classID}, &out)
	return *out.Member, out.Token
}

// PublishCouncilAgreement starts the council's agreement from pupil templates, has the members
// (tokens) vote yes on every clause, and publishes it.
func (a *App) PublishCouncilAgreement(c Council, members []string, keys ...string) agreements.Agreement {
	a.t.Helper()
	ag := a.NewAgreement(c, "pupils", keys...)
	a.Adopt(c, ag.ID, members...)
	var out struct {
		Agreement agreements.Agreement `json:"agreement"`
	}
	a.Must(http.StatusOK, "POST", "/api/v1/agreements/"+ag.ID+"/publish", c.Facilitator, nil, &out)
	return out.Agreement
}

// StartFromCouncil starts the class's pupils' agreement from its school's council's agreement.
func (a *App) StartFromCouncil(c Class) agreements.Agreement {
	a.t.Helper()
	var out agreements.Agreement
	a.Must(http.StatusCreated, "POST", "/api/v1/classes/"+c.ID+"/agreements/from-council", c.Facilitator, nil, &out)
	return out
}
