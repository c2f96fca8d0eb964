package sqlite_test

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkClauseHistory reads a clause's history, and replays its text at the newest revision
// (the most a facilitator's read can cost), from logs of a long meeting: a 2,000-unit clause
// with 1,000 and 5,000 keystrokes in its log.
func BenchmarkClauseHistory(b *testing.B) {
	ctx := context.Background()
	for _, logLen := range []int{1000, 5000} {
		f := newOpsBench(b, 32)
		for range logLen / 100 {
			f.apply(b, f.keystrokes(100))
		}
		b.Run(fmt.Sprintf("log=%d/who", logLen), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.svc.ClauseHistory(ctx, f.parents[0], f.draft, f.clause); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("log=%d/text", logLen), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				v, err := f.svc.ClauseVersion(ctx, f.fac, f.draft, f.clause, f.rev)
				if err != nil || len(v.Body) == 0 {
					b.Fatal(err)
				}
			}
		})
	}
}
