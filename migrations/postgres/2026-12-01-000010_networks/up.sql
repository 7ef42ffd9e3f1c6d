-- The territory's networks (reti: patti territoriali, partenariati, patto per l'inclusione,
-- the Tavolo Sistema Lavoro itself), their members (adesioni, with the full history) and the
-- resources members pledge. Every district's monthly table becomes its coordination_table
-- network; today's meetings belong to it.

CREATE TABLE networks (
    id TEXT PRIMARY KEY NOT NULL,
    district_id TEXT NOT NULL REFERENCES districts(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    purpose TEXT,
    -- JSON list of objective codes (vocabulary NetworkObjective).
    objectives TEXT NOT NULL DEFAULT '[]',
    objectives_other TEXT,
    promoter_organization_id TEXT REFERENCES organizations(id),
    coordinating_organization_id TEXT REFERENCES organizations(id),
    status TEXT NOT NULL,
    accepts_join_requests BOOLEAN NOT NULL DEFAULT TRUE,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX networks_district ON networks (district_id, id);
CREATE INDEX networks_coordinator ON networks (coordinating_organization_id, id);
-- One monthly table per district.
CREATE UNIQUE INDEX networks_one_table ON networks (district_id) WHERE kind = 'coordination_table';

-- An adhesion: from joined_on to withdrawn_on (NULL while a member); never deleted.
CREATE TABLE network_members (
    id TEXT PRIMARY KEY NOT NULL,
    network_id TEXT NOT NULL REFERENCES networks(id),
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    role TEXT NOT NULL,
    joined_on DATE NOT NULL,
    -- The act that approved the adhesion (a municipality's delibera), where there is one. The
    -- document has no foreign key: deleting it leaves the history readable.
    approval_act_number TEXT,
    approval_act_date DATE,
    approval_document_id TEXT,
    withdrawn_on DATE,
    withdrawal_reason TEXT,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX network_members_network ON network_members (network_id, id);
CREATE INDEX network_members_organization ON network_members (organization_id, network_id);
-- An organization is a member once at a time.
CREATE UNIQUE INDEX network_members_one_active ON network_members (network_id, organization_id) WHERE withdrawn_on IS NULL;

-- What a member pledges (risorse proprie): an amount in euro cents or hours, exactly one.
CREATE TABLE network_resources (
    id TEXT PRIMARY KEY NOT NULL,
    network_id TEXT NOT NULL REFERENCES networks(id),
    organization_id TEXT NOT NULL REFERENCES organizations(id),
    kind TEXT NOT NULL,
    description TEXT,
    amount_cents BIGINT,
    hours BIGINT,
    valid_from DATE,
    valid_to DATE,
    status TEXT NOT NULL,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((amount_cents IS NULL) <> (hours IS NULL))
);
CREATE INDEX network_resources_network ON network_resources (network_id, id);

-- Every district's monthly table, coordinated by its Ufficio di Piano where one exists.
INSERT INTO networks (id, district_id, kind, name, purpose, objectives, status,
                      accepts_join_requests, coordinating_organization_id, created_at, updated_at)
SELECT 'table-' || d.id, d.id, 'coordination_table', 'Tavolo Sistema Lavoro – ' || d.name,
       'Presa in carico mensile delle persone segnalate e attivazione delle misure',
       '["labour_matching","reinsertion"]', 'active', FALSE,
       (SELECT o.id FROM organizations o
         WHERE o.district_id = d.id AND o.kind = 'planning_office' AND o.active
         ORDER BY o.created_at, o.id LIMIT 1),
       (now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC')
FROM districts d;

-- Its members today: the Ufficio di Piano, the accredited agencies, the CPI and the SIL.
INSERT INTO network_members (id, network_id, organization_id, role, joined_on, created_at, updated_at)
SELECT 'table-member-' || o.id, 'table-' || o.district_id, o.id,
       CASE WHEN o.kind = 'planning_office' THEN 'coordinator' ELSE 'member' END,
       (now() AT TIME ZONE 'Europe/Rome')::date, (now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC')
FROM organizations o
WHERE o.active AND o.kind IN ('planning_office', 'accredited_agency', 'cpi', 'sil');

-- Meetings belong to a network; today's are the table's. (No foreign key: the column can
-- be dropped again on SQLite.)
ALTER TABLE meetings ADD COLUMN network_id TEXT;
UPDATE meetings SET network_id = 'table-' || district_id;
CREATE INDEX meetings_network ON meetings (network_id, id);
