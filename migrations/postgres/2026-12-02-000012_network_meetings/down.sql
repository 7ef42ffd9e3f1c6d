DROP TABLE action_items;
DROP INDEX meetings_one_open_per_network;
ALTER TABLE meetings DROP COLUMN topics;
ALTER TABLE meetings DROP COLUMN attendees;
ALTER TABLE meetings DROP COLUMN kind;
