-- Reports of ideas, as of comments: one row per idea and reporter (`user:<id>` or a keyed hash
-- of a guest's client address). `reports` counts them since the last review; at the threshold
-- the idea is hidden until the moderation reviews it (`needs_review`, the partial index of the
-- queue).
CREATE TABLE idea_reports (
    idea_id BIGINT NOT NULL REFERENCES ideas (id) ON DELETE CASCADE,
    reporter TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('spam', 'abusive', 'off_topic', 'personal_data', 'other')),
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (idea_id, reporter)
);
ALTER TABLE ideas ADD COLUMN reports BIGINT NOT NULL DEFAULT 0 CHECK (reports >= 0);
ALTER TABLE ideas ADD COLUMN needs_review BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE ideas ADD COLUMN reviewed_at TIMESTAMPTZ;
CREATE INDEX ideas_queue ON ideas (id) WHERE needs_review;
