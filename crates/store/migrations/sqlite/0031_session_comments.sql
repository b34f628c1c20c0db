-- no-transaction
-- Comments on event sessions (subject kind 'session'), an image per event, the people an admin
-- lets run an event beside its owner, the target groups of sessions, who made a format, the
-- language of a registration, and indexes for the list of events by target group and for the
-- pages that change by the clock.
--
-- SQLite cannot change a CHECK constraint in place: the comments table is rebuilt with 'session'
-- among its subject kinds, as in 0020 (foreign keys off outside the transaction, new table, copy,
-- drop, rename, indexes, commit).
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;
CREATE TABLE comments_rebuilt (
    id INTEGER PRIMARY KEY,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('measure', 'idea', 'session')),
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
    reviewed_at TEXT,
    guest_key TEXT
);
INSERT INTO comments_rebuilt (id, subject_kind, subject_id, parent_id, root_id, depth, author_id, state,
    official, body, body_html, upvotes, replies, created_at, edited_at, deleted_at, guest_name, held,
    reports, needs_review, moderation_reason, reviewed_at, guest_key)
SELECT id, subject_kind, subject_id, parent_id, root_id, depth, author_id, state,
    official, body, body_html, upvotes, replies, created_at, edited_at, deleted_at, guest_name, held,
    reports, needs_review, moderation_reason, reviewed_at, guest_key FROM comments;
DROP TABLE comments;
ALTER TABLE comments_rebuilt RENAME TO comments;
CREATE INDEX comments_newest ON comments (subject_kind, subject_id, depth, id);
CREATE INDEX comments_supported ON comments (subject_kind, subject_id, depth, upvotes, id);
CREATE INDEX comments_thread ON comments (root_id, id);
CREATE INDEX comments_author ON comments (author_id);
CREATE INDEX comments_queue ON comments (id) WHERE needs_review;
CREATE INDEX comments_recent ON comments (subject_kind, subject_id, id);
CREATE INDEX comments_guest_key ON comments (guest_key) WHERE guest_key IS NOT NULL;

-- The event's image (raster only; the type comes from the file's first bytes). Pages link it
-- with its etag, so it is cached for a year and a new image has a new address.
CREATE TABLE event_images (
    event_id INTEGER PRIMARY KEY REFERENCES programme_events (id) ON DELETE CASCADE,
    mime TEXT NOT NULL CHECK (mime IN ('image/png', 'image/jpeg', 'image/webp')),
    body BLOB NOT NULL,
    width INTEGER NOT NULL CHECK (width > 0),
    height INTEGER NOT NULL CHECK (height > 0),
    etag TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Organisers an admin lets run an event beside its owner (the owner stays in owner_id).
CREATE TABLE event_organisers (
    event_id INTEGER NOT NULL REFERENCES programme_events (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_organisers_user ON event_organisers (user_id, event_id);

-- The target groups a session is for: the programme is filtered by them.
CREATE TABLE session_target_groups (
    session_id INTEGER NOT NULL REFERENCES programme_sessions (id) ON DELETE CASCADE,
    target_group_id INTEGER NOT NULL REFERENCES target_groups (id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, target_group_id)
);
CREATE INDEX session_target_groups_group ON session_target_groups (target_group_id);

-- The list of events filtered by a target group.
CREATE INDEX event_target_groups_group ON event_target_groups (target_group_id, event_id);

-- Who made a format (NULL: preset): they may change it, as may admins.
ALTER TABLE session_formats ADD COLUMN created_by INTEGER REFERENCES users (id) ON DELETE SET NULL;

-- The language a person registered in: every mail about the registration is written in it.
ALTER TABLE programme_registrations ADD COLUMN lang TEXT NOT NULL DEFAULT 'de' CHECK (lang IN ('de', 'en'));

-- Pages that change by the clock (a session starts or ends): every instance asks each minute.
CREATE INDEX programme_sessions_starts ON programme_sessions (starts_at);
CREATE INDEX programme_sessions_ends ON programme_sessions (ends_at);

COMMIT;
PRAGMA foreign_keys = ON;
