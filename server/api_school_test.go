package server_test

import (
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
)

// The school side: who may reach the school overview, the board links, the organiser code,
// the classes under the school and the municipality's roll-up, and what each route does. The
// figures of the overview and the small-number rule are in api_school_overview_test.go.

// municipality is a municipality registered through the API.
type municipality struct {
	ID, Token, JoinCode string
}

func registerMunicipality(t *testing.T, app *apptest.App, name string) municipality {
	t.Helper()
	var out struct {
		Municipality agreements.Municipality `json:"municipality"`
		Token        string                  `json:"token"`
		JoinCode     string                  `json:"join_code"`
		AdminURL     string                  `json:"admin_url"`
	}
	app.Must(http.StatusCreated, "POST", "/api/v1/municipalities", "", map[string]any{"name": name}, &out)
	if out.Municipality.ID == "" || out.Municipality.Name != name || !isCode(out.JoinCode) ||
		out.Municipality.JoinCode != out.JoinCode || out.AdminURL != app.URL+"/k/"+out.Token {
		t.Fatalf("registered %+v", out)
	}
	return municipality{ID: out.Municipality.ID, Token: out.Token, JoinCode: out.JoinCode}
}

// boardLink makes a board member's link as the school's admin and returns its ID and token.
func boardLink(t *testing.T, app *apptest.App, s school, label string) (string, string) {
	t.Helper()
	var out struct {
		Link  agreements.BoardLink `json:"link"`
		Token string               `json:"token"`
		URL   string               `json:"url"`
	}
	app.Must(http.StatusCreated, "POST", schoolPath(s.ID, "board-links"), s.Token, map[string]any{"label": label}, &out)
	if out.Link.ID == "" || out.Link.SchoolID != s.ID || out.Link.Label != label || out.Link.RevokedAt != nil ||
		out.Token == "" || out.URL != app.URL+"/k/"+out.Token {
		t.Fatalf("made the link %+v", out)
	}
	return out.Link.ID, out.Token
}

// joinMunicipality opts the school into the municipality whose code it is ("": opts out).
func joinMunicipality(t *testing.T, app *apptest.App, s school, code string) agreements.School {
	t.Helper()
	var out struct {
		School agreements.School `json:"school"`
	}
	app.Must(http.StatusOK, "PUT", schoolPath(s.ID, "municipality"), s.Token, map[string]any{"code": code}, &out)
	return out.School
}

func schoolPath(id, what string) string { return "/api/v1/schools/" + id + "/" + what }

// schoolWorld is two schools with a class each, a class under no school, board links, and
// two municipalities of which school A has joined the first: one of everyone who might ask.
type schoolWorld struct {
	app                *apptest.App
	a, b               school
	classA, classB     apptest.Class
	loose              apptest.Class // made without a school
	parentA, pupilA    string
	board, revoked     string // board members' tokens of school A; the second is revoked
	boardID, revokedID string
	spareID            string // another link of A, for the admin to revoke
	m1, m2             municipality
}

func newSchoolWorld(t *testing.T) *schoolWorld {
	t.Helper()
	app := apptest.New(t)
	w := &schoolWorld{app: app, a: registerSchool(t, app, "Bakkeskolen"), b: registerSchool(t, app, "Engskolen")}
	w.classA = app.NewClassIn("4.A", 4, w.a.OrganiserCode)
	w.classB = app.NewClassIn("4.B", 4, w.b.OrganiserCode)
	w.loose = app.NewClass("5.C", 5)
	_, w.parentA = app.Join(w.classA.ParentCode, "Mor til Ida", "Ida")
	_, w.pupilA = app.Join(w.classA.PupilCode, "Kalle", "")
	w.boardID, w.board = boardLink(t, app, w.a, "Formand")
	w.revokedID, w.revoked = boardLink(t, app, w.a, "Tidligere medlem")
	w.spareID, _ = boardLink(t, app, w.a, "Næstformand")
	app.Must(http.StatusNoContent, "DELETE", schoolPath(w.a.ID, "board-links/"+w.revokedID), w.a.Token, nil, nil)
	w.m1 = registerMunicipality(t, app, "Aarhus Kommune")
	w.m2 = registerMunicipality(t, app, "Odder Kommune")
	joinMunicipality(t, app, w.a, w.m1.JoinCode)
	return w
}

