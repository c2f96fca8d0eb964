-- The whole schema of the SQLite store's migrations, folded into one for this engine: the same
-- tables, columns, constraints and indexes. Times are TIMESTAMPTZ, stored to the millisecond (the
-- store truncates them); flags are BOOLEAN. Tokens are stored only as SHA-256 hashes.

CREATE TABLE municipalities (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	join_code  TEXT NOT NULL UNIQUE,
	created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE schools (
	id              TEXT PRIMARY KEY,
	name            TEXT NOT NULL,
	municipality    TEXT NOT NULL DEFAULT '',
	token_hash      TEXT NOT NULL UNIQUE,
	organiser_code  TEXT NOT NULL UNIQUE,
	contact         TEXT NOT NULL DEFAULT '',
	action_plan_url TEXT NOT NULL DEFAULT '',
	help_lines      TEXT NOT NULL DEFAULT '',
	created_at      TIMESTAMPTZ NOT NULL,
	municipality_id TEXT REFERENCES municipalities(id) ON DELETE SET NULL
);
CREATE INDEX schools_municipality ON schools(municipality_id);

-- The grown-ups at a school whom a child can turn to, in the order the school's admin gave.
CREATE TABLE trusted_adults (
	school_id TEXT NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
	position  INTEGER NOT NULL,
	name      TEXT NOT NULL,
	role      TEXT NOT NULL DEFAULT '',
	place     TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (school_id, position)
);

-- Read-only links for a school's board.
CREATE TABLE board_links (
	id         TEXT PRIMARY KEY,
	school_id  TEXT NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
	label      TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at TIMESTAMPTZ NOT NULL,
	revoked_at TIMESTAMPTZ
);
CREATE INDEX board_links_school ON board_links(school_id);

-- Classes, and a school's pupil council (kind 'council', one per school). A council has no
-- parent code, but the column must hold a unique value, so it stores a placeholder there that no
-- typed code can match. last_active_at is a class's last activity, recorded at most once a day;
-- a class without activity for 18 months is deleted, as is an archived one after its period.
CREATE TABLE classes (
	id                 TEXT PRIMARY KEY,
	school_id          TEXT REFERENCES schools(id) ON DELETE SET NULL,
	name               TEXT NOT NULL,
	grade              INTEGER NOT NULL,
	parent_code        TEXT NOT NULL UNIQUE,
	pupil_code         TEXT NOT NULL UNIQUE,
	activation_percent INTEGER NOT NULL DEFAULT 75,
	created_at         TIMESTAMPTZ NOT NULL,
	archived_at        TIMESTAMPTZ,
	last_active_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
	kind               TEXT NOT NULL DEFAULT 'class' CHECK (kind IN ('class', 'council'))
);
CREATE INDEX classes_school ON classes(school_id);
CREATE INDEX classes_archived ON classes(archived_at) WHERE archived_at IS NOT NULL;
CREATE INDEX classes_last_active ON classes(last_active_at);
CREATE UNIQUE INDEX classes_one_council ON classes(school_id) WHERE kind = 'council';

CREATE TABLE households (
	id         TEXT PRIMARY KEY,
	class_id   TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
	child_key  TEXT NOT NULL,
	child_name TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	UNIQUE (class_id, child_key)
);

CREATE TABLE members (
	id           TEXT PRIMARY KEY,
	class_id     TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
	household_id TEXT REFERENCES households(id) ON DELETE SET NULL,
	name         TEXT NOT NULL,
	role         TEXT NOT NULL CHECK (role IN ('facilitator', 'parent', 'pupil')),
	token_hash   TEXT NOT NULL UNIQUE,
	created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX members_class ON members(class_id);

-- A browser that signs in with a member's key link gets a session token of its own.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	member_id  TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
	created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_member ON sessions(member_id, created_at);

-- The class each council member comes from, chosen from the school's classes when joining.
CREATE TABLE council_members (
	member_id TEXT PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
	class_id  TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE
);
CREATE INDEX council_members_class ON council_members(class_id);

-- Agreements and their clauses. A clause's rev counts every change; clause_ops logs each one
-- (text operations in the ot.js JSON form, kept as the exact text) while the agreement is a draft.
CREATE TABLE agreements (
	id                TEXT PRIMARY KEY,
	class_id          TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
	kind              TEXT NOT NULL CHECK (kind IN ('parents', 'pupils')),
	title             TEXT NOT NULL,
	status            TEXT NOT NULL,
	lang              TEXT NOT NULL,
	revision          INTEGER NOT NULL,
	slug              TEXT UNIQUE,
	published_at      TIMESTAMPTZ,
	created_at        TIMESTAMPTZ NOT NULL,
	quorum_percent    INTEGER,
	threshold_percent INTEGER,
	closes_at         TIMESTAMPTZ,
	hide_results      BOOLEAN NOT NULL DEFAULT false,
	decided_at        TIMESTAMPTZ,
	review_at         TIMESTAMPTZ,
	previous_id       TEXT REFERENCES agreements(id) ON DELETE SET NULL
);
CREATE INDEX agreements_class ON agreements(class_id);
CREATE INDEX agreements_previous ON agreements(previous_id);
CREATE INDEX agreements_status ON agreements(status);

-- base_body is a clause's text when it was made (rev 0), from which the log replays every
-- earlier text; opened_value is the value its parameter showed when its vote opened.
CREATE TABLE clauses (
	id           TEXT PRIMARY KEY,
	agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
	position     INTEGER NOT NULL,
	key          TEXT NOT NULL DEFAULT '',
	title        TEXT NOT NULL,
	body         TEXT NOT NULL,
	rev          INTEGER NOT NULL DEFAULT 0,
	value        TEXT NOT NULL DEFAULT '',
	adopted      BOOLEAN,
	base_body    TEXT,
	locked       BOOLEAN NOT NULL DEFAULT false,
	opened_value TEXT NOT NULL DEFAULT ''
);
CREATE INDEX clauses_agreement ON clauses(agreement_id, position);

-- An operation's identity is (member, tab, seq): a tab ID that another member also sends can
-- neither claim nor shadow their operations.
CREATE TABLE clause_ops (
	clause_id  TEXT NOT NULL REFERENCES clauses(id) ON DELETE CASCADE,
	rev        INTEGER NOT NULL,
	client     TEXT NOT NULL DEFAULT '',
	seq        INTEGER NOT NULL DEFAULT 0,
	member_id  TEXT NOT NULL DEFAULT '',
	op         TEXT NOT NULL,
	created_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (clause_id, rev)
);
CREATE UNIQUE INDEX clause_ops_seq ON clause_ops(clause_id, member_id, client, seq) WHERE client <> '';

-- A class's pupils' agreement started from the council's: one row per clause of the council's
-- agreement, with the council's text as it was then. clause_id is the class's copy; when the
-- class drops the clause, the copy is deleted and clause_id becomes NULL.
CREATE TABLE council_clauses (
	agreement_id         TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
	position             INTEGER NOT NULL,
	clause_id            TEXT REFERENCES clauses(id) ON DELETE SET NULL,
	council_agreement_id TEXT NOT NULL,
	council_clause_id    TEXT NOT NULL,
	title                TEXT NOT NULL,
	body                 TEXT NOT NULL,
	value                TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (agreement_id, council_clause_id)
);
CREATE INDEX council_clauses_clause ON council_clauses(clause_id);
CREATE INDEX council_clauses_council ON council_clauses(council_agreement_id);

-- voter is the household, or the pupil in pupils' agreements: who voted what is never shown.
CREATE TABLE votes (
	agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
	clause_id    TEXT NOT NULL REFERENCES clauses(id) ON DELETE CASCADE,
	voter        TEXT NOT NULL,
	answer       TEXT NOT NULL DEFAULT '',
	value        TEXT NOT NULL DEFAULT '',
	reason       TEXT NOT NULL DEFAULT '',
	updated_at   TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (clause_id, voter)
);
CREATE INDEX votes_agreement ON votes(agreement_id, voter);

CREATE TABLE signatures (
	agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
	voter        TEXT NOT NULL,
	min_percent  INTEGER NOT NULL CHECK (min_percent BETWEEN 0 AND 100),
	signed_at    TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (agreement_id, voter)
);

CREATE TABLE checkins (
	id           TEXT PRIMARY KEY,
	agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
	opened_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX checkins_agreement ON checkins(agreement_id, opened_at);

CREATE TABLE checkin_replies (
	checkin_id  TEXT NOT NULL REFERENCES checkins(id) ON DELETE CASCADE,
	voter       TEXT NOT NULL,
	answer      TEXT NOT NULL CHECK (answer IN ('kept', 'partly', 'not_kept')),
	comment     TEXT NOT NULL DEFAULT '',
	answered_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (checkin_id, voter)
);

-- A demo's marks: that the database was filled as a demo, and which of its people the demo
-- signs in. A database without them that holds schools or classes is a real one.
CREATE TABLE demo_marks (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
