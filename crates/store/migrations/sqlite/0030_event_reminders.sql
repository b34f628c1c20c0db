-- Reminders of registered people (issue 10): whether an event sends one a day and one an hour
-- before it (or before a session with places of its own) starts. On by default.
ALTER TABLE programme_events ADD COLUMN remind_day BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE programme_events ADD COLUMN remind_hour BOOLEAN NOT NULL DEFAULT TRUE;
CREATE INDEX programme_registrations_confirmed ON programme_registrations (event_id) WHERE state = 'confirmed';
