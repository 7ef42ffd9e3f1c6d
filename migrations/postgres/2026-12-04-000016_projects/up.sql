-- Funded projects (progettualità, seeds 000 and 002): funder and call, CUP once assigned,
-- amounts requested, granted (by year) and co-financed, deadlines the clock follows, lead
-- and partners, the plan actions they fund; a granted project's measures are the catalogue's.

CREATE TABLE projects (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    title TEXT NOT NULL,
    description TEXT,
    -- Ente finanziatore (Regione Lombardia, Fondazione Cariplo…) and the call (bando).
    funder TEXT NOT NULL,
    call_title TEXT,
    -- Vocabulary FundingSource of the plan's actions.
    funding_source TEXT,
    -- Codice unico di progetto, 15 characters, once assigned.
    cup TEXT,
    requested_cents BIGINT,
    granted_cents BIGINT,
    cofinanced_cents BIGINT,
    -- JSON list of {year, cents}: the grant split by year.
    granted_by_year TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    submission_deadline DATE,
    start_date DATE,
    end_date DATE,
    reporting_deadline DATE,
    submitted_on DATE,
    decided_on DATE,
    decision_note TEXT,
    -- The lead: a member organization or a network of the district (either, or none yet).
    lead_organization_id TEXT REFERENCES organizations(id),
    lead_network_id TEXT REFERENCES networks(id),
    -- JSON lists of partner organization ids and network ids.
    partner_organization_ids TEXT NOT NULL DEFAULT '[]',
    partner_network_ids TEXT NOT NULL DEFAULT '[]',
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX projects_district ON projects (district_id, id);
CREATE UNIQUE INDEX projects_one_cup ON projects (cup) WHERE cup IS NOT NULL;

-- The plan actions a project funds (an action may be funded by several projects).
CREATE TABLE project_plan_actions (
    project_id TEXT NOT NULL REFERENCES projects(id),
    plan_action_id TEXT NOT NULL REFERENCES plan_actions(id),
    PRIMARY KEY (project_id, plan_action_id)
);
CREATE INDEX project_plan_actions_action ON project_plan_actions (plan_action_id, project_id);

-- A measure of the catalogue made by a granted project spends that project's money.
ALTER TABLE measures ADD COLUMN project_id TEXT REFERENCES projects(id);
CREATE INDEX measures_project ON measures (project_id);
