-- The province's page at the cost of its answer: a topic rollup per district, and a version
-- per district that every write changing its coverage or film figures moves, so a server
-- may keep those figures per district and campaign and recompute only the districts that
-- changed. (See migrations/postgres/0013_district_figures.sql, which must describe the same.)

-- Sessions and audience per campaign, topic, district of the giving station and month: the
-- topic chart of a city or the province without reading every station's rows. Kept in step
-- with `sessions` in the same transaction, like topic_station_month_reach.
CREATE TABLE topic_district_month_reach (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    topic_id    INTEGER NOT NULL REFERENCES topics (id),
    district_id INTEGER NOT NULL REFERENCES districts (id),
    month       TEXT NOT NULL, -- YYYY-MM
    sessions    INTEGER NOT NULL CHECK (sessions >= 0),
    students    INTEGER NOT NULL CHECK (students >= 0),
    parents     INTEGER NOT NULL CHECK (parents >= 0),
    teachers    INTEGER NOT NULL CHECK (teachers >= 0),
    others      INTEGER NOT NULL CHECK (others >= 0),
    PRIMARY KEY (campaign_id, topic_id, district_id, month)
);

INSERT INTO topic_district_month_reach
    (campaign_id, topic_id, district_id, month, sessions, students, parents, teachers, others)
SELECT r.campaign_id, r.topic_id, st.district_id, r.month, SUM(r.sessions), SUM(r.students),
       SUM(r.parents), SUM(r.teachers), SUM(r.others)
FROM topic_station_month_reach r JOIN stations st ON st.id = r.station_id
GROUP BY r.campaign_id, r.topic_id, st.district_id, r.month;

-- The topic chart of one district or city: its districts' rows, not the campaign's (the
-- primary key leads with the topic).
CREATE INDEX topic_district_month_reach_district
    ON topic_district_month_reach (campaign_id, district_id);

