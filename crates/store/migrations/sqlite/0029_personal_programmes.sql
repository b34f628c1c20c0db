-- Personal programmes (issue 10): the sessions a person stars. Without an account the
-- programme is reached by its private link (an HMAC of its number, nothing stored); with one,
-- it belongs to the account (one each) and goes with it.
CREATE TABLE personal_programmes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE personal_sessions (
    programme_id INTEGER NOT NULL REFERENCES personal_programmes (id) ON DELETE CASCADE,
    session_id INTEGER NOT NULL REFERENCES programme_sessions (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (programme_id, session_id)
);
CREATE INDEX personal_sessions_session ON personal_sessions (session_id);
