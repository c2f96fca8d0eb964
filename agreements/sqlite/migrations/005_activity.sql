-- Retention by activity: a class's last activity (any write by a member), recorded at most once
-- a day. A class without activity for 18 months is deleted. Classes that exist already start
-- counting from now, so that no class is deleted because this migration ran.
ALTER TABLE classes ADD COLUMN last_active_at INTEGER NOT NULL DEFAULT 0;
UPDATE classes SET last_active_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER);
CREATE INDEX classes_last_active ON classes(last_active_at);
