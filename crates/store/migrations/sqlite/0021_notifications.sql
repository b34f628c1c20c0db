-- Follows and notifications (issue 9). A person follows a measure, a field of action or an idea
-- (`follows`; no foreign key on `subject_id`, since the subjects live in different tables).
-- `notifications` holds what they are told, with a snapshot of the subject's title and of the
-- text, so a list never joins the subjects (`detail`: a code the list translates, such as
-- the moderation's decision or an idea's new status); `by_mail` is the delivery chosen when it was
-- written (`no`, `digest`: the daily digest, `immediate`: the next minute), `mailed_at` marks
-- it taken into a mail. `notification_prefs` holds a person's choice per kind (no row: the
-- daily digest), `notification_settings` whether writing on something follows it.
CREATE TABLE follows (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('measure', 'field', 'idea')),
    subject_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, subject_kind, subject_id)
);
-- The fan-out reads the followers of one subject.
CREATE INDEX follows_subject ON follows (subject_kind, subject_id, user_id);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    recipient_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('progress', 'reply', 'official', 'idea_status', 'moderation')),
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('measure', 'field', 'idea', 'comment')),
    subject_id INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    link TEXT NOT NULL,
    by_mail TEXT NOT NULL CHECK (by_mail IN ('no', 'digest', 'immediate')),
    created_at TEXT NOT NULL,
    read_at TEXT,
    mailed_at TEXT
);
-- A person's list, newest first, paged by id.
CREATE INDEX notifications_list ON notifications (recipient_id, id);
-- The unread count in the header.
CREATE INDEX notifications_unread ON notifications (recipient_id) WHERE read_at IS NULL;
-- What the digest still has to send.
CREATE INDEX notifications_unmailed ON notifications (recipient_id, created_at) WHERE mailed_at IS NULL AND by_mail <> 'no';

CREATE TABLE notification_prefs (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('progress', 'reply', 'official', 'idea_status', 'moderation')),
    delivery TEXT NOT NULL CHECK (delivery IN ('off', 'app', 'digest', 'immediate')),
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE notification_settings (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    auto_follow BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at TEXT NOT NULL
);

-- A notification mail's link (`secret`, kept until it is sent) is its unsubscribe link: it also goes into
-- the `List-Unsubscribe` header, with `List-Unsubscribe-Post` (RFC 8058 one-click).
ALTER TABLE mail_queue ADD COLUMN one_click_unsubscribe BOOLEAN NOT NULL DEFAULT FALSE;
