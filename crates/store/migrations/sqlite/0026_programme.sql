-- Events and their programme (issue 10). `programme_events` (the bus has `events`): an event
-- with its dates, attendance, fee (shown and recorded; payment stays outside), capacity and
-- registration window; `session_formats` the formats the organisers keep (five preset);
-- `programme_rooms` the rooms of an event, physical or virtual (the join link is shown only to
-- registered people shortly before a session); `programme_sessions` its sessions; and the
-- people of a session in their roles. Links to measures, fields of action and target groups.
CREATE TABLE programme_events (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    description_html TEXT NOT NULL DEFAULT '',
    organiser TEXT NOT NULL,
    owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    attendance TEXT NOT NULL CHECK (attendance IN ('in_person', 'online', 'mixed')),
    place TEXT NOT NULL DEFAULT '',
    fee_cents INTEGER CHECK (fee_cents >= 0),
    fee_note TEXT NOT NULL DEFAULT '',
    capacity INTEGER CHECK (capacity > 0),
    registration_opens_at TEXT,
    registration_closes_at TEXT,
    image_alt TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published', 'cancelled')),
    -- Part of the demo: removed with it.
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX programme_events_by_start ON programme_events (state, starts_at, id);
CREATE INDEX programme_events_owner ON programme_events (owner_id);

CREATE TABLE session_formats (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    default_minutes INTEGER NOT NULL CHECK (default_minutes > 0),
    colour TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE programme_rooms (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES programme_events (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('physical', 'virtual')),
    join_url TEXT NOT NULL DEFAULT '',
    capacity INTEGER CHECK (capacity > 0),
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (event_id, name)
);

CREATE TABLE programme_sessions (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES programme_events (id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    abstract TEXT NOT NULL DEFAULT '',
    abstract_html TEXT NOT NULL DEFAULT '',
    format_id INTEGER REFERENCES session_formats (id) ON DELETE SET NULL,
    track TEXT NOT NULL DEFAULT '',
    room_id INTEGER REFERENCES programme_rooms (id) ON DELETE SET NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'de',
    sign_language BOOLEAN NOT NULL DEFAULT FALSE,
    live_captions BOOLEAN NOT NULL DEFAULT FALSE,
    easy_language BOOLEAN NOT NULL DEFAULT FALSE,
    capacity INTEGER CHECK (capacity > 0),
    do_not_record BOOLEAN NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL DEFAULT 'confirmed' CHECK (state IN ('confirmed', 'cancelled', 'moved')),
    recording_url TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (event_id, slug)
);
CREATE INDEX programme_sessions_by_start ON programme_sessions (event_id, starts_at, id);
CREATE INDEX programme_sessions_room ON programme_sessions (room_id);

CREATE TABLE session_people (
    session_id INTEGER NOT NULL REFERENCES programme_sessions (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('speaker', 'moderator', 'host', 'guest')),
    PRIMARY KEY (session_id, position)
);

CREATE TABLE event_measures (
    event_id INTEGER NOT NULL REFERENCES programme_events (id) ON DELETE CASCADE,
    measure_id INTEGER NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, measure_id)
);
CREATE INDEX event_measures_measure ON event_measures (measure_id);

CREATE TABLE event_fields (
    event_id INTEGER NOT NULL REFERENCES programme_events (id) ON DELETE CASCADE,
    field_id INTEGER NOT NULL REFERENCES fields_of_action (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, field_id)
);
CREATE INDEX event_fields_field ON event_fields (field_id);

CREATE TABLE event_target_groups (
    event_id INTEGER NOT NULL REFERENCES programme_events (id) ON DELETE CASCADE,
    target_group_id INTEGER NOT NULL REFERENCES target_groups (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, target_group_id)
);

INSERT INTO session_formats (name, default_minutes, colour, position) VALUES
    ('Digitaler Dialog', 60, '#1f5f99', 1),
    ('Online-Diskussion', 90, '#7a3e9d', 2),
    ('Diskussionsrunde', 90, '#5c5c5c', 3),
    ('Workshop', 120, '#2e6b30', 4),
    ('Interview', 45, '#a4351f', 5);
