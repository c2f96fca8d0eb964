package storetest

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/agreements/ot"
	"klasseaftale/agreements/templates"
)

// Deleting closed classes: after the retention period the purge deletes an archived class with
// everything of it, and nothing that tells who was in it stays in the database file or its
// write-ahead log (for an engine whose files the test can read). A class archived more recently
// and the other school's class stay whole.

// retentionClock is a service clock the test moves by hand.
type retentionClock struct{ ns atomic.Int64 }

func (c *retentionClock) now() time.Time      { return time.Unix(0, c.ns.Load()).UTC() }
func (c *retentionClock) add(d time.Duration) { c.ns.Add(int64(d)) }

// markedClass is a class whose every name and text carries a marker no other row has, with the
// IDs of everything it made, so the test can look for each of them after the purge.
type markedClass struct {
	class   *agreements.Class
	markers []string // names and texts, as typed
	ids     []string // the class's, its households', members', agreements', clauses' and check-in's IDs
	hashes  []string // its members' token hashes
}

// newMarkedClass fills a class of the school with everything a class has: a facilitator, two
// households with parents, a pupil, a published parents' agreement with votes (one with a reason),
// signatures and a check-in with comments, and a pupils' draft with a live edit log. Every text
// ends in suffix.
func newMarkedClass(t *testing.T, svc *agreements.Service, organiserCode, suffix string) *markedClass {
	t.Helper()
	ctx := context.Background()
	mc := &markedClass{}
	mark := func(s string) string {
		s += suffix
		mc.markers = append(mc.markers, s)
		return s
	}
	class, fac, facTok, err := svc.CreateClass(ctx, agreements.NewClass{Name: mark("9.Ω-test"), Grade: 9,
		OrganiserCode: organiserCode, FacilitatorName: mark("Lærernavnqq"), Household: mark("Facbarnqq")})
	must(t, err)
	mc.class = class
	mc.ids = append(mc.ids, class.ID, fac.ID, fac.HouseholdID)
	mc.hashes = append(mc.hashes, agreements.HashToken(facTok))
	facA := agreements.Actor{Member: fac}

	var parents []agreements.Actor
	for _, who := range []struct{ name, child string }{{"Qqparentname", "Zyxwunderkind"}, {"Wwandenforaelder", "Xyzandetbarn"}} {
		j, err := svc.Join(ctx, agreements.JoinRequest{Code: class.ParentCode, Name: mark(who.name), Household: mark(who.child)})
		must(t, err)
		parents = append(parents, agreements.Actor{Member: j.Member})
		mc.ids = append(mc.ids, j.Member.ID, j.Member.HouseholdID)
		mc.hashes = append(mc.hashes, agreements.HashToken(j.Token))
	}
	pj, err := svc.Join(ctx, agreements.JoinRequest{Code: class.PupilCode, Name: mark("Elevnavnxq")})
	must(t, err)
	pupil := agreements.Actor{Member: pj.Member}
	mc.ids = append(mc.ids, pj.Member.ID)
	mc.hashes = append(mc.hashes, agreements.HashToken(pj.Token))

	// The parents' agreement: a clause of the class's own words, voted on with a reason,
	// published, signed and checked in on with comments.
	pa, err := svc.CreateAgreement(ctx, facA, class.ID, agreements.NewAgreement{Kind: agreements.KindParents,
		Templates: []string{"photos"}, Lang: "da", Title: mark("Aftaletitelzz")})
	must(t, err)
	mc.ids = append(mc.ids, pa.ID)
	cl := pa.Clauses[0]
	body := mark("Klausulmarkør-7731")
	_, err = svc.EditClause(ctx, parents[0], pa.ID, cl.ID, agreements.ClauseEdit{Body: &body, BaseRev: &cl.Rev})
	must(t, err)
	own, err := svc.AddClause(ctx, facA, pa.ID, agreements.NewClause{Title: mark("Egenoverskrift"), Body: mark("Egentekst")})
	must(t, err)
	mc.ids = append(mc.ids, cl.ID, own.ID)
	_, err = svc.OpenVote(ctx, facA, pa.ID, agreements.VoteRules{Quorum: 0, Threshold: 50})
	must(t, err)
	for _, clauseID := range []string{cl.ID, own.ID} {
		_, err = svc.CastVote(ctx, parents[0], pa.ID, agreements.Vote{ClauseID: clauseID, Answer: agreements.AnswerYesBut, Reason: mark("Grundmarkør-4412")})
		must(t, err)
		_, err = svc.CastVote(ctx, parents[1], pa.ID, agreements.Vote{ClauseID: clauseID, Answer: agreements.AnswerYes})
		must(t, err)
	}
	_, err = svc.CloseVote(ctx, facA, pa.ID)
	must(t, err)
	_, err = svc.Publish(ctx, facA, pa.ID)
	must(t, err)
	for _, p := range parents {
		_, err = svc.Sign(ctx, p, pa.ID, 0)
		must(t, err)
	}
	ck, err := svc.OpenCheckin(ctx, facA, pa.ID)
	must(t, err)
	mc.ids = append(mc.ids, ck.ID)
	_, err = svc.AnswerCheckin(ctx, parents[0], pa.ID, agreements.CheckinReply{Answer: agreements.CheckinPartly, Comment: mark("Kommentarmarkør-9090")})
	must(t, err)

	// The pupils' draft, edited live: its edit log stays until it is published.
	pu, err := svc.CreateAgreement(ctx, facA, class.ID, agreements.NewAgreement{Kind: agreements.KindPupils,
		Templates: []string{"pupil-tone"}, Lang: "da"})
	must(t, err)
	mc.ids = append(mc.ids, pu.ID, pu.Clauses[0].ID)
	pc := pu.Clauses[0]
	rev, text := pc.Rev, pc.Body
	for i, add := range []string{mark(" Opmarkør-5150"), mark(" Andenoperation")} {
		rec, err := svc.ApplyOp(ctx, pupil, pu.ID, agreements.OpRequest{Clause: pc.ID, Rev: rev, Client: "klient" + suffix, Seq: i + 1, Op: ot.Diff(text, text+add)})
		must(t, err)
		rev, text = rec.Rev, text+add
	}
	return mc
}

