-- Bench seed, step 3: rebuild the migrations' constraints and indexes exactly as they were
-- (primary keys and unique constraints, plain indexes, then foreign keys, which validates
-- every reference of the generated rows), drop the helpers, count what the store keeps
-- counted, and analyze.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET maintenance_work_mem = '512MB';
\timing on
\echo '  - primary keys and unique constraints'
SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', tbl, name, def) FROM bench.ddl WHERE ord = 1 ORDER BY tbl, name
\gexec
\echo '  - indexes'
SELECT def FROM bench.ddl WHERE ord = 2 ORDER BY tbl, name
\gexec
\echo '  - foreign keys (validated)'
SELECT format('ALTER TABLE %s ADD CONSTRAINT %I %s', tbl, name, def) FROM bench.ddl WHERE ord = 3 ORDER BY tbl, name
\gexec
DROP SCHEMA bench CASCADE;
\echo '  - the counts the store keeps (status_counts, due_counts), from the generated rows'
DELETE FROM status_counts;
INSERT INTO status_counts (district_id, entity, status, count)
    SELECT district_id, 'referral', status, COUNT(*) FROM referrals GROUP BY district_id, status;
INSERT INTO status_counts (district_id, entity, status, count)
    SELECT district_id, 'case', status, COUNT(*) FROM cases GROUP BY district_id, status;
INSERT INTO status_counts (district_id, entity, status, count)
    SELECT district_id, 'outcome', COALESCE(outcome, ''), COUNT(*) FROM cases
    WHERE status = 'closed' GROUP BY district_id, COALESCE(outcome, '');
DELETE FROM due_counts;
INSERT INTO due_counts (district_id, due_date, count)
    SELECT district_id, next_due_date, COUNT(*) FROM cases
    WHERE status IN ('assigned', 'in_charge', 'active', 'monitoring') AND next_due_date IS NOT NULL
    GROUP BY district_id, next_due_date;
\echo '  - vacuum analyze'
VACUUM (ANALYZE);
