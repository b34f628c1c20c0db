-- Volunteering (issue 11): the roles a provider needs people for, and the applications to them.
-- `accepted` counts the accepted applications next to `needed`; an application is accepted
-- only by `UPDATE … SET accepted = accepted + 1 WHERE … accepted < needed`, so a role never
-- takes more people than it needs, on either engine. A role is public while open and its
-- provider approved.
CREATE TABLE volunteer_roles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    provider_id INTEGER NOT NULL REFERENCES providers (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    description_html TEXT NOT NULL DEFAULT '',
    when_text TEXT NOT NULL,
    needed INTEGER NOT NULL CHECK (needed BETWEEN 1 AND 1000),
    accepted INTEGER NOT NULL DEFAULT 0 CHECK (accepted >= 0),
    requirements TEXT NOT NULL DEFAULT '',
    district_id INTEGER REFERENCES districts (id) ON DELETE SET NULL,
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed')),
    demo BOOLEAN NOT NULL DEFAULT FALSE,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX volunteer_roles_public ON volunteer_roles (state, provider_id, id);
CREATE INDEX volunteer_roles_provider ON volunteer_roles (provider_id, id);

-- An application: the states of a request without proposals.
CREATE TABLE volunteer_applications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    role_id INTEGER NOT NULL REFERENCES volunteer_roles (id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'de',
    message TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('unconfirmed', 'open', 'accepted', 'declined', 'withdrawn', 'expired')),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- One active application per address and role.
CREATE UNIQUE INDEX volunteer_applications_once ON volunteer_applications (role_id, email)
    WHERE state IN ('unconfirmed', 'open', 'accepted');
CREATE INDEX volunteer_applications_role ON volunteer_applications (role_id, state, id);
CREATE INDEX volunteer_applications_user ON volunteer_applications (user_id, id);
CREATE INDEX volunteer_applications_unconfirmed ON volunteer_applications (created_at) WHERE state = 'unconfirmed';
