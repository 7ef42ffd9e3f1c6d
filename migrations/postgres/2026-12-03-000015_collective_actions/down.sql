DROP TABLE collective_action_beneficiaries;
DROP TABLE collective_action_employers;
DROP TABLE collective_action_participants;
DROP TABLE collective_actions;
