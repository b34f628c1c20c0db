-- One search over everything (issue 11): events and sessions get a search column like measures,
-- ideas, offers and providers have, with its FTS5 index. `search_text` holds the stemmed terms
-- (`domain::text::search_document`) of an event's title, organiser, place and description, and of
-- a session's title, track, abstract and people. SQL cannot stem German, so rows that exist
-- before this migration are filled by `Db::migrate` right after it (`store::search`), and every
-- write sets the column from then on.
ALTER TABLE programme_events ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
ALTER TABLE programme_sessions ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

CREATE VIRTUAL TABLE programme_events_fts USING fts5 (search_text, content = 'programme_events', content_rowid = 'id');
INSERT INTO programme_events_fts (rowid, search_text) SELECT id, search_text FROM programme_events;
CREATE TRIGGER programme_events_fts_insert AFTER INSERT ON programme_events BEGIN
    INSERT INTO programme_events_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER programme_events_fts_delete AFTER DELETE ON programme_events BEGIN
    INSERT INTO programme_events_fts (programme_events_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER programme_events_fts_update AFTER UPDATE OF search_text ON programme_events BEGIN
    INSERT INTO programme_events_fts (programme_events_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO programme_events_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE VIRTUAL TABLE programme_sessions_fts USING fts5 (search_text, content = 'programme_sessions', content_rowid = 'id');
INSERT INTO programme_sessions_fts (rowid, search_text) SELECT id, search_text FROM programme_sessions;
CREATE TRIGGER programme_sessions_fts_insert AFTER INSERT ON programme_sessions BEGIN
    INSERT INTO programme_sessions_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER programme_sessions_fts_delete AFTER DELETE ON programme_sessions BEGIN
    INSERT INTO programme_sessions_fts (programme_sessions_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER programme_sessions_fts_update AFTER UPDATE OF search_text ON programme_sessions BEGIN
    INSERT INTO programme_sessions_fts (programme_sessions_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO programme_sessions_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
