-- Opportunities told to the territory (seed 002: "communicates to the territory the project
-- opportunities as they become available, translating the measures into information tools
-- easy to understand for the district's operators"). Members publish courses, job offers,
-- internships, services and events; the catalogue's open measures and granted projects are
-- shown beside them from their own records, each with a plain-language text for operators.

CREATE TABLE opportunities (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    -- training_course, job_offer, internship, service, event.
    kind TEXT NOT NULL,
    -- The publishing organization (a member of one of the district's networks).
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    -- ResponseArea of seed 003 (work_placement, housing, training…).
    area TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    -- Target: ages, employment statuses and groups (JSON lists, empty = any), residence.
    min_age INTEGER,
    max_age INTEGER,
    employment_statuses TEXT NOT NULL DEFAULT '[]',
    target_groups TEXT NOT NULL DEFAULT '[]',
    residence_required BOOLEAN NOT NULL DEFAULT FALSE,
    -- Place: a municipality's ISTAT code.
    municipality_code TEXT,
    place_note TEXT,
    starts_on DATE,
    ends_on DATE,
    -- Scadenza per candidarsi: the clock expires the opportunity after it.
    apply_by DATE,
    -- The last day it is open (apply_by, else ends_on, else starts_on): kept by the use case.
    last_day DATE,
    how_to_apply TEXT,
    -- A public contact (an office's e-mail or phone), never a person's own.
    contact TEXT,
    -- For kind `service`: the shared response it tells about.
    shared_response_id TEXT REFERENCES shared_responses(id),
    status TEXT NOT NULL,
    published_at TIMESTAMP,
    expired_on DATE,
    withdrawal_reason TEXT,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX opportunities_district ON opportunities (district_id, id);
CREATE INDEX opportunities_status ON opportunities (status, published_at);
CREATE INDEX opportunities_last_day ON opportunities (status, last_day);
CREATE INDEX opportunities_organization ON opportunities (organization_id, id);

-- An opportunity proposed to the person of a case: the answer (accepted, declined, no
-- answer) and the result once known. `opportunity_id` names a published opportunity, a
-- measure or a project (the board's items), `source` which.
CREATE TABLE opportunity_proposals (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id),
    source TEXT NOT NULL,
    opportunity_id TEXT NOT NULL,
    title TEXT NOT NULL,
    note TEXT,
    answer TEXT,
    answered_on DATE,
    result TEXT,
    proposed_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX opportunity_proposals_once ON opportunity_proposals (case_id, opportunity_id);
CREATE INDEX opportunity_proposals_case ON opportunity_proposals (case_id, id);

-- What a measure or a project offers, told plainly to the district's operators: who it is
-- for, what it gives, how to refer.
ALTER TABLE measures ADD COLUMN for_operators TEXT;
ALTER TABLE projects ADD COLUMN for_operators TEXT;
