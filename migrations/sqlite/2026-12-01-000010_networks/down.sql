DROP INDEX meetings_network;
ALTER TABLE meetings DROP COLUMN network_id;
DROP TABLE network_resources;
DROP TABLE network_members;
DROP TABLE networks;
