-- Every record the campaign produces can be listed, edited and deleted like sessions:
-- a version for If-Match, soft deletes that keep history, and the time of the last edit.
-- (See migrations/postgres/0006_records.sql, which must describe the same tables.)
-- Sessions note how long they lasted and who spoke, when the officer knows.
ALTER TABLE sessions ADD COLUMN duration_minutes INTEGER;
ALTER TABLE sessions ADD COLUMN speakers TEXT;

ALTER TABLE districts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE districts ADD COLUMN updated_at TEXT;
ALTER TABLE districts ADD COLUMN deleted_at TEXT;

ALTER TABLE stations ADD COLUMN workstation TEXT; -- its care workstation (关爱工作站)
ALTER TABLE stations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE stations ADD COLUMN updated_at TEXT;
ALTER TABLE stations ADD COLUMN deleted_at TEXT;

ALTER TABLE schools ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE schools ADD COLUMN updated_at TEXT;
ALTER TABLE schools ADD COLUMN deleted_at TEXT;
CREATE INDEX schools_district ON schools (district_id);

ALTER TABLE topics ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE topics ADD COLUMN updated_at TEXT;
ALTER TABLE topics ADD COLUMN deleted_at TEXT;

-- Targets of 0 mean none was set.
ALTER TABLE campaigns ADD COLUMN target_sessions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN target_schools INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN target_audience INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE campaigns ADD COLUMN updated_at TEXT;
ALTER TABLE campaigns ADD COLUMN deleted_at TEXT;

CREATE TABLE campaign_topics (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    topic_id    INTEGER NOT NULL REFERENCES topics (id),
    PRIMARY KEY (campaign_id, topic_id)
);

ALTER TABLE films ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE films ADD COLUMN updated_at TEXT;
ALTER TABLE films ADD COLUMN deleted_at TEXT;

CREATE TABLE film_topics (
    film_id  INTEGER NOT NULL REFERENCES films (id),
    topic_id INTEGER NOT NULL REFERENCES topics (id),
    PRIMARY KEY (film_id, topic_id)
);

-- An assignment asks a set of schools to screen a set of films within a window; the
-- first design had one film per assignment and no list of schools. Only generated
-- data used those tables, so they are replaced rather than migrated.
DROP TABLE screening_confirmations;
DROP TABLE screening_assignments;

CREATE TABLE screening_assignments (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    title       TEXT NOT NULL,
    opens_on    TEXT NOT NULL,
    closes_on   TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT,
    deleted_at  TEXT,
    UNIQUE (campaign_id, title),
    CHECK (opens_on <= closes_on)
);
CREATE INDEX screening_assignments_campaign ON screening_assignments (campaign_id);

CREATE TABLE assignment_films (
    assignment_id INTEGER NOT NULL REFERENCES screening_assignments (id),
    film_id       INTEGER NOT NULL REFERENCES films (id),
    PRIMARY KEY (assignment_id, film_id)
);

CREATE TABLE assignment_schools (
    assignment_id INTEGER NOT NULL REFERENCES screening_assignments (id),
    school_id     INTEGER NOT NULL REFERENCES schools (id),
    PRIMARY KEY (assignment_id, school_id)
);
CREATE INDEX assignment_schools_school ON assignment_schools (school_id);

-- A school confirms each film of an assignment at most once; a second confirmation
-- updates the first (the unique key holds deleted rows too, which a new one revives).
CREATE TABLE screening_confirmations (
    id            INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES screening_assignments (id),
    school_id     INTEGER NOT NULL REFERENCES schools (id),
    film_id       INTEGER NOT NULL REFERENCES films (id),
    shown_on      TEXT NOT NULL,
    students      INTEGER NOT NULL CHECK (students >= 0),
    parents       INTEGER NOT NULL CHECK (parents >= 0),
    classes       INTEGER NOT NULL CHECK (classes >= 0),
    method        TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    updated_at    TEXT,
    deleted_at    TEXT,
    UNIQUE (assignment_id, school_id, film_id)
);
CREATE INDEX screening_confirmations_school ON screening_confirmations (school_id);

-- Speaker training courses (宣讲员培训班), their trainees and the days each attended.
CREATE TABLE trainings (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    place       TEXT NOT NULL,
    starts_on   TEXT NOT NULL,
    ends_on     TEXT NOT NULL,
    campaign_id INTEGER REFERENCES campaigns (id),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT,
    deleted_at  TEXT,
    UNIQUE (title, starts_on),
    CHECK (starts_on <= ends_on)
);

CREATE TABLE trainees (
    id          INTEGER PRIMARY KEY,
    training_id INTEGER NOT NULL REFERENCES trainings (id),
    name        TEXT NOT NULL, -- a police officer, never a minor
    station_id  INTEGER NOT NULL REFERENCES stations (id),
    completed   INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT,
    deleted_at  TEXT,
    UNIQUE (training_id, station_id, name)
);
CREATE INDEX trainees_training ON trainees (training_id);
CREATE INDEX trainees_station ON trainees (station_id);

CREATE TABLE trainee_days (
    trainee_id INTEGER NOT NULL REFERENCES trainees (id),
    day        TEXT NOT NULL,
    PRIMARY KEY (trainee_id, day)
);

-- Outcome indicators: one aggregate count per station, month and indicator. No child's
-- name or identity is stored anywhere.
CREATE TABLE outcome_values (
    id         INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES stations (id),
    month      TEXT NOT NULL, -- YYYY-MM
    indicator  TEXT NOT NULL,
    value      INTEGER NOT NULL CHECK (value >= 0),
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    deleted_at TEXT,
    -- One value per station, month and indicator (a deleted one comes back when re-entered).
    UNIQUE (station_id, month, indicator)
);
CREATE INDEX outcome_values_month ON outcome_values (month);

-- Audit entries are listed per user as well as per record.
CREATE INDEX audit_log_at ON audit_log (at);
