package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"klasseaftale/agreements"
	"klasseaftale/agreements/ot"
)

func update(t *testing.T, db agreements.Store, fn func(tx agreements.Tx) error) {
	t.Helper()
	if err := db.Update(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func view(t *testing.T, db agreements.Store, fn func(tx agreements.Tx) error) {
	t.Helper()
	if err := db.View(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

var now = time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC)

// seed stores a school, a class in it, a household with a parent, and a draft with two clauses.
func seed(t *testing.T, db agreements.Store) (*agreements.Class, *agreements.Member, *agreements.Agreement) {
	t.Helper()
	school := &agreements.School{ID: "s1", Name: "Bakkeskolen", OrganiserCode: "ORGANISE", CreatedAt: now}
	class := &agreements.Class{ID: "c1", SchoolID: "s1", Name: "4.B", Grade: 4, ParentCode: "PARENTSS", PupilCode: "PUPILSSS", ActivationPercent: 75, CreatedAt: now}
	h := &agreements.Household{ID: "h1", ClassID: "c1", ChildName: "Ida", CreatedAt: now}
	m := &agreements.Member{ID: "m1", ClassID: "c1", Name: "Mor", Role: agreements.RoleParent, HouseholdID: "h1", CreatedAt: now}
	a := &agreements.Agreement{ID: "a1", ClassID: "c1", Kind: agreements.KindParents, Title: "Aftale", Status: agreements.StatusDraft, Lang: "da", Revision: 1, CreatedAt: now}
	update(t, db, func(tx agreements.Tx) error {
		must(t, tx.InsertSchool(school, "school-hash"))
		must(t, tx.InsertClass(class))
		must(t, tx.InsertHousehold(h, "ida"))
		must(t, tx.InsertMember(m, "member-hash"))
		must(t, tx.InsertAgreement(a))
		must(t, tx.InsertClause(&agreements.Clause{ID: "k1", AgreementID: "a1", Position: 0, Key: "photos.consent", Title: "Billeder", Body: "Vi spørger først."}))
		must(t, tx.InsertClause(&agreements.Clause{ID: "k2", AgreementID: "a1", Position: 1, Title: "Egen", Body: "", Parameter: &agreements.Parameter{Value: "13"}}))
		return nil
	})
	return class, m, a
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testRoundTrip(t *testing.T, e Engine) {
	db := e.Open(t)
	seed(t, db)
	view(t, db, func(tx agreements.Tx) error {
		s, err := tx.SchoolByOrganiserCode("ORGANISE")
		must(t, err)
		if s.ID != "s1" || !s.CreatedAt.Equal(now) {
			t.Errorf("school %+v", s)
		}
		if s, err := tx.SchoolByTokenHash("school-hash"); err != nil || s.ID != "s1" {
			t.Errorf("school by token: %v %v", s, err)
		}
		c, role, err := tx.ClassByCode("PUPILSSS")
		must(t, err)
		if c.ID != "c1" || role != agreements.RolePupil || c.SchoolID != "s1" {
			t.Errorf("class by pupil code: %+v %s", c, role)
		}
		if _, role, _ := tx.ClassByCode("PARENTSS"); role != agreements.RoleParent {
			t.Errorf("parent code gives %s", role)
		}
		m, err := tx.MemberByTokenHash("member-hash")
		must(t, err)
		if m.HouseholdID != "h1" || m.Color == "" || m.Role != agreements.RoleParent {
			t.Errorf("member %+v", m)
		}
		h, err := tx.Household("c1", "ida")
		must(t, err)
		if h.ChildName != "Ida" {
			t.Errorf("household %+v", h)
		}
		cs, err := tx.Clauses("a1")
		must(t, err)
		if len(cs) != 2 || cs[0].ID != "k1" || cs[0].Parameter != nil || cs[1].Parameter == nil || cs[1].Parameter.Value != "13" {
			t.Errorf("clauses %+v", cs)
		}
		return nil
	})
}

func testMissingRowsAreNotFound(t *testing.T, e Engine) {
	db := e.Open(t)
	seed(t, db)
	view(t, db, func(tx agreements.Tx) error {
		_, err1 := tx.School("nope")
		_, _, err2 := tx.ClassByCode("NOPENOPE")
		_, err3 := tx.MemberByTokenHash("nope")
		_, err4 := tx.Agreement("nope")
		_, err5 := tx.Clause("nope")
		_, err6 := tx.OpBySeq("k1", "m1", "client", 1)
		_, err7 := tx.Household("c1", "nobody")
		for i, err := range []error{err1, err2, err3, err4, err5, err6, err7} {
			if !errors.Is(err, agreements.ErrNotFound) {
				t.Errorf("lookup %d: %v, want not_found", i+1, err)
			}
		}
		return nil
	})
}

func testUniqueness(t *testing.T, e Engine) {
	db := e.Open(t)
	seed(t, db)
	for name, fn := range map[string]func(tx agreements.Tx) error{
		"same token twice": func(tx agreements.Tx) error {
			return tx.InsertMember(&agreements.Member{ID: "m2", ClassID: "c1", Name: "Far", Role: agreements.RoleParent, CreatedAt: now}, "member-hash")
		},
		"same child twice": func(tx agreements.Tx) error {
			return tx.InsertHousehold(&agreements.Household{ID: "h2", ClassID: "c1", ChildName: "IDA", CreatedAt: now}, "ida")
		},
		"same code twice": func(tx agreements.Tx) error {
			return tx.InsertClass(&agreements.Class{ID: "c2", Name: "5.A", ParentCode: "PARENTSS", PupilCode: "OTHERSSS", CreatedAt: now})
		},
		"a role that does not exist": func(tx agreements.Tx) error {
			return tx.InsertMember(&agreements.Member{ID: "m3", ClassID: "c1", Name: "X", Role: "admin", CreatedAt: now}, "x-hash")
		},
		"a member of a class that does not exist": func(tx agreements.Tx) error {
			return tx.InsertMember(&agreements.Member{ID: "m4", ClassID: "nope", Name: "X", Role: agreements.RoleParent, CreatedAt: now}, "y-hash")
		},
	} {
		if err := db.Update(context.Background(), fn); err == nil {
			t.Errorf("%s: stored", name)
		}
	}
}

func testOpLog(t *testing.T, e Engine) {
	db := e.Open(t)
	seed(t, db)
	op := ot.Diff("Vi spørger først.", "Vi spørger altid først.")
	update(t, db, func(tx agreements.Tx) error {
		must(t, tx.InsertOp("k1", time.Now(), agreements.OpRecord{Rev: 1, Client: "tab1", Seq: 1, MemberID: "m1", Op: op}))
		must(t, tx.InsertOp("k1", time.Now(), agreements.OpRecord{Rev: 2, MemberID: "m1", Op: ot.Diff("a", "a")}))
		return nil
	})
	if err := db.Update(context.Background(), func(tx agreements.Tx) error {
		return tx.InsertOp("k1", time.Now(), agreements.OpRecord{Rev: 3, Client: "tab1", Seq: 1, MemberID: "m1", Op: op})
	}); err == nil {
		t.Error("the same (clause, member, client, seq) was logged twice")
	}
	view(t, db, func(tx agreements.Tx) error {
		rs, err := tx.OpsSince("k1", 0)
		must(t, err)
		if len(rs) != 2 || rs[0].Rev != 1 || rs[0].Op.String() != op.String() || rs[1].Client != "" {
			t.Errorf("ops since 0: %+v", rs)
		}
		if rs, _ := tx.OpsSince("k1", 1); len(rs) != 1 || rs[0].Rev != 2 {
			t.Errorf("ops since 1: %+v", rs)
		}
		r, err := tx.OpBySeq("k1", "m1", "tab1", 1)
		must(t, err)
		if r.Rev != 1 {
			t.Errorf("op by seq: %+v", r)
		}
		if _, err := tx.OpBySeq("k1", "m2", "tab1", 1); !errors.Is(err, agreements.ErrNotFound) {
			t.Errorf("another member's tab of the same ID found the op: %v", err)
		}
		if seq, err := tx.MaxSeq("k1", "m1", "tab1"); err != nil || seq != 1 {
			t.Errorf("max seq of tab1: %d, %v", seq, err)
		}
		if seq, err := tx.MaxSeq("k1", "m2", "tab1"); err != nil || seq != 0 {
			t.Errorf("max seq of another member's tab1: %d, %v", seq, err)
		}
		if seq, err := tx.MaxSeq("k1", "m1", "tab9"); err != nil || seq != 0 {
			t.Errorf("max seq of a tab that sent nothing: %d, %v", seq, err)
		}
		return nil
	})
	// A batch of keystrokes, more than one statement holds, logged in one call.
	var batch []agreements.OpRecord
	for i := range 150 {
		batch = append(batch, agreements.OpRecord{Rev: 3 + i, Client: "tab2", Seq: i + 1, MemberID: "m1", Op: ot.Diff("a", "ab")})
	}
	update(t, db, func(tx agreements.Tx) error { return tx.InsertOps("k1", time.Now(), batch) })
	view(t, db, func(tx agreements.Tx) error {
		rs, err := tx.OpsSince("k1", 2)
		must(t, err)
		if len(rs) != 150 || rs[0].Rev != 3 || rs[149].Rev != 152 || rs[149].Seq != 150 || rs[77].Op.String() != batch[77].Op.String() {
			t.Errorf("%d ops logged in a batch; first %+v", len(rs), rs[0])
		}
		if seq, _ := tx.MaxSeq("k1", "m1", "tab2"); seq != 150 {
			t.Errorf("max seq of tab2: %d", seq)
		}
		if seq, err := tx.MaxSeqOfTab("a1", "m1", "tab2"); err != nil || seq != 150 {
			t.Errorf("max seq of tab2 in the agreement: %d, %v", seq, err)
		}
		return nil
	})
	update(t, db, func(tx agreements.Tx) error { return tx.DeleteOps("a1") })
	view(t, db, func(tx agreements.Tx) error {
		if rs, _ := tx.OpsSince("k1", 0); len(rs) != 0 {
			t.Errorf("ops left after DeleteOps: %v", rs)
		}
		return nil
	})
}

func testClauseOrderAndDelete(t *testing.T, e Engine) {
	db := e.Open(t)
	seed(t, db)
	update(t, db, func(tx agreements.Tx) error { return tx.SetClauseOrder("a1", []string{"k2", "k1"}) })
	view(t, db, func(tx agreements.Tx) error {
		cs, _ := tx.Clauses("a1")
		if cs[0].ID != "k2" || cs[1].ID != "k1" {
			t.Errorf("order %s %s", cs[0].ID, cs[1].ID)
		}
		return nil
	})
	if err := db.Update(context.Background(), func(tx agreements.Tx) error {
		return tx.SetClauseOrder("a1", []string{"k2", "elsewhere"})
	}); err == nil {
		t.Error("ordering a clause of another agreement succeeded")
	}
	update(t, db, func(tx agreements.Tx) error { return tx.DeleteClause("k2") })
	if err := db.Update(context.Background(), func(tx agreements.Tx) error { return tx.DeleteClause("k2") }); !errors.Is(err, agreements.ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
}

func testFailedUpdateRollsBack(t *testing.T, e Engine) {
	db := e.Open(t)
	seed(t, db)
	err := db.Update(context.Background(), func(tx agreements.Tx) error {
		must(t, tx.UpdateClause(&agreements.Clause{ID: "k1", Title: "Ændret", Body: "x", Rev: 1}))
		return agreements.ErrForbidden
	})
	if err != agreements.ErrForbidden {
		t.Fatalf("err = %v", err)
	}
	view(t, db, func(tx agreements.Tx) error {
		c, _ := tx.Clause("k1")
		if c.Title != "Billeder" || c.Rev != 0 {
			t.Errorf("a failed transaction left %+v", c)
		}
		return nil
	})
}

// Opening the same storage again keeps the data and applies no migration twice.
func testReopen(t *testing.T, e Engine) {
	db := e.Open(t)
	seed(t, db)
	db2 := e.Reopen(t, db)
	view(t, db2, func(tx agreements.Tx) error {
		a, err := tx.Agreement("a1")
		must(t, err)
		if a.Title != "Aftale" || a.Status != agreements.StatusDraft || a.PublishedAt != nil {
			t.Errorf("agreement after reopen: %+v", a)
		}
		return nil
	})
	pub := now.Add(time.Hour)
	update(t, db2, func(tx agreements.Tx) error {
		return tx.UpdateAgreement(&agreements.Agreement{ID: "a1", Title: "Ny", Status: agreements.StatusPublished, Revision: 1, Slug: "slug", PublishedAt: &pub})
	})
	view(t, db2, func(tx agreements.Tx) error {
		a, err := tx.AgreementBySlug("slug")
		must(t, err)
		if a.PublishedAt == nil || !a.PublishedAt.Equal(pub) {
			t.Errorf("published at %v", a.PublishedAt)
		}
		return nil
	})
}