// route is one school or municipality address; page routes are HTML and authenticate by cookie.
type route struct {
	name, method, path string
	body               any
	page               bool
}

func (w *schoolWorld) routes() []route {
	a := w.a.ID
	return []route{
		{"overview", "GET", schoolPath(a, "adoption"), nil, false},
		{"overview CSV", "GET", schoolPath(a, "adoption.csv"), nil, false},
		{"overview page", "GET", "/s/" + a, nil, true},
		{"school", "GET", "/api/v1/schools/" + a, nil, false},
		{"classes", "GET", schoolPath(a, "classes"), nil, false},
		{"rotate the organiser code", "POST", schoolPath(a, "organiser-code/rotate"), nil, false},
		{"set the help", "PUT", schoolPath(a, "help"), map[string]any{"contact": "Skolens AKT-lærer"}, false},
		{"archive a class", "POST", schoolPath(a, "classes/"+w.classA.ID+"/archive"), nil, false},
		{"restore a class", "DELETE", schoolPath(a, "classes/"+w.classA.ID+"/archive"), nil, false},
		{"list the board links", "GET", schoolPath(a, "board-links"), nil, false},
		{"make a board link", "POST", schoolPath(a, "board-links"), map[string]any{"label": "Kasserer"}, false},
		{"revoke a board link", "DELETE", schoolPath(a, "board-links/"+w.spareID), nil, false},
		{"join a municipality", "PUT", schoolPath(a, "municipality"), map[string]any{"code": w.m1.JoinCode}, false},
		{"municipality roll-up", "GET", "/api/v1/municipalities/" + w.m1.ID + "/adoption", nil, false},
		{"municipality CSV", "GET", "/api/v1/municipalities/" + w.m1.ID + "/adoption.csv", nil, false},
		{"municipality page", "GET", "/m/" + w.m1.ID, nil, true},
		{"attach a class", "POST", "/api/v1/classes/" + w.loose.ID + "/school", map[string]any{"organiser_code": w.a.OrganiserCode}, false},
	}
}

// Every role against every school and municipality route: the status each gets, that a
// refusal has the right code and changes nothing, and that what is allowed works.
func TestSchoolRoutesForEveryRole(t *testing.T) {
	const (
		ok, made, gone = http.StatusOK, http.StatusCreated, http.StatusNoContent
		no, who        = http.StatusForbidden, http.StatusUnauthorized
	)
	// Statuses in the order of routes().
	roles := []struct {
		name  string
		token func(w *schoolWorld) string
		want  []int
	}{
		{"school admin", func(w *schoolWorld) string { return w.a.Token },
			[]int{ok, ok, ok, ok, ok, ok, ok, ok, ok, ok, made, gone, ok, no, no, no, no}},
		{"board member", func(w *schoolWorld) string { return w.board },
			[]int{ok, ok, ok, no, ok, no, no, no, no, no, no, no, no, no, no, no, no}},
		{"revoked board member", func(w *schoolWorld) string { return w.revoked },
			[]int{who, who, who, who, who, who, who, who, who, who, who, who, who, who, who, who, who}},
		{"admin of another school", func(w *schoolWorld) string { return w.b.Token },
			[]int{no, no, no, no, no, no, no, no, no, no, no, no, no, no, no, no, no}},
		{"facilitator of a class in the school", func(w *schoolWorld) string { return w.classA.Facilitator },
			[]int{no, no, no, no, no, no, no, no, no, no, no, no, no, no, no, no, no}},
		{"parent in the school", func(w *schoolWorld) string { return w.parentA },
			[]int{no, no, no, no, no, no, no, no, no, no, no, no, no, no, no, no, no}},
		{"pupil in the school", func(w *schoolWorld) string { return w.pupilA },
			[]int{no, no, no, no, no, no, no, no, no, no, no, no, no, no, no, no, no}},
		{"facilitator of a class without a school", func(w *schoolWorld) string { return w.loose.Facilitator },
			[]int{no, no, no, no, no, no, no, no, no, no, no, no, no, no, no, no, ok}},
		{"the municipality the school joined", func(w *schoolWorld) string { return w.m1.Token },
			[]int{no, no, no, no, no, no, no, no, no, no, no, no, no, ok, ok, ok, no}},
		{"another municipality", func(w *schoolWorld) string { return w.m2.Token },
			[]int{no, no, no, no, no, no, no, no, no, no, no, no, no, no, no, no, no}},
		{"no token", func(w *schoolWorld) string { return "" },
			[]int{who, who, who, who, who, who, who, who, who, who, who, who, who, who, who, who, who}},
	}
	for _, role := range roles {
		t.Run(role.name, func(t *testing.T) {
			w := newSchoolWorld(t)
			tok := role.token(w)
			routes := w.routes()
			if len(role.want) != len(routes) {
				t.Fatalf("%d statuses for %d routes", len(role.want), len(routes))
			}
			for i, rt := range routes {
				want := role.want[i]
				t.Run(rt.name, func(t *testing.T) {
					before := w.app.Snapshot()
					var status int
					var body string
					if rt.page {
						var headers []string
						if tok != "" {
							headers = append(headers, session(tok))
						}
						r := fetch(t, w.app, rt.method, rt.path, "", headers...)
						status, body = r.StatusCode, r.Body
						if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
							t.Errorf("the page answered %s", r.Header.Get("Content-Type"))
						}
					} else {
						r := w.app.Do(rt.method, rt.path, tok, rt.body)
						status, body = r.Status, string(r.Body)
						switch want {
						case who:
							wantError(t, r, who, "auth.required")
						case no:
							wantError(t, r, no, "auth.forbidden")
						}
					}
					if status != want {
						t.Fatalf("%s %s: %d, want %d: %.300s", rt.method, rt.path, status, want, body)
					}
					if want >= 400 && w.app.Snapshot() != before {
						t.Error("the refused request changed the database")
					}
				})
			}
		})
	}
}

