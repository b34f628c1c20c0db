-- The offers' search words as a stored tsvector, so that ranking a match reads it instead of
-- building the vector again for every matching offer. The GIN index moves to the column.
ALTER TABLE offers
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
DROP INDEX offers_search;
CREATE INDEX offers_search ON offers USING GIN (search_vector);
