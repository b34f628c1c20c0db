-- Guest comments and the moderation of comments.
-- A guest's comment has no author account: `guest_name` is the name they gave. Their address is
-- never stored: `guest_confirmations` keeps a keyed hash of it (one rating or limit per address)
-- and the hash of the one-time token of the confirmation link.
-- `held` says why a comment is pending: 'confirm' (the guest has not confirmed yet) or
-- 'review' (held for the moderation: pre-moderation, the word list, a first post).
-- `reports` counts the reports since the last review; `needs_review` puts a comment into the
-- moderation queue; `moderation_reason` is the public reason of a hiding by the moderation
-- (NULL while a comment is hidden by reports only, until it is reviewed); `reviewed_at` is the
-- last review, so the queue shows the reports that came after it.
ALTER TABLE comments ADD COLUMN guest_name TEXT;
ALTER TABLE comments ADD COLUMN held TEXT CHECK (held IN ('confirm', 'review'));
ALTER TABLE comments ADD COLUMN reports BIGINT NOT NULL DEFAULT 0 CHECK (reports >= 0);
ALTER TABLE comments ADD COLUMN needs_review BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE comments ADD COLUMN moderation_reason TEXT;
ALTER TABLE comments ADD COLUMN reviewed_at TIMESTAMPTZ;

CREATE INDEX comments_queue ON comments (id) WHERE needs_review;

CREATE TABLE guest_confirmations (
    token_hash TEXT PRIMARY KEY,
    comment_id BIGINT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    address_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);

CREATE INDEX guest_confirmations_comment ON guest_confirmations (comment_id);
CREATE INDEX guest_confirmations_expiry ON guest_confirmations (expires_at) WHERE used_at IS NULL;

-- One report per reporter (`user:<id>`, or a keyed hash of a guest's client address).
CREATE TABLE comment_reports (
    comment_id BIGINT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    reporter TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('spam', 'abusive', 'off_topic', 'personal_data', 'other')),
    note TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (comment_id, reporter)
);
