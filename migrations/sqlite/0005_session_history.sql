-- Edits and deletes keep history: sessions carry a version (for If-Match), deletes are
-- soft, and every change is written to the audit log with the record before and after.
ALTER TABLE sessions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE sessions ADD COLUMN updated_at TEXT;
ALTER TABLE sessions ADD COLUMN deleted_at TEXT;

-- The duplicate check looks for the same station on the same day.
CREATE INDEX sessions_station_day ON sessions (station_id, held_on);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT,          -- the signed-in user, once accounts exist
    action      TEXT NOT NULL, -- create, update, delete
    resource    TEXT NOT NULL, -- e.g. sessions
    resource_id INTEGER NOT NULL,
    before_json TEXT,          -- the record before the change (none for a create)
    after_json  TEXT           -- the record after the change (none for a delete)
);
CREATE INDEX audit_log_resource ON audit_log (resource, resource_id);
CREATE INDEX audit_log_actor ON audit_log (actor);
