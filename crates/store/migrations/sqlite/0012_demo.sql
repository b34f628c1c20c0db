-- Demo data that says so. `demo` is set while the strategy in the database is demo content (the
-- Musterstadt demo `serve` loads into an empty database, or `demo-data`): every public page shows
-- a banner then. A real import or `demo remove` clears it. `demo_removed_at`: the demo was removed,
-- so `serve` does not load it again into the now empty database.
ALTER TABLE site_state ADD COLUMN demo BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE site_state ADD COLUMN demo_removed_at TEXT;
-- Databases that got the Musterstadt demo before this migration: its strategy is recognisable.
UPDATE site_state SET demo = TRUE WHERE EXISTS
    (SELECT 1 FROM strategies WHERE title = 'Digitalisierungsstrategie Musterstadt' AND city = 'Musterstadt');
