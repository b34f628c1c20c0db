-- Requests for offers that ask for one (access = 'request'): a person or an institution (a Kita,
-- a school, a senior home) asks for one of the offer's dates or proposes a day (issue 11).
--
-- Places: `offer_days.held` counts the places held on one day of an offer by open, proposed and
-- accepted requests. A request takes its group's places only by `UPDATE … SET held = held + n
-- WHERE … held + n <= capacity`, so a day is never overbooked on either engine (on PostgreSQL the
-- statement waits for a concurrent one's row lock and checks again). A guest's request holds no
-- place until its address is confirmed.
CREATE TABLE offer_days (
    offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    held INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
    PRIMARY KEY (offer_id, day)
);

-- `day` is the day asked for (moved to the provider's proposal when they propose another);
-- `starts` the time of the offer's date (NULL: a proposed day). `note` is the provider's reason
-- for declining or the words with a proposal.
CREATE TABLE offer_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    day DATE NOT NULL,
    starts TEXT,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'de',
    institution TEXT NOT NULL DEFAULT '',
    group_size INTEGER NOT NULL CHECK (group_size BETWEEN 1 AND 500),
    ages TEXT NOT NULL DEFAULT '',
    message TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL CHECK (state IN ('unconfirmed', 'open', 'proposed', 'accepted', 'declined', 'withdrawn', 'expired')),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- One active request per address, offer and day: a second one is refused.
CREATE UNIQUE INDEX offer_requests_once ON offer_requests (offer_id, day, email)
    WHERE state IN ('unconfirmed', 'open', 'proposed', 'accepted');
CREATE INDEX offer_requests_offer ON offer_requests (offer_id, state, day, id);
CREATE INDEX offer_requests_user ON offer_requests (user_id, id);
CREATE INDEX offer_requests_email ON offer_requests (email, id);
CREATE INDEX offer_requests_unconfirmed ON offer_requests (created_at) WHERE state = 'unconfirmed';