// service opens a new store for a service, and returns the store for the test's own look.
func service(t *testing.T, e Engine) (*agreements.Service, agreements.Store) {
	t.Helper()
	store := e.Open(t)
	return agreements.NewService(store, templates.MustLoad(), nil), store
}

// rowsNaming returns the rows, by table, that contain one of the strings.
func rowsNaming(rows map[string][]string, what []string) []string {
	var out []string
	for table, lines := range rows {
		for _, line := range lines {
			for _, s := range what {
				if strings.Contains(line, s) {
					out = append(out, table+": "+s+" in "+line)
				}
			}
		}
	}
	return out
}

// onDisk returns the bytes the store keeps on disk, by kind (FileMain, FileWAL, …), for an
// engine that says; ok is false for the others, whose storage the test cannot read.
func onDisk(t *testing.T, e Engine, store agreements.Store) (files map[string][]byte, ok bool) {
	t.Helper()
	if e.Files == nil {
		return nil, false
	}
	return e.Files(t, store), true
}

func testPurgeDeletesArchivedClassesEverywhere(t *testing.T, e Engine) {
	ctx := context.Background()
	svc, store := service(t, e)
	clock := &retentionClock{}
	clock.add(time.Duration(time.Date(2027, 3, 10, 18, 0, 0, 0, time.UTC).UnixNano()))
	svc.SetClock(clock.now)

	school, schoolTok, err := svc.RegisterSchool(ctx, agreements.NewSchool{Name: "Bakkeskolen", Municipality: "Aarhus"})
	must(t, err)
	other, _, err := svc.RegisterSchool(ctx, agreements.NewSchool{Name: "Engskolen"})
	must(t, err)
	admin, err := svc.Authenticate(ctx, schoolTok)
	must(t, err)

	gone := newMarkedClass(t, svc, school.OrganiserCode, "-slettes")
	recent := newMarkedClass(t, svc, school.OrganiserCode, "-nylig")
	elsewhere := newMarkedClass(t, svc, other.OrganiserCode, "-andetsted")
	open := newMarkedClass(t, svc, school.OrganiserCode, "-aaben")

	// Every marker and ID is in the file before: the search below would find them.
	before := e.Rows(t, store)
	for _, mc := range []*markedClass{gone, recent, elsewhere, open} {
		for _, s := range append(append(slices.Clone(mc.markers), mc.ids...), mc.hashes...) {
			if len(rowsNaming(before, []string{s})) == 0 {
				t.Fatalf("%q is in no row before the purge: the check would prove nothing", s)
			}
		}
	}
	for _, table := range []string{"households", "members", "agreements", "clauses", "clause_ops", "votes", "signatures", "checkins", "checkin_replies"} {
		if len(rowsNaming(map[string][]string{table: before[table]}, gone.ids)) == 0 {
			t.Fatalf("no row of the class in %s before the purge", table)
		}
	}

	_, err = svc.ArchiveClass(ctx, admin, school.ID, gone.class.ID, true)
	must(t, err)
	clock.add(10 * 24 * time.Hour)
	_, err = svc.ArchiveClass(ctx, admin, school.ID, recent.class.ID, true)
	must(t, err)

	// 30 days after the first archiving, less a minute: nothing is due.
	clock.add(agreements.DefaultRetention - 10*24*time.Hour - time.Minute)
	n, err := svc.PurgeArchived(ctx, agreements.DefaultRetention)
	must(t, err)
	if n != 0 {
		t.Fatalf("purged %d classes a minute before the retention period ended", n)
	}
	// Two minutes later the first is due; the server's tick purges it with the default period.
	clock.add(2 * time.Minute)
	must(t, svc.Tick(ctx))
	n, err = svc.PurgeArchived(ctx, agreements.DefaultRetention)
	must(t, err)
	if n != 0 {
		t.Errorf("a second purge found %d more classes", n)
	}

	after := e.Rows(t, store)
	t.Run("no row of the deleted class is left", func(t *testing.T) {
		what := append(append(slices.Clone(gone.markers), gone.ids...), gone.hashes...)
		for _, r := range rowsNaming(after, what) {
			t.Error(r)
		}
	})
	t.Run("the other classes keep every row", func(t *testing.T) {
		// Their edit logs are 30 days old by now and go by EditLogRetention, deleted by the same
		// tick (see TestOldEditLogsAreDeleted): every other row stays.
		if n := len(after["clause_ops"]); n != 0 {
			t.Errorf("%d edit log entries older than %s are left", n, agreements.EditLogRetention)
		}
		before, after := maps.Clone(before), maps.Clone(after)
		delete(before, "clause_ops")
		delete(after, "clause_ops")
		for _, mc := range []*markedClass{recent, elsewhere, open} {
			for _, s := range append(append(slices.Clone(mc.markers), mc.ids...), mc.hashes...) {
				if got, want := len(rowsNaming(after, []string{s})), len(rowsNaming(before, []string{s})); got != want {
					t.Errorf("%q: in %d rows after the purge, %d before", s, got, want)
				}
			}
		}
		for table, rows := range before {
			gonesRows := len(rowsNaming(map[string][]string{table: rows}, gone.ids))
			if len(after[table]) < len(rows)-gonesRows {
				t.Errorf("%s: %d rows after, %d before of which %d were the deleted class's", table, len(after[table]), len(rows), gonesRows)
			}
		}
		if len(after["schools"]) != 2 {
			t.Errorf("schools after the purge: %q", after["schools"])
		}
	})
	t.Run("the file and its log hold nothing of it", func(t *testing.T) {
		files, ok := onDisk(t, e, store)
		if !ok {
			t.Skip("the engine's storage is not files the test can read")
		}
		if len(files[FileMain]) == 0 {
			t.Fatalf("the database file is empty or missing: %v", files)
		}
		if wal := files[FileWAL]; len(wal) != 0 {
			t.Errorf("the write-ahead log still holds %d bytes after the purge", len(wal))
		}
		var all []byte
		for name, data := range files {
			all = append(all, data...)
			for _, s := range append(append(slices.Clone(gone.markers), gone.ids...), gone.hashes...) {
				forms := []string{s}
				if lower := strings.ToLower(s); lower != s {
					forms = append(forms, lower)
				}
				for _, form := range forms {
					if bytes.Contains(data, []byte(form)) {
						t.Errorf("%s still contains %q", name, form)
					}
				}
			}
		}
		// The search finds what is there: the kept classes' markers are on disk.
		for _, s := range append(slices.Clone(recent.markers), elsewhere.markers...) {
			if !bytes.Contains(all, []byte(s)) {
				t.Errorf("the files lack %q of a kept class: the byte search is broken", s)
			}
		}
	})
	t.Run("the kept classes work, the deleted one is unknown", func(t *testing.T) {
		adoption, err := svc.SchoolAdoption(ctx, admin, school.ID)
		must(t, err)
		if len(adoption.Classes) != 1 || adoption.Classes[0].ClassID != open.class.ID {
			t.Errorf("the school's overview lists %+v, want only the open class", adoption.Classes)
		}
		classes, err := svc.SchoolClasses(ctx, admin, school.ID)
		must(t, err)
		if len(classes) != 2 {
			t.Errorf("the school has %d classes after the purge, want the recently archived and the open one", len(classes))
		}
		if _, err := svc.ArchiveClass(ctx, admin, school.ID, gone.class.ID, false); !errors.Is(err, agreements.ErrNotFound) {
			t.Errorf("restoring the deleted class: %v, want not found", err)
		}
		if _, err := svc.ArchiveClass(ctx, admin, school.ID, recent.class.ID, false); err != nil {
			t.Errorf("restoring the recently archived class: %v", err)
		}
	})
	t.Run("the recently archived class goes when its own period ends", func(t *testing.T) {
		_, err = svc.ArchiveClass(ctx, admin, school.ID, recent.class.ID, true)
		must(t, err)
		clock.add(agreements.DefaultRetention + time.Minute)
		n, err := svc.PurgeArchived(ctx, agreements.DefaultRetention)
		must(t, err)
		if n != 1 {
			t.Errorf("purged %d classes, want the one archived again", n)
		}
		last := e.Rows(t, store)
		for _, r := range rowsNaming(last, append(slices.Clone(recent.markers), recent.ids...)) {
			t.Error(r)
		}
		for _, s := range elsewhere.ids {
			if len(rowsNaming(last, []string{s})) == 0 {
				t.Errorf("the other school's %q is gone", s)
			}
		}
	})
}

