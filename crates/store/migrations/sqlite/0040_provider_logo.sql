-- A provider's logo (issue 11): one per provider, gone with the provider. Raster files only (the
-- type comes from the file's first bytes; never SVG), with their size in pixels for the pages'
-- width and height, and the alternative text, which a logo cannot be without. Pages link it
-- with its etag, so it is cached for a year and a new logo has a new address.
CREATE TABLE provider_logos (
    provider_id INTEGER PRIMARY KEY REFERENCES providers (id) ON DELETE CASCADE,
    mime TEXT NOT NULL CHECK (mime IN ('image/png', 'image/jpeg', 'image/webp')),
    body BLOB NOT NULL,
    width INTEGER NOT NULL CHECK (width > 0),
    height INTEGER NOT NULL CHECK (height > 0),
    alt TEXT NOT NULL CHECK (alt <> ''),
    etag TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
