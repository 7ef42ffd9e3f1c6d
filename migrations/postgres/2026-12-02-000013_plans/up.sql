-- The district's integrated local plan (Piano Locale Integrato, seed 004; or the labour section
-- of its Piano di Zona): its axes with their expected results, and its actions with what the
-- seed asks the decision makers for each — duration (dates), funding source, budget and the
-- responsible department — plus indicators.

CREATE TABLE plans (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    title TEXT NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    status TEXT NOT NULL,
    -- The act that approved it (delibera dell'Assemblea dei Sindaci…): date and reference.
    approved_on DATE,
    approval_reference TEXT,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX plans_district ON plans (district_id, id);

-- An axis (asse): the seed's four (code governance, territory, planning, network) or one the
-- plan adds (code NULL).
CREATE TABLE plan_axes (
    id TEXT PRIMARY KEY NOT NULL,
    plan_id TEXT NOT NULL REFERENCES plans(id),
    code TEXT,
    title TEXT NOT NULL,
    expected_results TEXT,
    position INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_axes_plan ON plan_axes (plan_id, position);
CREATE UNIQUE INDEX plan_axes_one_code ON plan_axes (plan_id, code) WHERE code IS NOT NULL;

CREATE TABLE plan_actions (
    id TEXT PRIMARY KEY NOT NULL,
    plan_id TEXT NOT NULL REFERENCES plans(id),
    axis_id TEXT NOT NULL REFERENCES plan_axes(id),
    title TEXT NOT NULL,
    description TEXT,
    expected_results TEXT,
    start_date DATE,
    end_date DATE,
    -- Vocabulary FundingSource; funding_note names it further (or says what "other" is).
    funding_source TEXT,
    funding_note TEXT,
    budget_cents BIGINT,
    responsible_department TEXT,
    responsible_organization_id TEXT REFERENCES organizations(id),
    -- JSON list of network ids (partner networks of the district).
    network_ids TEXT NOT NULL DEFAULT '[]',
    -- JSON list of indicators {name, unit, baseline, target, value, value_date}.
    indicators TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_actions_plan ON plan_actions (plan_id, id);
CREATE INDEX plan_actions_axis ON plan_actions (axis_id, id);
