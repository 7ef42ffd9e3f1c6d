-- The service pact (patto di servizio personalizzato, art. 20 D.Lgs. 150/2015): one row per
-- version of a case's pact, never changed once written; the highest version is the pact in
-- force. The case's plan_goals is the current version's summary.

CREATE TABLE service_pacts (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id),
    version INTEGER NOT NULL,
    -- The operator responsible for the pact (NULL for pacts made from older cases without one).
    responsible_user_id TEXT REFERENCES users(id),
    -- Employability profile: dul (aid band band_1..band_4) or gol (pathway_1..pathway_5).
    profile_kind TEXT,
    profile_value TEXT,
    assessment TEXT,
    meeting_frequency TEXT,
    job_search_proof TEXT,
    summary TEXT NOT NULL,
    -- The signed copy, a document of the same case (no foreign key: deleting the document
    -- leaves the history readable).
    signed_document_id TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (case_id, version)
);

-- The job-search and training actions of one version, in their order.
CREATE TABLE service_pact_actions (
    id TEXT PRIMARY KEY NOT NULL,
    pact_id TEXT NOT NULL REFERENCES service_pacts(id),
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    due_date DATE,
    timing TEXT,
    -- Ticked by a follow-up (monitoraggio): when, and which entry.
    done_at TIMESTAMP,
    done_follow_up_id TEXT,
    UNIQUE (pact_id, position)
);

-- Cases already taken in charge get their first version from the plan goals they were
-- given at take-charge.
INSERT INTO service_pacts (id, case_id, version, responsible_user_id, summary, created_by, created_at)
SELECT 'pact1-' || c.id, c.id, 1, c.case_manager_id, c.plan_goals,
       COALESCE(c.case_manager_id, 'system'), c.updated_at
FROM cases c
WHERE c.plan_goals IS NOT NULL;
