-- no-transaction
-- Ideas of citizens: a proposed measure in a field of action, supported by people, answered by
-- the city with a status. Comments on ideas use the comments table with subject kind 'idea'.
--
-- SQLite cannot change a CHECK constraint in place: the comments table is rebuilt with 'idea'
-- among its subject kinds (the procedure of SQLite's "ALTER TABLE" documentation: foreign keys
-- off outside the transaction, new table, copy, drop, rename, indexes, check, commit).
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE comments_rebuilt (
    id INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('measure', 'idea')),
    subject_id INTEGER NOT NULL,
    parent_id INTEGER REFERENCES comments (id),
    root_id INTEGER REFERENCES comments (id),
    depth INTEGER NOT NULL CHECK (depth BETWEEN 0 AND 2),
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'published', 'hidden', 'deleted')),
    official BOOLEAN NOT NULL DEFAULT FALSE,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    upvotes BIGINT NOT NULL DEFAULT 0 CHECK (upvotes >= 0),
    replies BIGINT NOT NULL DEFAULT 0 CHECK (replies >= 0),
    created_at TEXT NOT NULL,
    edited_at TEXT,
    deleted_at TEXT,
    guest_name TEXT,
    held TEXT CHECK (held IN ('confirm', 'review')),
    reports BIGINT NOT NULL DEFAULT 0 CHECK (reports >= 0),
    needs_review BOOLEAN NOT NULL DEFAULT FALSE,
    moderation_reason TEXT,
    reviewed_at TEXT
);
INSERT INTO comments_rebuilt (id, subject_kind, subject_id, parent_id, root_id, depth, author_id, state,
    official, body, body_html, upvotes, replies, created_at, edited_at, deleted_at, guest_name, held,
    reports, needs_review, moderation_reason, reviewed_at)
SELECT id, subject_kind, subject_id, parent_id, root_id, depth, author_id, state,
    official, body, body_html, upvotes, replies, created_at, edited_at, deleted_at, guest_name, held,
    reports, needs_review, moderation_reason, reviewed_at FROM comments;
DROP TABLE comments;
ALTER TABLE comments_rebuilt RENAME TO comments;
CREATE INDEX comments_newest ON comments (subject_kind, subject_id, depth, id);
CREATE INDEX comments_supported ON comments (subject_kind, subject_id, depth, upvotes, id);
CREATE INDEX comments_thread ON comments (root_id, id);
CREATE INDEX comments_author ON comments (author_id);
CREATE INDEX comments_queue ON comments (id) WHERE needs_review;
CREATE INDEX comments_recent ON comments (subject_kind, subject_id, id);

-- `status_rank` orders the list by status (accepted, in review, submitted, rejected) with an
-- index; `supports` is kept in the transaction of every support. `author_id` becomes NULL when
-- the account is deleted: the idea then shows "gelöschtes Konto". `search_text` holds the stemmed
-- terms (domain::text::search_document) for the search of similar ideas.
CREATE TABLE ideas (
    id INTEGER PRIMARY KEY,
    field_id INTEGER NOT NULL REFERENCES fields_of_action (id),
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    description_html TEXT NOT NULL,
    benefit TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'submitted' CHECK (status IN ('submitted', 'in_review', 'accepted', 'rejected')),
    status_rank INTEGER NOT NULL DEFAULT 2,
    status_reason TEXT NOT NULL DEFAULT '',
    status_at TEXT,
    measure_id INTEGER REFERENCES measures (id) ON DELETE SET NULL,
    supports BIGINT NOT NULL DEFAULT 0 CHECK (supports >= 0),
    hidden BOOLEAN NOT NULL DEFAULT FALSE,
    moderation_reason TEXT,
    search_text TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX ideas_supported ON ideas (supports, id);
CREATE INDEX ideas_by_status ON ideas (status_rank, id);
CREATE INDEX ideas_field_newest ON ideas (field_id, id);
CREATE INDEX ideas_field_supported ON ideas (field_id, supports, id);
CREATE INDEX ideas_status_newest ON ideas (status, id);
CREATE INDEX ideas_author ON ideas (author_id);
CREATE INDEX ideas_measure ON ideas (measure_id);

CREATE TABLE idea_supports (
    idea_id INTEGER NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (idea_id, user_id)
);
CREATE INDEX idea_supports_user ON idea_supports (user_id);

CREATE VIRTUAL TABLE ideas_fts USING fts5 (search_text, content = 'ideas', content_rowid = 'id');
CREATE TRIGGER ideas_fts_insert AFTER INSERT ON ideas BEGIN
    INSERT INTO ideas_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER ideas_fts_delete AFTER DELETE ON ideas BEGIN
    INSERT INTO ideas_fts (ideas_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER ideas_fts_update AFTER UPDATE OF search_text ON ideas BEGIN
    INSERT INTO ideas_fts (ideas_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO ideas_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
COMMIT;
PRAGMA foreign_keys = ON;
