-- How many followed cases (assigned, in charge, active, monitoring) of a district fall due on
-- each day: the overdue count of the reports is a sum over past days — as many rows as there
-- are distinct due dates, not one per case. Kept by the store in the transaction of every case
-- insert and change (status or due date); filled here from what exists.
CREATE TABLE due_counts (
    district_id TEXT NOT NULL REFERENCES districts(id),
    due_date DATE NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (district_id, due_date)
);
INSERT INTO due_counts (district_id, due_date, count)
    SELECT district_id, next_due_date, COUNT(*) FROM cases
    WHERE status IN ('assigned', 'in_charge', 'active', 'monitoring') AND next_due_date IS NOT NULL
    GROUP BY district_id, next_due_date;
-- The overdue count no longer reads the cases.
DROP INDEX cases_followed_due;

-- An agency belongs to one district: without this the planner multiplies the two filters'
-- selectivities, expects a handful of an agency's overdue cases, and sorts them all instead of
-- walking `cases_open_agency` in id order (22 ms → 0.7 ms for a page at region size).
CREATE STATISTICS cases_district_agency (dependencies, ndistinct) ON district_id, agency_id FROM cases;
ANALYZE cases;
