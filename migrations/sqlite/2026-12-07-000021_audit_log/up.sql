-- The audit log: append-only (triggers), sealed by a hash chain per batch (audit_seals).
CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    at TIMESTAMP NOT NULL,
    actor_id TEXT,
    actor_role TEXT,
    district_id TEXT,
    client_address TEXT,
    request_id TEXT,
    action TEXT NOT NULL,
    entity_type TEXT,
    entity_id TEXT,
    person_id TEXT,
    detail TEXT
);
CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id, seq);
CREATE INDEX audit_events_person ON audit_events (person_id, seq);
CREATE INDEX audit_events_actor ON audit_events (actor_id, seq);
CREATE INDEX audit_events_district ON audit_events (district_id, seq);
CREATE INDEX audit_events_at ON audit_events (at);

CREATE TABLE audit_seals (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    first_seq BIGINT NOT NULL,
    last_seq BIGINT NOT NULL,
    row_count BIGINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    sealed_at TIMESTAMP NOT NULL
);

-- Each archive: the rows up to `up_to_seq` left the database, written to a verified file;
-- `seal_hash` anchors the chain of the rows that stayed.
CREATE TABLE audit_archives (
    id TEXT PRIMARY KEY NOT NULL,
    up_to_seq BIGINT NOT NULL,
    seal_hash TEXT NOT NULL,
    row_count BIGINT NOT NULL,
    file_sha256 TEXT NOT NULL,
    archived_at TIMESTAMP NOT NULL
);

-- The controlled bypass: a row here, visible only inside the archiving transaction, lets that
-- transaction delete the rows (and seals) up to `up_to_seq`. Nothing else is ever deleted.
CREATE TABLE audit_archive_gate (
    up_to_seq BIGINT NOT NULL
);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN NOT EXISTS (SELECT 1 FROM audit_archive_gate g WHERE OLD.seq <= g.up_to_seq)
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END;
CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals
BEGIN SELECT RAISE(ABORT, 'audit_seals is append-only: UPDATE refused'); END;
CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals
WHEN NOT EXISTS (SELECT 1 FROM audit_archive_gate g WHERE OLD.last_seq <= g.up_to_seq)
BEGIN SELECT RAISE(ABORT, 'audit_seals is append-only: DELETE refused'); END;
CREATE TRIGGER audit_archives_no_update BEFORE UPDATE ON audit_archives
BEGIN SELECT RAISE(ABORT, 'audit_archives is append-only: UPDATE refused'); END;
CREATE TRIGGER audit_archives_no_delete BEFORE DELETE ON audit_archives
BEGIN SELECT RAISE(ABORT, 'audit_archives is append-only: DELETE refused'); END;
