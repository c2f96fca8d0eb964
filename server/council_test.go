package server_test

import (
	"net/http"
	"strings"
	"testing"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
)

// The pupil council through the real server: a school's admin creates it and the links of the
// adults who lead it, pupils of the school's classes join it, it drafts, votes on and publishes
// a pupils' agreement, and a class starts its own from it.

// councilWorld is a school with two classes and a pupil council whose agreement is published,
// another school with a class, and a token for every role.
type councilWorld struct {
	app             *apptest.App
	school, other   apptest.School
	a, b            apptest.Class // 4.A and 5.B of the school
	elsewhere       apptest.Class // a class of the other school
	council         apptest.Council
	member, member2 string // council members' tokens, from 4.A and 5.B
	memberID        string
	pupil, parent   string // a pupil and a parent of 4.A
	board           string // a board member's link of the school
	published       agreements.Agreement
}

func newCouncilWorld(t *testing.T) *councilWorld {
	t.Helper()
	app := apptest.New(t)
	w := &councilWorld{app: app, school: app.NewSchool("Bakkeskolen"), other: app.NewSchool("Engskolen")}
	w.a = app.NewClassIn("4.A", 4, w.school.OrganiserCode)
	w.b = app.NewClassIn("5.B", 5, w.school.OrganiserCode)
	w.elsewhere = app.NewClassIn("4.C", 4, w.other.OrganiserCode)
	w.council = app.NewCouncil(w.school, "Elevrådet")
	var m agreements.Member
	m, w.member = app.JoinCouncil(w.council.PupilCode, "Lynet", w.a.ID)
	w.memberID = m.ID
	_, w.member2 = app.JoinCouncil(w.council.PupilCode, "Stjerne", w.b.ID)
	_, w.pupil = app.Join(w.a.PupilCode, "Kalle", "")
	_, w.parent = app.Join(w.a.ParentCode, "Mor til Ida", "Ida")
	var link struct {
		Token string `json:"token"`
	}
	app.Must(http.StatusCreated, "POST", "/api/v1/schools/"+w.school.ID+"/board-links", w.school.Token, map[string]any{"label": "Formand"}, &link)
	w.board = link.Token
	w.published = app.PublishCouncilAgreement(w.council, []string{w.member, w.member2}, "pupil-tone", "pupil-photos", "pupil-left-out")
	return w
}

func TestCouncilIsMadeJoinedAndPublishes(t *testing.T) {
	w := newCouncilWorld(t)
	var view agreements.ClassView
	w.app.Must(http.StatusOK, "GET", "/api/v1/classes/"+w.council.ID, w.council.Facilitator, nil, &view)
	if !view.Class.IsCouncil() || view.Class.ParentCode != "" || view.Class.PupilCode != w.council.PupilCode || view.SchoolName != "Bakkeskolen" {
		t.Errorf("the council as its adult sees it: %+v", view.Class)
	}
	from := map[string]string{}
	for _, m := range view.Members {
		from[m.Name] = m.FromClassID
	}
	if from["Lynet"] != w.a.ID || from["Stjerne"] != w.b.ID || from["Lærer Lene"] != "" {
		t.Errorf("members and their classes: %v", from)
	}
	if len(view.SchoolClasses) != 2 || view.SchoolClasses[0].Name != "4.A" || view.SchoolClasses[1].Name != "5.B" {
		t.Errorf("the school's classes: %+v", view.SchoolClasses)
	}
	// One vote per member: two members, two voters.
	var res agreements.Results
	w.app.Must(http.StatusOK, "GET", "/api/v1/agreements/"+w.published.ID+"/results", w.member, nil, &res)
	if res.Electorate != 2 || res.Voted != 2 {
		t.Errorf("the council's vote: electorate %d, voted %d", res.Electorate, res.Voted)
	}
	if w.published.Status != agreements.StatusPublished || len(w.published.Clauses) != 3 {
		t.Errorf("the council's agreement: %s with %d clauses", w.published.Status, len(w.published.Clauses))
	}
	// The council's code opens the council, with the school's classes to choose from.
	var info agreements.CodeInfo
	w.app.Must(http.StatusOK, "GET", "/api/v1/join?code="+w.council.PupilCode, "", nil, &info)
	if info.Role != agreements.RolePupil || info.Class.ID != w.council.ID || len(info.Classes) != 2 || info.Class.PupilCode != "" {
		t.Errorf("the council's code opens %+v", info)
	}
	var classInfo agreements.CodeInfo
	w.app.Must(http.StatusOK, "GET", "/api/v1/join?code="+w.a.ParentCode, "", nil, &classInfo)
	if classInfo.Role != agreements.RoleParent || len(classInfo.Classes) != 0 {
		t.Errorf("a class's code opens %+v", classInfo)
	}
}

