DROP TABLE state_changes;
DROP TABLE refresh_tokens;
DROP TABLE users;
DROP TABLE organizations;
DROP TABLE districts;
