-- Sessions and audience per campaign, district and month: the leaders' district and
-- month charts read tens of rows here whatever the number of stations and sessions.
-- Kept in step with `sessions` in the same transaction, like station_month_reach.
CREATE TABLE district_month_reach (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    district_id BIGINT NOT NULL REFERENCES districts (id),
    month       TEXT NOT NULL, -- YYYY-MM
    sessions    BIGINT NOT NULL CHECK (sessions >= 0),
    students    BIGINT NOT NULL CHECK (students >= 0),
    parents     BIGINT NOT NULL CHECK (parents >= 0),
    teachers    BIGINT NOT NULL CHECK (teachers >= 0),
    others      BIGINT NOT NULL CHECK (others >= 0),
    PRIMARY KEY (campaign_id, district_id, month)
);

INSERT INTO district_month_reach
    (campaign_id, district_id, month, sessions, students, parents, teachers, others)
SELECT r.campaign_id, st.district_id, r.month, SUM(r.sessions),
       SUM(r.students), SUM(r.parents), SUM(r.teachers), SUM(r.others)
FROM station_month_reach r
JOIN stations st ON st.id = r.station_id
GROUP BY r.campaign_id, st.district_id, r.month;