func TestAClassStartsFromTheCouncilsAgreement(t *testing.T) {
	w := newCouncilWorld(t)
	var view agreements.ClassView
	w.app.Must(http.StatusOK, "GET", "/api/v1/classes/"+w.a.ID, w.pupil, nil, &view)
	if view.Council == nil || view.Council.Agreement.ID != w.published.ID || len(view.Council.Agreement.Clauses) != 3 || view.Council.Council != "Elevrådet" {
		t.Fatalf("a pupil of the class sees the council's agreement as %+v", view.Council)
	}
	var parentView agreements.ClassView
	w.app.Must(http.StatusOK, "GET", "/api/v1/classes/"+w.a.ID, w.parent, nil, &parentView)
	if parentView.Council != nil {
		t.Error("parents are shown the pupil council's agreement")
	}

	a := w.app.StartFromCouncil(w.a)
	if a.FromCouncil != w.published.ID || a.Kind != agreements.KindPupils || a.Title != w.published.Title || a.Status != agreements.StatusDraft {
		t.Errorf("the class's agreement: %+v", a)
	}
	for i, c := range a.Clauses {
		src := w.published.Clauses[i]
		if c.Council == nil || c.Council.ClauseID != src.ID || c.Council.Body != src.Body || c.Body != src.Body || c.Council.Changed {
			t.Errorf("clause %d arrives as %+v, the council's %+v", i, c, src)
		}
	}
	// The class adapts one clause, drops another, adds its own.
	changed := a.Clauses[0]
	var got agreements.Clause
	w.app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+a.ID+"/clauses/"+changed.ID, w.pupil,
		map[string]any{"body": "Vi siger det samme på nettet som i skolegården — også i 4.A.", "base_rev": changed.Rev}, &got)
	if got.Council == nil || !got.Council.Changed || got.Council.Body != changed.Body {
		t.Errorf("the changed clause beside the council's text: %+v", got.Council)
	}
	w.app.Must(http.StatusNoContent, "DELETE", "/api/v1/agreements/"+a.ID+"/clauses/"+a.Clauses[1].ID, w.a.Facilitator, nil, nil)
	w.app.Must(http.StatusCreated, "POST", "/api/v1/agreements/"+a.ID+"/clauses", w.pupil, map[string]any{"title": "Vores egen", "body": "x"}, nil)
	var now agreements.Agreement
	w.app.Must(http.StatusOK, "GET", "/api/v1/agreements/"+a.ID, w.pupil, nil, &now)
	marks := []string{}
	for _, c := range now.Clauses {
		switch {
		case c.Council == nil:
			marks = append(marks, "own")
		case c.Council.Changed:
			marks = append(marks, "changed")
		default:
			marks = append(marks, "kept")
		}
	}
	if len(marks) != 3 || marks[0] != "changed" || marks[1] != "kept" || marks[2] != "own" {
		t.Errorf("the clauses now: %v", marks)
	}
	// Once is enough: the class page says where its agreement is.
	wantError(t, w.app.Do("POST", "/api/v1/classes/"+w.a.ID+"/agreements/from-council", w.a.Facilitator, nil), http.StatusConflict, "council.taken_up")
	w.app.Must(http.StatusOK, "GET", "/api/v1/classes/"+w.a.ID, w.a.Facilitator, nil, &view)
	if view.Council == nil || view.Council.TakenUpBy != a.ID {
		t.Errorf("the class page's offer after starting: %+v", view.Council)
	}
}

