package agreements

import "sync"

// recentOps keeps the last committed operations of the clauses being edited, so that an
// operation a few revisions behind is rebased from memory rather than from the log, and the
// highest seq of each client's operations, so that telling a new operation from a resend needs
// no lookup. Entries are added only once their transaction has committed, under the service's
// commit lock, and a committed revision never changes, so the cache needs no invalidation:
// what it lacks is read from the store.
type recentOps struct {
	mu      sync.Mutex
	clauses map[string]*opRing
}

const (
	recentPerClause = 128  // revisions kept per clause
	recentClauses   = 1024 // clauses kept before the cache starts afresh
)

// opRing holds revision r in slot r % recentPerClause; a slot whose Rev differs is empty.
type opRing struct {
	recs   [recentPerClause]OpRecord
	maxSeq map[string]int // per client: no op of it with a higher seq is in the log
}

// add records a clause's committed operations, and what the batch learnt of its clients' seqs.
func (c *recentOps) add(clauseID string, recs []OpRecord, maxSeq map[string]int) {
	if len(recs) == 0 && len(maxSeq) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ring := c.clauses[clauseID]
	if ring == nil {
		if c.clauses == nil || len(c.clauses) >= recentClauses {
			c.clauses = map[string]*opRing{}
		}
		ring = &opRing{maxSeq: map[string]int{}}
		c.clauses[clauseID] = ring
	}
	for _, r := range recs {
		ring.recs[r.Rev%recentPerClause] = r
	}
	for client, seq := range maxSeq {
		ring.maxSeq[client] = max(ring.maxSeq[client], seq)
	}
}

// maxSeq returns a bound on the seqs of a client's operations in a clause's log, when known.
func (c *recentOps) maxSeq(clauseID, client string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ring := c.clauses[clauseID]; ring != nil {
		seq, ok := ring.maxSeq[client]
		return seq, ok
	}
	return 0, false
}

// between returns the operations of revisions from+1 … to, when it holds them all.
func (c *recentOps) between(clauseID string, from, to int) ([]OpRecord, bool) {
	if to-from > recentPerClause || from >= to {
		return nil, from == to
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ring := c.clauses[clauseID]
	if ring == nil {
		return nil, false
	}
	out := make([]OpRecord, 0, to-from)
	for rev := from + 1; rev <= to; rev++ {
		r := ring.recs[rev%recentPerClause]
		if r.Rev != rev {
			return nil, false
		}
		out = append(out, r)
	}
	return out, true
}
