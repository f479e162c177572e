CREATE TABLE learners (
		id      INTEGER PRIMARY KEY,
		key     TEXT NOT NULL UNIQUE, -- "key:SHA256:…" or "name:…"
		name    TEXT NOT NULL,
		created INTEGER NOT NULL      -- unix ms
	);
	CREATE TABLE states (
		learner INTEGER PRIMARY KEY REFERENCES learners(id),
		data    BLOB NOT NULL,        -- the learner's state, as state.json holds it
		updated INTEGER NOT NULL
	);
	CREATE TABLE events (
		id      INTEGER PRIMARY KEY,
		learner INTEGER NOT NULL REFERENCES learners(id),
		at      INTEGER NOT NULL,     -- unix ms
		kind    TEXT NOT NULL,        -- lesson, cell, run, exercise, quiz, connect, disconnect
		lesson  TEXT NOT NULL DEFAULT '',
		cell    TEXT NOT NULL DEFAULT '',
		ok      INTEGER NOT NULL DEFAULT 0,
		detail  TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX events_learner_at ON events(learner, at);
