-- The event bus: every event a write publishes, with a sequence number per topic, so that a
-- reconnecting client replays what it missed (Last-Event-ID) and an instance that lost its
-- notifications catches up. Old events are pruned: the replay window is bounded.
CREATE TABLE event_topics (
    topic TEXT PRIMARY KEY,
    last_seq BIGINT NOT NULL
);

CREATE TABLE events (
    topic TEXT NOT NULL,
    seq BIGINT NOT NULL,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (topic, seq)
);

CREATE INDEX events_created ON events (created_at);
