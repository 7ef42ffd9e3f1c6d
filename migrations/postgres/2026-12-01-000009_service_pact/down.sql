DROP TABLE service_pact_actions;
DROP TABLE service_pacts;
