-- The collective actions of a territorial partnership (azioni collettive, seed 001):
-- outplacement, skills-shortage analysis, worker aggregation, needs analysis, territorial
-- marketing, target employers. Who takes part (members of the partnership), the employers
-- it targets, and its beneficiaries (cases followed by a participating agency) with the
-- history of who was added and removed when. Its results are computed from the cases and
-- their outcome checks, never stored.

CREATE TABLE collective_actions (
    id TEXT PRIMARY KEY NOT NULL,
    network_id TEXT NOT NULL REFERENCES networks(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    starts_on DATE,
    ends_on DATE,
    status TEXT NOT NULL,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX collective_actions_network ON collective_actions (network_id, id);

-- A participating member: the membership, and its organization (which a membership never
-- changes) to find the actions an organization takes part in.
CREATE TABLE collective_action_participants (
    id TEXT PRIMARY KEY NOT NULL,
    action_id TEXT NOT NULL REFERENCES collective_actions(id),
    member_id TEXT NOT NULL REFERENCES network_members(id),
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    added_by TEXT,
    added_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX collective_action_participants_one ON collective_action_participants (action_id, member_id);
CREATE INDEX collective_action_participants_organization ON collective_action_participants (organization_id, action_id);

-- A target employer (impresa bersaglio), an organization of kind employer.
CREATE TABLE collective_action_employers (
    id TEXT PRIMARY KEY NOT NULL,
    action_id TEXT NOT NULL REFERENCES collective_actions(id),
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    added_by TEXT,
    added_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX collective_action_employers_one ON collective_action_employers (action_id, organization_id);

-- A beneficiary: a case, from when it was added to when it was removed (rows are never
-- deleted); one current row per case and action.
CREATE TABLE collective_action_beneficiaries (
    id TEXT PRIMARY KEY NOT NULL,
    action_id TEXT NOT NULL REFERENCES collective_actions(id),
    case_id TEXT NOT NULL REFERENCES cases(id),
    agency_id TEXT NOT NULL REFERENCES organizations(id),
    added_by TEXT,
    added_at TIMESTAMP NOT NULL,
    removed_by TEXT,
    removed_at TIMESTAMP
);
CREATE INDEX collective_action_beneficiaries_action ON collective_action_beneficiaries (action_id, id);
CREATE UNIQUE INDEX collective_action_beneficiaries_current ON collective_action_beneficiaries (action_id, case_id) WHERE removed_at IS NULL;
