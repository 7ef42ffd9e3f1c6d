-- The inclusion pact's answers by area (seed 003: inserimento lavorativo, alloggio, trasporti,
-- microcredito, formazione, cultura, vita di relazione): working groups of a network per area
-- with their members, the shared responses members offer in an area, and the responses
-- proposed on cases.

CREATE TABLE working_groups (
    id TEXT PRIMARY KEY NOT NULL,
    network_id TEXT NOT NULL REFERENCES networks(id),
    area TEXT NOT NULL,
    name TEXT NOT NULL,
    purpose TEXT,
    status TEXT NOT NULL,
    closed_on DATE,
    close_reason TEXT,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX working_groups_network ON working_groups (network_id, id);
-- One active group per area per network (the use case checks first and answers 409; this
-- holds when two creations race).
CREATE UNIQUE INDEX working_groups_one_active_per_area ON working_groups (network_id, area)
    WHERE status = 'active';

-- A network member in a working group, from joined_on to left_on (never deleted).
CREATE TABLE working_group_members (
    id TEXT PRIMARY KEY NOT NULL,
    working_group_id TEXT NOT NULL REFERENCES working_groups(id),
    member_id TEXT NOT NULL REFERENCES network_members(id),
    joined_on DATE NOT NULL,
    left_on DATE,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX working_group_members_group ON working_group_members (working_group_id, id);
CREATE UNIQUE INDEX working_group_members_one_active ON working_group_members
    (working_group_id, member_id) WHERE left_on IS NULL;

-- A service a member offers in an area (risposta condivisa): who may use it and how;
-- `offered → available → withdrawn`. organization_id is the member's, kept for the policy
-- ("members offer for their own organization") and the list.
CREATE TABLE shared_responses (
    id TEXT PRIMARY KEY NOT NULL,
    network_id TEXT NOT NULL REFERENCES networks(id),
    member_id TEXT NOT NULL REFERENCES network_members(id),
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    area TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    who_may_use TEXT NOT NULL,
    how_to_access TEXT NOT NULL,
    capacity INTEGER,
    valid_from DATE,
    valid_to DATE,
    status TEXT NOT NULL,
    withdrawal_reason TEXT,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX shared_responses_network ON shared_responses (network_id, id);
CREATE INDEX shared_responses_network_area ON shared_responses (network_id, area, id);
CREATE INDEX shared_responses_network_status ON shared_responses (network_id, status, id);

-- A shared response proposed to the person of a case, once per case.
CREATE TABLE shared_response_proposals (
    id TEXT PRIMARY KEY NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id),
    shared_response_id TEXT NOT NULL REFERENCES shared_responses(id),
    note TEXT,
    proposed_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX shared_response_proposals_once ON shared_response_proposals
    (case_id, shared_response_id);
CREATE INDEX shared_response_proposals_case ON shared_response_proposals (case_id, id);
CREATE INDEX shared_response_proposals_response ON shared_response_proposals (shared_response_id);