// A board member's link opens the overview and nothing else, and stops working when revoked:
// 401 on the API, on the page and on the link itself.
func TestBoardLinkIsReadOnlyAndRevocable(t *testing.T) {
	w := newSchoolWorld(t)
	app := w.app
	t.Run("the link logs in to the overview", func(t *testing.T) {
		r := signIn(t, app, w.board)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/s/"+w.a.ID {
			t.Fatalf("%d to %q, want 303 to /s/%s", r.StatusCode, r.Header.Get("Location"), w.a.ID)
		}
		if c := cookie(r, "ka_session"); c == nil || c.Value != w.board || !c.HttpOnly {
			t.Fatalf("cookie %+v", c)
		}
		page := fetch(t, app, "GET", "/s/"+w.a.ID, "", session(w.board))
		if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Bakkeskolen") || !strings.Contains(page.Body, `data-testid="totals"`) {
			t.Fatalf("%d %.500s", page.StatusCode, page.Body)
		}
		// The admin's forms and secrets are not on the board member's page.
		for _, s := range []string{w.a.OrganiserCode, spaced(w.a.OrganiserCode), `data-testid="organiser-code"`, `id="board-link"`,
			`id="school-help"`, `id="join-municipality"`, "/archive", "/board-links", "Formand", w.m1.JoinCode} {
			if strings.Contains(page.Body, s) {
				t.Errorf("the board member's page shows %q", s)
			}
		}
		admin := fetch(t, app, "GET", "/s/"+w.a.ID, "", session(w.a.Token))
		for _, s := range []string{spaced(w.a.OrganiserCode), `id="board-link"`, `id="school-help"`, `id="join-municipality"`, "Formand", "Tidligere medlem"} {
			if !strings.Contains(admin.Body, s) {
				t.Errorf("the admin's page lacks %q", s)
			}
		}
	})
	t.Run("the admin lists the links, with no token", func(t *testing.T) {
		r := app.Must(http.StatusOK, "GET", schoolPath(w.a.ID, "board-links"), w.a.Token, nil, nil)
		var out struct {
			Links []agreements.BoardLink `json:"links"`
		}
		if err := r.JSON(&out); err != nil {
			t.Fatal(err)
		}
		revoked := map[string]bool{}
		for _, l := range out.Links {
			revoked[l.ID] = l.RevokedAt != nil
		}
		if want := map[string]bool{w.boardID: false, w.revokedID: true, w.spareID: false}; !maps.Equal(revoked, want) {
			t.Errorf("links %+v, want revoked %v", out.Links, want)
		}
		for _, s := range []string{w.board, w.revoked, agreements.HashToken(w.board), `"token`} {
			if strings.Contains(string(r.Body), s) {
				t.Errorf("the list shows %q: %s", s, r.Body)
			}
		}
	})
	runBad(t, app, []badCase{
		{"a link without a label", w.a.Token, "POST", schoolPath(w.a.ID, "board-links"), map[string]any{"label": "  "}, nil, 400, "name.required"},
		{"a label too long", w.a.Token, "POST", schoolPath(w.a.ID, "board-links"), map[string]any{"label": strings.Repeat("x", 61)}, nil, 400, "name.too_long"},
		{"revoking a revoked link", w.a.Token, "DELETE", schoolPath(w.a.ID, "board-links/"+w.revokedID), nil, nil, 404, "not_found"},
		{"revoking an unknown link", w.a.Token, "DELETE", schoolPath(w.a.ID, "board-links/aaaaaaaaaaaa"), nil, nil, 404, "not_found"},
		{"revoking school A's link as school B through B's path", w.b.Token, "DELETE", schoolPath(w.b.ID, "board-links/"+w.boardID), nil, nil, 404, "not_found"},
		{"the board member revokes their own link", w.board, "DELETE", schoolPath(w.a.ID, "board-links/"+w.boardID), nil, nil, 403, "auth.forbidden"},
		{"the board member makes a link", w.board, "POST", schoolPath(w.a.ID, "board-links"), map[string]any{"label": "Ven"}, nil, 403, "auth.forbidden"},
	})
	t.Run("revoked, the link is refused everywhere", func(t *testing.T) {
		app.Must(http.StatusNoContent, "DELETE", schoolPath(w.a.ID, "board-links/"+w.boardID), w.a.Token, nil, nil)
		wantError(t, app.Do("GET", schoolPath(w.a.ID, "adoption"), w.board, nil), http.StatusUnauthorized, "auth.required")
		wantError(t, app.Do("GET", schoolPath(w.a.ID, "adoption.csv"), w.board, nil), http.StatusUnauthorized, "auth.required")
		wantError(t, app.Do("GET", "/api/v1/me", w.board, nil), http.StatusUnauthorized, "auth.required")
		if r := fetch(t, app, "GET", "/s/"+w.a.ID, "", session(w.board)); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("the page with the revoked cookie: %d", r.StatusCode)
		}
		r := fetch(t, app, "GET", "/k/"+w.board, "")
		if r.StatusCode != http.StatusUnauthorized || cookie(r, "ka_session") != nil {
			t.Errorf("the revoked link: %d, cookie %v", r.StatusCode, cookie(r, "ka_session"))
		}
		// The other links go on working.
		_, fresh := boardLink(t, app, w.a, "Ny formand")
		app.Must(http.StatusOK, "GET", schoolPath(w.a.ID, "adoption"), fresh, nil, nil)
	})
}

