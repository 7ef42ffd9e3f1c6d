DROP TABLE person_consents;
DROP TABLE privacy_notices;