// A revision of a class's agreement keeps the council's texts of the clauses it carries over.
func TestRevisionKeepsTheCouncilsText(t *testing.T) {
	w := newCouncilWorld(t)
	a := w.app.StartFromCouncil(w.a)
	_, pupil2 := w.app.Join(w.a.PupilCode, "Mads", "")
	w.app.Adopt(w.a, a.ID, w.pupil, pupil2)
	w.app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+a.ID+"/publish", w.a.Facilitator, nil, nil)
	var next agreements.Agreement
	w.app.Must(http.StatusCreated, "POST", "/api/v1/agreements/"+a.ID+"/revise", w.a.Facilitator, nil, &next)
	if next.FromCouncil != w.published.ID || len(next.Clauses) != 3 {
		t.Fatalf("the next revision: from %q, %d clauses", next.FromCouncil, len(next.Clauses))
	}
	for i, c := range next.Clauses {
		if c.Council == nil || c.Council.ClauseID != w.published.Clauses[i].ID {
			t.Errorf("clause %d of the revision: %+v", i, c.Council)
		}
	}
}

// roles are the people of a council world by name, with their tokens.
func (w *councilWorld) roles() map[string]string {
	return map[string]string{
		"council member": w.member, "council's adult": w.council.Facilitator,
		"class pupil": w.pupil, "parent": w.parent, "class facilitator": w.a.Facilitator,
		"school admin": w.school.Token, "board member": w.board,
		"other school's admin": w.other.Token, "other school's facilitator": w.elsewhere.Facilitator,
	}
}

// Every council route, for every role: who may, and that every refusal is 403 and changes
// nothing. The calls that succeed are made last, on a fresh world each.
func TestCouncilAuthorization(t *testing.T) {
	w := newCouncilWorld(t)
	sc, council, a := "/api/v1/schools/"+w.school.ID, w.council.ID, w.a.ID
	routes := []struct {
		name string
		call
		may map[string]int // role → status of success; every other role gets 403
	}{
		{"create the council", call{"POST", sc + "/council", map[string]any{"name": "Elevråd 2"}}, map[string]int{"school admin": 409}},
		{"read the council", call{"GET", sc + "/council", nil}, map[string]int{"school admin": 200}},
		{"rotate the council's code (school)", call{"POST", sc + "/council/code/rotate", nil}, map[string]int{"school admin": 200}},
		{"add an adult", call{"POST", sc + "/council/facilitators", map[string]any{"name": "Ole"}}, map[string]int{"school admin": 201}},
		{"remove an adult", call{"DELETE", sc + "/council/facilitators/" + w.memberID, nil}, map[string]int{"school admin": 404}},
		{"rotate the council's code (adult)", call{"POST", "/api/v1/classes/" + council + "/codes/pupil/rotate", nil}, map[string]int{"council's adult": 200}},
		{"read the council's space", call{"GET", "/api/v1/classes/" + council, nil}, map[string]int{"council's adult": 200, "council member": 200}},
		{"start a council agreement", call{"POST", "/api/v1/classes/" + council + "/agreements",
			map[string]any{"kind": "pupils", "templates": []string{"pupil-tone"}, "lang": "da"}}, map[string]int{"council's adult": 201}},
		{"read the council's agreement", call{"GET", "/api/v1/agreements/" + w.published.ID, nil}, map[string]int{"council's adult": 200, "council member": 200}},
		{"start from the council", call{"POST", "/api/v1/classes/" + a + "/agreements/from-council", nil}, map[string]int{"class facilitator": 201}},
	}
	for _, rt := range routes {
		for role, tok := range w.roles() {
			if _, ok := rt.may[role]; ok {
				continue
			}
			t.Run(rt.name+" as "+role, func(t *testing.T) {
				before := w.app.Snapshot()
				wantError(t, w.app.Do(rt.method, rt.path, tok, rt.body), http.StatusForbidden, "auth.forbidden")
				if w.app.Snapshot() != before {
					t.Error("the refused request changed the database")
				}
			})
		}
	}
	for _, rt := range routes {
		for role, status := range rt.may {
			t.Run(rt.name+" as "+role, func(t *testing.T) {
				fresh := newCouncilWorld(t)
				path := map[string]string{w.school.ID: fresh.school.ID, council: fresh.council.ID, a: fresh.a.ID,
					w.published.ID: fresh.published.ID, w.memberID: fresh.memberID}
				if r := fresh.app.Do(rt.method, replaceIDs(rt.path, path), fresh.roles()[role], rt.body); r.Status != status {
					t.Errorf("status %d, want %d: %s", r.Status, status, r.Body)
				}
			})
		}
	}
}

