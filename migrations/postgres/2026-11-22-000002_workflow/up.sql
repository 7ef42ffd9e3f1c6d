-- The Sistema Lavoro workflow: persons, referrals, the monthly table, cases, the measure
-- catalogue with agency thresholds, activations, follow-ups and outcome checks.
-- Sized for a region: every list is served by an index that ends in the id (the cursor).

CREATE TABLE persons (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    tax_code TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    birth_date DATE NOT NULL,
    gender TEXT NOT NULL,
    birth_place_code TEXT,
    residence_municipality_code TEXT,
    citizenship TEXT,
    email TEXT,
    phone TEXT,
    address TEXT,
    education_level TEXT,
    employment_status TEXT,
    cluster TEXT,
    target_groups TEXT NOT NULL DEFAULT '[]',
    has_disability BOOLEAN NOT NULL DEFAULT FALSE,
    disability_notes TEXT,
    criminal_justice BOOLEAN NOT NULL DEFAULT FALSE,
    criminal_justice_notes TEXT,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (district_id, tax_code)
);
CREATE INDEX persons_name ON persons (district_id, name_key, id);

CREATE TABLE person_reads (
    id TEXT PRIMARY KEY NOT NULL,
    person_id TEXT NOT NULL REFERENCES persons(id),
    user_id TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);
CREATE INDEX person_reads_person ON person_reads (person_id, at);

CREATE TABLE measures (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    funding_source TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    valid_from DATE NOT NULL,
    valid_to DATE,
    min_age INTEGER,
    max_age INTEGER,
    employment_statuses TEXT NOT NULL DEFAULT '[]',
    target_groups TEXT NOT NULL DEFAULT '[]',
    clusters TEXT NOT NULL DEFAULT '[]',
    residence_required BOOLEAN NOT NULL DEFAULT FALSE,
    default_amount_cents BIGINT NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (district_id, code)
);

CREATE TABLE district_municipalities (
    district_id TEXT NOT NULL REFERENCES districts(id),
    istat_code TEXT NOT NULL,
    PRIMARY KEY (district_id, istat_code)
);

CREATE TABLE thresholds (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    agency_id TEXT NOT NULL REFERENCES organizations(id),
    measure_id TEXT NOT NULL REFERENCES measures(id),
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    cap_cents BIGINT NOT NULL,
    reserved_cents BIGINT NOT NULL DEFAULT 0,
    spent_cents BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (agency_id, measure_id, period_start),
    CHECK (reserved_cents >= 0 AND spent_cents >= 0 AND reserved_cents + spent_cents <= cap_cents)
);
CREATE INDEX thresholds_district ON thresholds (district_id, agency_id, measure_id);

CREATE TABLE meetings (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    title TEXT NOT NULL,
    scheduled_for DATE NOT NULL,
    location TEXT,
    status TEXT NOT NULL,
    participants TEXT NOT NULL DEFAULT '[]',
    minutes_md TEXT,
    minutes_html TEXT,
    opened_at TIMESTAMP,
    closed_at TIMESTAMP,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX meetings_district ON meetings (district_id, scheduled_for, id);

CREATE TABLE referrals (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    created_by TEXT NOT NULL,
    source TEXT NOT NULL,
    needs TEXT NOT NULL,
    reason TEXT NOT NULL,
    urgency TEXT NOT NULL,
    status TEXT NOT NULL,
    meeting_id TEXT REFERENCES meetings(id),
    status_note TEXT,
    submitted_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX referrals_district_status ON referrals (district_id, status, id);
CREATE INDEX referrals_district ON referrals (district_id, id);
CREATE INDEX referrals_organization ON referrals (organization_id, id);
CREATE INDEX referrals_person ON referrals (person_id, id);
CREATE INDEX referrals_organization_person ON referrals (organization_id, person_id);
CREATE INDEX referrals_meeting ON referrals (meeting_id);

CREATE TABLE cases (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    person_id TEXT NOT NULL REFERENCES persons(id),
    referral_id TEXT NOT NULL UNIQUE REFERENCES referrals(id),
    agency_id TEXT NOT NULL REFERENCES organizations(id),
    case_manager_id TEXT,
    status TEXT NOT NULL,
    suspended_from TEXT,
    first_meeting_date DATE,
    plan_goals TEXT,
    outcome TEXT,
    outcome_details TEXT,
    closed_at TIMESTAMP,
    next_due_date DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX cases_agency ON cases (agency_id, status, id);
CREATE INDEX cases_district ON cases (district_id, status, id);
CREATE INDEX cases_due ON cases (district_id, next_due_date);
CREATE INDEX cases_person ON cases (person_id);
-- An agency's cases in cursor order, and the persons it follows.
CREATE INDEX cases_agency_id ON cases (agency_id, id);
CREATE INDEX cases_agency_person ON cases (agency_id, person_id);
-- Overdue lists look only at open cases (closing clears next_due_date).
CREATE INDEX cases_open_district ON cases (district_id, id) WHERE next_due_date IS NOT NULL;
CREATE INDEX cases_open_agency ON cases (agency_id, id) WHERE next_due_date IS NOT NULL;
-- Figures by outcome.
CREATE INDEX cases_outcomes ON cases (district_id, status, outcome);

CREATE TABLE agenda_items (
    id TEXT PRIMARY KEY NOT NULL,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    kind TEXT NOT NULL,
    referral_id TEXT REFERENCES referrals(id),
    case_id TEXT REFERENCES cases(id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (meeting_id, referral_id),
    UNIQUE (meeting_id, case_id)
);

CREATE TABLE decisions (
    id TEXT PRIMARY KEY NOT NULL,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    referral_id TEXT REFERENCES referrals(id),
    case_id TEXT REFERENCES cases(id),
    decision TEXT NOT NULL,
    agency_id TEXT REFERENCES organizations(id),
    measure_ids TEXT NOT NULL DEFAULT '[]',
    reason TEXT,
    decided_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (meeting_id, referral_id),
    UNIQUE (meeting_id, case_id)
);

CREATE TABLE activations (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id),
    measure_id TEXT NOT NULL REFERENCES measures(id),
    threshold_id TEXT REFERENCES thresholds(id),
    amount_cents BIGINT NOT NULL,
    spent_cents BIGINT,
    status TEXT NOT NULL,
    note TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX activations_case ON activations (case_id, id);
CREATE INDEX activations_threshold ON activations (threshold_id, status);

CREATE TABLE follow_ups (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    date DATE NOT NULL,
    note TEXT NOT NULL,
    next_due_date DATE,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX follow_ups_case ON follow_ups (case_id, id);

CREATE TABLE outcome_checks (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id),
    months INTEGER NOT NULL,
    due_date DATE NOT NULL,
    status TEXT NOT NULL,
    employed BOOLEAN,
    note TEXT,
    recorded_by TEXT,
    recorded_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (case_id, months)
);
CREATE INDEX outcome_checks_due ON outcome_checks (status, due_date);
