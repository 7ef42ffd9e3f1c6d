ALTER TABLE projects DROP COLUMN for_operators;
ALTER TABLE measures DROP COLUMN for_operators;
DROP TABLE opportunity_proposals;
DROP TABLE opportunities;
