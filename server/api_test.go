package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"klasseaftale/agreements"
	"klasseaftale/agreements/templates"
	"klasseaftale/internal/apptest"
)

// The scenario tests of the HTTP API: the real server over httptest with a real SQLite file.
// The fixtures shared by the api_*_test.go files and pages_test.go come first, then the happy
// paths; the raw-HTTP helpers (fetch, cookie, session) are in pages_test.go.

// codeAlphabet is the alphabet of join and organiser codes (agreements/token.go): no look-alikes.
const codeAlphabet = "ACEFHJKMNPRTUVWXY3479"

// school is a school registered through the API.
type school struct {
	ID, Token, OrganiserCode string
}

// registerSchool registers a school and returns its ID, admin token and organiser code.
func registerSchool(t *testing.T, app *apptest.App, name string) school {
	t.Helper()
	var out struct {
		School        agreements.School `json:"school"`
		Token         string            `json:"token"`
		OrganiserCode string            `json:"organiser_code"`
	}
	app.Must(http.StatusCreated, "POST", "/api/v1/schools", "", map[string]any{"name": name, "municipality": "Aarhus"}, &out)
	return school{ID: out.School.ID, Token: out.Token, OrganiserCode: out.OrganiserCode}
}

// world is two classes of grade 4 with their people and agreements, and two schools: enough to
// try every role against every thing it may and may not reach.
type world struct {
	app                 *apptest.App
	a, b                apptest.Class
	parent, parent2     string // parents in class A (tokens)
	pupil               string // a pupil in class A
	parentB             string // a parent in class B
	parents, pupils     agreements.Agreement
	parentsB            agreements.Agreement
	school, otherSchool school
}

func newWorld(t *testing.T) *world {
	t.Helper()
	app := apptest.New(t)
	w := &world{app: app, a: app.NewClass("4.A", 4), b: app.NewClass("4.B", 4)}
	_, w.parent = app.Join(w.a.ParentCode, "Mor til Ida", "Ida")
	_, w.parent2 = app.Join(w.a.ParentCode, "Far til Omar", "Omar")
	_, w.pupil = app.Join(w.a.PupilCode, "Kalle", "")
	_, w.parentB = app.Join(w.b.ParentCode, "Mor til Alma", "Alma")
	w.parents = app.NewAgreement(w.a, "parents", "first-smartphone", "class-chat")
	w.pupils = app.NewAgreement(w.a, "pupils", "pupil-tone")
	w.parentsB = app.NewAgreement(w.b, "parents", "photos")
	w.school = registerSchool(t, app, "Bakkeskolen")
	w.otherSchool = registerSchool(t, app, "Engskolen")
	return w
}

// wantError fails unless r is an error answer with the status and code.
func wantError(t *testing.T, r *apptest.Response, status int, code string) {
	t.Helper()
	if r.Status != status || r.ErrorCode() != code {
		t.Errorf("got %d %q, want %d %q: %s", r.Status, r.ErrorCode(), status, code, r.Body)
	}
	if msg := r.ErrorMessage(); msg == "" || msg == code {
		t.Errorf("error message %q is not a translated text", msg)
	}
}

// getAgreement reads an agreement as the holder of tok.
func getAgreement(t *testing.T, app *apptest.App, id, tok string) agreements.Agreement {
	t.Helper()
	var a agreements.Agreement
	app.Must(http.StatusOK, "GET", "/api/v1/agreements/"+id, tok, nil, &a)
	return a
}

// clauseIDs lists the IDs of the clauses in their order.
func clauseIDs(a agreements.Agreement) []string {
	out := make([]string, len(a.Clauses))
	for i, c := range a.Clauses {
		out[i] = c.ID
	}
	return out
}

// clauseByKey returns the clause that came from the template clause key.
func clauseByKey(t *testing.T, a agreements.Agreement, key string) agreements.Clause {
	t.Helper()
	for _, c := range a.Clauses {
		if c.Key == key {
			return c
		}
	}
	t.Fatalf("agreement %s has no clause %q", a.ID, key)
	return agreements.Clause{}
}

