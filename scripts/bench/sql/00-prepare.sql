-- Bench seed, step 1: helpers, the district context, and the big tables' indexes and
-- constraints saved and dropped (a bulk load into bare heaps, then one index build each, is
-- an order of magnitude faster than 10M random B-tree inserts on a 2-core machine).
-- Variables (psql -v): nd = districts.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

-- Deterministic pseudo-random integer in [0, 2^31) of (n, salt): same seed, same data.
CREATE FUNCTION bench.h(n bigint, salt int) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (hashint8($1 * 1000 + $2)::bigint & 2147483647) $$;

-- Milliseconds since the epoch as 12 hex digits.
CREATE FUNCTION bench.hx(ts timestamp) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT lpad(to_hex(floor(extract(epoch FROM $1) * 1000)::bigint), 12, '0') $$;

-- A UUIDv7-shaped id: 48-bit millisecond timestamp first, so ids sort by creation like the
-- app's own (uuid::Uuid::now_v7); `tag` (table) and `n` (row number) make it unique.
CREATE FUNCTION bench.uid(ts timestamp, tag int, n bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT substr(bench.hx($1), 1, 8) || '-' || substr(bench.hx($1), 9, 4)
          || '-7' || lpad(to_hex($2 & 4095), 3, '0')
          || '-' || to_hex(8 + (($3 >> 60) & 3)) || lpad(to_hex(($3 >> 48) & 4095), 3, '0')
          || '-' || lpad(to_hex($3 & 281474976710655), 12, '0') $$;

-- The big tables: their indexes and constraints are dropped for the load, then rebuilt.
CREATE TABLE bench.big (tbl text PRIMARY KEY);
INSERT INTO bench.big VALUES ('persons'), ('referrals'), ('cases'), ('follow_ups'),
    ('state_changes'), ('activations'), ('outcome_checks');

CREATE TABLE bench.ddl (ord int, tbl text, name text, def text);
-- Foreign keys from or to a big table.
INSERT INTO bench.ddl
SELECT 3, c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
FROM pg_constraint c
WHERE c.contype = 'f'
  AND (c.conrelid::regclass::text IN (SELECT tbl FROM bench.big)
       OR c.confrelid::regclass::text IN (SELECT tbl FROM bench.big));
-- Primary keys and unique constraints of the big tables.
INSERT INTO bench.ddl
SELECT 1, c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
FROM pg_constraint c
WHERE c.contype IN ('p', 'u') AND c.conrelid::regclass::text IN (SELECT tbl FROM bench.big);
-- Plain indexes of the big tables.
INSERT INTO bench.ddl
SELECT 2, i.tablename, i.indexname, i.indexdef
FROM pg_indexes i
WHERE i.schemaname = 'public' AND i.tablename IN (SELECT tbl FROM bench.big)
  AND i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u', 'x'));

SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, name) FROM bench.ddl WHERE ord = 3
\gexec
SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', tbl, name) FROM bench.ddl WHERE ord = 1
\gexec
SELECT format('DROP INDEX %I', name) FROM bench.ddl WHERE ord = 2
\gexec

-- One row per district: idx 0 is the demo district "Ambito 1 – Bergamo" (its users are the
-- ones the benchmark signs in as); idx 1..nd-1 are synthetic districts of the same shape.
CREATE TABLE bench.d (
    idx int PRIMARY KEY, district_id text, ufficio text, social text, pass text, cpi text,
    ag1 text, ag2 text, ag3 text, u_coord text, u_social text, u_pass text, u_cpi text,
    u_op1 text, u_op2 text, u_op3 text, dul text, gg text
);
INSERT INTO bench.d
SELECT 0, d.id,
  (SELECT id FROM organizations WHERE district_id = d.id AND kind = 'planning_office' ORDER BY id LIMIT 1),
  (SELECT id FROM organizations WHERE district_id = d.id AND name = 'Servizio Sociale Comune di Bergamo'),
  (SELECT id FROM organizations WHERE district_id = d.id AND name = 'Segretariato Sociale PASS'),
  (SELECT id FROM organizations WHERE district_id = d.id AND name = 'CPI Bergamo'),
  (SELECT id FROM organizations WHERE district_id = d.id AND name = 'Agenzia Lavoro Orobica'),
  (SELECT id FROM organizations WHERE district_id = d.id AND name = 'Cooperativa Sociale Il Ponte'),
  (SELECT id FROM organizations WHERE district_id = d.id AND name = 'Fondazione Formazione e Lavoro'),
  (SELECT id FROM users WHERE email = 'coordinatore@demo.test'),
  (SELECT id FROM users WHERE email = 'assistente.sociale@demo.test'),
  (SELECT id FROM users WHERE email = 'pass@demo.test'),
  (SELECT id FROM users WHERE email = 'cpi@demo.test'),
  (SELECT id FROM users WHERE email = 'operatore1@demo.test'),
  (SELECT id FROM users WHERE email = 'operatore2@demo.test'),
  (SELECT id FROM users WHERE email = 'operatore3@demo.test'),
  (SELECT id FROM measures WHERE district_id = d.id AND code = 'DUL'),
  (SELECT id FROM measures WHERE district_id = d.id AND code = 'GG')
