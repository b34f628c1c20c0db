-- Volunteering roles in the one search over everything: roles get a search column like events
-- and sessions got in 0038, with its GIN index. `search_text` holds the stemmed terms
-- (`domain::text::search_document`) of a role's title, its provider's name, when, requirements,
-- description and district. SQL cannot stem German, so rows that exist before this migration are
-- filled by `Db::migrate` right after it (`store::search`), and every write sets the column from
-- then on (a role's own, and its provider's rename).
ALTER TABLE volunteer_roles ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
CREATE INDEX volunteer_roles_search ON volunteer_roles USING GIN (to_tsvector('simple', search_text));