// isCode reports whether s looks like a join or organiser code.
func isCode(s string) bool {
	if len(s) != agreements.CodeLen {
		return false
	}
	for _, r := range s {
		if !strings.ContainsRune(codeAlphabet, r) {
			return false
		}
	}
	return true
}

func TestRegisterSchool(t *testing.T) {
	app := apptest.New(t)
	var out struct {
		School        agreements.School `json:"school"`
		Token         string            `json:"token"`
		OrganiserCode string            `json:"organiser_code"`
		AdminURL      string            `json:"admin_url"`
	}
	app.Must(http.StatusCreated, "POST", "/api/v1/schools", "",
		map[string]any{"name": "  Bakke   skolen ", "municipality": "Aarhus"}, &out)
	if out.School.ID == "" || out.School.Name != "Bakke skolen" || out.School.Municipality != "Aarhus" {
		t.Errorf("school %+v: want an ID and the name with its spaces collapsed", out.School)
	}
	if len(out.Token) < 32 {
		t.Errorf("token %q is too short to hold 128 random bits", out.Token)
	}
	if !isCode(out.OrganiserCode) || out.School.OrganiserCode != out.OrganiserCode {
		t.Errorf("organiser code %q (school: %q)", out.OrganiserCode, out.School.OrganiserCode)
	}
	if out.AdminURL != app.URL+"/k/"+out.Token {
		t.Errorf("admin_url %q, want %s/k/<token>", out.AdminURL, app.URL)
	}
	var got struct {
		School agreements.School `json:"school"`
	}
	app.Must(http.StatusOK, "GET", "/api/v1/schools/"+out.School.ID, out.Token, nil, &got)
	if got.School.Name != "Bakke skolen" || got.School.OrganiserCode != out.OrganiserCode {
		t.Errorf("the admin reads %+v", got.School)
	}
}

func TestCreateClass(t *testing.T) {
	app := apptest.New(t)
	sc := registerSchool(t, app, "Bakkeskolen")
	spaced := strings.ToLower(sc.OrganiserCode[:4] + " " + sc.OrganiserCode[4:])
	cases := []struct {
		name       string
		organiser  string
		wantSchool string
	}{
		{"without a school", "", ""},
		{"with the organiser code", sc.OrganiserCode, sc.ID},
		{"with the organiser code typed in lower case with a space", spaced, sc.ID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out struct {
				Class          agreements.Class  `json:"class"`
				Member         agreements.Member `json:"member"`
				Token          string            `json:"token"`
				FacilitatorURL string            `json:"facilitator_url"`
			}
			app.Must(http.StatusCreated, "POST", "/api/v1/classes", "", map[string]any{
				"name": "4.B", "grade": 4, "organiser_code": tc.organiser, "facilitator_name": "Lone"}, &out)
			c := out.Class
			if c.ID == "" || c.Name != "4.B" || c.Grade != 4 || c.SchoolID != tc.wantSchool {
				t.Errorf("class %+v, want school_id %q", c, tc.wantSchool)
			}
			if !isCode(c.ParentCode) || !isCode(c.PupilCode) || c.ParentCode == c.PupilCode {
				t.Errorf("codes %q and %q: want two different codes of 8 from %s", c.ParentCode, c.PupilCode, codeAlphabet)
			}
			if out.Member.Role != agreements.RoleFacilitator || out.Member.Name != "Lone" || out.Member.ClassID != c.ID {
				t.Errorf("member %+v, want the facilitator Lone of the class", out.Member)
			}
			if out.Token == "" || out.FacilitatorURL != app.URL+"/k/"+out.Token {
				t.Errorf("facilitator_url %q for token %q", out.FacilitatorURL, out.Token)
			}
		})
	}
}

