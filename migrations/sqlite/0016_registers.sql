-- Mentoring registers (issue 18): volunteers, cases without identity, their teams,
-- contacts and events, runaway and missing-youth calls, and who viewed each case.
-- A case holds no name, ID number, phone or address: the station keeps the mapping from
-- its code to the child on paper. The rules are in shared/src/mentoring/.
-- (migrations/postgres/0016_registers.sql must describe the same.)

-- Volunteers (志愿者): adults, whose name and phone are shown masked outside the station.
CREATE TABLE volunteers (
    id          INTEGER PRIMARY KEY,
    station_id  INTEGER NOT NULL REFERENCES stations (id),
    team        TEXT NOT NULL,
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL,
    active_from TEXT NOT NULL,
    active_to   TEXT,
    -- The volunteer's account (role 'volunteer'), if they sign in.
    user_id     INTEGER REFERENCES users (id),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT,
    deleted_at  TEXT,
    UNIQUE (station_id, phone)
);
CREATE INDEX volunteers_user ON volunteers (user_id);

-- Cases (帮教对象). `code` is issued by the server from case_codes and never reused.
-- `reduced_at`: when retention cleared what the statistics do not need.
CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    station_id     INTEGER NOT NULL REFERENCES stations (id),
    birth_year     INTEGER NOT NULL,
    sex            TEXT NOT NULL,
    school_id      INTEGER REFERENCES schools (id),
    category       TEXT NOT NULL,
    grade          TEXT NOT NULL,
    opened_on      TEXT NOT NULL,
    closed_on      TEXT,
    closing_reason TEXT,
    note           TEXT,
    reduced_at     TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT,
    deleted_at     TEXT
);
CREATE INDEX cases_station ON cases (station_id, opened_on);

-- The last number issued per station and year: a deleted case's code is never issued again.
CREATE TABLE case_codes (
    station_id INTEGER NOT NULL REFERENCES stations (id),
    year       INTEGER NOT NULL,
    last_seq   INTEGER NOT NULL,
    PRIMARY KEY (station_id, year)
);

-- A case's risk grade from a day on: its history, one row per change (who changed it is
-- in the audit log).
CREATE TABLE case_grades (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    grade   TEXT NOT NULL,
    from_on TEXT NOT NULL
);
CREATE INDEX case_grades_case ON case_grades (case_id, id);

-- A case's team: volunteers and officers (accounts), from one day to another.
CREATE TABLE case_team (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    volunteer_id INTEGER REFERENCES volunteers (id),
    officer_id   INTEGER REFERENCES users (id),
    from_on      TEXT NOT NULL,
    to_on        TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT,
    deleted_at   TEXT,
    CHECK ((volunteer_id IS NULL) <> (officer_id IS NULL))
);
CREATE INDEX case_team_case ON case_team (case_id);
CREATE INDEX case_team_volunteer ON case_team (volunteer_id);

CREATE TABLE contacts (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES cases (id),
    contacted_on   TEXT NOT NULL,
    kind           TEXT NOT NULL,
    team_member_id INTEGER NOT NULL REFERENCES case_team (id),
    next_due_on    TEXT,
    note           TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT,
    deleted_at     TEXT,
    UNIQUE (case_id, contacted_on, kind, team_member_id)
);
CREATE INDEX contacts_on ON contacts (contacted_on);

-- Re-offence (再犯) and return to school (复学).
CREATE TABLE case_events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    kind        TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT,
    deleted_at  TEXT,
    UNIQUE (case_id, kind, happened_on)
);
CREATE INDEX case_events_on ON case_events (happened_on);

-- Runaway and missing-youth calls (出走失联警情); times are China's, YYYY-MM-DDTHH:MM.
CREATE TABLE runaway_calls (
    id         INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES stations (id),
    called_at  TEXT NOT NULL,
    found_at   TEXT,
    case_id    INTEGER REFERENCES cases (id),
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    deleted_at TEXT,
    UNIQUE (station_id, called_at)
);
CREATE INDEX runaway_calls_at ON runaway_calls (called_at);

CREATE TABLE runaway_follow_ups (
    call_id    INTEGER NOT NULL REFERENCES runaway_calls (id),
    visited_on TEXT NOT NULL,
    PRIMARY KEY (call_id, visited_on)
);

-- Night-wandering care (夜间游荡关爱): a station's night, the minors cared for, and which
-- of its cases were among them.
CREATE TABLE night_care (
    id         INTEGER PRIMARY KEY,
    station_id INTEGER NOT NULL REFERENCES stations (id),
    cared_on   TEXT NOT NULL,
    minors     INTEGER NOT NULL CHECK (minors > 0),
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    deleted_at TEXT,
    UNIQUE (station_id, cared_on)
);

CREATE TABLE night_care_cases (
    care_id INTEGER NOT NULL REFERENCES night_care (id),
    case_id INTEGER NOT NULL REFERENCES cases (id),
    PRIMARY KEY (care_id, case_id)
);

-- The registers' settings, one row (see shared/src/mentoring/mod.rs, `Settings`).
CREATE TABLE mentoring_settings (
    id                     INTEGER PRIMARY KEY CHECK (id = 1),
    red_days               INTEGER NOT NULL DEFAULT 7 CHECK (red_days > 0),
    orange_days            INTEGER NOT NULL DEFAULT 14 CHECK (orange_days > 0),
    yellow_days            INTEGER NOT NULL DEFAULT 30 CHECK (yellow_days > 0),
    green_days             INTEGER NOT NULL DEFAULT 60 CHECK (green_days > 0),
    runaway_follow_up_days INTEGER NOT NULL DEFAULT 7 CHECK (runaway_follow_up_days > 0),
    retention_years        INTEGER NOT NULL DEFAULT 3 CHECK (retention_years > 0)
);
INSERT INTO mentoring_settings (id) VALUES (1);

-- Every read of a case: who, which case, when, and how (a list, a read, an export, its
-- contacts…). `GET /api/v1/cases/{id}/viewers` lists them.
CREATE TABLE case_views (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    actor    TEXT NOT NULL,
    user_id  INTEGER REFERENCES users (id),
    role     TEXT NOT NULL,
    how      TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX case_views_case ON case_views (case_id, id);
