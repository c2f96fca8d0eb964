package storetest

import (
	"context"
	"errors"
	"testing"

	"klasseaftale/agreements"
	"klasseaftale/agreements/ot"
	"klasseaftale/agreements/templates"
)

// The service on a real store: the rules that need more than one row.

type fixture struct {
	db       agreements.Store
	svc      *agreements.Service
	class    *agreements.Class
	fac      agreements.Actor
	parent   agreements.Actor
	other    agreements.Actor // a parent of another household
	pupil    agreements.Actor
	draft    *agreements.Agreement
	clauseID string
}

func newFixture(t *testing.T, e Engine) *fixture {
	t.Helper()
	ctx := context.Background()
	db := e.Open(t)
	f := &fixture{db: db, svc: agreements.NewService(db, templates.MustLoad(), nil)}
	class, fac, _, err := f.svc.CreateClass(ctx, agreements.NewClass{Name: "4.B", Grade: 4, FacilitatorName: "Lærer"})
	must(t, err)
	f.class, f.fac = class, agreements.Actor{Member: fac}
	p, err := f.svc.Join(ctx, agreements.JoinRequest{Code: class.ParentCode, Name: "Mor", Household: "Ida"})
	must(t, err)
	f.parent = agreements.Actor{Member: p.Member}
	o, err := f.svc.Join(ctx, agreements.JoinRequest{Code: class.ParentCode, Name: "Far", Household: "Omar"})
	must(t, err)
	f.other = agreements.Actor{Member: o.Member}
	pj, err := f.svc.Join(ctx, agreements.JoinRequest{Code: class.PupilCode, Name: "Ida"})
	must(t, err)
	f.pupil = agreements.Actor{Member: pj.Member}
	f.draft, err = f.svc.CreateAgreement(ctx, f.fac, class.ID, agreements.NewAgreement{Kind: agreements.KindParents, Templates: []string{"photos"}, Lang: "da", Title: "Aftale"})
	must(t, err)
	f.clauseID = f.draft.Clauses[0].ID
	return f
}

func (f *fixture) op(t *testing.T, actor agreements.Actor, rev int, client string, seq int, op ot.Op) (*agreements.OpRecord, error) {
	t.Helper()
	rec, err := f.svc.ApplyOp(context.Background(), actor, f.draft.ID, agreements.OpRequest{Clause: f.clauseID, Rev: rev, Client: client, Seq: seq, Op: op})
	return rec, err
}

func (f *fixture) body(t *testing.T) (string, int) {
	t.Helper()
	a, err := f.svc.Agreement(context.Background(), f.fac, f.draft.ID)
	must(t, err)
	c := a.Clause(f.clauseID)
	return c.Body, c.Rev
}

func testSameChildSameHousehold(t *testing.T, e Engine) {
	f := newFixture(t, e)
	ctx := context.Background()
	far, err := f.svc.Join(ctx, agreements.JoinRequest{Code: f.class.ParentCode, Name: "Far", Household: " IDA ", HouseholdChoice: agreements.HouseholdSame})
	must(t, err)
	other, err := f.svc.Join(ctx, agreements.JoinRequest{Code: f.class.ParentCode, Name: "Mor", Household: "Omar", HouseholdChoice: agreements.HouseholdSame})
	must(t, err)
	if far.Member.HouseholdID != f.parent.Member.HouseholdID || other.Member.HouseholdID == far.Member.HouseholdID {
		t.Errorf("households: %s %s %s", f.parent.Member.HouseholdID, far.Member.HouseholdID, other.Member.HouseholdID)
	}
	if f.pupil.Member.HouseholdID != "" || f.pupil.Member.Role != agreements.RolePupil {
		t.Errorf("pupil %+v", f.pupil.Member)
	}
}

func testConcurrentOpsAreTransformed(t *testing.T, e Engine) {
	f := newFixture(t, e)
	start, rev := f.body(t)
	n := len([]rune(start)) // Danish text without astral characters: runes = UTF-16 units
	var a, b ot.Op
	a.Insert("[A]").Retain(n)
	b.Retain(n).Insert("[B]")
	if _, err := f.op(t, f.parent, rev, "tabA", 1, a); err != nil {
		t.Fatal(err)
	}
	// b was made on the same revision as a: the server transforms it past a.
	rec, err := f.op(t, f.fac, rev, "tabB", 1, b)
	if err != nil {
		t.Fatal(err)
	}
	body, newRev := f.body(t)
	if body != "[A]"+start+"[B]" || newRev != rev+2 || rec.Rev != rev+2 {
		t.Errorf("body %q rev %d (record %d)", body, newRev, rec.Rev)
	}
}

