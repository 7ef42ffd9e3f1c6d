-- Legal basis (GDPR art. 6, 7, 13): the district's privacy notices (informative), versioned
-- per purpose, and per person the notices given and the consents collected, with their
-- lifecycle (given → withdrawn | expired).

CREATE TABLE privacy_notices (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    -- PrivacyPurpose: referral_and_case, partnership_sharing, opportunity_contact.
    purpose TEXT NOT NULL,
    -- 1, 2, … per district and purpose.
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    -- In force from this day until a later version's valid_from.
    valid_from DATE NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (district_id, purpose, version)
);

CREATE TABLE person_consents (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    -- notice (informativa resa) or consent (consenso).
    kind TEXT NOT NULL,
    purpose TEXT NOT NULL,
    -- The notice given (a notice always names one; a consent may).
    notice_id TEXT REFERENCES privacy_notices(id),
    -- in_person, signed_paper, phone, online, by_guardian.
    method TEXT NOT NULL,
    -- The signed paper, attached to one of the person's referrals or cases.
    document_id TEXT,
    given_at TIMESTAMP NOT NULL,
    given_by TEXT NOT NULL,
    -- A consent may end on its own; after this day it is expired.
    expires_on DATE,
    withdrawn_at TIMESTAMP,
    withdrawn_by TEXT,
    withdrawal_reason TEXT,
    CHECK (kind <> 'notice' OR notice_id IS NOT NULL)
);

CREATE INDEX person_consents_person ON person_consents (person_id, id);
