package storetest

import (
	"testing"
	"time"

	"klasseaftale/agreements"
)

// Times come back in UTC, to the millisecond, whatever zone and precision they were given in;
// times that may be missing come back missing.
func testTimesAreUTCToTheMillisecond(t *testing.T, e Engine) {
	db := e.Open(t)
	at := time.Date(2026, 11, 23, 19, 30, 15, 123456789, time.FixedZone("CET", 3600))
	want := at.UTC().Truncate(time.Millisecond)
	update(t, db, func(tx agreements.Tx) error {
		must(t, tx.InsertSchool(&agreements.School{ID: "s1", Name: "Skole", OrganiserCode: "ORGANISE", CreatedAt: at}, "hash"))
		must(t, tx.InsertClass(&agreements.Class{ID: "c1", SchoolID: "s1", Name: "4.B", Grade: 4, ParentCode: "PARENTSS", PupilCode: "PUPILSSS", CreatedAt: at, LastActiveAt: at}))
		return tx.InsertClass(&agreements.Class{ID: "c2", Name: "5.A", Grade: 5, ParentCode: "PARENTS2", PupilCode: "PUPILSS2", CreatedAt: at, ArchivedAt: &at})
	})
	view(t, db, func(tx agreements.Tx) error {
		s, err := tx.School("s1")
		must(t, err)
		c1, err := tx.Class("c1")
		must(t, err)
		c2, err := tx.Class("c2")
		must(t, err)
		for name, got := range map[string]time.Time{"school created": s.CreatedAt, "class created": c1.CreatedAt, "class active": c1.LastActiveAt} {
			if got != want { // the same instant, location and monotonic reading: ==, not Equal
				t.Errorf("%s at %v, want %v", name, got, want)
			}
		}
		if c1.ArchivedAt != nil {
			t.Errorf("a class never archived was archived at %v", c1.ArchivedAt)
		}
		if c2.ArchivedAt == nil || *c2.ArchivedAt != want {
			t.Errorf("archived at %v, want %v", c2.ArchivedAt, want)
		}
		return nil
	})
}

// Lists sorted by name or ID come in the order of their bytes, as SQLite sorts them, whatever the
// database's collation: "B" before "a", "a" before "b".
func testListsAreInByteOrder(t *testing.T, e Engine) {
	db := e.Open(t)
	update(t, db, func(tx agreements.Tx) error {
		must(t, tx.InsertSchool(&agreements.School{ID: "s1", Name: "Skole", OrganiserCode: "ORGANISE", CreatedAt: now}, "hash"))
		for i, name := range []string{"b", "B", "a", "Å"} {
			code := string(rune('A'+i)) + "XXXXXXX"
			must(t, tx.InsertClass(&agreements.Class{ID: "c-" + name, SchoolID: "s1", Name: name, Grade: 4,
				ParentCode: "P" + code, PupilCode: "E" + code, CreatedAt: now}))
		}
		return nil
	})
	view(t, db, func(tx agreements.Tx) error {
		cs, err := tx.ClassesOfSchool("s1")
		must(t, err)
		var got []string
		for _, c := range cs {
			got = append(got, c.Name)
		}
		if want := []string{"B", "a", "b", "Å"}; len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || got[3] != want[3] {
			t.Errorf("classes in the order %q, want %q", got, want)
		}
		return nil
	})
}
