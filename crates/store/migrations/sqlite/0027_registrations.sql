-- Registration for events and sessions (issue 10). A place is held by a confirmed registration
-- and by an open offer from the waiting list; `held` counts them next to the capacity, and the
-- conditional UPDATE that raises it (`held < capacity`) is what keeps an event from being
-- overbooked. `scope` is the session's id, or 0 for the whole event, so one unique index holds
-- "one active registration per address" for both. Reminders are claimed by their columns.
ALTER TABLE programme_events ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
ALTER TABLE programme_sessions ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
-- When the names and addresses of the event's registrations were removed (30 days after it).
ALTER TABLE programme_events ADD COLUMN registrations_pruned_at TEXT;

CREATE TABLE programme_registrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id INTEGER NOT NULL REFERENCES programme_events (id) ON DELETE CASCADE,
    session_id INTEGER REFERENCES programme_sessions (id) ON DELETE CASCADE,
    scope INTEGER NOT NULL,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('unconfirmed', 'confirmed', 'waiting', 'offered', 'cancelled', 'expired')),
    offer_expires_at TEXT,
    reminded_day_at TEXT,
    reminded_hour_at TEXT,
    checked_in_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((session_id IS NULL AND scope = 0) OR scope = session_id)
);
CREATE UNIQUE INDEX programme_registrations_once ON programme_registrations (event_id, scope, email)
    WHERE state IN ('unconfirmed', 'confirmed', 'waiting', 'offered');
CREATE INDEX programme_registrations_list ON programme_registrations (event_id, scope, state, id);
CREATE INDEX programme_registrations_by_state ON programme_registrations (event_id, state, id);
CREATE INDEX programme_registrations_offers ON programme_registrations (offer_expires_at) WHERE state = 'offered';
CREATE INDEX programme_registrations_unconfirmed ON programme_registrations (created_at) WHERE state = 'unconfirmed';
CREATE INDEX programme_registrations_user ON programme_registrations (user_id);

-- A calendar file sent with a mail (the confirmation of a registration).
ALTER TABLE mail_queue ADD COLUMN calendar TEXT;
