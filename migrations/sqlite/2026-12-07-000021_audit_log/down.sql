DROP TABLE audit_archive_gate;
DROP TABLE audit_archives;
DROP TABLE audit_seals;
DROP TABLE audit_events;