// A new organiser code: classes are made with the new one only, those made before stay.
func TestRotateOrganiserCode(t *testing.T) {
	w := newSchoolWorld(t)
	app := w.app
	var out struct {
		School agreements.School `json:"school"`
	}
	app.Must(http.StatusOK, "POST", schoolPath(w.a.ID, "organiser-code/rotate"), w.a.Token, nil, &out)
	fresh := out.School.OrganiserCode
	if !isCode(fresh) || fresh == w.a.OrganiserCode || out.School.ID != w.a.ID {
		t.Fatalf("rotated to %+v", out.School)
	}
	var school struct {
		School agreements.School `json:"school"`
	}
	app.Must(http.StatusOK, "GET", "/api/v1/schools/"+w.a.ID, w.a.Token, nil, &school)
	if school.School.OrganiserCode != fresh {
		t.Errorf("the school reads code %q after rotating to %q", school.School.OrganiserCode, fresh)
	}
	if page := fetch(t, app, "GET", "/s/"+w.a.ID, "", session(w.a.Token)); !strings.Contains(page.Body, spaced(fresh)) || strings.Contains(page.Body, spaced(w.a.OrganiserCode)) {
		t.Error("the admin's page does not show the new code instead of the old")
	}
	newClass := map[string]any{"name": "1.A", "grade": 1, "facilitator_name": "Lærer"}
	runBad(t, app, []badCase{
		{"a class with the old code", "", "POST", "/api/v1/classes", merge(newClass, "organiser_code", w.a.OrganiserCode), nil, 404, "organiser_code.unknown"},
		{"attaching with the old code", w.loose.Facilitator, "POST", "/api/v1/classes/" + w.loose.ID + "/school", map[string]any{"organiser_code": w.a.OrganiserCode}, nil, 404, "organiser_code.unknown"},
	})
	made := app.NewClassIn("1.A", 1, strings.ToLower(spaced(fresh)))
	ids := classIDs(t, app, w.a)
	if !ids[w.classA.ID] || !ids[made.ID] || len(ids) != 2 {
		t.Errorf("the school's classes after rotating: %v, want the old and the new", ids)
	}
}

