-- Meetings of every network (sedute: forum sessions, pact assemblies, stakeholder
-- consultations, working-group meetings, the monthly table): their kind, the members
-- attending, the topics on the agenda, the action items (impegni) they record, followed up at
-- the next meeting of the network.

ALTER TABLE meetings ADD COLUMN kind TEXT NOT NULL DEFAULT 'monthly_table';
-- JSON list of {member_id, organization_id, people[], attendance}.
ALTER TABLE meetings ADD COLUMN attendees TEXT NOT NULL DEFAULT '[]';
-- JSON list of {title, notes}: the agenda's topics (any network).
ALTER TABLE meetings ADD COLUMN topics TEXT NOT NULL DEFAULT '[]';
-- One open meeting per network (the use case checks first and answers 409; this holds when
-- two opens race).
CREATE UNIQUE INDEX meetings_one_open_per_network ON meetings (network_id) WHERE status = 'open';

-- An action item (impegno): recorded at a meeting, owned by a member, open until done or
-- dropped; the next meetings of the network list the open ones to follow up.
CREATE TABLE action_items (
    id TEXT PRIMARY KEY NOT NULL,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    network_id TEXT NOT NULL REFERENCES networks(id),
    title TEXT NOT NULL,
    owner_member_id TEXT REFERENCES network_members(id),
    due_on DATE,
    status TEXT NOT NULL,
    status_reason TEXT,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX action_items_meeting ON action_items (meeting_id, id);
CREATE INDEX action_items_network_open ON action_items (network_id, status, id);
