DROP INDEX measures_project;
ALTER TABLE measures DROP COLUMN project_id;
DROP TABLE project_plan_actions;
DROP TABLE projects;
