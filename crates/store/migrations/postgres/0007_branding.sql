-- Site branding: the logo the city uploads (at most one row), kept in the database so every
-- instance serves the same file. The accent colour is a row of site_settings.
CREATE TABLE site_logo (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    mime TEXT NOT NULL CHECK (mime IN ('image/png', 'image/jpeg', 'image/svg+xml', 'image/webp')),
    body BYTEA NOT NULL,
    etag TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Audit log filters: by action (newest first); subject type and actor have indexes since 0004.
CREATE INDEX audit_log_action ON audit_log (action, at);