func TestJoinHouseholds(t *testing.T) {
	app := apptest.New(t)
	c := app.NewClass("4.B", 4)
	cases := []struct {
		name, code, person, child string
		role                      agreements.Role
		household                 string // "": none; else the person whose household it must be; "new": a new one
	}{
		{"the first parent makes a household", c.ParentCode, "Mor til Ida", "Ida", agreements.RoleParent, "new"},
		{"a second parent of the same child, cased and spaced differently", c.ParentCode, "Far til Ida", " ida ", agreements.RoleParent, "Mor til Ida"},
		{"a parent of another child makes another household", c.ParentCode, "Mor til Omar", "Omar", agreements.RoleParent, "new"},
		{"the code typed in lower case with a dash", strings.ToLower(c.ParentCode[:4] + "-" + c.ParentCode[4:]), "Far til Omar", "OMAR", agreements.RoleParent, "Mor til Omar"},
		{"a pupil needs no household", c.PupilCode, "Kalle", "", agreements.RolePupil, ""},
		{"a pupil who types a child's name still gets no household", c.PupilCode, "Sofie", "Sofie", agreements.RolePupil, ""},
	}
	households := map[string]string{} // person → household ID
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out agreements.Joined
			app.Must(http.StatusCreated, "POST", "/api/v1/join", "",
				map[string]any{"code": tc.code, "name": tc.person, "household": tc.child, "household_choice": "same"}, &out)
			m := out.Member
			households[tc.person] = m.HouseholdID
			if m.Role != tc.role || m.Name != tc.person || m.ClassID != c.ID || out.Token == "" {
				t.Errorf("joined %+v with token %q", m, out.Token)
			}
			switch tc.household {
			case "":
				if m.HouseholdID != "" {
					t.Errorf("household %q, want none", m.HouseholdID)
				}
			case "new":
				for p, h := range households {
					if p != tc.person && h == m.HouseholdID {
						t.Errorf("household %q is %s's, want a new one", h, p)
					}
				}
				if m.HouseholdID == "" {
					t.Error("no household")
				}
			default:
				if m.HouseholdID == "" || m.HouseholdID != households[tc.household] {
					t.Errorf("household %q, want %s's %q", m.HouseholdID, tc.household, households[tc.household])
				}
			}
			// The answer names the class, with only the code of the role that joined.
			wantParent, wantPupil := c.ParentCode, ""
			if tc.role == agreements.RolePupil {
				wantParent, wantPupil = "", c.PupilCode
			}
			if out.Class.ID != c.ID || out.Class.ParentCode != wantParent || out.Class.PupilCode != wantPupil {
				t.Errorf("class in the answer %+v", out.Class)
			}
		})
	}
	var view agreements.ClassView
	app.Must(http.StatusOK, "GET", "/api/v1/classes/"+c.ID, c.Facilitator, nil, &view)
	if len(view.Households) != 2 {
		t.Errorf("%d households, want 2 (Ida and Omar): %+v", len(view.Households), view.Households)
	}
}

func TestClassAsEachRoleSeesIt(t *testing.T) {
	w := newWorld(t)
	cases := []struct {
		name                  string
		token                 string
		parentCode, pupilCode bool
		households            int
		roles                 []agreements.Role // the roles of the members listed
		kinds                 []agreements.AgreementKind
	}{
		{"facilitator", w.a.Facilitator, true, true, 2,
			[]agreements.Role{"facilitator", "parent", "pupil"}, []agreements.AgreementKind{"parents", "pupils"}},
		{"parent", w.parent, true, false, 2,
			[]agreements.Role{"facilitator", "parent"}, []agreements.AgreementKind{"parents"}},
		{"pupil", w.pupil, false, true, 0,
			[]agreements.Role{"facilitator", "pupil"}, []agreements.AgreementKind{"pupils"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var v agreements.ClassView
			w.app.Must(http.StatusOK, "GET", "/api/v1/classes/"+w.a.ID, tc.token, nil, &v)
			if (v.Class.ParentCode == w.a.ParentCode) != tc.parentCode || (v.Class.ParentCode != "" && !tc.parentCode) {
				t.Errorf("parent code %q, want shown: %v", v.Class.ParentCode, tc.parentCode)
			}
			if (v.Class.PupilCode == w.a.PupilCode) != tc.pupilCode || (v.Class.PupilCode != "" && !tc.pupilCode) {
				t.Errorf("pupil code %q, want shown: %v", v.Class.PupilCode, tc.pupilCode)
			}
			if len(v.Households) != tc.households {
				t.Errorf("%d households, want %d", len(v.Households), tc.households)
			}
			var roles []agreements.Role
			for _, m := range v.Members {
				if !slices.Contains(roles, m.Role) {
					roles = append(roles, m.Role)
				}
			}
			slices.Sort(roles)
			if !slices.Equal(roles, tc.roles) {
				t.Errorf("member roles %v, want %v", roles, tc.roles)
			}
			var kinds []agreements.AgreementKind
			for _, a := range v.Agreements {
				kinds = append(kinds, a.Kind)
			}
			slices.Sort(kinds)
			if !slices.Equal(kinds, tc.kinds) {
				t.Errorf("agreement kinds %v, want %v", kinds, tc.kinds)
			}
		})
	}
}

