-- One search over everything (issue 11): events and sessions get a search column like measures,
-- ideas, offers and providers have, with its GIN index. `search_text` holds the stemmed terms
-- (`domain::text::search_document`) of an event's title, organiser, place and description, and of
-- a session's title, track, abstract and people. SQL cannot stem German, so rows that exist
-- before this migration are filled by `Db::migrate` right after it (`store::search`), and every
-- write sets the column from then on.
ALTER TABLE programme_events ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE programme_sessions ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
CREATE INDEX programme_events_search ON programme_events USING GIN (to_tsvector('simple', search_text));
CREATE INDEX programme_sessions_search ON programme_sessions USING GIN (to_tsvector('simple', search_text));
