package postgres

import (
	"time"

	"klasseaftale/agreements"
)

// PutVote stores a voter's vote on a clause, replacing the one before it. A vote that gives
// only an answer keeps the option chosen before, and the other way round.
func (t *Tx) PutVote(agreementID, voter string, v agreements.Vote) error {
	return t.exec(`INSERT INTO votes AS old (agreement_id, clause_id, voter, answer, value, reason, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (clause_id, voter) DO UPDATE SET
			answer = CASE WHEN excluded.answer <> '' THEN excluded.answer ELSE old.answer END,
			reason = CASE WHEN excluded.answer <> '' THEN excluded.reason ELSE old.reason END,
			value = CASE WHEN excluded.value <> '' THEN excluded.value ELSE old.value END,
			updated_at = excluded.updated_at`,
		agreementID, v.ClauseID, voter, v.Answer, v.Value, v.Reason, ts(time.Now()))
}

// Votes returns every vote on an agreement, by voter.
func (t *Tx) Votes(agreementID string) (map[string][]agreements.Vote, error) {
	type row struct {
		voter string
		v     agreements.Vote
	}
	rs, err := list(t, func(r *row) []any {
		return []any{&r.voter, &r.v.ClauseID, &r.v.Answer, &r.v.Value, &r.v.Reason}
	}, `SELECT voter, clause_id, answer, value, reason FROM votes
		WHERE agreement_id = $1 ORDER BY voter COLLATE "C", clause_id COLLATE "C"`, agreementID)
	out := map[string][]agreements.Vote{}
	for _, r := range rs {
		out[r.voter] = append(out[r.voter], r.v)
	}
	return out, err
}

// DeleteVotes discards an agreement's votes.
func (t *Tx) DeleteVotes(agreementID string) error {
	return t.exec(`DELETE FROM votes WHERE agreement_id = $1`, agreementID)
}

// PutSignature stores a voter's signature, replacing an earlier one.
func (t *Tx) PutSignature(agreementID string, s agreements.Signature) error {
	return t.exec(`INSERT INTO signatures (agreement_id, voter, min_percent, signed_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (agreement_id, voter) DO UPDATE SET min_percent = excluded.min_percent, signed_at = excluded.signed_at`,
		agreementID, s.Key, s.MinPercent, ts(s.SignedAt))
}

// DeleteSignature withdraws a voter's signature.
func (t *Tx) DeleteSignature(agreementID, voter string) error {
	return t.exec(`DELETE FROM signatures WHERE agreement_id = $1 AND voter = $2`, agreementID, voter)
}

// Signatures lists an agreement's signatures.
func (t *Tx) Signatures(agreementID string) ([]agreements.Signature, error) {
	return list(t, func(s *agreements.Signature) []any {
		return []any{&s.Key, &s.MinPercent, &s.SignedAt}
	}, `SELECT voter, min_percent, signed_at FROM signatures
		WHERE agreement_id = $1 ORDER BY signed_at, voter COLLATE "C"`, agreementID)
}

// InsertCheckin opens a check-in.
func (t *Tx) InsertCheckin(agreementID string, c *agreements.Checkin) error {
	return t.exec(`INSERT INTO checkins (id, agreement_id, opened_at) VALUES ($1, $2, $3)`, c.ID, agreementID, ts(c.OpenedAt))
}

// LatestCheckin returns an agreement's newest check-in.
func (t *Tx) LatestCheckin(agreementID string) (*agreements.Checkin, error) {
	return one(t, func(c *agreements.Checkin) []any { return []any{&c.ID, &c.OpenedAt} },
		`SELECT id, opened_at FROM checkins WHERE agreement_id = $1
		ORDER BY opened_at DESC, id COLLATE "C" DESC LIMIT 1`, agreementID)
}

// PutCheckinReply stores a voter's answer to a check-in, replacing an earlier one.
func (t *Tx) PutCheckinReply(checkinID, voter string, r agreements.CheckinReply) error {
	return t.exec(`INSERT INTO checkin_replies (checkin_id, voter, answer, comment, answered_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (checkin_id, voter) DO UPDATE SET answer = excluded.answer, comment = excluded.comment,
		answered_at = excluded.answered_at`, checkinID, voter, r.Answer, r.Comment, ts(time.Now()))
}

// CheckinReplies returns a check-in's answers, by voter.
func (t *Tx) CheckinReplies(checkinID string) (map[string]agreements.CheckinReply, error) {
	type row struct {
		voter string
		r     agreements.CheckinReply
	}
	rs, err := list(t, func(r *row) []any { return []any{&r.voter, &r.r.Answer, &r.r.Comment} },
		`SELECT voter, answer, comment FROM checkin_replies WHERE checkin_id = $1`, checkinID)
	out := map[string]agreements.CheckinReply{}
	for _, r := range rs {
		out[r.voter] = r.r
	}
	return out, err
}