func TestTemplates(t *testing.T) {
	app := apptest.New(t)
	lib := templates.MustLoad()
	keys := func(kind agreements.AgreementKind) []string {
		var out []string
		for _, tp := range lib.Templates(kind, "da") {
			out = append(out, tp.Key)
		}
		return out
	}
	cases := []struct {
		query     string
		kind      agreements.AgreementKind
		grade     int // -1: any
		wantKeys  []string
		wantTitle string // the title of the first template, showing the language
	}{
		{"kind=parents", "parents", -1, keys("parents"), "Den første smartphone"},
		{"kind=parents&grade=4&lang=da", "parents", 4, keys("parents"), "Den første smartphone"},
		{"kind=parents&grade=9&lang=en", "parents", 9, keys("parents"), "The first smartphone"},
		{"kind=pupils&grade=0", "pupils", 0, keys("pupils"), ""},
		{"kind=pupils&grade=10&lang=en", "pupils", 10, keys("pupils"), ""},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			var out struct {
				Templates []agreements.Template `json:"templates"`
			}
			app.Must(http.StatusOK, "GET", "/api/v1/templates?"+tc.query, "", nil, &out)
			var got []string
			for _, tp := range out.Templates {
				got = append(got, tp.Key)
				if tp.Kind != tc.kind {
					t.Errorf("template %s is of kind %s", tp.Key, tp.Kind)
				}
				if tc.grade >= 0 && !tp.Suits(tc.grade) {
					t.Errorf("template %s does not suit grade %d", tp.Key, tc.grade)
				}
			}
			if !slices.Equal(got, tc.wantKeys) {
				t.Errorf("templates %v, want %v", got, tc.wantKeys)
			}
			if tc.wantTitle != "" && (len(out.Templates) == 0 || out.Templates[0].Title != tc.wantTitle) {
				t.Errorf("first title %q, want %q", out.Templates[0].Title, tc.wantTitle)
			}
		})
	}
}

