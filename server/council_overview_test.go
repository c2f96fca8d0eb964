package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
)

// takeUpSchool is a school of five classes whose pupil council published an agreement of five
// points, taken up by three classes:
//
//	4.A  6 pupils: changed one point, dropped one, added its own; voted and published
//	4.B  5 pupils: kept every point as the council wrote it (a draft)
//	5.A  3 pupils: changed one point; too small to show its figures
//	5.B  5 pupils: its own pupils' agreement from the templates
//	6.A  no pupils' agreement
type takeUpSchool struct {
	app     *apptest.App
	school  apptest.School
	classes map[string]apptest.Class
	council agreements.Agreement
}

func newTakeUpSchool(t *testing.T) *takeUpSchool {
	t.Helper()
	app := apptest.New(t)
	ts := &takeUpSchool{app: app, school: app.NewSchool("Bakkeskolen"), classes: map[string]apptest.Class{}}
	pupils := map[string][]string{}
	for _, c := range []struct {
		name  string
		grade int
		n     int
	}{{"4.A", 4, 6}, {"4.B", 4, 5}, {"5.A", 5, 3}, {"5.B", 5, 5}, {"6.A", 6, 0}} {
		cl := app.NewClassIn(c.name, c.grade, ts.school.OrganiserCode)
		ts.classes[c.name] = cl
		for i := range c.n {
			_, tok := app.Join(cl.PupilCode, fmt.Sprintf("Elev %d", i+1), "")
			pupils[c.name] = append(pupils[c.name], tok)
		}
	}
	council := app.NewCouncil(ts.school, "Elevrådet")
	var members []string
	for i, name := range []string{"4.A", "4.B", "5.A", "5.B", "6.A"} {
		_, tok := app.JoinCouncil(council.PupilCode, fmt.Sprintf("Medlem %d", i+1), ts.classes[name].ID)
		members = append(members, tok)
	}
	ts.council = app.PublishCouncilAgreement(council, members, "pupil-class-chat", "pupil-photos", "pupil-tone", "pupil-left-out", "pupil-when-wrong")

	a := app.StartFromCouncil(ts.classes["4.A"])
	edit(t, app, a, 0, pupils["4.A"][0])
	app.Must(http.StatusNoContent, "DELETE", "/api/v1/agreements/"+a.ID+"/clauses/"+a.Clauses[1].ID, ts.classes["4.A"].Facilitator, nil, nil)
	app.Must(http.StatusCreated, "POST", "/api/v1/agreements/"+a.ID+"/clauses", pupils["4.A"][1], map[string]any{"title": "Pauser", "body": "Vi leger sammen i frikvarteret."}, nil)
	app.Adopt(ts.classes["4.A"], a.ID, pupils["4.A"]...)
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+a.ID+"/publish", ts.classes["4.A"].Facilitator, nil, nil)
	app.StartFromCouncil(ts.classes["4.B"])
	edit(t, app, app.StartFromCouncil(ts.classes["5.A"]), 2, pupils["5.A"][0])
	app.NewAgreement(ts.classes["5.B"], "pupils", "pupil-tone")
	return ts
}

// edit changes the body of clause i of a as the holder of tok.
func edit(t *testing.T, app *apptest.App, a agreements.Agreement, i int, tok string) {
	t.Helper()
	cl := a.Clauses[i]
	app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+a.ID+"/clauses/"+cl.ID, tok, map[string]any{"body": cl.Body + " Det gælder også i frikvarteret.", "base_rev": cl.Rev}, nil)
}

// councilOverview is the part of a school's or municipality's overview about pupil councils.
type councilOverview struct {
	Totals struct {
		Classes           int `json:"classes"`
		CouncilAgreements int `json:"council_agreements"`
		FromCouncil       int `json:"classes_from_council"`
	} `json:"totals"`
	Council *struct {
		Name        string          `json:"name"`
		Pupils      json.RawMessage `json:"pupils"`
		Status      string          `json:"status"`
		AgreementID string          `json:"agreement_id"`
		PublishedAt *time.Time      `json:"published_at"`
		Clauses     int             `json:"clauses"`
	} `json:"council"`
	Classes []struct {
		Name   string `json:"name"`
		Pupils *struct {
			Status  string                     `json:"status"`
			Council *agreements.CouncilFigures `json:"council"`
		} `json:"pupils"`
	} `json:"classes"`
}

