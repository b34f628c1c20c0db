-- Ratings of measures: how important a measure is to a person, 1 to 5; one per person and
-- measure, changeable and withdrawable. `rating_totals` holds count, sum and distribution per
-- measure, changed in the transaction of every rating write (never recomputed by a scan).
CREATE TABLE ratings (
    measure_id INTEGER NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    value INTEGER NOT NULL CHECK (value BETWEEN 1 AND 5),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (measure_id, user_id)
);

CREATE INDEX ratings_user ON ratings (user_id);

CREATE TABLE rating_totals (
    measure_id INTEGER PRIMARY KEY REFERENCES measures (id) ON DELETE CASCADE,
    count BIGINT NOT NULL DEFAULT 0 CHECK (count >= 0),
    total BIGINT NOT NULL DEFAULT 0,
    n1 BIGINT NOT NULL DEFAULT 0,
    n2 BIGINT NOT NULL DEFAULT 0,
    n3 BIGINT NOT NULL DEFAULT 0,
    n4 BIGINT NOT NULL DEFAULT 0,
    n5 BIGINT NOT NULL DEFAULT 0
);
