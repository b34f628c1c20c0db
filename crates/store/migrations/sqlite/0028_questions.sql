-- Live Q&A of sessions (issue 10). A session keeps whether its questions wait for the
-- moderation and whether it takes questions at all; `session_questions` holds each question
-- with its state, source (asked on the site, or sent by mail and added by the moderation),
-- upvote count and the one pinned; `question_votes` one row per question and voter
-- (`user:<id>`, or `client:<keyed hash>` for people without an account).
ALTER TABLE programme_sessions ADD COLUMN qa_moderated BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE programme_sessions ADD COLUMN qa_open BOOLEAN NOT NULL DEFAULT TRUE;

CREATE TABLE session_questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES programme_sessions (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    asker TEXT NOT NULL DEFAULT '',
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    source TEXT NOT NULL DEFAULT 'web' CHECK (source IN ('web', 'mail')),
    state TEXT NOT NULL CHECK (state IN ('queued', 'visible', 'rejected', 'answered', 'archived')),
    reason TEXT NOT NULL DEFAULT '',
    votes INTEGER NOT NULL DEFAULT 0,
    pinned BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX session_questions_list ON session_questions (session_id, state, votes, id);
-- At most one pinned question per session.
CREATE UNIQUE INDEX session_questions_pinned ON session_questions (session_id) WHERE pinned;

CREATE TABLE question_votes (
    question_id INTEGER NOT NULL REFERENCES session_questions (id) ON DELETE CASCADE,
    voter TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (question_id, voter)
);
