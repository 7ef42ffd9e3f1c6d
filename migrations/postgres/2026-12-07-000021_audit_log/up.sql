-- The audit log: append-only (triggers), sealed by a hash chain per batch (audit_seals).
--
-- Sequence values commit out of order on PostgreSQL, so a sealer reading max(seq) could seal
-- past a row a slower transaction fills in later. Every insert takes the shared advisory lock
-- 7312001 *before* it draws its number (the column default below) and holds it until its
-- transaction ends; the sealer takes the same lock exclusively, so when it reads, every number
-- drawn so far belongs to a transaction that has committed or rolled back.
CREATE SEQUENCE audit_events_seq_seq;
CREATE FUNCTION audit_next_seq() RETURNS BIGINT LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(7312001);
    RETURN nextval('audit_events_seq_seq');
END $$;

CREATE TABLE audit_events (
    seq BIGINT PRIMARY KEY DEFAULT audit_next_seq(),
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
ALTER SEQUENCE audit_events_seq_seq OWNED BY audit_events.seq;
CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id, seq);
CREATE INDEX audit_events_person ON audit_events (person_id, seq);
CREATE INDEX audit_events_actor ON audit_events (actor_id, seq);
CREATE INDEX audit_events_district ON audit_events (district_id, seq);
CREATE INDEX audit_events_at ON audit_events (at);

CREATE TABLE audit_seals (
    seq BIGSERIAL PRIMARY KEY,
    first_seq BIGINT NOT NULL,
    last_seq BIGINT NOT NULL,
    row_count BIGINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    sealed_at TIMESTAMP NOT NULL
);

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

CREATE FUNCTION audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END $$;

CREATE FUNCTION audit_events_guard_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit_archive_gate g WHERE OLD.seq <= g.up_to_seq) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_events is append-only: DELETE refused';
END $$;

CREATE FUNCTION audit_seals_guard_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit_archive_gate g WHERE OLD.last_seq <= g.up_to_seq) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_seals is append-only: DELETE refused';
END $$;

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_guard_delete();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals
    FOR EACH ROW EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals
    FOR EACH ROW EXECUTE FUNCTION audit_seals_guard_delete();
CREATE TRIGGER audit_seals_no_truncate BEFORE TRUNCATE ON audit_seals
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER audit_archives_no_update BEFORE UPDATE OR DELETE ON audit_archives
    FOR EACH ROW EXECUTE FUNCTION audit_refuse();
CREATE TRIGGER audit_archives_no_truncate BEFORE TRUNCATE ON audit_archives
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse();
