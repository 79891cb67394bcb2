-- The province's page at the cost of its answer: a topic rollup per district, and a version
-- per district that every write changing its coverage or film figures moves, so a server
-- may keep those figures per district and campaign and recompute only the districts that
-- changed. (See migrations/sqlite/0013_district_figures.sql, which must describe the same.)

-- Sessions and audience per campaign, topic, district of the giving station and month: the
-- topic chart of a city or the province without reading every station's rows. Kept in step
-- with `sessions` in the same transaction, like topic_station_month_reach.
CREATE TABLE topic_district_month_reach (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    topic_id    BIGINT NOT NULL REFERENCES topics (id),
    district_id BIGINT NOT NULL REFERENCES districts (id),
    month       TEXT NOT NULL, -- YYYY-MM
    sessions    BIGINT NOT NULL CHECK (sessions >= 0),
    students    BIGINT NOT NULL CHECK (students >= 0),
    parents     BIGINT NOT NULL CHECK (parents >= 0),
    teachers    BIGINT NOT NULL CHECK (teachers >= 0),
    others      BIGINT NOT NULL CHECK (others >= 0),
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
-- it in `db::rollups::apply` (in district order, so writers never wait on each other in a
-- cycle); everything else moves it by the triggers below.
CREATE TABLE district_versions (
    district_id BIGINT PRIMARY KEY REFERENCES districts (id) ON DELETE CASCADE,
    version     BIGINT NOT NULL DEFAULT 0
);
INSERT INTO district_versions (district_id) SELECT id FROM districts;

CREATE FUNCTION district_versions_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO district_versions (district_id) VALUES (NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER district_versions_new AFTER INSERT ON districts
    FOR EACH ROW EXECUTE FUNCTION district_versions_new();

-- A school's own row: its district before and after.
CREATE FUNCTION figures_by_district() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_id BIGINT;
    new_id BIGINT;
BEGIN
    IF TG_OP <> 'INSERT' THEN old_id := OLD.district_id; END IF;
    IF TG_OP <> 'DELETE' THEN new_id := NEW.district_id; END IF;
    UPDATE district_versions SET version = version + 1 WHERE district_id IN (old_id, new_id);
    RETURN NULL;
END $$;
CREATE TRIGGER figures_schools AFTER INSERT OR UPDATE OR DELETE ON schools
    FOR EACH ROW EXECUTE FUNCTION figures_by_district();

-- Rows that name a school: its district.
CREATE FUNCTION figures_by_school() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_id BIGINT;
    new_id BIGINT;
BEGIN
    IF TG_OP <> 'INSERT' THEN old_id := OLD.school_id; END IF;
    IF TG_OP <> 'DELETE' THEN new_id := NEW.school_id; END IF;
    UPDATE district_versions SET version = version + 1
    WHERE district_id IN (SELECT district_id FROM schools WHERE id IN (old_id, new_id));
    RETURN NULL;
END $$;
CREATE TRIGGER figures_enrolments AFTER INSERT OR UPDATE OR DELETE ON school_enrolments
    FOR EACH ROW EXECUTE FUNCTION figures_by_school();
CREATE TRIGGER figures_confirmations AFTER INSERT OR UPDATE OR DELETE ON screening_confirmations
    FOR EACH ROW EXECUTE FUNCTION figures_by_school();
CREATE TRIGGER figures_assignment_schools AFTER INSERT OR UPDATE OR DELETE ON assignment_schools
    FOR EACH ROW EXECUTE FUNCTION figures_by_school();

-- A film added to or taken from an assignment changes every district the assignment asks.
CREATE FUNCTION figures_by_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_id BIGINT;
    new_id BIGINT;
BEGIN
    IF TG_TABLE_NAME = 'screening_assignments' THEN
        IF TG_OP <> 'INSERT' THEN old_id := OLD.id; END IF;
        IF TG_OP <> 'DELETE' THEN new_id := NEW.id; END IF;
    ELSE
        IF TG_OP <> 'INSERT' THEN old_id := OLD.assignment_id; END IF;
        IF TG_OP <> 'DELETE' THEN new_id := NEW.assignment_id; END IF;
    END IF;
    UPDATE district_versions SET version = version + 1
    WHERE district_id IN (SELECT sc.district_id FROM assignment_schools x
                          JOIN schools sc ON sc.id = x.school_id
                          WHERE x.assignment_id IN (old_id, new_id));
    RETURN NULL;
END $$;
CREATE TRIGGER figures_assignment_films AFTER INSERT OR UPDATE OR DELETE ON assignment_films
    FOR EACH ROW EXECUTE FUNCTION figures_by_assignment();
CREATE TRIGGER figures_assignments AFTER UPDATE OR DELETE ON screening_assignments
    FOR EACH ROW EXECUTE FUNCTION figures_by_assignment();

-- A campaign's window decides which schools are active in it and which rolls cap: rare,
-- and every district changes.
CREATE FUNCTION figures_everywhere() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE district_versions SET version = version + 1;
    RETURN NULL;
END $$;
CREATE TRIGGER figures_campaigns AFTER UPDATE ON campaigns
    FOR EACH ROW EXECUTE FUNCTION figures_everywhere();
