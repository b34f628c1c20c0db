-- The newest comments of a discussion, replies included (its Atom feed).
CREATE INDEX comments_recent ON comments (subject_kind, subject_id, id);
