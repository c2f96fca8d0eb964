-- A demo's marks: that the database was filled as a demo, and which of its people the demo
-- signs in. A database without them that holds schools or classes is a real one.
CREATE TABLE demo_marks (
	name  TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