func TestCreateAgreementFromTemplates(t *testing.T) {
	app := apptest.New(t)
	cases := []struct {
		name      string
		grade     int
		templates []string
		title     string
		wantTitle string
		wantKeys  []string
		wantValue map[string]string // clause key → default value
	}{
		{"grade 4 gets the age clause, a default title", 4, []string{"first-smartphone", "class-chat"}, "", "Forældreaftale",
			[]string{"first-smartphone.age", "class-chat.rules", "class-chat.quiet-hours"},
			map[string]string{"first-smartphone.age": "13", "class-chat.rules": "parents", "class-chat.quiet-hours": "20:00"}},
		{"grade 8 gets no age clause but the no-pressure one", 8, []string{"first-smartphone", "class-chat"}, "  Vores   aftale ", "Vores aftale",
			[]string{"first-smartphone.no-pressure", "class-chat.rules", "class-chat.quiet-hours"},
			map[string]string{"class-chat.rules": "parents"}},
		{"a title of spaces gets the default title", 4, []string{"photos"}, "   ", "Forældreaftale",
			[]string{"photos.consent"}, nil},
		{"a template chosen twice gives its clauses once", 2, []string{"photos", "evenings", "photos"}, "", "Forældreaftale",
			[]string{"photos.consent", "evenings.messages", "evenings.night"},
			map[string]string{"evenings.messages": "20:00"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := app.NewClass("Klassen", tc.grade)
			var a agreements.Agreement
			app.Must(http.StatusCreated, "POST", "/api/v1/classes/"+c.ID+"/agreements", c.Facilitator,
				map[string]any{"kind": "parents", "templates": tc.templates, "lang": "da", "title": tc.title}, &a)
			if a.ID == "" || a.ClassID != c.ID || a.Kind != "parents" || a.Status != "draft" || a.Lang != "da" || a.Revision != 1 {
				t.Errorf("agreement %+v", a)
			}
			if a.Title != tc.wantTitle {
				t.Errorf("title %q, want %q", a.Title, tc.wantTitle)
			}
			var got []string
			for _, cl := range a.Clauses {
				got = append(got, cl.Key)
				if cl.ID == "" || cl.Title == "" || cl.Body == "" {
					t.Errorf("clause %+v lacks an ID, title or body", cl)
				}
			}
			if !slices.Equal(got, tc.wantKeys) {
				t.Errorf("clauses %v, want %v", got, tc.wantKeys)
			}
			for key, want := range tc.wantValue {
				p := clauseByKey(t, a, key).Parameter
				if p == nil || p.Value != want || !p.Has(want) || p.Label == "" {
					t.Errorf("clause %s parameter %+v, want the default %q among its options", key, p, want)
				}
			}
			if got := getAgreement(t, app, a.ID, c.Facilitator); !slices.Equal(clauseIDs(got), clauseIDs(a)) || got.Title != a.Title {
				t.Errorf("GET shows %q %v, created %q %v", got.Title, clauseIDs(got), a.Title, clauseIDs(a))
			}
		})
	}
}

