package agreements

import (
	"testing"
	"time"
)

// A clause copied from the pupil council is changed when its title, text or value differs from
// the council's, and kept as the council wrote it when all three are the same again.
func TestCompareWithCouncil(t *testing.T) {
	council := CouncilText{Title: "Vi spørger først", Body: "Vi spørger, før vi deler.", Value: "ask"}
	for _, tc := range []struct {
		name        string
		title, body string
		value       string
		changed     bool
	}{
		{"as written", "Vi spørger først", "Vi spørger, før vi deler.", "ask", false},
		{"a new title", "Spørg først", "Vi spørger, før vi deler.", "ask", true},
		{"a word more", "Vi spørger først", "Vi spørger altid, før vi deler.", "ask", true},
		{"another value", "Vi spørger først", "Vi spørger, før vi deler.", "never", true},
	} {
		text := council
		c := Clause{Title: tc.title, Body: tc.body, Parameter: &Parameter{Value: tc.value}, Council: &text}
		c.compareWithCouncil()
		if c.Council.Changed != tc.changed {
			t.Errorf("%s: changed %v, want %v", tc.name, c.Council.Changed, tc.changed)
		}
	}
	own := Clause{Title: "Vores egen"}
	own.compareWithCouncil() // a clause the class wrote has no council text: nothing to mark
	if own.Council != nil {
		t.Error("a clause of the class's own got a council text")
	}
}

// The council's agreement in force is its pupils' agreement published last; drafts and
// rejected ones do not count.
func TestCouncilAgreementInForce(t *testing.T) {
	day := func(d int) *time.Time { t := time.Date(2027, 3, d, 0, 0, 0, 0, time.UTC); return &t }
	as := []Agreement{
		{ID: "old", Kind: KindPupils, Status: StatusPublished, Revision: 1, PublishedAt: day(1)},
		{ID: "draft", Kind: KindPupils, Status: StatusDraft, Revision: 3},
		{ID: "new", Kind: KindPupils, Status: StatusPublished, Revision: 2, PublishedAt: day(9)},
		{ID: "rejected", Kind: KindPupils, Status: StatusRejected, Revision: 1},
	}
	if a := inForce(as); a == nil || a.ID != "new" {
		t.Errorf("in force: %+v", a)
	}
	if a := inForce(as[1:2]); a != nil {
		t.Errorf("a draft is in force: %+v", a)
	}
}