FROM districts d WHERE d.code = 'AMBITO-1-BG';

DO $$
BEGIN
  IF (SELECT count(*) FROM bench.d WHERE num_nonnulls(district_id, ufficio, social, pass, cpi,
        ag1, ag2, ag3, u_coord, u_social, u_pass, u_cpi, u_op1, u_op2, u_op3, dul, gg) = 17) <> 1
  THEN RAISE EXCEPTION 'the demo district is missing or incomplete: run serve --demo first';
  END IF;
END $$;

-- Synthetic districts 1..nd-1: district, its seven organizations, one user each, two measures.
INSERT INTO bench.d
SELECT k, bench.uid(now()::timestamp, 20, k),
  bench.uid(now()::timestamp, 21, k * 10 + 0), bench.uid(now()::timestamp, 21, k * 10 + 1),
  bench.uid(now()::timestamp, 21, k * 10 + 2), bench.uid(now()::timestamp, 21, k * 10 + 3),
  bench.uid(now()::timestamp, 21, k * 10 + 4), bench.uid(now()::timestamp, 21, k * 10 + 5),
  bench.uid(now()::timestamp, 21, k * 10 + 6),
  bench.uid(now()::timestamp, 22, k * 10 + 0), bench.uid(now()::timestamp, 22, k * 10 + 1),
  bench.uid(now()::timestamp, 22, k * 10 + 2), bench.uid(now()::timestamp, 22, k * 10 + 3),
  bench.uid(now()::timestamp, 22, k * 10 + 4), bench.uid(now()::timestamp, 22, k * 10 + 5),
  bench.uid(now()::timestamp, 22, k * 10 + 6),
  bench.uid(now()::timestamp, 23, k * 10 + 0), bench.uid(now()::timestamp, 23, k * 10 + 1)
FROM generate_series(1, :nd - 1) k;

INSERT INTO districts (id, code, name, timezone, created_at, updated_at)
SELECT district_id, 'BENCH-' || idx, 'Ambito bench ' || idx, 'Europe/Rome', now(), now()
FROM bench.d WHERE idx > 0;

INSERT INTO organizations (id, district_id, name, kind, accreditation_code, active, created_at, updated_at)
SELECT o.id, d.district_id, o.name || ' (ambito ' || d.idx || ')', o.kind, o.acc, true, now(), now()
FROM bench.d d CROSS JOIN LATERAL (VALUES
  (d.ufficio, 'Ufficio di Piano', 'planning_office', NULL),
  (d.social, 'Servizio Sociale', 'social_service', NULL),
  (d.pass, 'Segretariato Sociale PASS', 'front_desk', NULL),
  (d.cpi, 'CPI', 'cpi', NULL),
  (d.ag1, 'Agenzia Lavoro', 'accredited_agency', 'LOM-ACC-B' || d.idx || '1'),
  (d.ag2, 'Cooperativa Sociale', 'accredited_agency', 'LOM-ACC-B' || d.idx || '2'),
  (d.ag3, 'Fondazione Formazione', 'accredited_agency', 'LOM-ACC-B' || d.idx || '3')
) AS o(id, name, kind, acc)
WHERE d.idx > 0;

INSERT INTO users (id, email, full_name, password_hash, role, organization_id, district_id, active, created_at, updated_at)
SELECT u.id, u.local || '.' || d.idx || '@bench.test', 'Utente bench ' || u.local || ' ' || d.idx,
  (SELECT password_hash FROM users WHERE email = 'coordinatore@demo.test'),
  u.role, u.org, d.district_id, true, now(), now()
FROM bench.d d CROSS JOIN LATERAL (VALUES
  (d.u_coord, 'coordinatore', 'coordinator', d.ufficio),
  (d.u_social, 'assistente.sociale', 'referrer', d.social),
  (d.u_pass, 'pass', 'referrer', d.pass),
  (d.u_cpi, 'cpi', 'referrer', d.cpi),
  (d.u_op1, 'operatore1', 'agency_operator', d.ag1),
  (d.u_op2, 'operatore2', 'agency_operator', d.ag2),
  (d.u_op3, 'operatore3', 'agency_operator', d.ag3)
) AS u(id, local, role, org)
WHERE d.idx > 0;

INSERT INTO measures (id, district_id, code, name, kind, funding_source, funding_note, description,
    valid_from, valid_to, min_age, max_age, employment_statuses, target_groups, clusters,
    residence_required, default_amount_cents, active, created_at, updated_at)
SELECT CASE m.code WHEN 'DUL' THEN d.dul ELSE d.gg END, d.district_id, m.code, m.name, m.kind,
    m.funding_source, m.funding_note, m.description, m.valid_from, m.valid_to, m.min_age, m.max_age,
    m.employment_statuses, m.target_groups, m.clusters, m.residence_required,
    m.default_amount_cents, m.active, now(), now()
FROM bench.d d CROSS JOIN measures m
WHERE d.idx > 0 AND m.district_id = (SELECT district_id FROM bench.d WHERE idx = 0)
  AND m.code IN ('DUL', 'GG');