// A parent edits, sets a value and adds clauses; the facilitator arranges and publishes; the
// public page shows the class's words and the help block.
func TestDraftToPublished(t *testing.T) {
	w := newWorld(t)
	app, id := w.app, w.parents.ID
	clausePath := func(cid string) string { return "/api/v1/agreements/" + id + "/clauses/" + cid }

	age := clauseByKey(t, w.parents, "first-smartphone.age")
	var edited agreements.Clause
	app.Must(http.StatusOK, "PUT", clausePath(age.ID), w.parent,
		map[string]any{"title": "Vi venter til 7. klasse", "body": "Ingen smartphone før 7. klasse.", "base_rev": age.Rev}, &edited)
	if edited.Rev != age.Rev+1 || edited.Title != "Vi venter til 7. klasse" || edited.Body != "Ingen smartphone før 7. klasse." {
		t.Errorf("edited clause %+v, want rev %d", edited, age.Rev+1)
	}
	var valued agreements.Clause
	app.Must(http.StatusOK, "PUT", clausePath(age.ID), w.parent2, map[string]any{"value": "14", "base_rev": edited.Rev}, &valued)
	if valued.Rev != edited.Rev+1 || valued.Parameter == nil || valued.Parameter.Value != "14" || valued.Body != edited.Body {
		t.Errorf("after setting the value: %+v", valued)
	}
	got := clauseByKey(t, getAgreement(t, app, id, w.parent), "first-smartphone.age")
	if got.Rev != valued.Rev || got.Title != edited.Title || got.Body != edited.Body || got.Parameter.Value != "14" || !got.Changed {
		t.Errorf("GET shows %+v", got)
	}

	// Clauses the class writes itself, placed by "after".
	first := w.parents.Clauses[0].ID
	adds := []struct {
		name  string
		after any // nil: the field left out
		want  func(order []string, id string) bool
	}{
		{"after left out: last", nil, func(o []string, id string) bool { return o[len(o)-1] == id }},
		{"after null: last", "null", func(o []string, id string) bool { return o[len(o)-1] == id }},
		{`after "": first`, "", func(o []string, id string) bool { return o[0] == id }},
		{"after a clause: right behind it", first, func(o []string, id string) bool {
			i := slices.Index(o, first)
			return i >= 0 && i+1 < len(o) && o[i+1] == id
		}},
	}
	var added []string
	for _, tc := range adds {
		t.Run("add "+tc.name, func(t *testing.T) {
			body := map[string]any{"title": "Eget punkt " + tc.name, "body": "Vi hjælper hinanden."}
			if tc.after == "null" {
				body["after"] = nil
			} else if tc.after != nil {
				body["after"] = tc.after
			}
			var c agreements.Clause
			app.Must(http.StatusCreated, "POST", "/api/v1/agreements/"+id+"/clauses", w.parent, body, &c)
			added = append(added, c.ID)
			if c.ID == "" || c.Key != "" || c.Title != body["title"] || c.Parameter != nil {
				t.Errorf("added %+v", c)
			}
			if order := clauseIDs(getAgreement(t, app, id, w.parent)); !tc.want(order, c.ID) {
				t.Errorf("order %v puts %s in the wrong place", order, c.ID)
			}
		})
	}

	// The facilitator moves the last clause to the front and removes another.
	before := clauseIDs(getAgreement(t, app, id, w.a.Facilitator))
	last := before[len(before)-1]
	var moved struct {
		Clauses []string `json:"clauses"`
	}
	app.Must(http.StatusOK, "POST", clausePath(last)+"/move", w.a.Facilitator, map[string]any{"after": ""}, &moved)
	want := append([]string{last}, before[:len(before)-1]...)
	if !slices.Equal(moved.Clauses, want) {
		t.Errorf("order after the move %v, want %v", moved.Clauses, want)
	}
	app.Must(http.StatusOK, "POST", clausePath(last)+"/move", w.a.Facilitator, map[string]any{"after": before[0]}, &moved)
	if moved.Clauses[1] != last {
		t.Errorf("order after moving behind the first %v", moved.Clauses)
	}
	app.Must(http.StatusNoContent, "DELETE", clausePath(added[0]), w.a.Facilitator, nil, nil)
	wantLeft := slices.DeleteFunc(slices.Clone(moved.Clauses), func(c string) bool { return c == added[0] })
	if left := clauseIDs(getAgreement(t, app, id, w.a.Facilitator)); !slices.Equal(left, wantLeft) {
		t.Errorf("after removing %s: %v, want %v", added[0], left, wantLeft)
	}

	var pub struct {
		Status    string               `json:"status"`
		PublicURL string               `json:"public_url"`
		Agreement agreements.Agreement `json:"agreement"`
	}
	app.Adopt(w.a, id, w.parent)
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+id+"/publish", w.a.Facilitator, nil, &pub)
	slug := pub.Agreement.Slug
	if pub.Status != "published" || slug == "" || pub.PublicURL != app.URL+"/p/"+slug {
		t.Fatalf("publish answered %q %q (slug %q)", pub.Status, pub.PublicURL, slug)
	}

	var view struct {
		Published agreements.PublishedView `json:"published"`
		PublicURL string                   `json:"public_url"`
	}
	app.Must(http.StatusOK, "GET", "/api/v1/published/"+slug, "", nil, &view)
	v := view.Published
	if v.Agreement.Status != "published" || v.ClassName != "4.A" || view.PublicURL != pub.PublicURL {
		t.Errorf("published view %+v at %q", v.Agreement, view.PublicURL)
	}
	if c := clauseByKey(t, *v.Agreement, "first-smartphone.age"); c.Body != "Ingen smartphone før 7. klasse." || c.Parameter.Value != "14" {
		t.Errorf("the published page shows %+v, not the class's words", c)
	}
	if !strings.Contains(helpText(v.Help), "116 111") {
		t.Errorf("help block %+v lacks BørneTelefonen's 116 111", v.Help)
	}
	if v.SchoolName != "" || !v.SchoolHelp.IsZero() {
		t.Errorf("a class without a school shows school help %q %+v", v.SchoolName, v.SchoolHelp)
	}
}

// helpText is the help block as one text.
func helpText(h agreements.HelpBlock) string {
	var b strings.Builder
	b.WriteString(h.Title)
	for _, it := range h.Items {
		b.WriteString("\n" + it.Title + "\n" + it.Text)
	}
	return b.String()
}

