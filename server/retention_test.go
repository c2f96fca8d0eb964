package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/internal/apptest"
	"klasseaftale/internal/liveclient"
)

// No data that never ends: a class without activity for 18 months is deleted, with a school or
// without, after a warning on its page; activity is recorded at most once a day.

func classView(t *testing.T, app *apptest.App, classID, tok string) agreements.ClassView {
	t.Helper()
	var v agreements.ClassView
	app.Must(http.StatusOK, "GET", "/api/v1/classes/"+classID, tok, nil, &v)
	return v
}

func tick(t *testing.T, app *apptest.App) {
	t.Helper()
	if err := app.Service.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestInactiveClassesAreDeleted(t *testing.T) {
	app := apptest.New(t)
	start := mustTime(t, "2027-03-10T18:00:00Z")
	clock := useClock(app, start)
	s := registerSchool(t, app, "Bakkeskolen")
	lone := app.NewClass("4.A", 4) // no school
	_, parent := app.Join(lone.ParentCode, "Mor", "Ida")
	draft := app.NewAgreement(lone, "parents", "photos")
	inSchool := schoolClass(t, app, s, "4.B", 4, 1)
	used := app.NewClass("4.C", 4)
	_, usedParent := app.Join(used.ParentCode, "Far", "Alma")
	due := agreements.DeletionDue(start)
	if v := classView(t, app, lone.ID, parent); !v.Class.LastActiveAt.Equal(start) || !v.Class.DeletionDue.Equal(due) || v.DeletionSoon {
		t.Fatalf("a new class: last active %s, due %s, soon %v; want %s, %s", v.Class.LastActiveAt, v.Class.DeletionDue, v.DeletionSoon, start, due)
	}
	notice := func(tok, classID string) bool {
		return strings.Contains(fetch(t, app, "GET", "/c/"+classID, "", session(tok)).Body, `data-testid="deletion-notice"`)
	}

	t.Run("the class page warns 60 days before", func(t *testing.T) {
		clock.set(due.Add(-agreements.DeletionNotice - time.Minute))
		if notice(parent, lone.ID) {
			t.Error("the warning shows 60 days and a minute before")
		}
		clock.set(due.Add(-agreements.DeletionNotice + time.Minute))
		page := fetch(t, app, "GET", "/c/"+lone.ID, "", session(parent)).Body
		if !strings.Contains(page, localeText(t, "da", "class.deletion_notice", map[string]string{"Date": due.Format("02.01.2006"), "Months": "18"})) {
			t.Error("the class page does not say when the class will be deleted")
		}
		if v := classView(t, app, lone.ID, parent); !v.DeletionSoon {
			t.Error("the API does not say that the deletion is near")
		}
	})

	t.Run("a write by a member moves the date", func(t *testing.T) {
		castless := draft.Clauses[0]
		app.Must(http.StatusOK, "PUT", votePath(draft.ID, "clauses/"+castless.ID), parent, map[string]any{"body": "Ny tekst.", "base_rev": castless.Rev}, nil)
		v := classView(t, app, lone.ID, parent)
		if !v.Class.LastActiveAt.Equal(clock.now()) || v.DeletionSoon || notice(parent, lone.ID) {
			t.Errorf("after an edit: last active %s (now %s), soon %v", v.Class.LastActiveAt, clock.now(), v.DeletionSoon)
		}
	})

	t.Run("recorded at most once a day", func(t *testing.T) {
		first := classView(t, app, used.ID, usedParent).Class.LastActiveAt
		clock.set(start.Add(48 * time.Hour).Truncate(24 * time.Hour).Add(time.Hour)) // 01:00 of a later day
		app.Must(http.StatusCreated, "POST", "/api/v1/classes/"+used.ID+"/agreements", used.Facilitator, map[string]any{"kind": "parents", "templates": []string{"photos"}}, nil)
		morning := classView(t, app, used.ID, usedParent).Class.LastActiveAt
		clock.add(20 * time.Hour) // 21:00 the same day
		app.Join(used.ParentCode, "Mor", "Bo")
		evening := classView(t, app, used.ID, usedParent).Class.LastActiveAt
		clock.add(4 * time.Hour) // 01:00 the next day
		app.Join(used.ParentCode, "Far", "Ea")
		next := classView(t, app, used.ID, usedParent).Class.LastActiveAt
		if !morning.After(first) || !evening.Equal(morning) || !next.After(evening) {
			t.Errorf("last active %s, then %s, %s the same day, %s the next", first, morning, evening, next)
		}
	})

	t.Run("after 18 months without activity the class is deleted", func(t *testing.T) {
		tab := &liveclient.Client{URL: app.URL, Agree: draft.ID, Token: parent, ID: "tab"}
		clock.set(agreements.DeletionDue(classView(t, app, lone.ID, parent).Class.LastActiveAt).Add(-time.Minute))
		app.Join(used.ParentCode, "Ny", "Kim") // 4.C is used now
		if err := tab.Connect(context.Background()); err != nil {
			t.Fatal(err)
		}
		defer tab.Close()
		tick(t, app)
		app.Must(http.StatusOK, "GET", "/api/v1/classes/"+lone.ID, parent, nil, nil)
		clock.add(2 * time.Minute)
		tick(t, app)
		wantError(t, app.Do("GET", "/api/v1/classes/"+lone.ID, parent, nil), http.StatusUnauthorized, "auth.required")
		wantError(t, app.Do("GET", "/api/v1/classes/"+lone.ID, lone.Facilitator, nil), http.StatusUnauthorized, "auth.required")
		select {
		case <-tab.Closed():
		case <-time.After(10 * time.Second):
			t.Error("the deleted class's live connection is still open")
		}
		for _, s := range []string{lone.ID, "Ida", draft.ID} {
			if n := rowsWith(app, s); n != 0 {
				t.Errorf("%q is still in %d rows", s, n)
			}
		}
		// The school's class, unused since the start, went too; the class used later stays.
		if inOverview(t, app, s, inSchool.ID) {
			t.Error("the school's inactive class is still in its overview")
		}
		if classView(t, app, used.ID, usedParent).Class.ID != used.ID {
			t.Error("the class used later is gone")
		}
	})
}
