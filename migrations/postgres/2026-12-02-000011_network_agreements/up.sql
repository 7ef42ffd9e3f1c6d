-- Requests to join a network from people without an account (seed 000: "un consigliere
-- comunale o un assessore o un privato… sarà contattato e invitato ai prossimi incontri").
-- They hold personal data: declined and stale pending ones are deleted by the worker after
-- the retention period (JOIN_REQUEST_RETENTION_DAYS).
CREATE TABLE join_requests (
    id TEXT PRIMARY KEY NOT NULL,
    network_id TEXT NOT NULL REFERENCES networks(id),
    name TEXT NOT NULL,
    organization TEXT,
    capacity TEXT,
    email TEXT,
    phone TEXT,
    message TEXT,
    privacy_notice_version TEXT NOT NULL,
    status TEXT NOT NULL,
    decided_by TEXT,
    decided_at TIMESTAMP,
    decline_reason TEXT,
    organization_id TEXT REFERENCES organizations(id),
    member_id TEXT REFERENCES network_members(id),
    invited_meeting_id TEXT,
    invited_at TIMESTAMP,
    notified_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
CREATE INDEX join_requests_network ON join_requests (network_id, status, id);
CREATE INDEX join_requests_retention ON join_requests (status, created_at);

-- Conventions and protocols of understanding among a network's members; `signed` turns
-- `expired` by the clock past valid_until (computed at read); a renewal names the previous one.
CREATE TABLE agreements (
    id TEXT PRIMARY KEY NOT NULL,
    network_id TEXT NOT NULL REFERENCES networks(id),
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    -- JSON list of the parties' membership ids.
    party_member_ids TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    signed_on DATE,
    valid_from DATE,
    valid_until DATE,
    renews_agreement_id TEXT REFERENCES agreements(id),
    termination_reason TEXT,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX agreements_network ON agreements (network_id, id);
CREATE INDEX agreements_renews ON agreements (renews_agreement_id);

-- Documents gain two owners: a network (statutes, reports) and, within it, an agreement (its
-- signed text). Exactly one of referral, case, network; an agreement's document names its
-- network too.
ALTER TABLE documents ADD COLUMN network_id TEXT REFERENCES networks(id);
ALTER TABLE documents ADD COLUMN agreement_id TEXT REFERENCES agreements(id);
ALTER TABLE documents DROP CONSTRAINT documents_check;
ALTER TABLE documents ADD CONSTRAINT documents_one_owner
    CHECK (num_nonnulls(referral_id, case_id, network_id) = 1);
ALTER TABLE documents ADD CONSTRAINT documents_agreement_in_network
    CHECK (agreement_id IS NULL OR network_id IS NOT NULL);
CREATE INDEX documents_network ON documents (network_id, id);
CREATE INDEX documents_agreement ON documents (agreement_id, id);