func TestOverviewCountsTheCouncilsAgreement(t *testing.T) {
	ts := newTakeUpSchool(t)
	var ov councilOverview
	ts.app.Must(http.StatusOK, "GET", "/api/v1/schools/"+ts.school.ID+"/adoption", ts.school.Token, nil, &ov)
	if ov.Totals.Classes != 5 || ov.Totals.FromCouncil != 3 || ov.Totals.CouncilAgreements != 1 {
		t.Errorf("totals: %d classes, %d from the council, %d council agreements", ov.Totals.Classes, ov.Totals.FromCouncil, ov.Totals.CouncilAgreements)
	}
	c := ov.Council
	if c == nil || c.Name != "Elevrådet" || string(c.Pupils) != "5" || c.AgreementID != ts.council.ID || c.Clauses != 5 || c.Status != "published" || c.PublishedAt == nil {
		t.Errorf("the council in the overview: %+v", c)
	}
	want := map[string]string{
		"4.A": "published shown 5: kept 3 changed 1 dropped 1 added 1",
		"4.B": "draft shown 5: kept 5 changed 0 dropped 0 added 0",
		"5.A": "draft masked 5: kept 0 changed 0 dropped 0 added 0",
		"5.B": "draft not from the council",
		"6.A": "no pupils' agreement",
	}
	for _, ca := range ov.Classes {
		got := "no pupils' agreement"
		if p := ca.Pupils; p != nil && p.Council == nil {
			got = p.Status + " not from the council"
		} else if p != nil {
			f := p.Council
			shown := map[bool]string{true: "shown", false: "masked"}[f.Shown]
			got = fmt.Sprintf("%s %s %d: kept %d changed %d dropped %d added %d", p.Status, shown, f.Clauses, f.Kept, f.Changed, f.Dropped, f.Added)
			if f.AgreementID != ts.council.ID {
				t.Errorf("%s started from %q", ca.Name, f.AgreementID)
			}
		}
		if got != want[ca.Name] {
			t.Errorf("%s: %s, want %s", ca.Name, got, want[ca.Name])
		}
	}
	// The CSV says the same; a small class's figures are left empty.
	rows := readCSV(t, ts.app, "/api/v1/schools/"+ts.school.ID+"/adoption.csv", ts.school.Token)
	cols := []string{"pupils_from_council", "council_clauses", "council_kept", "council_changed", "council_dropped", "council_added"}
	for name, w := range map[string][]string{
		"4.A": {"true", "5", "3", "1", "1", "1"}, "4.B": {"true", "5", "5", "0", "0", "0"}, "5.A": {"true", "5", "", "", "", ""},
		"5.B": {"false", "", "", "", "", ""}, "6.A": {"", "", "", "", "", ""},
	} {
		if got := mapRow(csvRow(t, rows, name), cols); !slices.Equal(got, w) {
			t.Errorf("CSV %s: %q, want %q", name, got, w)
		}
	}
	// The page says the same, in words.
	body := page(t, ts.app, "/s/"+ts.school.ID, ts.school.Token)
	for _, s := range []string{`data-testid="council-overview"`, `data-testid="council-taken-up">3 af 5<`, "3 af 5 punkter som elevrådet skrev dem",
		"1 ændret · 1 fjernet · 1 nye", "5 af 5 punkter", "Tallene vises fra 5 elever", `id="council-admin"`} {
		if !strings.Contains(body, s) {
			t.Errorf("the school's page lacks %q", s)
		}
	}
}

// The municipality counts the schools with a council agreement and the classes that took theirs up.
func TestMunicipalityCountsCouncils(t *testing.T) {
	ts := newTakeUpSchool(t)
	var muni struct {
		Municipality agreements.Municipality `json:"municipality"`
		Token        string                  `json:"token"`
	}
	ts.app.Must(http.StatusCreated, "POST", "/api/v1/municipalities", "", map[string]any{"name": "Aarhus Kommune"}, &muni)
	other := ts.app.NewSchool("Engskolen")
	for _, s := range []apptest.School{ts.school, other} {
		ts.app.Must(http.StatusOK, "PUT", "/api/v1/schools/"+s.ID+"/municipality", s.Token, map[string]any{"code": muni.Municipality.JoinCode}, nil)
	}
	ts.app.NewCouncil(other, "Elevrådet") // a council without an agreement counts for nothing
	var roll councilOverview
	ts.app.Must(http.StatusOK, "GET", "/api/v1/municipalities/"+muni.Municipality.ID+"/adoption", muni.Token, nil, &roll)
	if roll.Totals.CouncilAgreements != 1 || roll.Totals.FromCouncil != 3 || roll.Totals.Classes != 5 {
		t.Errorf("the roll-up: %d council agreements, %d classes from them, %d classes", roll.Totals.CouncilAgreements, roll.Totals.FromCouncil, roll.Totals.Classes)
	}
	rows := readCSV(t, ts.app, "/api/v1/municipalities/"+muni.Municipality.ID+"/adoption.csv", muni.Token)
	if got := mapRow(csvRow(t, rows, ""), []string{"council_agreements", "classes_from_council"}); !slices.Equal(got, []string{"1", "3"}) {
		t.Errorf("the roll-up's CSV totals: %q", got)
	}
	body := page(t, ts.app, "/m/"+muni.Municipality.ID, muni.Token)
	if !strings.Contains(body, `data-testid="t-council">1<`) || !strings.Contains(body, `data-testid="t-from-council">3<`) {
		t.Error("the municipality's page lacks the council figures")
	}
}

// page fetches a page as the holder of tok, in Danish, and fails unless it is 200.
func page(t *testing.T, app *apptest.App, path, tok string) string {
	t.Helper()
	r := fetch(t, app, "GET", path, "", session(tok), "Accept-Language: da")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, r.StatusCode, r.Body)
	}
	return r.Body
}