// merge returns a copy of m with one more field.
func merge(m map[string]any, k string, v any) map[string]any {
	out := map[string]any{k: v}
	for key, val := range m {
		if key != k {
			out[key] = val
		}
	}
	return out
}

// classIDs lists the school's classes as its admin sees them, archived or not.
func classIDs(t *testing.T, app *apptest.App, s school) map[string]bool {
	t.Helper()
	var out struct {
		Classes []agreements.Class `json:"classes"`
	}
	r := app.Must(http.StatusOK, "GET", schoolPath(s.ID, "classes"), s.Token, nil, &out)
	if strings.Contains(string(r.Body), "parent_code") || strings.Contains(string(r.Body), "pupil_code") {
		t.Errorf("the school's class list carries join codes: %s", r.Body)
	}
	ids := map[string]bool{}
	for _, c := range out.Classes {
		if c.SchoolID != s.ID {
			t.Errorf("class %s of school %q in %s's list", c.ID, c.SchoolID, s.ID)
		}
		ids[c.ID] = true
	}
	return ids
}

// A class made without a school joins one with its organiser code; its published agreement
// then carries the school's help.
func TestAttachClass(t *testing.T) {
	w := newSchoolWorld(t)
	app := w.app
	app.Must(http.StatusOK, "PUT", schoolPath(w.a.ID, "help"), w.a.Token,
		map[string]any{"contact": "AKT-lærer Bente, tlf. 12 34 56 78", "lines": "Ungdomsrådgivningen"}, nil)
	_, tok := app.Join(w.loose.ParentCode, "Mor til Sofie", "Sofie")
	pa := app.NewAgreement(w.loose, "parents", "photos")
	app.Adopt(w.loose, pa.ID, tok)
	slug := publish(t, app, w.loose, pa.ID)
	if p := published(t, app, slug); p.SchoolName != "" || !p.SchoolHelp.IsZero() {
		t.Fatalf("before attaching, the agreement names school %q", p.SchoolName)
	}

	runBad(t, app, []badCase{
		{"an unknown code", w.loose.Facilitator, "POST", "/api/v1/classes/" + w.loose.ID + "/school", map[string]any{"organiser_code": "AAAAAAAA"}, nil, 404, "organiser_code.unknown"},
		{"a parent attaches", tok, "POST", "/api/v1/classes/" + w.loose.ID + "/school", map[string]any{"organiser_code": w.a.OrganiserCode}, nil, 403, "auth.forbidden"},
		{"another class's facilitator attaches it", w.classB.Facilitator, "POST", "/api/v1/classes/" + w.loose.ID + "/school", map[string]any{"organiser_code": w.b.OrganiserCode}, nil, 403, "auth.forbidden"},
		{"malformed", w.loose.Facilitator, "POST", "/api/v1/classes/" + w.loose.ID + "/school", `{"organiser_code":`, nil, 400, "request.malformed"},
	})
	if classIDs(t, app, w.a)[w.loose.ID] {
		t.Fatal("the class is under the school before attaching")
	}
	var out struct {
		Class agreements.Class `json:"class"`
	}
	app.Must(http.StatusOK, "POST", "/api/v1/classes/"+w.loose.ID+"/school", w.loose.Facilitator,
		map[string]any{"organiser_code": " " + strings.ToLower(spaced(w.a.OrganiserCode))}, &out)
	if out.Class.ID != w.loose.ID || out.Class.SchoolID != w.a.ID {
		t.Errorf("attached %+v", out.Class)
	}
	if !classIDs(t, app, w.a)[w.loose.ID] {
		t.Error("the attached class is not in the school's list")
	}
	if !inOverview(t, app, w.a, w.loose.ID) {
		t.Error("the attached class is not in the school's overview")
	}
	p := published(t, app, slug)
	if p.SchoolName != "Bakkeskolen" || p.SchoolHelp.Contact != "AKT-lærer Bente, tlf. 12 34 56 78" || p.SchoolHelp.Lines != "Ungdomsrådgivningen" {
		t.Errorf("after attaching, the agreement's help: %q %+v", p.SchoolName, p.SchoolHelp)
	}
	if page := fetch(t, app, "GET", "/p/"+slug, ""); !strings.Contains(page.Body, "AKT-lærer Bente, tlf. 12 34 56 78") {
		t.Error("the published page lacks the school's contact in its help block")
	}
}

