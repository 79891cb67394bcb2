-- Create requests that carried an Idempotency-Key. A retry with the same key and body is
-- answered with the first answer and stores nothing new. The row is written in the same
-- transaction as the record it created, so a key is never taken without its record.
CREATE TABLE idempotency_keys (
    key          TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL, -- SHA-256 of the parsed request, hex
    resource     TEXT NOT NULL, -- e.g. sessions
    resource_id  INTEGER NOT NULL,
    response     TEXT NOT NULL, -- the JSON body of the first answer
    created_at   TEXT NOT NULL
);