// replaceIDs puts another world's IDs into a path.
func replaceIDs(path string, ids map[string]string) string {
	for old, id := range ids {
		path = strings.ReplaceAll(path, old, id)
	}
	return path
}

func TestCouncilRoutesNeedAToken(t *testing.T) {
	w := newCouncilWorld(t)
	sc := "/api/v1/schools/" + w.school.ID
	for _, rt := range []call{
		{"POST", sc + "/council", map[string]any{"name": "x"}},
		{"GET", sc + "/council", nil},
		{"POST", sc + "/council/code/rotate", nil},
		{"POST", sc + "/council/facilitators", map[string]any{"name": "x"}},
		{"DELETE", sc + "/council/facilitators/" + w.memberID, nil},
		{"POST", "/api/v1/classes/" + w.a.ID + "/agreements/from-council", nil},
	} {
		wantError(t, w.app.Do(rt.method, rt.path, "", rt.body), http.StatusUnauthorized, "auth.required")
	}
}

// Bad input gets a clear error and changes nothing.
func TestCouncilBadInput(t *testing.T) {
	w := newCouncilWorld(t)
	sc := "/api/v1/schools/" + w.school.ID
	noSchool := w.app.NewClass("6.X", 6)
	archived := w.app.NewClassIn("7.A", 7, w.school.OrganiserCode)
	w.app.Must(http.StatusOK, "POST", sc+"/classes/"+archived.ID+"/archive", w.school.Token, nil, nil)
	w.app.Must(http.StatusCreated, "POST", sc+"/council/facilitators", w.school.Token, map[string]any{"name": "Ole"}, nil)
	join := func(classID string) map[string]any {
		return map[string]any{"code": w.council.PupilCode, "name": "Ny", "from_class_id": classID}
	}
	long := strings.Repeat("x", 61)
	cases := []struct {
		name, token string
		call
		status int
		code   string
	}{
		{"a second council", w.school.Token, call{"POST", sc + "/council", map[string]any{"name": "Elevråd 2"}}, 409, "council.exists"},
		{"a council name too long", w.school.Token, call{"POST", sc + "/council", map[string]any{"name": long}}, 400, "name.too_long"},
		{"a council of broken JSON", w.school.Token, call{"POST", sc + "/council", `{"name": `}, 400, "request.malformed"},
		{"a third adult", w.school.Token, call{"POST", sc + "/council/facilitators", map[string]any{"name": "Tredje"}}, 409, "council.facilitators_full"},
		{"an adult without a name", w.school.Token, call{"POST", sc + "/council/facilitators", map[string]any{"name": " "}}, 400, "name.required"},
		{"an adult of a wrong shape", w.school.Token, call{"POST", sc + "/council/facilitators", map[string]any{"name": 7}}, 400, "request.malformed"},
		{"removing a pupil as an adult", w.school.Token, call{"DELETE", sc + "/council/facilitators/" + w.memberID, nil}, 404, "not_found"},
		{"removing nobody", w.school.Token, call{"DELETE", sc + "/council/facilitators/nobodynobody", nil}, 404, "not_found"},
		{"joining without a class", "", call{"POST", "/api/v1/join", join("")}, 400, "council.class_required"},
		{"joining from another school's class", "", call{"POST", "/api/v1/join", join(w.elsewhere.ID)}, 400, "council.class_unknown"},
		{"joining from a class of no school", "", call{"POST", "/api/v1/join", join(noSchool.ID)}, 400, "council.class_unknown"},
		{"joining from a closed class", "", call{"POST", "/api/v1/join", join(archived.ID)}, 400, "council.class_unknown"},
		{"joining from the council itself", "", call{"POST", "/api/v1/join", join(w.council.ID)}, 400, "council.class_unknown"},
		{"joining from an unknown class", "", call{"POST", "/api/v1/join", join("nosuchclass2")}, 400, "council.class_unknown"},
		{"joining with the council's placeholder", "", call{"POST", "/api/v1/join", map[string]any{"code": "council:" + w.council.ID, "name": "x"}}, 404, "code.unknown"},
		{"the council's parent code", w.council.Facilitator, call{"POST", "/api/v1/classes/" + w.council.ID + "/codes/parent/rotate", nil}, 400, "code.kind_invalid"},
		{"a parents' agreement in the council", w.council.Facilitator, call{"POST", "/api/v1/classes/" + w.council.ID + "/agreements",
			map[string]any{"kind": "parents", "templates": []string{"photos"}, "lang": "da"}}, 400, "council.pupils_only"},
		{"from the council without a school", noSchool.Facilitator, call{"POST", "/api/v1/classes/" + noSchool.ID + "/agreements/from-council", nil}, 409, "council.no_agreement"},
		{"from another school without a council", w.elsewhere.Facilitator, call{"POST", "/api/v1/classes/" + w.elsewhere.ID + "/agreements/from-council", nil}, 409, "council.no_agreement"},
		{"from the council with a long title", w.a.Facilitator, call{"POST", "/api/v1/classes/" + w.a.ID + "/agreements/from-council",
			map[string]any{"title": strings.Repeat("x", 201)}}, 400, "agreement.title_too_long"},
		{"moving the council to another school", w.council.Facilitator, call{"POST", "/api/v1/classes/" + w.council.ID + "/school",
			map[string]any{"organiser_code": w.other.OrganiserCode}}, 403, "auth.forbidden"},
		{"from the council with broken JSON", w.a.Facilitator, call{"POST", "/api/v1/classes/" + w.a.ID + "/agreements/from-council", `{"title"`}, 400, "request.malformed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := w.app.Snapshot()
			wantError(t, w.app.Do(tc.method, tc.path, tc.token, tc.body), tc.status, tc.code)
			if w.app.Snapshot() != before {
				t.Error("the refused request changed the database")
			}
		})
	}
	// A class's code ignores a class named with it: only a council's members come from a class.
	m, _ := w.app.Join(w.a.PupilCode, "Solo", "")
	body := map[string]any{"code": w.b.PupilCode, "name": "Ny", "from_class_id": w.a.ID}
	var joined agreements.Joined
	w.app.Must(http.StatusCreated, "POST", "/api/v1/join", "", body, &joined)
	if m.FromClassID != "" || joined.Member.FromClassID != "" || w.app.Count("council_members") != 2 {
		t.Errorf("a class's pupils come from a class: %q %q, %d council members", m.FromClassID, joined.Member.FromClassID, w.app.Count("council_members"))
	}
}

