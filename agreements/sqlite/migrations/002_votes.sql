-- Deciding and committing: the vote's rules on the agreement, the decision on each clause,
-- one vote per household (or pupil) and clause, signatures with their conditions, check-ins.
ALTER TABLE agreements ADD COLUMN quorum_percent INTEGER;
ALTER TABLE agreements ADD COLUMN threshold_percent INTEGER;
ALTER TABLE agreements ADD COLUMN closes_at INTEGER;
ALTER TABLE agreements ADD COLUMN hide_results INTEGER NOT NULL DEFAULT 0;
ALTER TABLE agreements ADD COLUMN decided_at INTEGER;
ALTER TABLE agreements ADD COLUMN review_at INTEGER;
ALTER TABLE agreements ADD COLUMN previous_id TEXT REFERENCES agreements(id) ON DELETE SET NULL;
CREATE INDEX agreements_previous ON agreements(previous_id);
CREATE INDEX agreements_status ON agreements(status);

ALTER TABLE clauses ADD COLUMN adopted INTEGER;

-- voter is the household, or the pupil in pupils' agreements: who voted what is never shown.
CREATE TABLE votes (
	agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
	clause_id    TEXT NOT NULL REFERENCES clauses(id) ON DELETE CASCADE,
	voter        TEXT NOT NULL,
	answer       TEXT NOT NULL DEFAULT '',
	value        TEXT NOT NULL DEFAULT '',
	reason       TEXT NOT NULL DEFAULT '',
	updated_at   INTEGER NOT NULL,
	PRIMARY KEY (clause_id, voter)
) STRICT;
CREATE INDEX votes_agreement ON votes(agreement_id, voter);

CREATE TABLE signatures (
	agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
	voter        TEXT NOT NULL,
	min_percent  INTEGER NOT NULL CHECK (min_percent BETWEEN 0 AND 100),
	signed_at    INTEGER NOT NULL,
	PRIMARY KEY (agreement_id, voter)
) STRICT;

CREATE TABLE checkins (
	id           TEXT PRIMARY KEY,
	agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
	opened_at    INTEGER NOT NULL
) STRICT;
CREATE INDEX checkins_agreement ON checkins(agreement_id, opened_at);

CREATE TABLE checkin_replies (
	checkin_id  TEXT NOT NULL REFERENCES checkins(id) ON DELETE CASCADE,
	voter       TEXT NOT NULL,
	answer      TEXT NOT NULL CHECK (answer IN ('kept', 'partly', 'not_kept')),
	comment     TEXT NOT NULL DEFAULT '',
	answered_at INTEGER NOT NULL,
	PRIMARY KEY (checkin_id, voter)
) STRICT;
