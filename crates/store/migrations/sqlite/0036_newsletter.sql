-- The newsletter (issue 11). Subscribers confirm their address (double opt-in) before anything
-- is sent to it; only the SHA-256 hash of the confirmation link's token is kept. Issues are
-- written in the back office and go out through the mail queue: one row per recipient, whose
-- primary key (issue, subscriber) makes the sending idempotent across restarts and instances.
CREATE TABLE newsletter_subscribers (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed', 'unsubscribed')),
    topic_strategy BOOLEAN NOT NULL DEFAULT FALSE,
    topic_events BOOLEAN NOT NULL DEFAULT FALSE,
    topic_offers BOOLEAN NOT NULL DEFAULT FALSE,
    confirm_hash TEXT UNIQUE,
    confirm_expires_at TEXT,
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    confirmed_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX newsletter_subscribers_confirmed ON newsletter_subscribers (id) WHERE state = 'confirmed';
CREATE INDEX newsletter_subscribers_user ON newsletter_subscribers (user_id);

CREATE TABLE newsletter_issues (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    body_html TEXT NOT NULL,
    topic_strategy BOOLEAN NOT NULL DEFAULT FALSE,
    topic_events BOOLEAN NOT NULL DEFAULT FALSE,
    topic_offers BOOLEAN NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'scheduled', 'sending', 'sent')),
    scheduled_at TEXT,
    -- When it began to go out: its date in the archive, and the start of its pace.
    sent_at TEXT,
    -- When its last recipient was queued.
    finished_at TEXT,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX newsletter_issues_state ON newsletter_issues (state, sent_at);

CREATE TABLE newsletter_recipients (
    issue_id INTEGER NOT NULL REFERENCES newsletter_issues (id) ON DELETE CASCADE,
    subscriber_id INTEGER NOT NULL REFERENCES newsletter_subscribers (id) ON DELETE CASCADE,
    -- The queued mail (no foreign key: the queue is the mail worker's).
    mail_id INTEGER,
    queued_at TEXT NOT NULL,
    PRIMARY KEY (issue_id, subscriber_id)
);
CREATE INDEX newsletter_recipients_subscriber ON newsletter_recipients (subscriber_id);
