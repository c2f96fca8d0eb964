package sqlite

import (
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"klasseaftale/agreements"
)

// The statements of every live keystroke, prepared once when the store opens.
const (
	insertOpSQL = `INSERT INTO clause_ops (clause_id, rev, client, seq, member_id, op, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`
	opsSinceSQL = `SELECT rev, client, seq, member_id, op FROM clause_ops
		WHERE clause_id = ? AND rev > ? ORDER BY rev`
	// Saying that the client is not empty lets SQLite use the partial index clause_ops_seq,
	// which holds only ops with a client; without it every lookup scans the clause's whole log.
	opBySeqSQL = `SELECT rev, client, seq, member_id, op FROM clause_ops
		WHERE clause_id = ? AND member_id = ? AND client = ? AND seq = ? AND client <> ''`
	maxSeqSQL = `SELECT COALESCE(MAX(seq), 0) FROM clause_ops
		WHERE clause_id = ? AND member_id = ? AND client = ? AND client <> ''`
)

// InsertOp logs the change that made a clause's revision r.Rev, made at the time.
func (t *Tx) InsertOp(clauseID string, at time.Time, r agreements.OpRecord) error {
	return t.InsertOps(clauseID, at, []agreements.OpRecord{r})
}

// opsPerInsert bounds the rows of one INSERT (seven variables each, far below SQLite's limit).
const opsPerInsert = 64

// InsertOps logs a run of a clause's changes: a batch of keystrokes in one statement, not one
// statement each.
func (t *Tx) InsertOps(clauseID string, at time.Time, recs []agreements.OpRecord) error {
	created := ms(at)
	for len(recs) > 0 {
		n := min(len(recs), opsPerInsert)
		args := make([]any, 0, 7*n)
		for _, r := range recs[:n] {
			op, err := json.Marshal(r.Op)
			if err != nil {
				return err
			}
			args = append(args, clauseID, r.Rev, r.Client, r.Seq, r.MemberID, string(op), created)
		}
		q := insertOpSQL
		if n > 1 {
			q += strings.Repeat(", (?, ?, ?, ?, ?, ?, ?)", n-1)
		}
		if err := t.exec(q, args...); err != nil {
			return err
		}
		recs = recs[n:]
	}
	return nil
}

// OpsSince returns a clause's log after revision rev, oldest first.
func (t *Tx) OpsSince(clauseID string, rev int) ([]agreements.OpRecord, error) {
	rows, err := t.query(opsSinceSQL, clauseID, rev)
	if err != nil {
		return nil, err
	}
	return collect(rows, opFields)
}

// OpBySeq returns the logged op a member's tab sent with the sequence number, if it was applied.
func (t *Tx) OpBySeq(clauseID, memberID, client string, seq int) (*agreements.OpRecord, error) {
	rows, err := t.query(opBySeqSQL, clauseID, memberID, client, seq)
	if err != nil {
		return nil, err
	}
	rs, err := collect(rows, opFields)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, agreements.ErrNotFound
	}
	return &rs[0], nil
}

// MaxSeq returns the highest sequence number of a member's tab's logged ops on a clause; 0
// when none.
func (t *Tx) MaxSeq(clauseID, memberID, client string) (int, error) {
	rows, err := t.query(maxSeqSQL, clauseID, memberID, client)
	return maxOf(rows, err)
}

// MaxSeqOfTab returns the highest sequence number of a member's tab's logged ops on any clause
// of an agreement; 0 when none.
func (t *Tx) MaxSeqOfTab(agreementID, memberID, client string) (int, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT COALESCE(MAX(o.seq), 0) FROM clauses c
		JOIN clause_ops o ON o.clause_id = c.id AND o.member_id = ? AND o.client = ? AND o.client <> ''
		WHERE c.agreement_id = ?`, memberID, client, agreementID)
	return maxOf(rows, err)
}

func maxOf(rows *sql.Rows, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	seq := 0
	if rows.Next() {
		if err := rows.Scan(&seq); err != nil {
			return 0, err
		}
	}
	return seq, rows.Err()
}

func opFields(r *agreements.OpRecord) []any {
	return []any{&r.Rev, &r.Client, &r.Seq, &r.MemberID, jsonScanner{&r.Op}}
}

// DeleteOps deletes the logs of an agreement's clauses, once its text is final.
func (t *Tx) DeleteOps(agreementID string) error {
	return t.exec(`DELETE FROM clause_ops WHERE clause_id IN (SELECT id FROM clauses WHERE agreement_id = ?)`, agreementID)
}

// StaleEditLogs lists the clauses whose edit log's newest entry is older than the time. It reads
// the whole log (clustered by clause, so in one pass); the service calls it now and then.
func (t *Tx) StaleEditLogs(before time.Time) ([]string, error) {
	return t.ids(`SELECT clause_id FROM clause_ops GROUP BY clause_id HAVING MAX(created_at) < ?`, ms(before))
}

// DeleteEditLog deletes a clause's edit log, unless it has an entry from the time on (the
// clause was edited since it was found stale).
func (t *Tx) DeleteEditLog(clauseID string, before time.Time) error {
	return t.exec(`DELETE FROM clause_ops WHERE clause_id = ?1
		AND NOT EXISTS (SELECT 1 FROM clause_ops WHERE clause_id = ?1 AND created_at >= ?2)`, clauseID, ms(before))
}

// jsonScanner scans a JSON text column into a value.
type jsonScanner struct{ v any }

func (j jsonScanner) Scan(src any) error {
	switch b := src.(type) {
	case string:
		return json.Unmarshal([]byte(b), j.v)
	case []byte:
		return json.Unmarshal(b, j.v)
	}
	return nil
}

// OpLog returns a clause's whole log with the time of each entry, oldest first.
func (t *Tx) OpLog(clauseID string) ([]agreements.LoggedOp, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT rev, client, seq, member_id, op, created_at FROM clause_ops
		WHERE clause_id = ? ORDER BY rev`, clauseID)
	if err != nil {
		return nil, err
	}
	type row struct {
		agreements.LoggedOp
		at int64
	}
	rs, err := collect(rows, func(r *row) []any { return append(opFields(&r.OpRecord), &r.at) })
	log := make([]agreements.LoggedOp, len(rs))
	for i, r := range rs {
		log[i] = r.LoggedOp
		log[i].At = fromMS(r.at)
	}
	return log, err
}

// OpAuthors returns, per clause of an agreement, who is in its log, how often and when last,
// the latest author first.
func (t *Tx) OpAuthors(agreementID string) (map[string][]agreements.Author, error) {
	rows, err := t.tx.QueryContext(t.ctx, `SELECT o.clause_id, o.member_id, COUNT(*), MAX(o.rev), MAX(o.created_at)
		FROM clauses c JOIN clause_ops o ON o.clause_id = c.id
		WHERE c.agreement_id = ? GROUP BY o.clause_id, o.member_id
		ORDER BY o.clause_id, MAX(o.rev) DESC`, agreementID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]agreements.Author{}
	for rows.Next() {
		var clause string
		var a agreements.Author
		var last int64
		if err := rows.Scan(&clause, &a.Member.ID, &a.Changes, &a.LastRev, &last); err != nil {
			return nil, err
		}
		a.LastAt = fromMS(last)
		out[clause] = append(out[clause], a)
	}
	return out, rows.Err()
}
