DROP INDEX persons_created_by;
DROP INDEX cases_followed_due;
DROP TABLE status_counts;
