package postgres

import (
	"encoding/json"
	"time"

	"klasseaftale/agreements"
)

// The statements of every live keystroke; each is prepared once per connection (see DB).
const (
	// insertOpsSQL logs a run of a clause's changes in one statement, whatever their number:
	// the arrays are unnested into rows.
	insertOpsSQL = `INSERT INTO clause_ops (clause_id, rev, client, seq, member_id, op, created_at)
		SELECT $1, r, c, s, m, o, $7 FROM unnest($2::integer[], $3::text[], $4::integer[], $5::text[], $6::text[]) AS u(r, c, s, m, o)`
	opsSinceSQL = `SELECT rev, client, seq, member_id, op FROM clause_ops
		WHERE clause_id = $1 AND rev > $2 ORDER BY rev`
	// Saying that the client is not empty lets PostgreSQL use the partial index clause_ops_seq.
	opBySeqSQL = `SELECT rev, client, seq, member_id, op FROM clause_ops
		WHERE clause_id = $1 AND member_id = $2 AND client = $3 AND seq = $4 AND client <> ''`
	maxSeqSQL = `SELECT COALESCE(MAX(seq), 0) FROM clause_ops
		WHERE clause_id = $1 AND member_id = $2 AND client = $3 AND client <> ''`
)

// InsertOp logs the change that made a clause's revision r.Rev, made at the time.
func (t *Tx) InsertOp(clauseID string, at time.Time, r agreements.OpRecord) error {
	return t.InsertOps(clauseID, at, []agreements.OpRecord{r})
}

// InsertOps logs a run of a clause's changes: a batch of keystrokes in one statement.
func (t *Tx) InsertOps(clauseID string, at time.Time, recs []agreements.OpRecord) error {
	if len(recs) == 0 {
		return nil
	}
	revs, seqs := make([]int, len(recs)), make([]int, len(recs))
	clients, members, ops := make([]string, len(recs)), make([]string, len(recs)), make([]string, len(recs))
	for i, r := range recs {
		op, err := json.Marshal(r.Op)
		if err != nil {
			return err
		}
		revs[i], clients[i], seqs[i], members[i], ops[i] = r.Rev, r.Client, r.Seq, r.MemberID, string(op)
	}
	return t.exec(insertOpsSQL, clauseID, revs, clients, seqs, members, ops, ts(at))
}

// OpsSince returns a clause's log after revision rev, oldest first.
func (t *Tx) OpsSince(clauseID string, rev int) ([]agreements.OpRecord, error) {
	return list(t, opFields, opsSinceSQL, clauseID, rev)
}

// OpBySeq returns the logged op a member's tab sent with the sequence number, if it was applied.
func (t *Tx) OpBySeq(clauseID, memberID, client string, seq int) (*agreements.OpRecord, error) {
	return one(t, opFields, opBySeqSQL, clauseID, memberID, client, seq)
}

// MaxSeq returns the highest sequence number of a member's tab's logged ops on a clause; 0
// when none.
func (t *Tx) MaxSeq(clauseID, memberID, client string) (int, error) {
	return scalar[int](t, maxSeqSQL, clauseID, memberID, client)
}

// MaxSeqOfTab returns the highest sequence number of a member's tab's logged ops on any clause
// of an agreement; 0 when none.
func (t *Tx) MaxSeqOfTab(agreementID, memberID, client string) (int, error) {
	return scalar[int](t, `SELECT COALESCE(MAX(o.seq), 0) FROM clauses c
		JOIN clause_ops o ON o.clause_id = c.id AND o.member_id = $1 AND o.client = $2 AND o.client <> ''
		WHERE c.agreement_id = $3`, memberID, client, agreementID)
}

func opFields(r *agreements.OpRecord) []any {
	return []any{&r.Rev, &r.Client, &r.Seq, &r.MemberID, jsonText{&r.Op}}
}

// jsonText scans a JSON text column into a value.
type jsonText struct{ v any }

func (j jsonText) Scan(src any) error {
	switch b := src.(type) {
	case string:
		return json.Unmarshal([]byte(b), j.v)
	case []byte:
		return json.Unmarshal(b, j.v)
	}
	return nil
}

// DeleteOps deletes the logs of an agreement's clauses, once its text is final.
func (t *Tx) DeleteOps(agreementID string) error {
	return t.exec(`DELETE FROM clause_ops WHERE clause_id IN (SELECT id FROM clauses WHERE agreement_id = $1)`, agreementID)
}

// StaleEditLogs lists the clauses whose edit log's newest entry is older than the time.
func (t *Tx) StaleEditLogs(before time.Time) ([]string, error) {
	return t.ids(`SELECT clause_id FROM clause_ops GROUP BY clause_id HAVING MAX(created_at) < $1`, ts(before))
}

// DeleteEditLog deletes a clause's edit log, unless it has an entry from the time on (the
// clause was edited since it was found stale).
func (t *Tx) DeleteEditLog(clauseID string, before time.Time) error {
	return t.exec(`DELETE FROM clause_ops WHERE clause_id = $1
		AND NOT EXISTS (SELECT 1 FROM clause_ops WHERE clause_id = $1 AND created_at >= $2)`, clauseID, ts(before))
}

// OpLog returns a clause's whole log with the time of each entry, oldest first.
func (t *Tx) OpLog(clauseID string) ([]agreements.LoggedOp, error) {
	return list(t, func(l *agreements.LoggedOp) []any { return append(opFields(&l.OpRecord), &l.At) },
		`SELECT rev, client, seq, member_id, op, created_at FROM clause_ops WHERE clause_id = $1 ORDER BY rev`, clauseID)
}

// OpAuthors returns, per clause of an agreement, who is in its log, how often and when last,
// the latest author first.
func (t *Tx) OpAuthors(agreementID string) (map[string][]agreements.Author, error) {
	type row struct {
		clause string
		a      agreements.Author
	}
	rows, err := list(t, func(r *row) []any {
		return []any{&r.clause, &r.a.Member.ID, &r.a.Changes, &r.a.LastRev, &r.a.LastAt}
	}, `SELECT o.clause_id, o.member_id, COUNT(*), MAX(o.rev), MAX(o.created_at)
		FROM clauses c JOIN clause_ops o ON o.clause_id = c.id
		WHERE c.agreement_id = $1 GROUP BY o.clause_id, o.member_id
		ORDER BY o.clause_id COLLATE "C", MAX(o.rev) DESC`, agreementID)
	if err != nil {
		return nil, err
	}
	out := map[string][]agreements.Author{}
	for _, r := range rows {
		out[r.clause] = append(out[r.clause], r.a)
	}
	return out, nil
}
