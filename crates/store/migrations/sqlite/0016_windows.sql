-- Participation windows: whether a discussion takes new comments, replies and upvotes. A window
-- belongs to the strategy, a field of action or a measure; the most specific one that exists
-- decides (measure, then field, then strategy; none: open). `closed_at` set: closed by hand since
-- then; otherwise open between `opens_at` and `closes_at` (each optional). A closed discussion
-- stays readable.
CREATE TABLE participation_windows (
    scope TEXT NOT NULL CHECK (scope IN ('strategy', 'field', 'measure')),
    scope_id INTEGER NOT NULL,
    closed_at TEXT,
    opens_at TEXT,
    closes_at TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (scope, scope_id)
);