func testResendIsAppliedOnce(t *testing.T, e Engine) {
	f := newFixture(t, e)
	start, rev := f.body(t)
	var a ot.Op
	a.Insert("x").Retain(len([]rune(start)))
	first, err := f.op(t, f.parent, rev, "tab", 7, a)
	must(t, err)
	again, err := f.op(t, f.parent, rev, "tab", 7, a)
	must(t, err)
	body, newRev := f.body(t)
	if again.Rev != first.Rev || body != "x"+start || newRev != rev+1 {
		t.Errorf("resend: rev %d vs %d, body %q, clause rev %d", again.Rev, first.Rev, body, newRev)
	}
}

// A resend is told from a new operation, before and after a restart (when the service remembers
// nothing); seqs only grow, so one lower than a tab has used and not in the log is refused.
func testResendsAreKnownAndSeqsOnlyGrow(t *testing.T, e Engine) {
	f := newFixture(t, e)
	start, _ := f.body(t)
	insert := func(s string) ot.Op {
		text, _ := f.body(t)
		var op ot.Op
		return *op.Insert(s).Retain(ot.Len(text))
	}
	send := func(seq int, s string) (*agreements.OpRecord, error) {
		t.Helper()
		_, rev := f.body(t)
		return f.op(t, f.parent, rev, "tab", seq, insert(s))
	}
	three, err := send(3, "c")
	must(t, err)
	five, err := send(5, "e")
	must(t, err)
	check := func(when string) {
		t.Helper()
		for _, want := range []*agreements.OpRecord{three, five} {
			if got, err := send(want.Seq, "dup"); err != nil || got.Rev != want.Rev {
				t.Errorf("%s: resend of seq %d: rev %v, %v (first rev %d)", when, want.Seq, got, err, want.Rev)
			}
		}
		if _, err := send(4, "d"); !errors.Is(err, agreements.ErrSeqOld) {
			t.Errorf("%s: seq 4 after seq 5: %v, want %s", when, err, agreements.ErrSeqOld.Code)
		}
	}
	check("before a restart")
	f.svc = agreements.NewService(f.db, templates.MustLoad(), nil)
	check("after a restart")
	if got, err := send(6, "f"); err != nil || got.Rev != five.Rev+1 {
		t.Errorf("seq 6 got %v, %v; want rev %d", got, err, five.Rev+1)
	}
	if text, _ := f.body(t); text != "fec"+start {
		t.Errorf("text %q", text)
	}
}

// An operation's identity is (member, tab, seq): another member sending the same tab ID and seqs
// neither is acknowledged with the first one's operations nor keeps them from being applied.
func testAnotherMembersTabIDClaimsNothing(t *testing.T, e Engine) {
	f := newFixture(t, e)
	start, rev := f.body(t)
	var a, b ot.Op
	a.Insert("mine ").Retain(ot.Len(start))
	mine, err := f.op(t, f.parent, rev, "tab", 1, a)
	must(t, err)
	b.Insert("theirs ").Retain(ot.Len(start) + 5)
	theirs, err := f.op(t, f.other, rev+1, "tab", 1, b)
	must(t, err)
	if theirs.Rev == mine.Rev || theirs.MemberID != f.other.Member.ID {
		t.Fatalf("the other member's seq 1 was taken for the first one's: %+v", theirs)
	}
	if body, _ := f.body(t); body != "theirs mine "+start {
		t.Errorf("text %q", body)
	}
}

