package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"klasseaftale/agreements"
	"klasseaftale/agreements/ot"
	"klasseaftale/agreements/templates"
)

// Many authors' operations made on the same old revision, committed in batches, come out as
// rebasing each past every revision after its base one by one would make them — the server
// rebases them past the run chained once — and the clause's text is what those make.
func testStaleOperationsRebaseAsOneByOne(t *testing.T, e Engine) {
	ctx := context.Background()
	svc := agreements.NewService(e.Open(t), templates.MustLoad(), nil)
	class, fac, _, err := svc.CreateClass(ctx, agreements.NewClass{Name: "4.B", Grade: 4, FacilitatorName: "Lærer"})
	if err != nil {
		t.Fatal(err)
	}
	var parents []agreements.Actor
	for i := range 40 {
		j, err := svc.Join(ctx, agreements.JoinRequest{Code: class.ParentCode, Name: fmt.Sprintf("Forælder %d", i), Household: fmt.Sprintf("Barn %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		parents = append(parents, agreements.Actor{Member: j.Member})
	}
	a, err := svc.CreateAgreement(ctx, agreements.Actor{Member: fac}, class.ID, agreements.NewAgreement{Kind: agreements.KindParents, Templates: []string{"photos"}, Lang: "da", Title: "Aftale"})
	if err != nil {
		t.Fatal(err)
	}
	clause := a.Clauses[0]
	texts := []string{clause.Body} // the text at each revision
	var log []ot.Op                // revision r is log[r-1]
	rng := rand.New(rand.NewPCG(4, 17))
	seqs := make([]int, len(parents))
	chained := 0
	for round := range 30 {
		// Every parent edits the text of one recent revision (up to 40 behind): an insert, a
		// delete, or both at once (a marker typed, an old one removed), as people type.
		base := max(0, len(texts)-1-rng.IntN(41))
		var batch []agreements.OpSubmit
		var want []ot.Op
		for i := range parents {
			op := edit(rng, texts[base], i, round)
			seqs[i]++
			batch = append(batch, agreements.OpSubmit{Actor: parents[i], Req: agreements.OpRequest{
				Clause: clause.ID, Rev: base, Client: fmt.Sprintf("tab%d", i), Seq: seqs[i], Op: op}})
			want = append(want, op)
		}
		res, err := svc.ApplyOps(ctx, a.ID, batch)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if r.Err != nil {
				t.Fatalf("round %d, parent %d: %v", round, i, r.Err)
			}
			// One by one: past every revision after the base, this batch's included.
			op := want[i]
			for _, past := range log[base:] {
				if op, err = ot.Rebase(op, past); err != nil {
					t.Fatal(err)
				}
			}
			if !slices.Equal(r.Rec.Op, op) {
				t.Fatalf("round %d, parent %d, %d revisions behind: committed %v, one by one %v", round, i, len(log)-base, r.Rec.Op, op)
			}
			if len(log)-base >= 8 {
				chained++
			}
			text, err := ot.Apply(texts[len(texts)-1], op)
			if err != nil {
				t.Fatal(err)
			}
			log, texts = append(log, op), append(texts, text)
		}
	}
	if chained < 500 {
		t.Fatalf("only %d operations were 8 or more revisions behind", chained)
	}
	got, err := svc.Agreement(ctx, agreements.Actor{Member: fac}, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if body := got.Clause(clause.ID).Body; body != texts[len(texts)-1] {
		t.Fatalf("stored %q, want %q", body, texts[len(texts)-1])
	}
}

// edit is parent i's edit of text in round: an insert of a marker at a random place, now and
// then with the deletion of a few units elsewhere or right before it.
func edit(rng *rand.Rand, text string, i, round int) ot.Op {
	n := ot.Len(text) // the clause is Danish text: one unit per rune
	marker := fmt.Sprintf("a%d.%d ", i, round)
	pos := rng.IntN(n + 1)
	var op ot.Op
	switch k := rng.IntN(4); {
	case k == 0 || n < 8: // an insert alone
		op.Retain(pos).Insert(marker).Retain(n - pos)
	case k == 1: // a delete alone
		d := rng.IntN(n - 3)
		op.Retain(d).Delete(3).Retain(n - d - 3)
	case k == 2 && pos >= 3: // the units before the caret typed over
		op.Retain(pos - 3).Delete(3).Insert(marker).Retain(n - pos)
	default: // a marker here, three units deleted elsewhere
		d := rng.IntN(n - 3)
		if d+3 <= pos {
			op.Retain(d).Delete(3).Retain(pos - d - 3).Insert(marker).Retain(n - pos)
		} else if d >= pos {
			op.Retain(pos).Insert(marker).Retain(d - pos).Delete(3).Retain(n - d - 3)
		} else {
			op.Retain(pos).Insert(marker).Retain(n - pos)
		}
	}
	return op
}