// A class no member has used for InactiveMonths is deleted by the tick, with a school or
// without, everywhere in the file; a class used meanwhile stays.
func testPurgeDeletesInactiveClasses(t *testing.T, e Engine) {
	ctx := context.Background()
	svc, store := service(t, e)
	clock := &retentionClock{}
	start := time.Date(2027, 3, 10, 18, 0, 0, 0, time.UTC)
	clock.add(time.Duration(start.UnixNano()))
	svc.SetClock(clock.now)
	school, _, err := svc.RegisterSchool(ctx, agreements.NewSchool{Name: "Bakkeskolen", Municipality: "Aarhus"})
	must(t, err)
	inSchool := newMarkedClass(t, svc, school.OrganiserCode, "-iskole")
	alone := newMarkedClass(t, svc, "", "-alene")
	used := newMarkedClass(t, svc, "", "-brugt")

	// A day before the 18 months are up, someone joins the third class: it counts from then.
	clock.add(agreements.DeletionDue(start).Sub(start) - 24*time.Hour)
	_, err = svc.Join(ctx, agreements.JoinRequest{Code: used.class.ParentCode, Name: "Ny forælder", Household: "Nyt barn"})
	must(t, err)
	must(t, svc.Tick(ctx))
	if n := len(e.Rows(t, store)["classes"]); n != 3 {
		t.Fatalf("%d classes a day before the 18 months, want 3", n)
	}
	clock.add(24*time.Hour + time.Minute)
	must(t, svc.Tick(ctx))

	after := e.Rows(t, store)
	for _, mc := range []*markedClass{inSchool, alone} {
		for _, r := range rowsNaming(after, append(append(slices.Clone(mc.markers), mc.ids...), mc.hashes...)) {
			t.Error(r)
		}
	}
	for _, s := range append(slices.Clone(used.markers), used.ids...) {
		if len(rowsNaming(after, []string{s})) == 0 {
			t.Errorf("the class used a day ago lost %q", s)
		}
	}
	files, _ := onDisk(t, e, store) // none when the engine's storage is not files
	if wal := files[FileWAL]; len(wal) != 0 {
		t.Errorf("the write-ahead log still holds %d bytes after the purge", len(wal))
	}
	for name, data := range files {
		for _, s := range append(slices.Clone(inSchool.markers), alone.markers...) {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s still contains %q", name, s)
			}
		}
	}
	if len(after["schools"]) != 1 {
		t.Errorf("the school went with its class: %q", after["schools"])
	}
}

