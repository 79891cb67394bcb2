-- One row per real session, even when identical entries race each other; idempotency keys
-- owned by an account's id, not its name.
-- (See migrations/sqlite/0008_session_natural_key.sql, which must describe the same.)

-- The duplicate rule's key (station|date|format|topics|school|venue, as
-- server/src/db/sessions.rs `natural_key` writes it), on sessions the rule holds; NULL on
-- those confirmed distinct and on demo data. At most one live session has each key: several
-- server instances on one database cannot store the same session twice.
ALTER TABLE sessions ADD COLUMN natural_key TEXT;

UPDATE sessions SET natural_key =
    station_id::text || '|' || held_on || '|' || format || '|'
    || COALESCE((SELECT string_agg(t.topic_id::text, ',' ORDER BY t.topic_id)
                 FROM session_topics t WHERE t.session_id = sessions.id), '')
    || '|' || COALESCE(school_id::text, '') || '|' || COALESCE(venue, '')
WHERE deleted_at IS NULL AND is_demo = 0;

-- Duplicates stored before the rule held under concurrency stay, as if confirmed distinct:
-- the first of each keeps the key.
UPDATE sessions SET natural_key = NULL
WHERE natural_key IS NOT NULL
  AND id <> (SELECT MIN(s.id) FROM sessions s
             WHERE s.natural_key = sessions.natural_key AND s.deleted_at IS NULL);

CREATE UNIQUE INDEX sessions_natural_key ON sessions (natural_key) WHERE deleted_at IS NULL;

-- Keys were stored as `{username}\x1f{key}`; they are now `user:{id}\x1f{key}`, so an
-- account named like a school's link (`link:{school}`) can never share its keys. A link's
-- keys keep their form. A name with a `:` could be either, so its keys stay the link's.
UPDATE idempotency_keys k
SET key = 'user:' || u.id::text || substr(k.key, strpos(k.key, chr(31)))
FROM users u
WHERE u.username NOT LIKE '%:%'
  AND substr(k.key, 1, length(u.username) + 1) = u.username || chr(31);
