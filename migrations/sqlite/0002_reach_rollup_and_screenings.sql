-- Sessions and audience per campaign, station and month. Kept in step with `sessions` inside
-- the same transaction, so the leaders' aggregates read one row per station and month
-- instead of every session: their cost grows with the answer, not with the history.
CREATE TABLE station_month_reach (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    station_id  INTEGER NOT NULL REFERENCES stations (id),
    month       TEXT NOT NULL, -- YYYY-MM
    sessions    INTEGER NOT NULL CHECK (sessions >= 0),
    students    INTEGER NOT NULL CHECK (students >= 0),
    parents     INTEGER NOT NULL CHECK (parents >= 0),
    teachers    INTEGER NOT NULL CHECK (teachers >= 0),
    others      INTEGER NOT NULL CHECK (others >= 0),
    PRIMARY KEY (campaign_id, station_id, month)
);

INSERT INTO station_month_reach
    (campaign_id, station_id, month, sessions, students, parents, teachers, others)
SELECT campaign_id, station_id, substr(held_on, 1, 7), COUNT(*),
       SUM(students), SUM(parents), SUM(teachers), SUM(others)
FROM sessions
GROUP BY campaign_id, station_id, substr(held_on, 1, 7);

-- A campaign asks schools to screen a film within a window.
CREATE TABLE screening_assignments (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    film_id     INTEGER NOT NULL REFERENCES films (id),
    opens_on    TEXT NOT NULL,
    closes_on   TEXT NOT NULL,
    UNIQUE (campaign_id, film_id),
    CHECK (opens_on <= closes_on)
);

-- A school confirms it showed the film, with how many watched; at most once per assignment.
CREATE TABLE screening_confirmations (
    id            INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES screening_assignments (id),
    school_id     INTEGER NOT NULL REFERENCES schools (id),
    shown_on      TEXT NOT NULL,
    students      INTEGER NOT NULL CHECK (students >= 0),
    parents       INTEGER NOT NULL CHECK (parents >= 0),
    classes       INTEGER NOT NULL CHECK (classes >= 0),
    method        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (assignment_id, school_id)
);
CREATE INDEX screening_confirmations_school ON screening_confirmations (school_id);