// A council whose agreement is not yet published has nothing to start from; the council of
// another school is never offered.
func TestOnlyTheOwnSchoolsPublishedCouncilAgreement(t *testing.T) {
	app := apptest.New(t)
	s, other := app.NewSchool("Bakkeskolen"), app.NewSchool("Engskolen")
	c, o := app.NewClassIn("4.A", 4, s.OrganiserCode), app.NewClassIn("4.B", 4, other.OrganiserCode)
	council := app.NewCouncil(s, "Elevrådet")
	_, m := app.JoinCouncil(council.PupilCode, "Lynet", c.ID)
	draft := app.NewAgreement(council, "pupils", "pupil-tone")
	wantError(t, app.Do("POST", "/api/v1/classes/"+c.ID+"/agreements/from-council", c.Facilitator, nil), http.StatusConflict, "council.no_agreement")
	app.Adopt(council, draft.ID, m)
	wantError(t, app.Do("POST", "/api/v1/classes/"+c.ID+"/agreements/from-council", c.Facilitator, nil), http.StatusConflict, "council.no_agreement")
	app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+draft.ID+"/publish", council.Facilitator, nil, nil)
	wantError(t, app.Do("POST", "/api/v1/classes/"+o.ID+"/agreements/from-council", o.Facilitator, nil), http.StatusConflict, "council.no_agreement")
	var view agreements.ClassView
	app.Must(http.StatusOK, "GET", "/api/v1/classes/"+o.ID, o.Facilitator, nil, &view)
	if view.Council != nil {
		t.Errorf("another school's class is offered %+v", view.Council)
	}
	a := app.StartFromCouncil(c)
	if a.FromCouncil != draft.ID {
		t.Errorf("started from %q, want %q", a.FromCouncil, draft.ID)
	}
	// Closing the council ends its members' access and its offer; the class keeps its text.
	app.Must(http.StatusOK, "POST", "/api/v1/schools/"+s.ID+"/classes/"+council.ID+"/archive", s.Token, nil, nil)
	wantError(t, app.Do("GET", "/api/v1/classes/"+council.ID, m, nil), http.StatusUnauthorized, "auth.required")
	wantError(t, app.Do("POST", "/api/v1/join", "", map[string]any{"code": council.PupilCode, "name": "x", "from_class_id": c.ID}), http.StatusNotFound, "code.unknown")
	app.Must(http.StatusOK, "GET", "/api/v1/classes/"+c.ID, c.Facilitator, nil, &view)
	if view.Council != nil {
		t.Errorf("a closed council is offered %+v", view.Council)
	}
	got := getAgreement(t, app, a.ID, c.Facilitator)
	if got.FromCouncil != draft.ID || got.Clauses[0].Council == nil {
		t.Errorf("the class's agreement after the council closed: %+v", got)
	}
	wantError(t, app.Do("POST", "/api/v1/schools/"+s.ID+"/council/facilitators", s.Token, map[string]any{"name": "x"}), http.StatusNotFound, "council.none")
	app.Must(http.StatusOK, "DELETE", "/api/v1/schools/"+s.ID+"/classes/"+council.ID+"/archive", s.Token, nil, nil)
	app.Must(http.StatusOK, "GET", "/api/v1/classes/"+council.ID, m, nil, nil)
}

