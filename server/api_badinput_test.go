package server_test

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
)

// Bad input gets the right 4xx, a code and a translated message, and changes nothing.

// badCase is one request that must be refused with status and code.
type badCase struct {
	name    string
	token   string
	method  string
	path    string
	body    any // a string or []byte is sent as it is
	headers []string
	status  int
	code    string
}

// runBad sends each case and checks its answer and that the database is as it was.
func runBad(t *testing.T, app *apptest.App, cases []badCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := app.Snapshot()
			wantError(t, app.Do(tc.method, tc.path, tc.token, tc.body, tc.headers...), tc.status, tc.code)
			if after := app.Snapshot(); after != before {
				t.Errorf("the refused request changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	w := newWorld(t)
	app := w.app
	pa := w.parents
	age := clauseByKey(t, pa, "first-smartphone.age")
	photo := w.parentsB.Clauses[0] // a clause without a parameter
	clause := "/api/v1/agreements/" + pa.ID + "/clauses/" + age.ID
	clauses := "/api/v1/agreements/" + pa.ID + "/clauses"
	newAgreement := "/api/v1/classes/" + w.a.ID + "/agreements"
	long := strings.Repeat("æ", agreements.MaxNameLen+1) // runes, not bytes, are counted

	// Class B's pupil code is rotated, so its old code is a real code that no longer works.
	rotatedCode := w.b.PupilCode
	app.Must(http.StatusOK, "POST", "/api/v1/classes/"+w.b.ID+"/codes/pupil/rotate", w.b.Facilitator, nil, nil)
	// An agreement whose only clause is removed has nothing to publish.
	empty := app.NewAgreement(w.b, "parents", "photos")
	app.Must(http.StatusNoContent, "DELETE", "/api/v1/agreements/"+empty.ID+"/clauses/"+empty.Clauses[0].ID, w.b.Facilitator, nil, nil)

	join := func(code, name, child string) map[string]any {
		return map[string]any{"code": code, "name": name, "household": child}
	}
	class := func(name string, grade int) map[string]any { return map[string]any{"name": name, "grade": grade} }
	textPlain := []string{"Content-Type: text/plain"}

	runBad(t, app, []badCase{
		// The request itself.
		{"unterminated JSON", "", "POST", "/api/v1/join", `{`, nil, 400, "request.malformed"},
		{"an array for an object", "", "POST", "/api/v1/join", `[]`, nil, 400, "request.malformed"},
		{"trailing garbage", "", "POST", "/api/v1/join", `{"a":1} x`, nil, 400, "request.malformed"},
		{"two objects", "", "POST", "/api/v1/classes", `{"name":"A","grade":1}{"name":"B","grade":2}`, nil, 400, "request.malformed"},
		{"an empty body", "", "POST", "/api/v1/classes", ``, []string{"Content-Type: application/json"}, 400, "request.malformed"},
		{"a string for a number", "", "POST", "/api/v1/classes", `{"name":"4.B","grade":"4"}`, nil, 400, "request.malformed"},
		{"malformed edit", w.parent, "PUT", clause, `{"body":`, nil, 400, "request.malformed"},
		{"an array for an edit", w.parent, "PUT", clause, `[]`, nil, 400, "request.malformed"},
		{"text/plain join", "", "POST", "/api/v1/join", join(w.a.ParentCode, "Mor", "Ida"), textPlain, 400, "request.malformed"},
		{"text/plain class", "", "POST", "/api/v1/classes", class("4.B", 4), textPlain, 400, "request.malformed"},
		{"form-encoded edit", w.parent, "PUT", clause, "body=x&base_rev=0", []string{"Content-Type: application/x-www-form-urlencoded"}, 400, "request.malformed"},
		{"a body over 256 KiB", w.parent, "PUT", clause, map[string]any{"body": strings.Repeat("a", 300<<10), "base_rev": age.Rev}, nil, 413, "request.too_large"},

		// Joining.
		{"unknown code", "", "POST", "/api/v1/join", join("XXXXXXXX", "Mor", "Ida"), nil, 404, "code.unknown"},
		{"short code", "", "POST", "/api/v1/join", join("ABC", "Mor", "Ida"), nil, 404, "code.unknown"},
		{"rotated code", "", "POST", "/api/v1/join", join(rotatedCode, "Kalle", ""), nil, 404, "code.unknown"},
		{"no name", "", "POST", "/api/v1/join", join(w.a.ParentCode, "", "Ida"), nil, 400, "name.required"},
		{"a name of spaces", "", "POST", "/api/v1/join", join(w.a.PupilCode, "  \t ", ""), nil, 400, "name.required"},
		{"parent without a child", "", "POST", "/api/v1/join", join(w.a.ParentCode, "Mor", ""), nil, 400, "household.required"},
		{"parent with a child of spaces", "", "POST", "/api/v1/join", join(w.a.ParentCode, "Mor", "   "), nil, 400, "household.required"},
		{"too long a name", "", "POST", "/api/v1/join", join(w.a.ParentCode, long, "Ida"), nil, 400, "name.too_long"},
		{"too long a child name", "", "POST", "/api/v1/join", join(w.a.ParentCode, "Mor", long), nil, 400, "name.too_long"},

		// Classes and schools.
		{"class without a name", "", "POST", "/api/v1/classes", class("", 4), nil, 400, "name.required"},
		{"too long a class name", "", "POST", "/api/v1/classes", class(long, 4), nil, 400, "name.too_long"},
		{"too long a facilitator name", "", "POST", "/api/v1/classes", map[string]any{"name": "4.B", "grade": 4, "facilitator_name": long}, nil, 400, "name.too_long"},
		{"grade 11", "", "POST", "/api/v1/classes", class("4.B", 11), nil, 400, "class.grade_invalid"},
		{"grade -1", "", "POST", "/api/v1/classes", class("4.B", -1), nil, 400, "class.grade_invalid"},
		{"unknown organiser code", "", "POST", "/api/v1/classes", map[string]any{"name": "4.B", "grade": 4, "organiser_code": "XXXXXXXX"}, nil, 404, "organiser_code.unknown"},
		{"a join code as organiser code", "", "POST", "/api/v1/classes", map[string]any{"name": "4.B", "grade": 4, "organiser_code": w.a.ParentCode}, nil, 404, "organiser_code.unknown"},
		{"school without a name", "", "POST", "/api/v1/schools", map[string]any{"name": " ", "municipality": "Aarhus"}, nil, 400, "name.required"},
		{"too long a school name", "", "POST", "/api/v1/schools", map[string]any{"name": long}, nil, 400, "name.too_long"},
		{"too long a municipality", "", "POST", "/api/v1/schools", map[string]any{"name": "Bakkeskolen", "municipality": long}, nil, 400, "name.too_long"},
		{"a plan link that is not http", w.school.Token, "PUT", "/api/v1/schools/" + w.school.ID + "/help", map[string]any{"action_plan_url": "javascript:alert(1)"}, nil, 400, "school.url_invalid"},
		{"too long a help text", w.school.Token, "PUT", "/api/v1/schools/" + w.school.ID + "/help", map[string]any{"contact": strings.Repeat("x", agreements.MaxHelpLen+1)}, nil, 400, "school.help_too_long"},
		{"rotate the facilitator's code", w.a.Facilitator, "POST", "/api/v1/classes/" + w.a.ID + "/codes/facilitator/rotate", nil, nil, 400, "code.kind_invalid"},

		// Starting an agreement.
		{"unknown template", w.a.Facilitator, "POST", newAgreement, map[string]any{"kind": "parents", "templates": []string{"photos", "no-such"}, "lang": "da"}, nil, 400, "template.unknown"},
		{"template of the wrong kind", w.a.Facilitator, "POST", newAgreement, map[string]any{"kind": "parents", "templates": []string{"pupil-tone"}, "lang": "da"}, nil, 400, "template.wrong_kind"},
		{"no templates", w.a.Facilitator, "POST", newAgreement, map[string]any{"kind": "parents", "templates": []string{}, "lang": "da"}, nil, 400, "agreement.no_templates"},
		{"templates left out", w.a.Facilitator, "POST", newAgreement, map[string]any{"kind": "pupils", "lang": "da"}, nil, 400, "agreement.no_templates"},
		{"unknown kind", w.a.Facilitator, "POST", newAgreement, map[string]any{"kind": "teachers", "templates": []string{"photos"}, "lang": "da"}, nil, 400, "agreement.kind_invalid"},
		{"unknown language", w.a.Facilitator, "POST", newAgreement, map[string]any{"kind": "parents", "templates": []string{"photos"}, "lang": "xx"}, nil, 400, "agreement.lang_invalid"},
		{"too long a title", w.a.Facilitator, "POST", newAgreement, map[string]any{"kind": "parents", "templates": []string{"photos"}, "lang": "da", "title": strings.Repeat("a", agreements.MaxTitleLen+1)}, nil, 400, "agreement.title_too_long"},

		// Editing clauses.
		{"no base_rev", w.parent, "PUT", clause, map[string]any{"body": "x"}, nil, 400, "request.malformed"},
		{"a value not among the options", w.parent, "PUT", clause, map[string]any{"value": "9", "base_rev": age.Rev}, nil, 400, "clause.value_invalid"},
		{"a value for a clause without a parameter", w.parentB, "PUT", "/api/v1/agreements/" + w.parentsB.ID + "/clauses/" + photo.ID, map[string]any{"value": "13", "base_rev": photo.Rev}, nil, 400, "clause.no_parameter"},
		{"an empty title", w.parent, "PUT", clause, map[string]any{"title": "  ", "base_rev": age.Rev}, nil, 400, "clause.empty"},
		{"too long a clause title", w.parent, "PUT", clause, map[string]any{"title": strings.Repeat("a", agreements.MaxTitleLen+1), "base_rev": age.Rev}, nil, 400, "clause.title_too_long"},
		{"a body of 20001 UTF-16 units", w.parent, "PUT", clause, map[string]any{"body": strings.Repeat("a", agreements.MaxBodyLen+1), "base_rev": age.Rev}, nil, 413, "clause.body_too_long"},
		{"a body of 10001 emoji (20002 units)", w.parent, "PUT", clause, map[string]any{"body": strings.Repeat("😀", agreements.MaxBodyLen/2+1), "base_rev": age.Rev}, nil, 413, "clause.body_too_long"},
		{"a new clause without a title", w.parent, "POST", clauses, map[string]any{"title": "", "body": "x"}, nil, 400, "clause.empty"},
		{"a new clause with too long a body", w.parent, "POST", clauses, map[string]any{"title": "x", "body": strings.Repeat("a", agreements.MaxBodyLen+1)}, nil, 413, "clause.body_too_long"},
		{"a new clause after an unknown clause", w.parent, "POST", clauses, map[string]any{"title": "x", "after": "nope"}, nil, 404, "clause.unknown"},
		{"edit an unknown clause", w.parent, "PUT", clauses + "/nope", map[string]any{"body": "x", "base_rev": 0}, nil, 404, "clause.unknown"},
		{"edit another agreement's clause", w.a.Facilitator, "PUT", clauses + "/" + w.pupils.Clauses[0].ID, map[string]any{"body": "x", "base_rev": 0}, nil, 404, "clause.unknown"},
		{"remove an unknown clause", w.a.Facilitator, "DELETE", clauses + "/nope", nil, nil, 404, "clause.unknown"},
		{"move an unknown clause", w.a.Facilitator, "POST", clauses + "/nope/move", map[string]any{"after": ""}, nil, 404, "clause.unknown"},
		{"move after an unknown clause", w.a.Facilitator, "POST", clause + "/move", map[string]any{"after": "nope"}, nil, 404, "clause.unknown"},
		{"move a clause after itself", w.a.Facilitator, "POST", clause + "/move", map[string]any{"after": age.ID}, nil, 404, "clause.unknown"},
		{"vote on an empty agreement", w.b.Facilitator, "POST", "/api/v1/agreements/" + empty.ID + "/voting", map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil, 409, "agreement.empty"},
		{"publish a draft without a vote", w.b.Facilitator, "POST", "/api/v1/agreements/" + empty.ID + "/publish", nil, nil, 409, "agreement.not_adopted"},

		// Unknown IDs. An unknown class is refused like a stranger's (403), so no one learns
		// which class IDs exist. An unknown agreement is 404 while a stranger's is 403: the
		// difference tells an outsider that an agreement ID exists (reported; IDs are random
		// 60-bit strings, so this is a small leak).
		{"unknown class", w.a.Facilitator, "GET", "/api/v1/classes/nope", nil, nil, 403, "auth.forbidden"},
		{"agreement in an unknown class", w.a.Facilitator, "POST", "/api/v1/classes/nope/agreements", map[string]any{"kind": "parents", "templates": []string{"photos"}, "lang": "da"}, nil, 403, "auth.forbidden"},
		{"unknown agreement", w.a.Facilitator, "GET", "/api/v1/agreements/nope", nil, nil, 404, "not_found"},
		{"edit in an unknown agreement", w.parent, "PUT", "/api/v1/agreements/nope/clauses/" + age.ID, map[string]any{"body": "x", "base_rev": 0}, nil, 404, "not_found"},
		{"publish an unknown agreement", w.a.Facilitator, "POST", "/api/v1/agreements/nope/publish", nil, nil, 404, "not_found"},
		{"unknown published slug", "", "GET", "/api/v1/published/nope", nil, nil, 404, "not_found"},
		{"unknown school", w.school.Token, "GET", "/api/v1/schools/nope", nil, nil, 403, "auth.forbidden"},

		// Routes and methods.
		{"unknown API route", "", "GET", "/api/v1/nope", nil, nil, 404, "not_found"},
		{"unknown API route with a token", w.parent, "POST", "/api/v1/agreements/" + pa.ID + "/nonsense", map[string]any{}, nil, 404, "not_found"},
		{"wrong method on join", "", "PUT", "/api/v1/join", map[string]any{}, nil, 405, "request.method"},
		{"wrong method on an agreement", w.a.Facilitator, "DELETE", "/api/v1/agreements/" + pa.ID, nil, nil, 405, "request.method"},
		{"wrong method on templates", "", "POST", "/api/v1/templates", map[string]any{}, nil, 405, "request.method"},

		// Templates listing (it writes nothing, but is refused all the same).
		{"templates of grade 11", "", "GET", "/api/v1/templates?kind=parents&grade=11", nil, nil, 400, "class.grade_invalid"},
		{"templates of grade x", "", "GET", "/api/v1/templates?kind=parents&grade=x", nil, nil, 400, "class.grade_invalid"},
		{"templates of grade -2", "", "GET", "/api/v1/templates?kind=parents&grade=-2", nil, nil, 400, "class.grade_invalid"},
		{"templates of no kind", "", "GET", "/api/v1/templates", nil, nil, 400, "agreement.kind_invalid"},
		{"templates in an unknown language", "", "GET", "/api/v1/templates?kind=pupils&lang=xx", nil, nil, 400, "agreement.lang_invalid"},
	})
}

// A limit is a limit: text right at it is taken.
func TestLimitsAreInclusive(t *testing.T) {
	w := newWorld(t)
	name := strings.Repeat("æ", agreements.MaxNameLen)
	m, _ := w.app.Join(w.a.ParentCode, name, name)
	if m.Name != name {
		t.Errorf("a name of %d runes was stored as %q", agreements.MaxNameLen, m.Name)
	}
	cl := w.parents.Clauses[0]
	body := strings.Repeat("😀", agreements.MaxBodyLen/2) // exactly MaxBodyLen UTF-16 units
	var out agreements.Clause
	w.app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+w.parents.ID+"/clauses/"+cl.ID, w.parent,
		map[string]any{"body": body, "base_rev": cl.Rev}, &out)
	if out.Body != body {
		t.Errorf("a body of %d UTF-16 units came back changed", agreements.MaxBodyLen)
	}
}

func TestOversizedBodies(t *testing.T) {
	const limit = 4096
	app := apptest.New(t, apptest.Options{MaxBodyBytes: limit})
	c := app.NewClass("4.B", 4)
	_, parent := app.Join(c.ParentCode, "Mor", "Ida")
	a := app.NewAgreement(c, "parents", "photos")
	big := strings.Repeat("a", limit+1)
	runBad(t, app, []badCase{
		{"join", "", "POST", "/api/v1/join", map[string]any{"code": c.ParentCode, "name": "Far", "household": big}, nil, 413, "request.too_large"},
		{"class", "", "POST", "/api/v1/classes", map[string]any{"name": big, "grade": 4}, nil, 413, "request.too_large"},
		{"school", "", "POST", "/api/v1/schools", map[string]any{"name": big}, nil, 413, "request.too_large"},
		{"edit", parent, "PUT", "/api/v1/agreements/" + a.ID + "/clauses/" + a.Clauses[0].ID, map[string]any{"body": big, "base_rev": 0}, nil, 413, "request.too_large"},
		{"new clause", parent, "POST", "/api/v1/agreements/" + a.ID + "/clauses", map[string]any{"title": "x", "body": big}, nil, 413, "request.too_large"},
		{"garbage", "", "POST", "/api/v1/join", strings.Repeat("[", limit+1), nil, 413, "request.too_large"},
	})
	t.Run("a body of exactly the limit is read", func(t *testing.T) {
		in := map[string]any{"code": c.ParentCode, "name": "Far", "household": "Ida", "household_choice": "same", "pad": ""}
		j, _ := json.Marshal(in)
		in["pad"] = strings.Repeat(" ", limit-len(j))
		if j, _ = json.Marshal(in); len(j) != limit {
			t.Fatalf("body of %d bytes, want %d", len(j), limit)
		}
		if r := app.Do("POST", "/api/v1/join", "", j); r.Status != http.StatusCreated {
			t.Errorf("a body of %d bytes: %d %s", limit, r.Status, r.Body)
		}
	})
}

// An edit made on an old revision is refused with the current clause, so the editor can merge.
func TestStaleRevision(t *testing.T) {
	w := newWorld(t)
	cl := clauseByKey(t, w.parents, "class-chat.rules")
	path := "/api/v1/agreements/" + w.parents.ID + "/clauses/" + cl.ID
	var first agreements.Clause
	w.app.Must(http.StatusOK, "PUT", path, w.parent, map[string]any{"body": "Mor skrev først.", "base_rev": cl.Rev}, &first)

	stale := []struct {
		name string
		edit map[string]any
	}{
		{"body on the old revision", map[string]any{"body": "Far skrev bagefter.", "base_rev": cl.Rev}},
		{"value on the old revision", map[string]any{"value": "teacher", "base_rev": cl.Rev}},
		{"title on a future revision", map[string]any{"title": "Ny", "base_rev": first.Rev + 1}},
	}
	for _, tc := range stale {
		t.Run(tc.name, func(t *testing.T) {
			before := w.app.Snapshot()
			r := w.app.Do("PUT", path, w.parent2, tc.edit)
			wantError(t, r, http.StatusConflict, "clause.stale")
			var out struct {
				Current agreements.Clause `json:"current"`
			}
			if err := r.JSON(&out); err != nil {
				t.Fatal(err)
			}
			if c := out.Current; c.ID != cl.ID || c.Rev != first.Rev || c.Body != first.Body || c.Parameter == nil || c.Parameter.Value != "parents" {
				t.Errorf("current %+v, want the clause at rev %d with Mor's text", c, first.Rev)
			}
			if w.app.Snapshot() != before {
				t.Error("the stale edit changed the database")
			}
		})
	}
	if got := clauseByKey(t, getAgreement(t, w.app, w.parents.ID, w.parent), "class-chat.rules"); got.Body != first.Body || got.Rev != first.Rev {
		t.Errorf("stored clause %+v, want Mor's edit unchanged", got)
	}
}

// localeText returns the message id of lang as written in locales/<lang>.toml, with the
// placeholders of data filled in.
func localeText(t *testing.T, lang, id string, data map[string]string) string {
	t.Helper()
	raw, err := os.ReadFile("../locales/" + lang + ".toml")
	if err != nil {
		t.Fatal(err)
	}
	var tree map[string]any
	if err := toml.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	var node any = tree
	for _, part := range strings.Split(id, ".") {
		m, ok := node.(map[string]any)
		if !ok {
			t.Fatalf("%s.toml has no %s", lang, id)
		}
		node = m[part]
	}
	s, ok := node.(string)
	if !ok {
		t.Fatalf("%s.toml: %s is not a message", lang, id)
	}
	for k, v := range data {
		s = strings.ReplaceAll(s, "{{."+k+"}}", v)
	}
	return s
}

func TestLocalizedErrors(t *testing.T) {
	w := newWorld(t)
	wrongJoin := map[string]any{"code": "XXXXXXXX", "name": "Mor", "household": "Ida"}
	badTemplate := map[string]any{"kind": "parents", "templates": []string{"no-such"}, "lang": "da"}
	evil := []string{"Origin: https://evil.example", "Sec-Fetch-Site: cross-site"}
	cases := []struct {
		name    string
		token   string
		call    call
		headers []string
		status  int
		code    string
		data    map[string]string
		lang    string
	}{
		{"Danish by default", "", call{"POST", "/api/v1/join", wrongJoin}, nil, 404, "code.unknown", nil, "da"},
		{"English by Accept-Language", "", call{"POST", "/api/v1/join", wrongJoin}, []string{"Accept-Language: en-GB,en;q=0.9"}, 404, "code.unknown", nil, "en"},
		{"English by the cookie", "", call{"POST", "/api/v1/join", wrongJoin}, []string{"Cookie: ka_lang=en"}, 404, "code.unknown", nil, "en"},
		{"the cookie wins over Accept-Language", "", call{"POST", "/api/v1/join", wrongJoin}, []string{"Cookie: ka_lang=da", "Accept-Language: en"}, 404, "code.unknown", nil, "da"},
		{"English by ?lang=", "", call{"POST", "/api/v1/join?lang=en", wrongJoin}, nil, 404, "code.unknown", nil, "en"},
		{"an unknown language falls back to Danish", "", call{"POST", "/api/v1/join", wrongJoin}, []string{"Accept-Language: fr-FR"}, 404, "code.unknown", nil, "da"},
		{"no token, Danish", "", call{"GET", "/api/v1/me", nil}, nil, 401, "auth.required", nil, "da"},
		{"no token, English", "", call{"GET", "/api/v1/me", nil}, []string{"Accept-Language: en"}, 401, "auth.required", nil, "en"},
		{"a placeholder, Danish", w.a.Facilitator, call{"POST", "/api/v1/classes/" + w.a.ID + "/agreements", badTemplate}, nil, 400, "template.unknown", map[string]string{"key": "no-such"}, "da"},
		{"a placeholder, English", w.a.Facilitator, call{"POST", "/api/v1/classes/" + w.a.ID + "/agreements", badTemplate}, []string{"Cookie: ka_lang=en"}, 400, "template.unknown", map[string]string{"key": "no-such"}, "en"},
		{"the cross-origin guard, English", "", call{"POST", "/api/v1/join", wrongJoin}, append([]string{"Accept-Language: en"}, evil...), 403, "auth.cross_origin", nil, "en"},
		{"an unknown route, English", "", call{"GET", "/api/v1/nope", nil}, []string{"Cookie: ka_lang=en"}, 404, "not_found", nil, "en"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := w.app.Do(tc.call.method, tc.call.path, tc.token, tc.call.body, tc.headers...)
			wantError(t, r, tc.status, tc.code)
			if want := localeText(t, tc.lang, tc.code, tc.data); r.ErrorMessage() != want {
				t.Errorf("message %q, want the %s text %q", r.ErrorMessage(), tc.lang, want)
			}
		})
	}
}
