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
CREATE TRIGGER persons_restricted_update BEFORE UPDATE OF tax_code, first_name, last_name,
    birth_date, gender, email, phone, address, updated_at ON persons
    WHEN EXISTS (SELECT 1 FROM person_restrictions WHERE person_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'person_restricted'); END;
CREATE TRIGGER referrals_restricted_insert BEFORE INSERT ON referrals
    WHEN EXISTS (SELECT 1 FROM person_restrictions WHERE person_id = NEW.person_id)
BEGIN SELECT RAISE(ABORT, 'person_restricted'); END;
CREATE TRIGGER referrals_restricted_update BEFORE UPDATE ON referrals
    WHEN EXISTS (SELECT 1 FROM person_restrictions WHERE person_id = NEW.person_id)
BEGIN SELECT RAISE(ABORT, 'person_restricted'); END;
CREATE TRIGGER cases_restricted_insert BEFORE INSERT ON cases
    WHEN EXISTS (SELECT 1 FROM person_restrictions WHERE person_id = NEW.person_id)
BEGIN SELECT RAISE(ABORT, 'person_restricted'); END;
CREATE TRIGGER cases_restricted_update BEFORE UPDATE ON cases
    WHEN EXISTS (SELECT 1 FROM person_restrictions WHERE person_id = NEW.person_id)
BEGIN SELECT RAISE(ABORT, 'person_restricted'); END;
CREATE TRIGGER activations_restricted_insert BEFORE INSERT ON activations
    WHEN EXISTS (SELECT 1 FROM person_restrictions r JOIN cases c ON c.person_id = r.person_id
                 WHERE c.id = NEW.case_id)
BEGIN SELECT RAISE(ABORT, 'person_restricted'); END;
CREATE TRIGGER activations_restricted_update BEFORE UPDATE ON activations
    WHEN EXISTS (SELECT 1 FROM person_restrictions r JOIN cases c ON c.person_id = r.person_id
                 WHERE c.id = NEW.case_id)
BEGIN SELECT RAISE(ABORT, 'person_restricted'); END;
CREATE TRIGGER follow_ups_restricted_insert BEFORE INSERT ON follow_ups
    WHEN EXISTS (SELECT 1 FROM person_restrictions r JOIN cases c ON c.person_id = r.person_id
                 WHERE c.id = NEW.case_id)
BEGIN SELECT RAISE(ABORT, 'person_restricted'); END;
CREATE TRIGGER follow_ups_restricted_update BEFORE UPDATE ON follow_ups
    WHEN EXISTS (SELECT 1 FROM person_restrictions r JOIN cases c ON c.person_id = r.person_id
                 WHERE c.id = NEW.case_id)
BEGIN SELECT RAISE(ABORT, 'person_restricted'); END;
CREATE TRIGGER documents_restricted_insert BEFORE INSERT ON documents
    WHEN EXISTS (SELECT 1 FROM person_restrictions r
                 WHERE r.person_id IN (SELECT person_id FROM referrals WHERE id = NEW.referral_id
                                       UNION SELECT person_id FROM cases WHERE id = NEW.case_id))
BEGIN SELECT RAISE(ABORT, 'person_restricted'); END;
CREATE TRIGGER documents_restricted_delete BEFORE DELETE ON documents
    WHEN EXISTS (SELECT 1 FROM person_restrictions r
                 WHERE r.person_id IN (SELECT person_id FROM referrals WHERE id = OLD.referral_id
                                       UNION SELECT person_id FROM cases WHERE id = OLD.case_id))
BEGIN SELECT RAISE(ABORT, 'person_restricted'); END;
CREATE TRIGGER person_consents_restricted_insert BEFORE INSERT ON person_consents
    WHEN EXISTS (SELECT 1 FROM person_restrictions WHERE person_id = NEW.person_id)
BEGIN SELECT RAISE(ABORT, 'person_restricted'); END;
CREATE TRIGGER person_consents_restricted_update BEFORE UPDATE ON person_consents
    WHEN EXISTS (SELECT 1 FROM person_restrictions WHERE person_id = NEW.person_id)
BEGIN SELECT RAISE(ABORT, 'person_restricted'); END;
