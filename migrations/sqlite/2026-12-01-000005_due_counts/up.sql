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
