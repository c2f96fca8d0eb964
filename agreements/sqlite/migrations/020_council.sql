-- A school's pupil council (elevråd) is a space like a class, with kind 'council': one per school.
-- Its pupils join with the council's pupil code; it has no parent code, but the column must hold
-- a unique value, so a council stores a placeholder there that no typed code can match.
ALTER TABLE classes ADD COLUMN kind TEXT NOT NULL DEFAULT 'class' CHECK (kind IN ('class', 'council'));
CREATE UNIQUE INDEX classes_one_council ON classes(school_id) WHERE kind = 'council';

-- The class each council member comes from, chosen from the school's classes when joining.
CREATE TABLE council_members (
	member_id TEXT PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
	class_id  TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX council_members_class ON council_members(class_id);

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
) STRICT;
CREATE INDEX council_clauses_clause ON council_clauses(clause_id);
CREATE INDEX council_clauses_council ON council_clauses(council_agreement_id);
