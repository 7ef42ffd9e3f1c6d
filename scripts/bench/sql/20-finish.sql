-- Bench seed, step 3: rebuild the migrations' constraints and indexes exactly as they were
-- (primary keys and unique constraints, plain indexes, then foreign keys, which validates
-- every reference of the generated rows), drop the helpers, and analyze.
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
\echo '  - vacuum analyze'
VACUUM (ANALYZE);