-- One row per district; `version` grows with every committed write that can change the
-- district's coverage (schools, rolls, sessions at its schools, the campaign's window) or
-- film figures (assignments, their films and schools, confirmations). Session writes move
-- it in `db::rollups::apply` (in district order, so PostgreSQL writers never wait on each
-- other in a cycle); everything else moves it by the triggers below.
CREATE TABLE district_versions (
    district_id INTEGER PRIMARY KEY REFERENCES districts (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL DEFAULT 0
);
INSERT INTO district_versions (district_id) SELECT id FROM districts;

CREATE TRIGGER district_versions_new AFTER INSERT ON districts
BEGIN
    INSERT INTO district_versions (district_id) VALUES (NEW.id);
END;

CREATE TRIGGER figures_schools_insert AFTER INSERT ON schools
BEGIN
    UPDATE district_versions SET version = version + 1 WHERE district_id = NEW.district_id;
END;
CREATE TRIGGER figures_schools_update AFTER UPDATE ON schools
BEGIN
    UPDATE district_versions SET version = version + 1
    WHERE district_id IN (OLD.district_id, NEW.district_id);
END;
CREATE TRIGGER figures_schools_delete AFTER DELETE ON schools
BEGIN
    UPDATE district_versions SET version = version + 1 WHERE district_id = OLD.district_id;
END;

CREATE TRIGGER figures_enrolments_insert AFTER INSERT ON school_enrolments
BEGIN
    UPDATE district_versions SET version = version + 1
    WHERE district_id = (SELECT district_id FROM schools WHERE id = NEW.school_id);
END;
CREATE TRIGGER figures_enrolments_update AFTER UPDATE ON school_enrolments
BEGIN
    UPDATE district_versions SET version = version + 1
    WHERE district_id IN (SELECT district_id FROM schools WHERE id IN (OLD.school_id, NEW.school_id));
END;
CREATE TRIGGER figures_enrolments_delete AFTER DELETE ON school_enrolments
BEGIN
    UPDATE district_versions SET version = version + 1
    WHERE district_id = (SELECT district_id FROM schools WHERE id = OLD.school_id);
END;

CREATE TRIGGER figures_confirmations_insert AFTER INSERT ON screening_confirmations
BEGIN
    UPDATE district_versions SET version = version + 1
    WHERE district_id = (SELECT district_id FROM schools WHERE id = NEW.school_id);
END;
CREATE TRIGGER figures_confirmations_update AFTER UPDATE ON screening_confirmations
BEGIN
    UPDATE district_versions SET version = version + 1
    WHERE district_id IN (SELECT district_id FROM schools WHERE id IN (OLD.school_id, NEW.school_id));
END;
CREATE TRIGGER figures_confirmations_delete AFTER DELETE ON screening_confirmations
BEGIN
    UPDATE district_versions SET version = version + 1
    WHERE district_id = (SELECT district_id FROM schools WHERE id = OLD.school_id);
END;

CREATE TRIGGER figures_assignment_schools_insert AFTER INSERT ON assignment_schools
BEGIN
    UPDATE district_versions SET version = version + 1
    WHERE district_id = (SELECT district_id FROM schools WHERE id = NEW.school_id);
END;
CREATE TRIGGER figures_assignment_schools_update AFTER UPDATE ON assignment_schools
BEGIN
    UPDATE district_versions SET version = version + 1
    WHERE district_id IN (SELECT district_id FROM schools WHERE id IN (OLD.school_id, NEW.school_id));
END;
CREATE TRIGGER figures_assignment_schools_delete AFTER DELETE ON assignment_schools
BEGIN
    UPDATE district_versions SET version = version + 1
    WHERE district_id = (SELECT district_id FROM schools WHERE id = OLD.school_id);
END;

-- A film added to or taken from an assignment changes every district the assignment asks.
CREATE TRIGGER figures_assignment_films_insert AFTER INSERT ON assignment_films
BEGIN
    UPDATE district_versions SET version = version + 1
    WHERE district_id IN (SELECT sc.district_id FROM assignment_schools x
                          JOIN schools sc ON sc.id = x.school_id
                          WHERE x.assignment_id = NEW.assignment_id);
END;
CREATE TRIGGER figures_assignment_films_update AFTER UPDATE ON assignment_films
BEGIN
    UPDATE district_versions SET version = version + 1
    WHERE district_id IN (SELECT sc.district_id FROM assignment_schools x
                          JOIN schools sc ON sc.id = x.school_id
                          WHERE x.assignment_id IN (OLD.assignment_id, NEW.assignment_id));
END;
CREATE TRIGGER figures_assignment_films_delete AFTER DELETE ON assignment_films
BEGIN
    UPDATE district_versions SET version = version + 1
    WHERE district_id IN (SELECT sc.district_id FROM assignment_schools x
                          JOIN schools sc ON sc.id = x.school_id
                          WHERE x.assignment_id = OLD.assignment_id);
END;

CREATE TRIGGER figures_assignments_update AFTER UPDATE ON screening_assignments
BEGIN
    UPDATE district_versions SET version = version + 1
    WHERE district_id IN (SELECT sc.district_id FROM assignment_schools x
                          JOIN schools sc ON sc.id = x.school_id
                          WHERE x.assignment_id = NEW.id);
END;
CREATE TRIGGER figures_assignments_delete AFTER DELETE ON screening_assignments
BEGIN
    UPDATE district_versions SET version = version + 1
    WHERE district_id IN (SELECT sc.district_id FROM assignment_schools x
                          JOIN schools sc ON sc.id = x.school_id
                          WHERE x.assignment_id = OLD.id);
END;

-- A campaign's window decides which schools are active in it and which rolls cap: rare,
-- and every district changes.
CREATE TRIGGER figures_campaigns_update AFTER UPDATE ON campaigns
BEGIN
    UPDATE district_versions SET version = version + 1;
END;