// A member leaves the council, or its adult removes one: the member's key and their class go.
func TestLeavingTheCouncil(t *testing.T) {
	w := newCouncilWorld(t)
	w.app.Must(http.StatusOK, "DELETE", "/api/v1/classes/"+w.council.ID+"/members/me", w.member, nil, nil)
	wantError(t, w.app.Do("GET", "/api/v1/classes/"+w.council.ID, w.member, nil), http.StatusUnauthorized, "auth.required")
	var v agreements.ClassView
	w.app.Must(http.StatusOK, "GET", "/api/v1/classes/"+w.council.ID, w.council.Facilitator, nil, &v)
	for _, m := range v.Members {
		if m.Name == "Stjerne" {
			w.app.Must(http.StatusOK, "DELETE", "/api/v1/classes/"+w.council.ID+"/members/"+m.ID, w.council.Facilitator, nil, nil)
		}
	}
	if n := w.app.Count("council_members"); n != 0 {
		t.Errorf("%d council members' classes kept after they left", n)
	}
}

// Removing an adult ends their key at once; the school admin can then add another.
func TestRemovingACouncilsAdult(t *testing.T) {
	w := newCouncilWorld(t)
	sc := "/api/v1/schools/" + w.school.ID
	var v agreements.CouncilView
	w.app.Must(http.StatusOK, "GET", sc+"/council", w.school.Token, nil, &v)
	if len(v.Facilitators) != 1 || v.Pupils != 2 || v.Council.PupilCode != w.council.PupilCode {
		t.Fatalf("the council as its school sees it: %+v", v)
	}
	w.app.Must(http.StatusNoContent, "DELETE", sc+"/council/facilitators/"+v.Facilitators[0].ID, w.school.Token, nil, nil)
	wantError(t, w.app.Do("GET", "/api/v1/classes/"+w.council.ID, w.council.Facilitator, nil), http.StatusUnauthorized, "auth.required")
	var rotated struct {
		Council agreements.Class `json:"council"`
	}
	w.app.Must(http.StatusOK, "POST", sc+"/council/code/rotate", w.school.Token, nil, &rotated)
	if rotated.Council.PupilCode == w.council.PupilCode || len(rotated.Council.PupilCode) != 8 {
		t.Errorf("rotated to %q", rotated.Council.PupilCode)
	}
	wantError(t, w.app.Do("POST", "/api/v1/join", "", map[string]any{"code": w.council.PupilCode, "name": "x", "from_class_id": w.a.ID}), http.StatusNotFound, "code.unknown")
	w.app.JoinCouncil(rotated.Council.PupilCode, "Ny", w.a.ID)
}

