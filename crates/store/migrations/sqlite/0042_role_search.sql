-- Volunteering roles in the one search over everything: roles get a search column like events
-- and sessions got in 0038, with its FTS5 index. `search_text` holds the stemmed terms
-- (`domain::text::search_document`) of a role's title, its provider's name, when, requirements,
-- description and district. SQL cannot stem German, so rows that exist before this migration are
-- filled by `Db::migrate` right after it (`store::search`), and every write sets the column from
-- then on (a role's own, and its provider's rename).
ALTER TABLE volunteer_roles ADD COLUMN search_text TEXT NOT NULL DEFAULT '';

CREATE VIRTUAL TABLE volunteer_roles_fts USING fts5 (search_text, content = 'volunteer_roles', content_rowid = 'id');
INSERT INTO volunteer_roles_fts (rowid, search_text) SELECT id, search_text FROM volunteer_roles;
CREATE TRIGGER volunteer_roles_fts_insert AFTER INSERT ON volunteer_roles BEGIN
    INSERT INTO volunteer_roles_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER volunteer_roles_fts_delete AFTER DELETE ON volunteer_roles BEGIN
    INSERT INTO volunteer_roles_fts (volunteer_roles_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER volunteer_roles_fts_update AFTER UPDATE OF search_text ON volunteer_roles BEGIN
    INSERT INTO volunteer_roles_fts (volunteer_roles_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO volunteer_roles_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
