package server_test

import (
	"net/http"
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
