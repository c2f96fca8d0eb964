package demo_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/agreements/sqlite"
	"klasseaftale/agreements/templates"
	"klasseaftale/internal/apptest"
	"klasseaftale/internal/demo"
)

// The demo's school holds every stage, as the service reports it to the people in it, and its
// links sign those people in.
func TestSeedHoldsEveryStage(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	w, err := demo.Start(ctx, app.Store, app.Service.Library())
	if err != nil {
		t.Fatal(err)
	}
	actor := func(role string) agreements.Actor {
		t.Helper()
		a, err := app.Service.Authenticate(ctx, strings.TrimPrefix(w.Link(role).Path, "/k/"))
		if err != nil {
			t.Fatalf("the %s's link: %v", role, err)
		}
		return a
	}
	admin := actor(demo.RoleSchoolAdmin)
	classes, err := app.Service.SchoolClasses(ctx, admin, w.SchoolID)
	if err != nil || len(classes) != 5 {
		t.Fatalf("the school's classes: %d, %v", len(classes), err)
	}
	status := func(id string) *agreements.Agreement {
		t.Helper()
		var a *agreements.Agreement
		err := app.Store.View(ctx, func(tx agreements.Tx) (err error) { a, err = tx.Agreement(id); return err })
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	for _, c := range []struct {
		name  string
		stage demo.Stage
		want  agreements.Status
	}{
		{"draft", w.Draft, agreements.StatusDraft},
		{"voting", w.Voting, agreements.StatusVoting},
		{"published", w.Published, agreements.StatusPublished},
		{"review", w.Review, agreements.StatusPublished},
		{"from the council", w.FromCouncil, agreements.StatusDraft},
	} {
		if a := status(c.stage.AgreementID); a.Status != c.want || a.ClassID != c.stage.ClassID {
			t.Errorf("%s: %s in %s, want %s in %s", c.name, a.Status, a.ClassID, c.want, c.stage.ClassID)
		}
		if a := status(c.stage.AgreementID); a.Title == "" {
			t.Errorf("%s: the agreement has no title (a link to it would say nothing)", c.name)
		}
	}
	if a := status(w.Review.AgreementID); !a.ReviewDue(time.Now()) {
		t.Errorf("the review class's agreement is not due for review (review at %v)", a.ReviewAt)
	}
	if a := status(w.Published.AgreementID); a.ReviewDue(time.Now()) {
		t.Error("the published class's agreement is already due for review")
	}
	var taken string
	app.Store.View(ctx, func(tx agreements.Tx) (err error) {
		taken, err = tx.TakenUp(w.FromCouncil.ClassID, w.CouncilAgreement)
		return err
	})
	if taken != w.FromCouncil.AgreementID || status(w.CouncilAgreement).Status != agreements.StatusPublished {
		t.Errorf("3.B's agreement is not taken from the council's published one")
	}
	if fac := actor(demo.RoleFacilitator); !fac.IsFacilitatorOf(w.Draft.ClassID) {
		t.Error("the facilitator's link is not the draft class's facilitator")
	}
	p1, p2 := actor(demo.RoleParent), actor(demo.RoleSecondParent)
	if p1.Member == nil || p2.Member == nil || p1.Member.HouseholdID == p2.Member.HouseholdID || p1.Member.ClassID != w.Draft.ClassID || p2.Member.ClassID != w.Draft.ClassID {
		t.Errorf("the two parents are not of two households of the draft class: %+v %+v", p1.Member, p2.Member)
	}
	if p := actor(demo.RolePupil); p.Member == nil || p.Member.Role != agreements.RolePupil || p.Member.ClassID != w.FromCouncil.ClassID {
		t.Errorf("the pupil's link: %+v", p.Member)
	}
	if m := actor(demo.RoleMunicipality); m.MunicipalityID != w.MunicipalityID {
		t.Errorf("the municipality's link: %+v", m)
	}
	var votes map[string][]agreements.Vote
	var sigs []agreements.Signature
	var replies map[string]agreements.CheckinReply
	app.Store.View(ctx, func(tx agreements.Tx) (err error) {
		votes, _ = tx.Votes(w.Voting.AgreementID)
		sigs, _ = tx.Signatures(w.Published.AgreementID)
		c, err := tx.LatestCheckin(w.Published.AgreementID)
		if err == nil {
			replies, err = tx.CheckinReplies(c.ID)
		}
		return err
	})
	if len(votes) != 5 || len(sigs) != 6 || len(replies) < agreements.MinCheckinAnswers {
		t.Errorf("%d households voted in 5.B, %d signed 6.C's agreement, %d answered its check-in", len(votes), len(sigs), len(replies))
	}
	if v := actor(demo.RoleVoter); v.Member == nil || v.Member.ClassID != w.Voting.ClassID {
		t.Errorf("the voter's link is not of the voting class: %+v", v.Member)
	} else if _, voted := votes[v.Member.HouseholdID]; voted {
		t.Error("the voter's household has already voted")
	}
	for _, slug := range []string{w.Published.Slug, w.Review.Slug} {
		if r := app.Do("GET", "/p/"+slug, "", nil); r.Status != http.StatusOK {
			t.Errorf("the published page %s: %d", slug, r.Status)
		}
	}
}

// A second start keeps the school — nothing is made twice — and gives everyone new keys: the
// old links stop working.
func TestSecondStartReusesTheSeed(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	first, err := demo.Start(ctx, app.Store, app.Service.Library())
	if err != nil {
		t.Fatal(err)
	}
	count := func() (n int) {
		app.Store.View(ctx, func(tx agreements.Tx) error {
			cs, err := tx.ClassesOfSchool(first.SchoolID)
			n = len(cs)
			for _, c := range cs {
				as, _ := tx.Agreements(c.ID)
				ms, _ := tx.Members(c.ID)
				n += len(as) + len(ms)
			}
			return err
		})
		return n
	}
	before := count()
	second, err := demo.Start(ctx, app.Store, app.Service.Library())
	if err != nil {
		t.Fatal(err)
	}
	if second.SchoolID != first.SchoolID || second.Draft != first.Draft || count() != before {
		t.Errorf("the second start made another school or more: %s/%s, %d things, were %d", second.SchoolID, first.SchoolID, count(), before)
	}
	for i, l := range first.Links {
		if l.Path == second.Links[i].Path {
			t.Errorf("the %s's link is the same at the second start", l.Role)
		}
		if _, err := app.Service.Authenticate(ctx, strings.TrimPrefix(l.Path, "/k/")); err == nil {
			t.Errorf("the %s's old link still works", l.Role)
		}
		if _, err := app.Service.Authenticate(ctx, strings.TrimPrefix(second.Links[i].Path, "/k/")); err != nil {
			t.Errorf("the %s's new link: %v", l.Role, err)
		}
	}
}

// A database with a school the demo did not make is refused and left as it was.
func TestRealDatabaseRefused(t *testing.T) {
	app := apptest.New(t)
	app.NewSchool("Rigtig Skole")
	_, err := demo.Start(context.Background(), app.Store, app.Service.Library())
	if !errors.Is(err, demo.ErrRealData) {
		t.Fatalf("got %v, want the refusal", err)
	}
	marks, _, _ := app.Service.DemoMarks(context.Background())
	if len(marks) != 0 {
		t.Errorf("the refused database was marked as a demo: %v", marks)
	}
}

// A person of the demo who left their class (the demo is there to be tried) joins it again at
// the next start, so every printed link still opens its page.
func TestLeaverJoinsAgain(t *testing.T) {
	app := apptest.New(t)
	ctx := context.Background()
	w, err := demo.Start(ctx, app.Store, app.Service.Library())
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{demo.RoleParent, demo.RolePupil} {
		a, err := app.Service.Authenticate(ctx, strings.TrimPrefix(w.Link(role).Path, "/k/"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := app.Service.RemoveMember(ctx, a, a.Member.ClassID, a.Member.ID); err != nil {
			t.Fatalf("the %s leaves: %v", role, err)
		}
	}
	again, err := demo.Start(ctx, app.Store, app.Service.Library())
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{demo.RoleParent, demo.RolePupil} {
		a, err := app.Service.Authenticate(ctx, strings.TrimPrefix(again.Link(role).Path, "/k/"))
		if err != nil || a.Member == nil || a.Member.ClassID != w.People[role].ClassID {
			t.Errorf("the %s's link after leaving: %+v, %v", role, a.Member, err)
		}
	}
	third, err := demo.Start(ctx, app.Store, app.Service.Library())
	if err != nil || third.People[demo.RoleParent].MemberID != again.People[demo.RoleParent].MemberID {
		t.Errorf("the third start: %v; the parent's member %s, was %s", err, third.People[demo.RoleParent].MemberID, again.People[demo.RoleParent].MemberID)
	}
}

// How long the first start of the demo takes to fill a new database (the second start only
// makes new keys).
func BenchmarkFirstStart(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		store, lib := newStore(b)
		b.StartTimer()
		if _, err := demo.Start(context.Background(), store, lib); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		store.Close()
		b.StartTimer()
	}
}

func newStore(b *testing.B) (*sqlite.DB, agreements.Library) {
	store, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "demo.db"))
	if err != nil {
		b.Fatal(err)
	}
	lib, err := templates.Load()
	if err != nil {
		b.Fatal(err)
	}
	return store, lib
}
