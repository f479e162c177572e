-- A learner's name as matched (workshop.FoldName; filled in by nnlab on
-- open), and whether the learner gave it (else they are asked once).
ALTER TABLE learners ADD COLUMN fold TEXT;
ALTER TABLE learners ADD COLUMN named INTEGER NOT NULL DEFAULT 0;
UPDATE learners SET named = 1 WHERE key LIKE 'name:%';
CREATE INDEX learners_fold ON learners(fold);
-- What the instructor sends the room.
CREATE TABLE notices (
	id     INTEGER PRIMARY KEY,
	at     INTEGER NOT NULL, -- unix ms
	lesson TEXT NOT NULL DEFAULT '',
	en     TEXT NOT NULL DEFAULT '',
	ko     TEXT NOT NULL DEFAULT ''
);
-- The servers running, each with its last heartbeat.
CREATE TABLE servers (
	id   TEXT PRIMARY KEY,
	beat INTEGER NOT NULL -- unix ms
);
