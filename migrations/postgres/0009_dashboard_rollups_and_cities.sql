-- The leaders' page in one request at province scale, and city scope.
-- (See migrations/sqlite/0009_dashboard_rollups_and_cities.sql, which must describe the same.)

-- A leader or administrator may be scoped to one city of a province (NULL: the whole
-- database, or narrower by district/station as before).
ALTER TABLE users ADD COLUMN city_id BIGINT REFERENCES cities (id);

-- Schools and stations with history are closed (from this day on), not deleted; every
-- denominator counts those active at some time in the period.
ALTER TABLE schools ADD COLUMN closed_on TEXT;
ALTER TABLE stations ADD COLUMN closed_on TEXT;

-- Sessions and audience per campaign, topic, station and month (a session with two topics
-- counts under both). Kept in step with `sessions` in the same transaction, like
-- station_month_reach, so the topic chart costs what its answer does.
CREATE TABLE topic_station_month_reach (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    topic_id    BIGINT NOT NULL REFERENCES topics (id),
    station_id  BIGINT NOT NULL REFERENCES stations (id),
    month       TEXT NOT NULL, -- YYYY-MM
    sessions    BIGINT NOT NULL CHECK (sessions >= 0),
    students    BIGINT NOT NULL CHECK (students >= 0),
    parents     BIGINT NOT NULL CHECK (parents >= 0),
    teachers    BIGINT NOT NULL CHECK (teachers >= 0),
    others      BIGINT NOT NULL CHECK (others >= 0),
    PRIMARY KEY (campaign_id, topic_id, station_id, month)
);

INSERT INTO topic_station_month_reach
    (campaign_id, topic_id, station_id, month, sessions, students, parents, teachers, others)
SELECT s.campaign_id, x.topic_id, s.station_id, substr(s.held_on, 1, 7), COUNT(*),
       SUM(s.students), SUM(s.parents), SUM(s.teachers), SUM(s.others)
FROM sessions s JOIN session_topics x ON x.session_id = s.id
WHERE s.deleted_at IS NULL
GROUP BY s.campaign_id, x.topic_id, s.station_id, substr(s.held_on, 1, 7);

-- Sessions and students (人次) per campaign, school and month, whichever station gave them:
-- what coverage and unique students need (coverage belongs to the school's own station and
-- district). Kept in step with `sessions` in the same transaction.
CREATE TABLE school_month_reach (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    school_id   BIGINT NOT NULL REFERENCES schools (id),
    month       TEXT NOT NULL, -- YYYY-MM
    sessions    BIGINT NOT NULL CHECK (sessions >= 0),
    students    BIGINT NOT NULL CHECK (students >= 0),
    PRIMARY KEY (campaign_id, school_id, month)
);

INSERT INTO school_month_reach (campaign_id, school_id, month, sessions, students)
SELECT campaign_id, school_id, substr(held_on, 1, 7), COUNT(*), SUM(students)
FROM sessions
WHERE deleted_at IS NULL AND school_id IS NOT NULL
GROUP BY campaign_id, school_id, substr(held_on, 1, 7);
