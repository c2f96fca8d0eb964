package agreements

import (
	"testing"

	"klasseaftale/agreements/ot"
)

func recs(from, to int) []OpRecord {
	var out []OpRecord
	for rev := from; rev <= to; rev++ {
		out = append(out, OpRecord{Rev: rev, Client: "c", Seq: rev, Op: ot.Op{{N: rev}}})
	}
	return out
}

func TestRecentOps(t *testing.T) {
	var c recentOps
	if _, ok := c.revsBetween("k", 0, 3); ok {
		t.Fatal("an empty cache claims revisions")
	}
	if got, ok := c.revsBetween("k", 5, 5); !ok || len(got) != 0 {
		t.Fatal("nothing between a revision and itself should be found, empty")
	}
	// Committed out of order (two batches finishing in either order): both are found.
	c.add("k", recs(4, 6), nil)
	c.add("k", recs(1, 3), nil)
	got, ok := c.revsBetween("k", 1, 5)
	if !ok || len(got) != 4 || got[0] != 2 || got[3] != 5 {
		t.Fatalf("between(1, 5) = %v, %v", got, ok)
	}
	if _, ok := c.revsBetween("k", 4, 7); ok {
		t.Fatal("revision 7 was never added")
	}
	if _, ok := c.revsBetween("other", 1, 2); ok {
		t.Fatal("another clause's revisions were found")
	}
	// A ring keeps its last minRing revisions: older ones are asked of the store.
	c.add("k", recs(7, minRing+10), nil)
	if _, ok := c.revsBetween("k", 1, 5); ok {
		t.Fatal("overwritten revisions were found")
	}
	if got, ok := c.revsBetween("k", 10, minRing+10); !ok || len(got) != minRing {
		t.Fatalf("the last %d revisions: %d, %v", minRing, len(got), ok)
	}
	// Asked for more than it holds, it grows at its next commit, up to maxRing.
	if _, ok := c.revsBetween("k", 9, minRing+10); ok {
		t.Fatal("more than a ring holds was found")
	}
	c.add("k", recs(minRing+11, 3*minRing), nil)
	if got, ok := c.revsBetween("k", minRing+10, 3*minRing); !ok || len(got) != 2*minRing-10 {
		t.Fatalf("after growing: %d, %v", len(got), ok)
	}
	// Asked for far more, it grows at once to what would have reached, not by half at a time.
	c.revsBetween("k", 0, 5*minRing)
	c.add("k", nil, map[string]int{"x": 1})
	if n := len(c.clauses["k"].recs); n != 8*minRing {
		t.Fatalf("asked for %d revisions, the ring grew to %d, want %d", 5*minRing, n, 8*minRing)
	}
	c.revsBetween("k", 0, 10*maxRing)
	c.add("k", nil, map[string]int{"x": 1})
	if n := len(c.clauses["k"].recs); n != maxRing {
		t.Fatalf("the ring holds %d, want at most %d", n, maxRing)
	}
	// Seqs: unknown until told, then the highest told.
	if _, ok := c.maxSeq("k", "tab"); ok {
		t.Fatal("an unknown client's seq is known")
	}
	c.add("k", nil, map[string]int{"tab": 7})
	c.add("k", nil, map[string]int{"tab": 5})
	if seq, ok := c.maxSeq("k", "tab"); !ok || seq != 7 {
		t.Fatalf("maxSeq = %d, %v; want 7", seq, ok)
	}
	// Beyond its budget the cache starts afresh.
	for i := range recentBudget / minRing {
		c.add(string(rune('a'+i%26))+string(rune(i)), recs(1, 1), nil)
	}
	if _, ok := c.revsBetween("k", 10, 11); ok {
		t.Fatal("the cache grew past its bound")
	}
}

// revsBetween is appendOps, telling the revisions by their operations (recs makes revision r
// retain r).
func (c *recentOps) revsBetween(clauseID string, from, to int) ([]int, bool) {
	ops, ok := c.appendOps([]ot.Op{{{N: -1}}}, clauseID, from, to)
	if ops[0][0].N != -1 || (!ok && len(ops) != 1) {
		panic("appendOps changed what it was given")
	}
	var revs []int
	for _, op := range ops[1:] {
		revs = append(revs, op[0].N)
	}
	return revs, ok
}

// Revisions read from the log stay in the ring, grown to hold them, but never over newer ones.
func TestRecentOpsFill(t *testing.T) {
	var c recentOps
	c.add("k", recs(1, 300), nil) // a ring of minRing holds the last ones
	if _, ok := c.revsBetween("k", 100, 300); ok {
		t.Fatal("a small ring claims 200 revisions")
	}
	c.fill("k", recs(101, 300), 300)
	got, ok := c.revsBetween("k", 100, 300)
	if !ok || len(got) != 200 || got[0] != 101 || got[199] != 300 {
		t.Fatalf("after fill: %d revisions (%v)", len(got), ok)
	}
	c.fill("k", recs(1, 300)[:50], 300) // too old to fit beside the newer ones: they stay
	if got, ok := c.revsBetween("k", 100, 300); !ok || len(got) != 200 {
		t.Fatalf("an older fill overwrote newer revisions: %d, %v", len(got), ok)
	}
}