// The edit log of a clause goes EditLogRetention after its last change; the text stays, and a
// clause edited since keeps its log.
func testOldEditLogsAreDeleted(t *testing.T, e Engine) {
	ctx := context.Background()
	svc, store := service(t, e)
	clock := &retentionClock{}
	clock.add(time.Duration(time.Date(2027, 3, 10, 18, 0, 0, 0, time.UTC).UnixNano()))
	svc.SetClock(clock.now)
	class, fac, _, err := svc.CreateClass(ctx, agreements.NewClass{Name: "5.A", Grade: 5, FacilitatorName: "Lærer"})
	must(t, err)
	facA := agreements.Actor{Member: fac}
	a, err := svc.CreateAgreement(ctx, facA, class.ID, agreements.NewAgreement{Kind: agreements.KindParents,
		Templates: []string{"photos", "evenings"}, Lang: "da"})
	must(t, err)
	edit := func(c agreements.Clause, text string) {
		t.Helper()
		cur, err := svc.Agreement(ctx, facA, a.ID)
		must(t, err)
		body := cur.Clause(c.ID).Body + text
		rev := cur.Clause(c.ID).Rev
		_, err = svc.EditClause(ctx, facA, a.ID, c.ID, agreements.ClauseEdit{Body: &body, BaseRev: &rev})
		must(t, err)
	}
	logOf := func(c agreements.Clause) int {
		return len(rowsNaming(map[string][]string{"clause_ops": e.Rows(t, store)["clause_ops"]}, []string{"clause_id=" + c.ID + " "}))
	}
	old, recent := a.Clauses[0], a.Clauses[1]
	edit(old, " Gammel ændring.")
	clock.add(20 * 24 * time.Hour)
	edit(recent, " Nyere ændring.")

	clock.add(agreements.EditLogRetention - 20*24*time.Hour - time.Minute)
	must(t, svc.Tick(ctx))
	if logOf(old) != 1 || logOf(recent) != 1 {
		t.Fatalf("a minute before %s: logs %d and %d, want both kept", agreements.EditLogRetention, logOf(old), logOf(recent))
	}
	clock.add(2 * time.Hour) // more than a minute, and past the hour between looks
	must(t, svc.Tick(ctx))
	if logOf(old) != 0 || logOf(recent) != 1 {
		t.Errorf("past %s: logs %d and %d, want the old one gone", agreements.EditLogRetention, logOf(old), logOf(recent))
	}
	got, err := svc.Agreement(ctx, facA, a.ID)
	must(t, err)
	if !strings.HasSuffix(got.Clause(old.ID).Body, " Gammel ændring.") {
		t.Errorf("the text went with its log: %q", got.Clause(old.ID).Body)
	}
	files, _ := onDisk(t, e, store)
	for name, data := range files {
		if bytes.Contains(data, []byte("Gammel ændring")) && name != FileMain {
			t.Errorf("%s still holds the old log", name)
		}
	}
	clock.add(20 * 24 * time.Hour)
	must(t, svc.Tick(ctx))
	if logOf(recent) != 0 {
		t.Errorf("the newer log outlived its %s", agreements.EditLogRetention)
	}
}
