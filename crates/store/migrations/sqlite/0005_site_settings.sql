-- Texts and settings the city edits in the back office (imprint, privacy notice, contact).
CREATE TABLE site_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
