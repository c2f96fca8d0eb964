package live_test

import (
	"strings"
	"testing"
	"time"

	"klasseaftale/agreements/ot"
	"klasseaftale/server/live"
)

// A room that finds many operations waiting commits and broadcasts them in batches of at most
// 64 (maxBatch), each batch a broadcast of its own, so that one broadcast does bounded work:
// not all of the backlog in one frame once it has been committed piece by piece.
func TestABacklogGoesOutInBoundedBatches(t *testing.T) {
	const ops, bound = 600, 64
	cfg := live.DefaultConfig()
	cfg.MessageRate, cfg.MessageBurst, cfg.ByteRate = 1e9, 1<<20, 1e12
	r := newRoom(t, cfg)
	watcher, author := r.raw(t, r.other, "watcher"), r.raw(t, r.parent, "author")
	clause := r.clause(0)
	n := ot.Len(r.stored(t, clause).Body)

	// Every operation is made on the clause's first revision (the server rebases it past the
	// others) and written at once: the room finds them waiting.
	for seq := 1; seq <= ops; seq++ {
		author.send(map[string]any{"type": "op", "clause": clause, "rev": 0, "client": "author", "seq": seq,
			"op": insertAt(n, 0, "x")})
	}
	seen, frames, biggest := 0, 0, 0
	watcher.ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	for seen < ops {
		_, b, err := watcher.ws.ReadMessage()
		if err != nil {
			t.Fatalf("after %d operations: %v", seen, err)
		}
		k := strings.Count(string(b), `"type":"op"`)
		if k == 0 {
			continue
		}
		seen += k
		frames++
		biggest = max(biggest, k)
	}
	if biggest > bound {
		t.Errorf("a broadcast held %d operations, more than %d", biggest, bound)
	}
	if frames < ops/bound {
		t.Errorf("%d operations in %d broadcasts", ops, frames)
	}
	t.Logf("%d operations in %d broadcasts, at most %d in one", ops, frames, biggest)
}
