-- Schools, classes and the people in them. Tokens are stored only as SHA-256 hashes.
CREATE TABLE schools (
	id              TEXT PRIMARY KEY,
	name            TEXT NOT NULL,
	municipality    TEXT NOT NULL DEFAULT '',
	token_hash      TEXT NOT NULL UNIQUE,
	organiser_code  TEXT NOT NULL UNIQUE,
	contact         TEXT NOT NULL DEFAULT '',
	action_plan_url TEXT NOT NULL DEFAULT '',
	help_lines      TEXT NOT NULL DEFAULT '',
	created_at      INTEGER NOT NULL
) STRICT;

CREATE TABLE classes (
	id                 TEXT PRIMARY KEY,
	school_id          TEXT REFERENCES schools(id) ON DELETE SET NULL,
	name               TEXT NOT NULL,
	grade              INTEGER NOT NULL,
	parent_code        TEXT NOT NULL UNIQUE,
	pupil_code         TEXT NOT NULL UNIQUE,
	activation_percent INTEGER NOT NULL DEFAULT 75,
	created_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX classes_school ON classes(school_id);

CREATE TABLE households (
	id         TEXT PRIMARY KEY,
	class_id   TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
	child_key  TEXT NOT NULL,
	child_name TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	UNIQUE (class_id, child_key)
) STRICT;

CREATE TABLE members (
	id           TEXT PRIMARY KEY,
	class_id     TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
	household_id TEXT REFERENCES households(id) ON DELETE SET NULL,
	name         TEXT NOT NULL,
	role         TEXT NOT NULL CHECK (role IN ('facilitator', 'parent', 'pupil')),
	token_hash   TEXT NOT NULL UNIQUE,
	created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX members_class ON members(class_id);

-- Agreements and their clauses. A clause's rev counts every change; clause_ops logs each one
-- (text operations in the ot.js JSON form) while the agreement is a draft.
CREATE TABLE agreements (
	id           TEXT PRIMARY KEY,
	class_id     TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
	kind         TEXT NOT NULL CHECK (kind IN ('parents', 'pupils')),
	title        TEXT NOT NULL,
	status       TEXT NOT NULL,
	lang         TEXT NOT NULL,
	revision     INTEGER NOT NULL,
	slug         TEXT UNIQUE,
	published_at INTEGER,
	created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX agreements_class ON agreements(class_id);

CREATE TABLE clauses (
	id           TEXT PRIMARY KEY,
	agreement_id TEXT NOT NULL REFERENCES agreements(id) ON DELETE CASCADE,
	position     INTEGER NOT NULL,
	key          TEXT NOT NULL DEFAULT '',
	title        TEXT NOT NULL,
	body         TEXT NOT NULL,
	rev          INTEGER NOT NULL DEFAULT 0,
	value        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX clauses_agreement ON clauses(agreement_id, position);

CREATE TABLE clause_ops (
	clause_id  TEXT NOT NULL REFERENCES clauses(id) ON DELETE CASCADE,
	rev        INTEGER NOT NULL,
	client     TEXT NOT NULL DEFAULT '',
	seq        INTEGER NOT NULL DEFAULT 0,
	member_id  TEXT NOT NULL DEFAULT '',
	op         TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (clause_id, rev)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX clause_ops_seq ON clause_ops(clause_id, client, seq) WHERE client <> '';
