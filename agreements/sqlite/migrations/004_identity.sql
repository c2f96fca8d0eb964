-- An operation's identity is (member, tab, seq): a tab ID that another member also sends can
-- neither claim nor shadow their operations.
DROP INDEX clause_ops_seq;
CREATE UNIQUE INDEX clause_ops_seq ON clause_ops(clause_id, member_id, client, seq) WHERE client <> '';

-- A browser that signs in with a member's key link gets a session token of its own, so that
-- logging out on one device revokes that device only and the bookmarked link keeps working.
-- Tokens are stored only as SHA-256 hashes.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	member_id  TEXT NOT NULL REFERENCES members(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_member ON sessions(member_id, created_at);
