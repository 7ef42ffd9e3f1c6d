DROP TABLE plan_actions;
DROP TABLE plan_axes;
DROP TABLE plans;