func TestPublishedShowsTheSchoolsHelp(t *testing.T) {
	app := apptest.New(t)
	sc := registerSchool(t, app, "Bakkeskolen")
	help := map[string]any{"contact": "Trivselsvejleder Mette, tlf. på skolens side", "action_plan_url": "https://bakkeskolen.example/plan", "lines": "Klubben kl. 14–17"}
	var set struct {
		School agreements.School `json:"school"`
	}
	app.Must(http.StatusOK, "PUT", "/api/v1/schools/"+sc.ID+"/help", sc.Token, help, &set)
	if set.School.Help.Contact != help["contact"] || set.School.Help.ActionPlanURL != help["action_plan_url"] {
		t.Errorf("help saved as %+v", set.School.Help)
	}

	var created struct {
		Class agreements.Class `json:"class"`
		Token string           `json:"token"`
	}
	app.Must(http.StatusCreated, "POST", "/api/v1/classes", "", map[string]any{"name": "6.C", "grade": 6, "organiser_code": sc.OrganiserCode}, &created)
	c := apptest.Class{ID: created.Class.ID, Facilitator: created.Token}
	_, parent := app.Join(created.Class.ParentCode, "Mor", "Ida")
	_, pupil := app.Join(created.Class.PupilCode, "Ida", "")
	for _, kind := range []string{"parents", "pupils"} {
		t.Run(kind, func(t *testing.T) {
			key := map[string]string{"parents": "when-wrong", "pupils": "pupil-when-wrong"}[kind]
			a := app.NewAgreement(c, kind, key)
			app.Adopt(c, a.ID, map[string]string{"parents": parent, "pupils": pupil}[kind])
			var pub struct {
				Agreement agreements.Agreement `json:"agreement"`
			}
			app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+a.ID+"/publish", c.Facilitator, nil, &pub)
			var view struct {
				Published agreements.PublishedView `json:"published"`
			}
			app.Must(http.StatusOK, "GET", "/api/v1/published/"+pub.Agreement.Slug, "", nil, &view)
			v := view.Published
			if v.SchoolName != "Bakkeskolen" || v.SchoolHelp.Contact != help["contact"] || v.SchoolHelp.Lines != help["lines"] {
				t.Errorf("school %q help %+v", v.SchoolName, v.SchoolHelp)
			}
			if !strings.Contains(helpText(v.Help), "116 111") {
				t.Errorf("help block %+v lacks 116 111", v.Help)
			}
		})
	}
}

func TestRotateCode(t *testing.T) {
	for _, role := range []agreements.Role{agreements.RoleParent, agreements.RolePupil} {
		t.Run(string(role), func(t *testing.T) {
			app := apptest.New(t)
			c := app.NewClass("4.B", 4)
			old, other := c.ParentCode, c.PupilCode
			if role == agreements.RolePupil {
				old, other = c.PupilCode, c.ParentCode
			}
			early, _ := app.Join(old, "Tidlig", "Ida")

			var out struct {
				Class agreements.Class `json:"class"`
			}
			app.Must(http.StatusOK, "POST", "/api/v1/classes/"+c.ID+"/codes/"+string(role)+"/rotate", c.Facilitator, nil, &out)
			fresh, kept := out.Class.ParentCode, out.Class.PupilCode
			if role == agreements.RolePupil {
				fresh, kept = out.Class.PupilCode, out.Class.ParentCode
			}
			if !isCode(fresh) || fresh == old || kept != other {
				t.Fatalf("after rotating: new %q (old %q), other code %q (was %q)", fresh, old, kept, other)
			}
			wantError(t, app.Do("POST", "/api/v1/join", "", map[string]any{"code": old, "name": "Sen", "household": "Omar"}),
				http.StatusNotFound, "code.unknown")
			late, _ := app.Join(fresh, "Sen", "Omar")
			if late.Role != role {
				t.Errorf("joined with the new code as %s, want %s", late.Role, role)
			}
			var v agreements.ClassView
			app.Must(http.StatusOK, "GET", "/api/v1/classes/"+c.ID, c.Facilitator, nil, &v)
			var names []string
			for _, m := range v.Members {
				names = append(names, m.Name)
			}
			if !slices.Contains(names, early.Name) || !slices.Contains(names, "Sen") {
				t.Errorf("members %v, want the early joiner to stay and the late one to be in", names)
			}
		})
	}
}
