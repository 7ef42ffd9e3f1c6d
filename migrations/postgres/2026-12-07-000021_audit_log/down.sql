DROP TABLE audit_archive_gate;
DROP TABLE audit_archives;
DROP TABLE audit_seals;
DROP TABLE audit_events;
DROP FUNCTION audit_next_seq();
DROP FUNCTION audit_refuse();
DROP FUNCTION audit_events_guard_delete();
DROP FUNCTION audit_seals_guard_delete();
