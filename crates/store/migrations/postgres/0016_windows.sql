-- Participation windows: whether a discussion takes new comments, replies and upvotes. A window
-- belongs to the strategy, a field of action or a measure; the most specific one that exists
-- decides (measure, then field, then strategy; none: open). `closed_at` set: closed by hand since
-- then; otherwise open between `opens_at` and `closes_at` (each optional). A closed discussion
-- stays readable.
CREATE TABLE participation_windows (
    scope TEXT NOT NULL CHECK (scope IN ('strategy', 'field', 'measure')),
    scope_id BIGINT NOT NULL,
    closed_at TIMESTAMPTZ,
    opens_at TIMESTAMPTZ,
    closes_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (scope, scope_id)
);
