package sqlite_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"klasseaftale/agreements"
	"klasseaftale/agreements/ot"
	"klasseaftale/agreements/sqlite"
	"klasseaftale/agreements/templates"
)

// opsBench is a draft on a real SQLite file with a clause of 2,000 code units and parents
// typing into it.
type opsBench struct {
	svc     *agreements.Service
	draft   string
	clause  string
	parents []agreements.Actor
	fac     agreements.Actor
	rev     int
	n       int // the clause's length in code units
	seq     int
	rng     *rand.Rand
}

func newOpsBench(b *testing.B, parents int) *opsBench {
	b.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	f := &opsBench{svc: agreements.NewService(db, templates.MustLoad(), nil), rng: rand.New(rand.NewPCG(1, 2))}
	class, fac, _, err := f.svc.CreateClass(ctx, agreements.NewClass{Name: "4.B", Grade: 4, FacilitatorName: "Lærer"})
	if err != nil {
		b.Fatal(err)
	}
	for i := range parents {
		j, err := f.svc.Join(ctx, agreements.JoinRequest{Code: class.ParentCode, Name: fmt.Sprintf("Forælder %d", i), Household: fmt.Sprintf("Barn %d", i)})
		if err != nil {
			b.Fatal(err)
		}
		f.parents = append(f.parents, agreements.Actor{Member: j.Member})
	}
	a, err := f.svc.CreateAgreement(ctx, agreements.Actor{Member: fac}, class.ID, agreements.NewAgreement{Kind: agreements.KindParents, Templates: []string{"photos"}, Lang: "da", Title: "Aftale"})
	if err != nil {
		b.Fatal(err)
	}
	c := a.Clauses[0]
	f.draft, f.clause, f.rev, f.fac = a.ID, c.ID, c.Rev, agreements.Actor{Member: fac}
	// Make the clause 2,000 code units long (Danish text: one unit per rune).
	body := []rune(strings.Repeat(c.Body+" ", 2000/len([]rune(c.Body))+1))[:2000]
	var op ot.Op
	op.Delete(len([]rune(c.Body))).Insert(string(body))
	f.apply(b, []ot.Op{op})
	return f
}

// apply commits one batch of operations, all made on the clause's current revision (as
// keystrokes of several parents arriving together), each from another parent's tab.
func (f *opsBench) apply(b *testing.B, ops []ot.Op) {
	batch := make([]agreements.OpSubmit, len(ops))
	for i, op := range ops {
		f.seq++
		batch[i] = agreements.OpSubmit{Actor: f.parents[i%len(f.parents)], Req: agreements.OpRequest{
			Clause: f.clause, Rev: f.rev, Client: fmt.Sprintf("tab%d", i), Seq: f.seq, Op: op}}
	}
	res, err := f.svc.ApplyOps(context.Background(), f.draft, batch)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			b.Fatal(r.Err)
		}
		f.rev = r.Rec.Rev
		f.n = r.Rec.Op.TargetLen() // an applied operation spans the whole body
	}
}

// keystrokes makes k single-character replacements at random places of the clause, so its
// length stays 2,000 (concurrent replacements of one character may add one now and then).
func (f *opsBench) keystrokes(k int) []ot.Op {
	ops := make([]ot.Op, k)
	for i := range ops {
		pos := f.rng.IntN(f.n - 1)
		var op ot.Op
		op.Retain(pos).Delete(1).Insert("x").Retain(f.n - pos - 1)
		ops[i] = op
	}
	return ops
}

// BenchmarkApplyOps commits batches of 1, 5 and 32 keystrokes; ns/key is the time per operation.
// The log sizes show what a clause's history costs: the log is kept while the agreement is a
// draft, so a long meeting makes it grow.
func BenchmarkApplyOps(b *testing.B) {
	for _, logLen := range []int{0, 5000} {
		for _, size := range []int{1, 5, 32} {
			b.Run(fmt.Sprintf("log=%d/batch=%d", logLen, size), func(b *testing.B) {
				f := newOpsBench(b, 32)
				for range logLen / 100 {
					f.apply(b, f.keystrokes(100))
				}
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					f.apply(b, f.keystrokes(size))
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*size), "ns/key")
			})
		}
	}
}

// BenchmarkApplyStaleOps commits batches of 64 keystrokes made 300 revisions behind, on one of
// 8 revisions each (as in a clause with hundreds of authors at once, whose operations arrive
// long after the revision they were made on): what rebasing them costs. ns/key is the time
// per operation. A keystroke replaces a character (delete, then insert); with delete-after, it
// deletes one and types one a few characters after it, as an author who deletes an old marker
// and types a new one does: an insert after a delete, which the chain stands in for too.
func BenchmarkApplyStaleOps(b *testing.B) {
	for _, name := range []string{"replace", "delete-after"} {
		b.Run(name, func(b *testing.B) { benchStaleOps(b, name == "delete-after") })
	}
}

func benchStaleOps(b *testing.B, apart bool) {
	f := newOpsBench(b, 64)
	for range 4 {
		f.apply(b, f.keystrokes(100))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		head, n := f.rev, f.n
		for range 3 {
			f.apply(b, f.keystrokes(100))
		}
		b.StartTimer()
		batch := make([]agreements.OpSubmit, 64)
		for i := range batch {
			// Made on one of the 8 revisions before head-300+8, on the text then (its length
			// then is n, give or take the few concurrent replacements that added a unit).
			base := head - 8 + i%8
			var op ot.Op
			pos := f.rng.IntN(n - 10)
			if apart {
				op.Retain(pos).Delete(1).Retain(5).Insert("x").Retain(n - pos - 6)
			} else {
				op.Retain(pos).Delete(1).Insert("x").Retain(n - pos - 1)
			}
			f.seq++
			batch[i] = agreements.OpSubmit{Actor: f.parents[i], Req: agreements.OpRequest{
				Clause: f.clause, Rev: base, Client: fmt.Sprintf("stale%d", i), Seq: f.seq, Op: op}}
		}
		res, err := f.svc.ApplyOps(context.Background(), f.draft, batch)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			if r.Err == nil {
				f.rev, f.n = r.Rec.Rev, r.Rec.Op.TargetLen()
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*64), "ns/key")
}