// Every page the pupil council adds or changes renders, for each person who sees it, with what
// they should see and not what they should not.
func TestCouncilPages(t *testing.T) {
	w := newCouncilWorld(t)
	a := w.app.StartFromCouncil(w.a)
	cl := a.Clauses[0]
	w.app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+a.ID+"/clauses/"+cl.ID, w.pupil, map[string]any{"body": "Nyt.", "base_rev": cl.Rev}, nil)
	check := func(name, path, tok string, want, not []string) {
		t.Helper()
		body := page(t, w.app, path, tok)
		for _, s := range want {
			if !strings.Contains(body, s) {
				t.Errorf("%s lacks %q", name, s)
			}
		}
		for _, s := range not {
			if strings.Contains(body, s) {
				t.Errorf("%s shows %q", name, s)
			}
		}
	}
	code := `data-testid="pupil-code"`
	check("the council's page for its adult", "/c/"+w.council.ID, w.council.Facilitator,
		[]string{code, `<svg class="qr"`, "Elevråd på Bakkeskolen", "Lynet", "4.A", `id="new-pupils"`, `value="pupil-tone"`,
			`/members/` + w.memberID + `"`, `data-testid="help-button"`}, []string{"parent-code", "new-parents", `id="leave-council"`})
	check("the council's page for a member", "/c/"+w.council.ID, w.member, []string{"Stjerne", "5.B", w.published.Title, `id="leave-council"`,
		`data-testid="help-button"`}, []string{code, "new-pupils", "remove-member"})
	check("the council's projector", "/c/"+w.council.ID+"/projector", w.council.Facilitator, []string{spaced(w.council.PupilCode)}, nil)
	check("the class page for its teacher", "/c/"+w.a.ID, w.a.Facilitator, []string{`data-testid="council-offer"`, `data-testid="council-taken"`}, []string{`id="from-council"`})
	check("the class page for a pupil", "/c/"+w.a.ID, w.pupil, []string{`data-testid="council-offer"`, "Elevrådet har aftalt 3 punkter"}, []string{`id="from-council"`})
	check("the class page for a parent", "/c/"+w.a.ID, w.parent, nil, []string{"council-offer"})
	check("another class's page for its teacher", "/c/"+w.b.ID, w.b.Facilitator, []string{`id="from-council"`}, nil)
	check("the join page with the council's code", "/join?code="+w.council.PupilCode, "", []string{`id="join-class"`, `name="from_class_id"`, ">4.A<", ">5.B<", "vælg den klasse"}, []string{"join-child"})
	check("the join page with a class's code", "/join?code="+w.a.PupilCode, "", nil, []string{"join-class"})
	origin := []string{`data-testid="council-basis"`, `data-testid="council-origin"`, "Ændret af klassen", "js/council.js"}
	check("the draft", "/a/"+a.ID, w.pupil, append(origin, `class="council-origin changed"`), nil)
	w.app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+a.ID+"/voting", w.a.Facilitator, map[string]any{"quorum_percent": 0, "threshold_percent": 50}, nil)
	check("the ballot", "/a/"+a.ID, w.pupil, origin, nil)
	w.app.Must(http.StatusOK, "PUT", "/api/v1/agreements/"+a.ID+"/votes", w.pupil, map[string]any{"clause_id": cl.ID, "choice": "yes"}, nil)
	w.app.Must(http.StatusOK, "POST", "/api/v1/agreements/"+a.ID+"/close", w.a.Facilitator, nil, nil)
	check("the decision", "/a/"+a.ID, w.a.Facilitator, origin, nil)
	check("the school's page for its admin", "/s/"+w.school.ID, w.school.Token,
		[]string{`id="council-admin"`, `data-testid="council-code"`, "Lærer Lene", `data-testid="council-overview"`, `data-testid="council-cell"`}, []string{`id="create-council"`})
	check("the school's page for a board member", "/s/"+w.school.ID, w.board, []string{`data-testid="council-overview"`}, []string{"council-admin", w.council.PupilCode})
	check("another school's page", "/s/"+w.other.ID, w.other.Token, []string{`id="create-council"`}, []string{"council-overview"})
}
