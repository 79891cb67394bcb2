-- Monthly returns (月报) and their sign-off: a station's month moves open → submitted →
-- approved (or returned with a reason) → accepted; an administrator may reopen it. A month
-- nobody has moved has no row and is open. While a return is submitted, approved or
-- accepted, its station's sessions and outcome values of that month are locked.
-- The rules are in shared/src/returns.rs. (migrations/postgres/0015_monthly_returns.sql
-- must describe the same.)
CREATE TABLE monthly_returns (
    id                 INTEGER PRIMARY KEY,
    station_id         INTEGER NOT NULL REFERENCES stations (id),
    month              TEXT NOT NULL, -- YYYY-MM
    state              TEXT NOT NULL
        CHECK (state IN ('open', 'submitted', 'returned', 'approved', 'accepted')),
    version            INTEGER NOT NULL DEFAULT 1,
    -- Days in China (YYYY-MM-DD): timeliness goes by the first submission.
    first_submitted_on TEXT,
    submitted_on       TEXT,
    -- The reason of the last return or reopen, kept while the return is returned or open.
    reason             TEXT,
    updated_at         TEXT NOT NULL,
    UNIQUE (station_id, month)
);
CREATE INDEX monthly_returns_month ON monthly_returns (month, state);

-- Every transition, in order: the return's history (also written to the audit log).
CREATE TABLE return_events (
    id         INTEGER PRIMARY KEY,
    return_id  INTEGER NOT NULL REFERENCES monthly_returns (id),
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    reason     TEXT
);
CREATE INDEX return_events_return ON return_events (return_id, id);

-- Days after a month's end that its return is on time (the 5th of the next month).
ALTER TABLE campaigns ADD COLUMN return_due_days INTEGER NOT NULL DEFAULT 5
    CHECK (return_due_days BETWEEN 0 AND 60);

-- A district's WeCom (企业微信) group-robot webhook for the daily digest; NULL: none.
ALTER TABLE districts ADD COLUMN wecom_webhook TEXT;
