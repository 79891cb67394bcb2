-- Figures derived from the registers (issue 18): from which month a station's outcome
-- figures come from its registers rather than typed totals, so that a station-month is
-- one or the other, never both. NULL: the station types its totals. A month at or after
-- the marker takes its figures from the registers (shared/src/derived.rs lists which
-- indicators; theft cases stay typed), and typed values of those indicators are refused.
-- (migrations/postgres/0017_derived_figures.sql must describe the same.)
ALTER TABLE stations ADD COLUMN registers_from TEXT; -- YYYY-MM

-- Every month from 2000-01 to 2099-12: the months a stock (minors mentored at a month's
-- end) is counted for, and the days from 2000-01-01 to each month's first, so that the
-- days between two dates (a runaway call and its follow-up) are plain SQL on both engines.
CREATE TABLE calendar_months (
    month       TEXT PRIMARY KEY, -- YYYY-MM
    days_before BIGINT NOT NULL
);
WITH RECURSIVE m(d) AS (
    SELECT '2000-01-01'
    UNION ALL
    SELECT date(d, '+1 month') FROM m WHERE d < '2099-12-01'
)
INSERT INTO calendar_months (month, days_before)
SELECT substr(d, 1, 7), CAST(julianday(d) - julianday('2000-01-01') AS INTEGER) FROM m;

-- The derived counts read contacts and events per case and month.
CREATE INDEX contacts_case ON contacts (case_id, contacted_on);
CREATE INDEX case_events_case ON case_events (case_id, happened_on);
CREATE INDEX night_care_station ON night_care (station_id, cared_on);