// inOverview reports whether the class is in the school's overview.
func inOverview(t *testing.T, app *apptest.App, s school, classID string) bool {
	t.Helper()
	a := overview(t, app, s.ID, s.Token)
	for _, c := range a.Classes {
		if c.ClassID == classID {
			return true
		}
	}
	return false
}

// Archiving a class closes it: its members cannot sign in, its join codes and published page
// stop working, it leaves the overview. Restoring opens it again.
func TestArchiveClass(t *testing.T) {
	w := newSchoolWorld(t)
	app := w.app
	c := w.classA
	pa := app.NewAgreement(c, "parents", "photos")
	app.Adopt(c, pa.ID, w.parentA)
	slug := publish(t, app, c, pa.ID)
	archive := schoolPath(w.a.ID, "classes/"+c.ID+"/archive")

	runBad(t, app, []badCase{
		{"another school's class through this school", w.a.Token, "POST", schoolPath(w.a.ID, "classes/"+w.classB.ID+"/archive"), nil, nil, 403, "auth.forbidden"},
		{"a class without a school", w.a.Token, "POST", schoolPath(w.a.ID, "classes/"+w.loose.ID+"/archive"), nil, nil, 403, "auth.forbidden"},
		{"an unknown class", w.a.Token, "POST", schoolPath(w.a.ID, "classes/aaaaaaaaaaaa/archive"), nil, nil, 404, "not_found"},
		{"the class's facilitator", c.Facilitator, "POST", archive, nil, nil, 403, "auth.forbidden"},
		{"a board member", w.board, "POST", archive, nil, nil, 403, "auth.forbidden"},
	})

	works := func(t *testing.T, open bool) {
		t.Helper()
		want := map[bool]int{true: http.StatusOK, false: http.StatusUnauthorized}[open]
		for name, tok := range map[string]string{"facilitator": c.Facilitator, "parent": w.parentA, "pupil": w.pupilA} {
			if r := app.Do("GET", "/api/v1/me", tok, nil); r.Status != want {
				t.Errorf("the %s's /me: %d, want %d", name, r.Status, want)
			}
			if r := app.Do("GET", "/api/v1/classes/"+c.ID, tok, nil); r.Status != want {
				t.Errorf("the %s reads the class: %d, want %d", name, r.Status, want)
			}
			if r := fetch(t, app, "GET", "/k/"+tok, ""); (r.StatusCode == http.StatusOK) != open {
				t.Errorf("the %s's link: %d", name, r.StatusCode)
			}
			if r := fetch(t, app, "GET", "/c/"+c.ID, "", session(tok)); r.StatusCode != want {
				t.Errorf("the %s's class page: %d, want %d", name, r.StatusCode, want)
			}
		}
		for _, code := range []string{c.ParentCode, c.PupilCode} {
			r := fetch(t, app, "GET", "/join?code="+code, "")
			if strings.Contains(r.Body, `id="join-form"`) != open {
				t.Errorf("the join page with code %s offers the form: %v", code, !open)
			}
		}
		wantPublic := map[bool]int{true: http.StatusOK, false: http.StatusNotFound}[open]
		if r := app.Do("GET", "/api/v1/published/"+slug, "", nil); r.Status != wantPublic {
			t.Errorf("the published agreement's JSON: %d, want %d", r.Status, wantPublic)
		}
		if r := fetch(t, app, "GET", "/p/"+slug, ""); r.StatusCode != wantPublic {
			t.Errorf("the published page: %d, want %d", r.StatusCode, wantPublic)
		}
		if inOverview(t, app, w.a, c.ID) != open {
			t.Errorf("the class is in the overview: %v", !open)
		}
	}
	works(t, true)

	var out struct {
		Class agreements.Class `json:"class"`
	}
	app.Must(http.StatusOK, "POST", archive, w.a.Token, nil, &out)
	if out.Class.ID != c.ID || out.Class.ArchivedAt == nil || out.Class.ParentCode != "" || out.Class.PupilCode != "" {
		t.Fatalf("archived %+v", out.Class)
	}
	t.Run("archived", func(t *testing.T) {
		works(t, false)
		wantError(t, app.Do("POST", "/api/v1/join", "", map[string]any{"code": c.ParentCode, "name": "Ny", "household": "Nyt barn"}), http.StatusNotFound, "code.unknown")
		wantError(t, app.Do("POST", "/api/v1/join", "", map[string]any{"code": c.PupilCode, "name": "Ny"}), http.StatusNotFound, "code.unknown")
		var list struct {
			Classes []agreements.Class `json:"classes"`
		}
		app.Must(http.StatusOK, "GET", schoolPath(w.a.ID, "classes"), w.a.Token, nil, &list)
		if len(list.Classes) != 1 || list.Classes[0].ArchivedAt == nil || !list.Classes[0].ArchivedAt.Equal(*out.Class.ArchivedAt) {
			t.Errorf("the school's list: %+v", list.Classes)
		}
		if page := fetch(t, app, "GET", "/s/"+w.a.ID, "", session(w.a.Token)); !strings.Contains(page.Body, `data-method="DELETE"`) {
			t.Error("the admin's page offers no way to reopen the class")
		}
	})
	var restored struct {
		Class agreements.Class `json:"class"`
	}
	app.Must(http.StatusOK, "DELETE", archive, w.a.Token, nil, &restored)
	if restored.Class.ID != c.ID || restored.Class.ArchivedAt != nil {
		t.Fatalf("restored %+v", restored.Class)
	}
	t.Run("restored", func(t *testing.T) { works(t, true) })
}

