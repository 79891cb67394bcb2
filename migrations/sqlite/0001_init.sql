-- Humiao's first schema: the organisation, reference data and education sessions.
-- Portable by design (see migrations/postgres/0001_init.sql, which must describe the same
-- tables): dates are ISO-8601 TEXT, counts and flags are 64-bit integers.

CREATE TABLE app_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE cities (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE districts (
    id         INTEGER PRIMARY KEY,
    city_id    INTEGER NOT NULL REFERENCES cities (id),
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE stations (
    id          INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL REFERENCES districts (id),
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL
);
CREATE INDEX stations_district ON stations (district_id);

CREATE TABLE schools (
    id          INTEGER PRIMARY KEY,
    district_id INTEGER NOT NULL REFERENCES districts (id),
    station_id  INTEGER NOT NULL REFERENCES stations (id),
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL
);
CREATE INDEX schools_station ON schools (station_id);

-- The roll changes every school year; coverage must use the roll of the period.
CREATE TABLE school_enrolments (
    school_id   INTEGER NOT NULL REFERENCES schools (id),
    school_year INTEGER NOT NULL, -- the year the school year starts: 2024 = 2024-2025
    students    INTEGER NOT NULL CHECK (students >= 0),
    PRIMARY KEY (school_id, school_year)
);

CREATE TABLE topics (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name_zh    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE campaigns (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    year      INTEGER NOT NULL UNIQUE,
    starts_on TEXT NOT NULL,
    ends_on   TEXT NOT NULL,
    CHECK (starts_on <= ends_on)
);

CREATE TABLE films (
    id      INTEGER PRIMARY KEY,
    title   TEXT NOT NULL UNIQUE,
    minutes INTEGER NOT NULL CHECK (minutes > 0)
);

CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    station_id  INTEGER NOT NULL REFERENCES stations (id),
    school_id   INTEGER REFERENCES schools (id),
    venue       TEXT,
    held_on     TEXT NOT NULL,
    format      TEXT NOT NULL,
    students    INTEGER NOT NULL CHECK (students >= 0),
    parents     INTEGER NOT NULL CHECK (parents >= 0),
    teachers    INTEGER NOT NULL CHECK (teachers >= 0),
    others      INTEGER NOT NULL CHECK (others >= 0),
    notes       TEXT,
    is_demo     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    -- Held at a school or at another venue, never both.
    CHECK ((school_id IS NULL) <> (venue IS NULL))
);
CREATE INDEX sessions_campaign_station ON sessions (campaign_id, station_id);
CREATE INDEX sessions_held_on ON sessions (held_on);

CREATE TABLE session_topics (
    session_id INTEGER NOT NULL REFERENCES sessions (id),
    topic_id   INTEGER NOT NULL REFERENCES topics (id),
    PRIMARY KEY (session_id, topic_id)
);
