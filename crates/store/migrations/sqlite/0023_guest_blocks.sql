-- Blocking guests. A guest is known only by the keyed hash of their e-mail address (the one the
-- limits per address use); it is now kept on their comments too (`guest_key`), so that a block
-- hides every comment of that address and refuses its new ones. `blocked_guests` holds the
-- blocked keys with the name last used, for the moderators' list.
ALTER TABLE comments ADD COLUMN guest_key TEXT;
UPDATE comments SET guest_key = (SELECT g.address_hash FROM guest_confirmations g WHERE g.comment_id = comments.id)
    WHERE guest_name IS NOT NULL;
CREATE INDEX comments_guest_key ON comments (guest_key) WHERE guest_key IS NOT NULL;
CREATE TABLE blocked_guests (
    id INTEGER PRIMARY KEY,
    address_hash TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    blocked_at TEXT NOT NULL
);
