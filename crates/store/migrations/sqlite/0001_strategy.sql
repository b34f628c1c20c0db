-- The strategy radar: strategy, editions, taxonomy, measures and everything hanging off a measure.
CREATE TABLE site_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL DEFAULT 0
);
INSERT INTO site_state (id, generation) VALUES (1, 0);

CREATE TABLE strategies (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    city TEXT NOT NULL,
    target_year INTEGER,
    vision_md TEXT NOT NULL DEFAULT '',
    vision_html TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE editions (
    id INTEGER PRIMARY KEY,
    strategy_id INTEGER NOT NULL REFERENCES strategies (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    edition_date TEXT,
    decision_number TEXT,
    decision_date TEXT,
    decision_url TEXT,
    UNIQUE (strategy_id, position)
);

CREATE TABLE core_areas (
    id INTEGER PRIMARY KEY,
    strategy_id INTEGER NOT NULL REFERENCES strategies (id) ON DELETE CASCADE,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    goals TEXT NOT NULL DEFAULT '',
    colour TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE fields_of_action (
    id INTEGER PRIMARY KEY,
    core_area_id INTEGER NOT NULL REFERENCES core_areas (id) ON DELETE CASCADE,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    goals TEXT NOT NULL DEFAULT '',
    colour TEXT,
    position INTEGER NOT NULL
);
CREATE INDEX fields_of_action_core_area ON fields_of_action (core_area_id, position);

CREATE TABLE focus_areas (
    id INTEGER PRIMARY KEY,
    field_id INTEGER NOT NULL REFERENCES fields_of_action (id) ON DELETE CASCADE,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    goals TEXT NOT NULL DEFAULT '',
    colour TEXT,
    position INTEGER NOT NULL
);
CREATE INDEX focus_areas_field ON focus_areas (field_id, position);

CREATE TABLE measures (
    id INTEGER PRIMARY KEY,
    external_id TEXT NOT NULL UNIQUE,
    slug TEXT NOT NULL UNIQUE,
    field_id INTEGER NOT NULL REFERENCES fields_of_action (id),
    focus_area_id INTEGER REFERENCES focus_areas (id),
    parent_id INTEGER REFERENCES measures (id),
    weight REAL NOT NULL DEFAULT 1.0,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    description_md TEXT NOT NULL DEFAULT '',
    description_html TEXT NOT NULL DEFAULT '',
    goals TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'dropped')),
    previous_status TEXT CHECK (previous_status IN ('planned', 'in_progress', 'done', 'dropped')),
    progress_entered INTEGER CHECK (progress_entered BETWEEN 0 AND 100),
    progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    planned_start TEXT,
    planned_end TEXT,
    target_year INTEGER,
    search_text TEXT NOT NULL DEFAULT '',
    sort_key TEXT NOT NULL DEFAULT '',
    fingerprint TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX measures_field ON measures (field_id, status);
CREATE INDEX measures_status ON measures (status);
CREATE INDEX measures_target_year ON measures (target_year);
CREATE INDEX measures_parent ON measures (parent_id);
CREATE INDEX measures_focus_area ON measures (focus_area_id);
CREATE INDEX measures_sort_key ON measures (sort_key);
CREATE INDEX measures_updated ON measures (updated_at);
CREATE INDEX measures_planned_start ON measures (planned_start);
CREATE INDEX measures_planned_end ON measures (planned_end);
CREATE INDEX measures_progress ON measures (progress);

CREATE VIRTUAL TABLE measures_fts USING fts5 (search_text, content = 'measures', content_rowid = 'id');
CREATE TRIGGER measures_fts_insert AFTER INSERT ON measures BEGIN
    INSERT INTO measures_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER measures_fts_delete AFTER DELETE ON measures BEGIN
    INSERT INTO measures_fts (measures_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER measures_fts_update AFTER UPDATE OF search_text ON measures BEGIN
    INSERT INTO measures_fts (measures_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
    INSERT INTO measures_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

CREATE TABLE departments (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE measure_departments (
    measure_id INTEGER NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    department_id INTEGER NOT NULL REFERENCES departments (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (measure_id, department_id)
);
CREATE INDEX measure_departments_department ON measure_departments (department_id);

CREATE TABLE target_groups (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE measure_target_groups (
    measure_id INTEGER NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    target_group_id INTEGER NOT NULL REFERENCES target_groups (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (measure_id, target_group_id)
);
CREATE INDEX measure_target_groups_group ON measure_target_groups (target_group_id);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE measure_tags (
    measure_id INTEGER NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    tag_id INTEGER NOT NULL REFERENCES tags (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (measure_id, tag_id)
);
CREATE INDEX measure_tags_tag ON measure_tags (tag_id);

CREATE TABLE council_decisions (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    decision_date TEXT,
    url TEXT
);
CREATE TABLE measure_decisions (
    measure_id INTEGER NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    decision_id INTEGER NOT NULL REFERENCES council_decisions (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (measure_id, decision_id)
);
CREATE INDEX measure_decisions_decision ON measure_decisions (decision_id);

CREATE TABLE kpis (
    id INTEGER PRIMARY KEY,
    measure_id INTEGER NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    target_value REAL,
    current_value REAL,
    as_of TEXT
);
CREATE INDEX kpis_measure ON kpis (measure_id, position);

CREATE TABLE milestones (
    id INTEGER PRIMARY KEY,
    measure_id INTEGER NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    due_date TEXT,
    title TEXT NOT NULL,
    reached BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX milestones_measure ON milestones (measure_id, position);

CREATE TABLE progress_reports (
    id INTEGER PRIMARY KEY,
    measure_id INTEGER NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    published_on TEXT NOT NULL,
    results TEXT NOT NULL DEFAULT '',
    outlook TEXT NOT NULL DEFAULT '',
    highlights TEXT NOT NULL DEFAULT ''
);
CREATE INDEX progress_reports_measure ON progress_reports (measure_id, year);
CREATE INDEX progress_reports_published ON progress_reports (published_on, id);
