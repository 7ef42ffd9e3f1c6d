-- Figures the reports read without scanning the district: how many referrals and cases are
-- in each state, and closed cases by outcome. Kept in the same transaction as every change
-- of state (the store maintains them); filled here from what exists.
CREATE TABLE status_counts (
    district_id TEXT NOT NULL REFERENCES districts(id),
    entity TEXT NOT NULL,
    status TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (district_id, entity, status)
);
INSERT INTO status_counts (district_id, entity, status, count)
    SELECT district_id, 'referral', status, COUNT(*) FROM referrals GROUP BY district_id, status;
INSERT INTO status_counts (district_id, entity, status, count)
    SELECT district_id, 'case', status, COUNT(*) FROM cases GROUP BY district_id, status;
INSERT INTO status_counts (district_id, entity, status, count)
    SELECT district_id, 'outcome', COALESCE(outcome, ''), COUNT(*) FROM cases
    WHERE status = 'closed' GROUP BY district_id, COALESCE(outcome, '');

-- Overdue counts read only the followed cases' due dates (index-only).
CREATE INDEX cases_followed_due ON cases (district_id, next_due_date)
    WHERE status IN ('assigned', 'in_charge', 'active', 'monitoring');
-- A referrer's persons: those it registered, in cursor order.
CREATE INDEX persons_created_by ON persons (created_by, id);
