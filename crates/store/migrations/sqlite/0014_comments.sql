-- Comments on measures (and, later, on ideas, event sessions and offers: `subject_kind`).
-- Threads are three levels deep (`depth` 0 to 2); `root_id` is the top-level comment of a
-- reply (NULL on top-level comments). A deleted comment keeps its row as a tombstone, without
-- its text, so that its replies stay readable. `upvotes` and `replies` are kept in the
-- transaction of every vote and reply; `comment_counts` holds the visible comments of a subject.
-- `author_id` becomes NULL when the account is deleted: the comment then shows "gelöschtes Konto".
CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('measure')),
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
    deleted_at TEXT
);

CREATE INDEX comments_newest ON comments (subject_kind, subject_id, depth, id);
CREATE INDEX comments_supported ON comments (subject_kind, subject_id, depth, upvotes, id);
CREATE INDEX comments_thread ON comments (root_id, id);
CREATE INDEX comments_author ON comments (author_id);

CREATE TABLE comment_votes (
    comment_id INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);

CREATE INDEX comment_votes_user ON comment_votes (user_id);

CREATE TABLE comment_counts (
    subject_kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    count BIGINT NOT NULL DEFAULT 0 CHECK (count >= 0),
    PRIMARY KEY (subject_kind, subject_id)
);
