-- A person blocked by the moderation: no new comments or upvotes, and their comments are shown
-- as hidden while the block lasts (unblocking shows them again: nothing else changes).
ALTER TABLE users ADD COLUMN blocked_at TEXT;