// The server's tick deletes a class 30 days after it was archived, not before; a restored class
// is never deleted.
func TestArchivedClassIsDeletedAfterRetention(t *testing.T) {
	w := newSchoolWorld(t)
	app := w.app
	clock := useClock(app, mustTime(t, "2027-03-10T18:00:00Z"))
	restored := app.NewClassIn("4.R", 4, w.a.OrganiserCode)
	app.Join(restored.ParentCode, "Far til Bo", "Bo")
	for _, id := range []string{w.classA.ID, restored.ID} {
		app.Must(http.StatusOK, "POST", schoolPath(w.a.ID, "classes/"+id+"/archive"), w.a.Token, nil, nil)
	}
	app.Must(http.StatusOK, "DELETE", schoolPath(w.a.ID, "classes/"+restored.ID+"/archive"), w.a.Token, nil, nil)
	members, households := app.Count("members"), app.Count("households")
	tick := func() {
		t.Helper()
		if err := app.Service.Tick(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	clock.add(agreements.DefaultRetention - time.Minute)
	tick()
	if !classIDs(t, app, w.a)[w.classA.ID] || app.Count("members") != members {
		t.Fatal("the class was deleted before 30 days had passed")
	}
	clock.add(2 * time.Minute)
	tick()
	ids := classIDs(t, app, w.a)
	if ids[w.classA.ID] || !ids[restored.ID] {
		t.Errorf("after 30 days the school's classes are %v", ids)
	}
	// The class had a facilitator, a parent and a pupil, and one household (Ida).
	if got := app.Count("members"); got != members-3 {
		t.Errorf("members: %d, want %d", got, members-3)
	}
	if got := app.Count("households"); got != households-1 {
		t.Errorf("households: %d, want %d", got, households-1)
	}
	wantError(t, app.Do("DELETE", schoolPath(w.a.ID, "classes/"+w.classA.ID+"/archive"), w.a.Token, nil), http.StatusNotFound, "not_found")
	app.Must(http.StatusOK, "GET", "/api/v1/classes/"+w.classB.ID, w.classB.Facilitator, nil, nil) // the other school's class is untouched
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}
