-- A clause's history and a way back: its text when it was made (rev 0), from which the log
-- replays every earlier text; clauses already edited before this keep none. A clause the
-- facilitator locked is read-only for the others.
ALTER TABLE clauses ADD COLUMN base_body TEXT;
UPDATE clauses SET base_body = body WHERE rev = 0;
ALTER TABLE clauses ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;

-- The grown-ups at a school whom a child can turn to, in the order the school's admin gave.
CREATE TABLE trusted_adults (
	school_id TEXT NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
	position  INTEGER NOT NULL,
	name      TEXT NOT NULL,
	role      TEXT NOT NULL DEFAULT '',
	place     TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (school_id, position)
) STRICT, WITHOUT ROWID;
