DROP STATISTICS cases_district_agency;
CREATE INDEX cases_followed_due ON cases (district_id, next_due_date)
    WHERE status IN ('assigned', 'in_charge', 'active', 'monitoring');
DROP TABLE due_counts;
