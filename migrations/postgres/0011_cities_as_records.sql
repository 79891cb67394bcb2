-- Cities are records like districts (issue 15): listed in order, edited with If-Match,
-- deleted softly while no district refers to them.
-- (See migrations/sqlite/0011_cities_as_records.sql, which must describe the same.)
ALTER TABLE cities ADD COLUMN sort_order BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cities ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE cities ADD COLUMN updated_at TEXT;
ALTER TABLE cities ADD COLUMN deleted_at TEXT;

-- A city-scoped viewer's every query asks for the districts of one city.
CREATE INDEX districts_city ON districts (city_id);
