-- Offers (issue 11), shaped after the Open Referral Human Services Data Specification (HSDS 3.0):
-- a provider (HSDS organization) offers services (`offers`) at a place (location) on dates
-- (schedule), with costs (cost_option), eligibility (ages, target groups), languages and
-- accessibility. The city keeps the categories (taxonomy) and its districts and postcodes with
-- their centroids, from which a person's distance to an offer is measured.
CREATE TABLE offer_categories (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL DEFAULT 0
);
INSERT INTO offer_categories (slug, name, position) VALUES
    ('digitale-bildung', 'Digitale Bildung', 1),
    ('pc-hilfe', 'PC-Hilfe und Sprechstunde', 2),
    ('maker-space', 'Maker Space und offene Werkstatt', 3),
    ('medienbildung', 'Medienbildung für Kinder und Jugendliche', 4),
    ('kitas-schulen', 'Angebote für Kitas und Schulen', 5),
    ('familien', 'Familien und Eltern', 6),
    ('ehrenamt', 'Ehrenamt', 7);

CREATE TABLE districts (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    demo BOOLEAN NOT NULL DEFAULT FALSE
);

-- A postcode of the city with its centroid (a postcode may reach into several districts; it
-- names the one it mostly lies in).
CREATE TABLE postcodes (
    code TEXT PRIMARY KEY CHECK (length(code) = 5),
    district_id INTEGER REFERENCES districts (id) ON DELETE SET NULL,
    lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    demo BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX postcodes_district ON postcodes (district_id);

-- A provider: public once an admin approved it. `search_text` holds the stemmed name and
-- description.
CREATE TABLE providers (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    sort_key TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    description_html TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    district_id INTEGER REFERENCES districts (id) ON DELETE SET NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'declined')),
    decline_reason TEXT NOT NULL DEFAULT '',
    search_text TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX providers_by_state ON providers (state, sort_key, id);
CREATE VIRTUAL TABLE providers_fts USING fts5 (search_text, content = 'providers', content_rowid = 'id');
CREATE TRIGGER providers_fts_insert AFTER INSERT ON providers BEGIN
    INSERT INTO providers_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER providers_fts_delete AFTER DELETE ON providers BEGIN
    INSERT INTO providers_fts (providers_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER providers_fts_update AFTER UPDATE OF search_text ON providers BEGIN
    INSERT INTO providers_fts (providers_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO providers_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

-- The people who manage a provider's offers (they hold the `provider` role).
CREATE TABLE provider_members (
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (provider_id, user_id)
);
CREATE INDEX provider_members_user ON provider_members (user_id, provider_id);

-- An offer (HSDS service with its location): public when published and its provider approved.
-- `lat`/`lon` are the place's coordinates (none for an online-only offer); `cost_cents` NULL is
-- free of charge; `access` says whether people just come or send a request first.
CREATE TABLE offers (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    sort_key TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    description_html TEXT NOT NULL DEFAULT '',
    category_id INTEGER NOT NULL REFERENCES offer_categories (id),
    age_min INTEGER CHECK (age_min BETWEEN 0 AND 120),
    age_max INTEGER CHECK (age_max BETWEEN 0 AND 120),
    attendance TEXT NOT NULL CHECK (attendance IN ('in_person', 'online', 'mixed')),
    place_name TEXT NOT NULL DEFAULT '',
    street TEXT NOT NULL DEFAULT '',
    postcode TEXT NOT NULL DEFAULT '',
    lat REAL CHECK (lat BETWEEN -90 AND 90),
    lon REAL CHECK (lon BETWEEN -180 AND 180),
    district_id INTEGER REFERENCES districts (id) ON DELETE SET NULL,
    online_url TEXT NOT NULL DEFAULT '',
    capacity INTEGER CHECK (capacity > 0),
    cost_cents INTEGER CHECK (cost_cents >= 0),
    cost_note TEXT NOT NULL DEFAULT '',
    access TEXT NOT NULL CHECK (access IN ('drop_in', 'request')),
    step_free BOOLEAN NOT NULL DEFAULT FALSE,
    hearing_loop BOOLEAN NOT NULL DEFAULT FALSE,
    sign_language BOOLEAN NOT NULL DEFAULT FALSE,
    easy_language BOOLEAN NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'published', 'archived')),
    search_text TEXT NOT NULL DEFAULT '',
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((lat IS NULL) = (lon IS NULL)),
    CHECK (age_min IS NULL OR age_max IS NULL OR age_min <= age_max)
);
CREATE INDEX offers_provider ON offers (provider_id, state);
CREATE INDEX offers_by_title ON offers (state, sort_key, id);
CREATE INDEX offers_category ON offers (category_id, state);
CREATE INDEX offers_place ON offers (lat, lon);
CREATE INDEX offers_district ON offers (district_id);
CREATE VIRTUAL TABLE offers_fts USING fts5 (search_text, content = 'offers', content_rowid = 'id');
CREATE TRIGGER offers_fts_insert AFTER INSERT ON offers BEGIN
    INSERT INTO offers_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER offers_fts_delete AFTER DELETE ON offers BEGIN
    INSERT INTO offers_fts (offers_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER offers_fts_update AFTER UPDATE OF search_text ON offers BEGIN
    INSERT INTO offers_fts (offers_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO offers_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TABLE offer_languages (
    offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    lang TEXT NOT NULL CHECK (length(lang) = 2),
    PRIMARY KEY (offer_id, lang)
);
CREATE INDEX offer_languages_lang ON offer_languages (lang, offer_id);

CREATE TABLE offer_target_groups (
    offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    target_group_id INTEGER NOT NULL REFERENCES target_groups (id) ON DELETE CASCADE,
    PRIMARY KEY (offer_id, target_group_id)
);
CREATE INDEX offer_target_groups_group ON offer_target_groups (target_group_id, offer_id);

CREATE TABLE offer_measures (
    offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    measure_id INTEGER NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    PRIMARY KEY (offer_id, measure_id)
);
CREATE INDEX offer_measures_measure ON offer_measures (measure_id, offer_id);

-- When an offer takes place: a first date with local start and end times, and a recurrence
-- rule (RFC 5545 RRULE subset; NULL: that date only) with dates left out. `weekdays` (bit 0 =
-- Monday … bit 6 = Sunday) and `start_minute` are derived for the filters by day and time of
-- day; `last_on` is the last date (NULL: open-ended).
CREATE TABLE offer_schedules (
    id INTEGER PRIMARY KEY,
    offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    first_on TEXT NOT NULL,
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    rrule TEXT,
    except_dates TEXT NOT NULL DEFAULT '',
    weekdays INTEGER NOT NULL CHECK (weekdays BETWEEN 1 AND 127),
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    last_on TEXT
);
CREATE INDEX offer_schedules_offer ON offer_schedules (offer_id, position);
