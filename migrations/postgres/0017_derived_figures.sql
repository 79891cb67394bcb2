-- Figures derived from the registers (issue 18): from which month a station's outcome
-- figures come from its registers rather than typed totals, so that a station-month is
-- one or the other, never both. NULL: the station types its totals. A month at or after
-- the marker takes its figures from the registers (shared/src/derived.rs lists which
-- indicators; theft cases stay typed), and typed values of those indicators are refused.
-- (migrations/sqlite/0017_derived_figures.sql must describe the same.)
ALTER TABLE stations ADD COLUMN registers_from TEXT; -- YYYY-MM

-- Every month from 2000-01 to 2099-12: the months a stock (minors mentored at a month's
-- end) is counted for, and the days from 2000-01-01 to each month's first, so that the
-- days between two dates (a runaway call and its follow-up) are plain SQL on both engines.
CREATE TABLE calendar_months (
    month       TEXT PRIMARY KEY, -- YYYY-MM
    days_before BIGINT NOT NULL
);
INSERT INTO calendar_months (month, days_before)
SELECT to_char(d, 'YYYY-MM'), CAST(d AS DATE) - DATE '2000-01-01'
FROM generate_series(DATE '2000-01-01', DATE '2099-12-01', INTERVAL '1 month') AS d;

-- The derived counts read contacts and events per case and month.
CREATE INDEX contacts_case ON contacts (case_id, contacted_on);
CREATE INDEX case_events_case ON case_events (case_id, happened_on);
CREATE INDEX night_care_station ON night_care (station_id, cared_on);
