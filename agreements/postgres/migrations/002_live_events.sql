-- Announcements from one server process to the others that share the database.
CREATE TABLE live_events (
	id   BIGSERIAL PRIMARY KEY,
	at   TIMESTAMPTZ NOT NULL DEFAULT now(),
	body TEXT NOT NULL
);
