-- Ratings of guests: one per measure and confirmed address (a keyed hash of it; the address is
-- never stored). A guest's rating counts in `rating_totals` once its link is used; a new one for
-- the same address replaces it. `guest_rating_links` holds the pending ones (hash of the
-- one-time token, the value asked for, expiry).
CREATE TABLE guest_ratings (
    measure_id BIGINT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    address_hash TEXT NOT NULL,
    value BIGINT NOT NULL CHECK (value BETWEEN 1 AND 5),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (measure_id, address_hash)
);

CREATE TABLE guest_rating_links (
    token_hash TEXT PRIMARY KEY,
    measure_id BIGINT NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
    address_hash TEXT NOT NULL,
    value BIGINT NOT NULL CHECK (value BETWEEN 1 AND 5),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);

CREATE INDEX guest_rating_links_expiry ON guest_rating_links (expires_at);
