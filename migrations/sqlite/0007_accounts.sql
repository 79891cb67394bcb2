-- Accounts, their server-side sessions, failed logins and the schools' links.
-- (See migrations/postgres/0007_accounts.sql, which must describe the same tables.)

-- role: admin | leader | officer | school. The scope is the city (no id), one district
-- (leaders), one station (officers) or one school (schools).
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL, -- argon2id, PHC string
    role          TEXT NOT NULL,
    district_id   INTEGER REFERENCES districts (id),
    station_id    INTEGER REFERENCES stations (id),
    school_id     INTEGER REFERENCES schools (id),
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);

-- A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a
-- copy of the database opens no session. Several instances share this table.
CREATE TABLE auth_sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER REFERENCES users (id),
    link_id      INTEGER, -- a school that came in through its link (see school_links)
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    ended_at     TEXT,
    CHECK ((user_id IS NULL) <> (link_id IS NULL))
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

-- Failed logins, for the limit of 5 per account or per address in 15 minutes.
CREATE TABLE login_failures (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    username TEXT NOT NULL,
    address  TEXT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures (username, at);
CREATE INDEX login_failures_address ON login_failures (address, at);

-- A school confirms its screenings through a link (or its QR code) without a password:
-- scoped to one school and one campaign, expiring, revocable, stored hashed.
CREATE TABLE school_links (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    school_id   INTEGER NOT NULL REFERENCES schools (id),
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    expires_at  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX school_links_school ON school_links (school_id);
