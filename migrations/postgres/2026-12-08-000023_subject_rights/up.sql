-- Rights of the data subject (GDPR art. 17, 18) and retention: restriction of processing,
-- anonymisation requested by a coordinator and approved by the DPO, and the district's
-- retention period after case closure.

-- Art. 18: a person whose processing is restricted. One row while restricted; lifting deletes
-- it (the history keeps who restricted, lifted and why in state_changes and audit_events).
CREATE TABLE person_restrictions (
    person_id TEXT PRIMARY KEY NOT NULL REFERENCES persons(id),
    district_id TEXT NOT NULL REFERENCES districts(id),
    reason TEXT NOT NULL,
    restricted_by TEXT NOT NULL,
    restricted_at TIMESTAMP NOT NULL
);

-- Art. 17: anonymisation, requested by a coordinator, approved or rejected by the DPO.
CREATE TABLE anonymisation_requests (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    -- pending, approved, rejected.
    status TEXT NOT NULL,
    -- LegalGround: the art. 17(1) letter or the retention period.
    legal_ground TEXT NOT NULL,
    -- Why; emptied when the request is approved (it may name the person).
    reason TEXT,
    requested_by TEXT NOT NULL,
    requested_at TIMESTAMP NOT NULL,
    decided_by TEXT,
    decided_at TIMESTAMP,
    decision_note TEXT
);
CREATE INDEX anonymisation_requests_district ON anonymisation_requests (district_id, status, id);
-- One pending request per person.
CREATE UNIQUE INDEX anonymisation_requests_one_pending ON anonymisation_requests (person_id)
    WHERE status = 'pending';

-- When the person was anonymised (irreversible): the record then holds statistics only.
ALTER TABLE persons ADD COLUMN anonymised_at TIMESTAMP;

-- Years after the last case closed before a person is anonymised by the retention job.
ALTER TABLE districts ADD COLUMN retention_years INTEGER NOT NULL DEFAULT 10;

-- The freeze of art. 18, in one place: no change reaches a restricted person's record, her
-- referrals, cases, activations, follow-ups, documents or consents, whatever the path.
-- The store reads the message `person_restricted` as `409 person_restricted`.
-- AFTER, not BEFORE, row triggers: a BEFORE UPDATE trigger makes PostgreSQL lock the row FOR
-- UPDATE before the change (not FOR NO KEY UPDATE), which then conflicts with the FOR KEY SHARE
-- locks that inserts referencing the row hold — two follow-ups written at once on one case
-- deadlocked (tests/concurrency.rs). An AFTER trigger's error aborts the statement all the same.
CREATE FUNCTION person_restricted_check(pid TEXT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM person_restrictions WHERE person_id = pid) THEN
        RAISE EXCEPTION 'person_restricted';
    END IF;
END $$;

CREATE FUNCTION person_restricted_self() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM person_restricted_check(NEW.id);
    RETURN NEW;
END $$;

CREATE FUNCTION person_restricted_of_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM person_restricted_check(NEW.person_id);
    RETURN NEW;
END $$;

CREATE FUNCTION person_restricted_of_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM person_restricted_check((SELECT person_id FROM cases WHERE id = NEW.case_id));
    RETURN NEW;
END $$;

CREATE FUNCTION person_restricted_of_document() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    d documents%ROWTYPE;
BEGIN
    IF TG_OP = 'DELETE' THEN d := OLD; ELSE d := NEW; END IF;
    PERFORM person_restricted_check((SELECT person_id FROM referrals WHERE id = d.referral_id));
    PERFORM person_restricted_check((SELECT person_id FROM cases WHERE id = d.case_id));
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER persons_restricted_update AFTER UPDATE OF tax_code, first_name, last_name,
    birth_date, gender, email, phone, address, updated_at ON persons
    FOR EACH ROW EXECUTE FUNCTION person_restricted_self();
CREATE TRIGGER referrals_restricted AFTER INSERT OR UPDATE ON referrals
    FOR EACH ROW EXECUTE FUNCTION person_restricted_of_row();
CREATE TRIGGER cases_restricted AFTER INSERT OR UPDATE ON cases
    FOR EACH ROW EXECUTE FUNCTION person_restricted_of_row();
CREATE TRIGGER activations_restricted AFTER INSERT OR UPDATE ON activations
    FOR EACH ROW EXECUTE FUNCTION person_restricted_of_case();
CREATE TRIGGER follow_ups_restricted AFTER INSERT OR UPDATE ON follow_ups
    FOR EACH ROW EXECUTE FUNCTION person_restricted_of_case();
CREATE TRIGGER documents_restricted AFTER INSERT OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION person_restricted_of_document();
CREATE TRIGGER person_consents_restricted AFTER INSERT OR UPDATE ON person_consents
    FOR EACH ROW EXECUTE FUNCTION person_restricted_of_row();
