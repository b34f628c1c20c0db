-- Comments on event sessions (subject kind 'session'), an image per event, the people an admin
-- lets run an event beside its owner, the target groups of sessions, who made a format, the
-- language of a registration, and indexes for the list of events by target group and for the
-- pages that change by the clock.
ALTER TABLE comments DROP CONSTRAINT comments_subject_kind_check;
ALTER TABLE comments ADD CONSTRAINT comments_subject_kind_check CHECK (subject_kind IN ('measure', 'idea', 'session'));

-- The event's image (raster only; the type comes from the file's first bytes). Pages link it
-- with its etag, so it is cached for a year and a new image has a new address.
CREATE TABLE event_images (
    event_id BIGINT PRIMARY KEY REFERENCES programme_events (id) ON DELETE CASCADE,
    mime TEXT NOT NULL CHECK (mime IN ('image/png', 'image/jpeg', 'image/webp')),
    body BYTEA NOT NULL,
    width BIGINT NOT NULL CHECK (width > 0),
    height BIGINT NOT NULL CHECK (height > 0),
    etag TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Organisers an admin lets run an event beside its owner (the owner stays in owner_id).
CREATE TABLE event_organisers (
    event_id BIGINT NOT NULL REFERENCES programme_events (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_organisers_user ON event_organisers (user_id, event_id);

-- The target groups a session is for: the programme is filtered by them.
CREATE TABLE session_target_groups (
    session_id BIGINT NOT NULL REFERENCES programme_sessions (id) ON DELETE CASCADE,
    target_group_id BIGINT NOT NULL REFERENCES target_groups (id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, target_group_id)
);
CREATE INDEX session_target_groups_group ON session_target_groups (target_group_id);

-- The list of events filtered by a target group.
CREATE INDEX event_target_groups_group ON event_target_groups (target_group_id, event_id);

-- Who made a format (NULL: preset): they may change it, as may admins.
ALTER TABLE session_formats ADD COLUMN created_by BIGINT REFERENCES users (id) ON DELETE SET NULL;

-- The language a person registered in: every mail about the registration is written in it.
ALTER TABLE programme_registrations ADD COLUMN lang TEXT NOT NULL DEFAULT 'de' CHECK (lang IN ('de', 'en'));

-- Pages that change by the clock (a session starts or ends): every instance asks each minute.
CREATE INDEX programme_sessions_starts ON programme_sessions (starts_at);
CREATE INDEX programme_sessions_ends ON programme_sessions (ends_at);