func testInvalidOpsChangeNothing(t *testing.T, e Engine) {
	f := newFixture(t, e)
	start, rev := f.body(t)
	var wrongLen, good ot.Op
	wrongLen.Retain(len([]rune(start)) + 5).Insert("x")
	good.Retain(len([]rune(start))).Insert("!")
	seq := -1 // the first case sends seq 0
	for _, tc := range []struct {
		name  string
		actor agreements.Actor
		rev   int
		op    ot.Op
		code  string
	}{
		{"seq 0", f.parent, rev, good, "request.malformed"},
		{"wrong base length", f.parent, rev, wrongLen, "op.invalid"},
		{"a revision from the future", f.parent, rev + 3, good, "op.invalid"},
		{"a pupil in the parents' draft", f.pupil, rev, good, "auth.forbidden"},
	} {
		seq++
		if _, err := f.op(t, tc.actor, tc.rev, "tab", seq, tc.op); agreements.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	if body, r := f.body(t); body != start || r != rev {
		t.Errorf("changed to %q rev %d", body, r)
	}
}

func testStaleEditIsRefusedWithTheCurrentClause(t *testing.T, e Engine) {
	f := newFixture(t, e)
	ctx := context.Background()
	_, rev := f.body(t)
	title, stale := "Ny overskrift", rev
	_, err := f.svc.EditClause(ctx, f.parent, f.draft.ID, f.clauseID, agreements.ClauseEdit{Title: &title, BaseRev: &rev})
	must(t, err)
	other := "Anden"
	_, err = f.svc.EditClause(ctx, f.fac, f.draft.ID, f.clauseID, agreements.ClauseEdit{Title: &other, BaseRev: &stale})
	ae, ok := agreements.AsError(err)
	if !ok || ae.Code != "clause.stale" {
		t.Fatalf("stale edit: %v", err)
	}
	if c, ok := ae.Detail.(*agreements.Clause); !ok || c.Title != title || c.Rev != rev+1 {
		t.Errorf("detail %+v", ae.Detail)
	}
}

func testPublishFreezesAndDropsTheLog(t *testing.T, e Engine) {
	f := newFixture(t, e)
	ctx := context.Background()
	start, rev := f.body(t)
	var a ot.Op
	a.Insert("x").Retain(len([]rune(start)))
	_, err := f.op(t, f.parent, rev, "tab", 1, a)
	must(t, err)
	if _, err := f.svc.Publish(ctx, f.fac, f.draft.ID); !errors.Is(err, agreements.ErrNotAdopted) {
		t.Errorf("a draft was published without a vote: %v", err)
	}
	f.adopt(t)
	if _, err := f.svc.Publish(ctx, f.parent, f.draft.ID); !errors.Is(err, agreements.ErrForbidden) {
		t.Errorf("a parent published: %v", err)
	}
	pub, err := f.svc.Publish(ctx, f.fac, f.draft.ID)
	must(t, err)
	if pub.Slug == "" || pub.Status != agreements.StatusPublished {
		t.Errorf("published %+v", pub)
	}
	if ops, _ := f.svc.OpsSince(ctx, f.fac, f.draft.ID, f.clauseID, 0); len(ops) != 0 {
		t.Errorf("%d ops kept after publishing", len(ops))
	}
	var b ot.Op
	b.Insert("y").Retain(len([]rune(start)) + 1)
	if _, err := f.op(t, f.parent, rev+1, "tab", 2, b); !errors.Is(err, agreements.ErrNotDraft) {
		t.Errorf("edit after publishing: %v", err)
	}
	v, err := f.svc.Published(ctx, pub.Slug, "en")
	must(t, err)
	if v.Agreement.Clauses[0].Body != "x"+start || v.Help.Title == "" {
		t.Errorf("published view %+v", v.Agreement.Clauses[0])
	}
}

// adopt opens the vote, has the parent's household vote yes on every clause and closes it.
func (f *fixture) adopt(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	_, err := f.svc.OpenVote(ctx, f.fac, f.draft.ID, agreements.VoteRules{Quorum: 0, Threshold: 50})
	must(t, err)
	for _, c := range f.draft.Clauses {
		_, err := f.svc.CastVote(ctx, f.parent, f.draft.ID, agreements.Vote{ClauseID: c.ID, Answer: agreements.AnswerYes})
		must(t, err)
	}
	res, err := f.svc.CloseVote(ctx, f.fac, f.draft.ID)
	must(t, err)
	if res.Status != agreements.StatusAdopted {
		t.Fatalf("the vote did not adopt: %+v", res)
	}
}
