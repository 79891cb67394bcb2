-- The district versions (0013) moved once per statement instead of once per row, for the
-- tables written many rows at a time: confirmations (an import of 10,000 rows, the demo's
-- 21,000), rolls and the schools of an assignment. A row trigger updated the same few
-- version rows once per row written (5.6 s of the demo's 8.5 s of statements); a statement
-- trigger reads the rows it wrote from its transition tables and moves each district once.
-- The versions are locked in district order, so two such statements never wait on each
-- other in a cycle. SQLite has no statement triggers and keeps its row triggers (see
-- migrations/sqlite/0014_district_versions_per_statement.sql).

-- Moves the versions of `ids`, locking them in district order first.
CREATE FUNCTION bump_district_versions(ids BIGINT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM district_versions WHERE district_id = ANY (ids)
        ORDER BY district_id FOR UPDATE;
    UPDATE district_versions SET version = version + 1 WHERE district_id = ANY (ids);
END $$;

-- The districts of the schools named by the rows a statement inserted, updated or deleted.
CREATE FUNCTION figures_by_school_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed BIGINT[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT school_id) INTO changed FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT school_id) INTO changed FROM old_rows;
    ELSE
        SELECT array_agg(DISTINCT school_id) INTO changed
        FROM (SELECT school_id FROM old_rows UNION SELECT school_id FROM new_rows) x;
    END IF;
    IF changed IS NOT NULL THEN
        PERFORM bump_district_versions(
            ARRAY(SELECT DISTINCT district_id FROM schools WHERE id = ANY (changed)));
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER figures_enrolments ON school_enrolments;
DROP TRIGGER figures_confirmations ON screening_confirmations;
DROP TRIGGER figures_assignment_schools ON assignment_schools;

-- PostgreSQL allows transition tables only on triggers of one event: three per table.
CREATE TRIGGER figures_enrolments_insert AFTER INSERT ON school_enrolments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_by_school_rows();
CREATE TRIGGER figures_enrolments_update AFTER UPDATE ON school_enrolments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_by_school_rows();
CREATE TRIGGER figures_enrolments_delete AFTER DELETE ON school_enrolments
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_by_school_rows();

CREATE TRIGGER figures_confirmations_insert AFTER INSERT ON screening_confirmations
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_by_school_rows();
CREATE TRIGGER figures_confirmations_update AFTER UPDATE ON screening_confirmations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_by_school_rows();
CREATE TRIGGER figures_confirmations_delete AFTER DELETE ON screening_confirmations
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_by_school_rows();

CREATE TRIGGER figures_assignment_schools_insert AFTER INSERT ON assignment_schools
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_by_school_rows();
CREATE TRIGGER figures_assignment_schools_update AFTER UPDATE ON assignment_schools
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_by_school_rows();
CREATE TRIGGER figures_assignment_schools_delete AFTER DELETE ON assignment_schools
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION figures_by_school_rows();
