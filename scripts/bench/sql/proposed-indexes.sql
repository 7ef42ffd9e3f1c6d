-- The indexes the README recommends, to try on the bench database only:
--   psql -d postgres://postgres@127.0.0.1:5432/sl_bench -f scripts/bench/sql/proposed-indexes.sql
--   scripts/bench/explain.sh; scripts/bench/run.sh
--   psql ... -c 'DROP INDEX bench_cases_agency_id, ...'   (or re-seed)
-- The real change belongs in migrations/{postgres,sqlite}/ (the lead's call).
\set ON_ERROR_STOP on
-- GET /cases as an agency operator: WHERE district_id AND agency_id ORDER BY id
CREATE INDEX IF NOT EXISTS bench_cases_agency_id ON cases (agency_id, id);
-- GET /cases?overdue=true and the overdue count: open cases only (closed ones have no next_due_date);
-- `next_due_date < $n` implies the predicate even in a generic plan.
CREATE INDEX IF NOT EXISTS bench_cases_open_district ON cases (district_id, id) WHERE next_due_date IS NOT NULL;
CREATE INDEX IF NOT EXISTS bench_cases_open_agency ON cases (agency_id, id) WHERE next_due_date IS NOT NULL;
-- GET /persons as an agency operator: persons.id IN (SELECT person_id FROM cases WHERE agency_id = $n)
-- becomes a merge semi-join in id order that stops at the LIMIT.
CREATE INDEX IF NOT EXISTS bench_cases_agency_person ON cases (agency_id, person_id);
-- GET /persons as a referrer (with the query split in two, see README).
CREATE INDEX IF NOT EXISTS bench_referrals_org_person ON referrals (organization_id, person_id);
CREATE INDEX IF NOT EXISTS bench_persons_created_by ON persons (created_by, id);
-- /reports/summary: closed cases by outcome, index-only.
CREATE INDEX IF NOT EXISTS bench_cases_district_status_outcome ON cases (district_id, status, outcome);
-- GET /cases/{id}/follow-ups and the timeline: ORDER BY id within a case.
CREATE INDEX IF NOT EXISTS bench_follow_ups_case_id ON follow_ups (case_id, id);
ANALYZE cases; ANALYZE referrals; ANALYZE persons; ANALYZE follow_ups;
