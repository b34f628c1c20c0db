-- The back office: drafts and archived measures, archived taxonomy entries, editors restricted to
-- some fields of action, and uploaded import files waiting for their preview to be applied.
ALTER TABLE measures ADD COLUMN state TEXT NOT NULL DEFAULT 'published' CHECK (state IN ('draft', 'published', 'archived'));
CREATE INDEX measures_state ON measures (state, field_id);

ALTER TABLE core_areas ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE fields_of_action ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE focus_areas ADD COLUMN archived BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE editor_fields (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    field_id INTEGER NOT NULL REFERENCES fields_of_action (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, field_id)
);

CREATE TABLE import_uploads (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL,
    applied_at TEXT
);
CREATE INDEX import_uploads_created ON import_uploads (created_at);
