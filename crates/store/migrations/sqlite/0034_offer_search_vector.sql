-- Nothing to change on SQLite: FTS5 (`offers_fts`) already keeps the offers' search words as an
-- index of their own. The number is kept in step with PostgreSQL's migration 0034.
SELECT 1;
