-- Nothing changes on SQLite: PostgreSQL's 0014 moves the district versions once per
-- statement instead of once per row (statement triggers with transition tables), which
-- SQLite does not have; its row triggers of 0013 stay. Kept so that both engines count
-- the same migrations.
SELECT 1;
