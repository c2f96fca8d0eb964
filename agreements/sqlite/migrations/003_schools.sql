-- School boards and municipalities: read-only board links, municipalities that schools opt into,
-- and archived classes, whose data is deleted after a retention period.
ALTER TABLE classes ADD COLUMN archived_at INTEGER;
CREATE INDEX classes_archived ON classes(archived_at) WHERE archived_at IS NOT NULL;

CREATE TABLE board_links (
	id         TEXT PRIMARY KEY,
	school_id  TEXT NOT NULL REFERENCES schools(id) ON DELETE CASCADE,
	label      TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	revoked_at INTEGER
) STRICT;
CREATE INDEX board_links_school ON board_links(school_id);

CREATE TABLE municipalities (
	id         TEXT PRIMARY KEY,
	name       TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	join_code  TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL
) STRICT;

ALTER TABLE schools ADD COLUMN municipality_id TEXT REFERENCES municipalities(id) ON DELETE SET NULL;
CREATE INDEX schools_municipality ON schools(municipality_id);
