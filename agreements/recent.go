package agreements

import "sync"

// recentOps keeps the last committed operations of the clauses being edited, so that an
// operation a few revisions behind is rebased from memory rather than from the log. An entry
// is added only once its transaction has committed, and a committed revision never changes,
// so the cache needs no invalidation: what it lacks is read from the store.
type recentOps struct {
	mu      sync.Mutex
	clauses map[string]*opRing
}

const (
	recentPerClause = 128  // revisions kept per clause
	recentClauses   = 1024 // clauses kept before the cache starts afresh
)

// opRing holds revision r in slot r % recentPerClause; a slot whose Rev differs is empty.
type opRing [recentPerClause]OpRecord

// add records committed operations of a clause.
func (c *recentOps) add(clauseID string, recs []OpRecord) {
	if len(recs) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ring := c.clauses[clauseID]
	if ring == nil {
		if c.clauses == nil || len(c.clauses) >= recentClauses {
			c.clauses = map[string]*opRing{}
		}
		ring = new(opRing)
		c.clauses[clauseID] = ring
	}
	for _, r := range recs {
		ring[r.Rev%recentPerClause] = r
	}
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
		r := ring[rev%recentPerClause]
		if r.Rev != rev {
			return nil, false
		}
		out = append(out, r)
	}
	return out, true
}
