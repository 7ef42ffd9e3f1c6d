// Records of the networks' screens for component tests, typed by the contract, and the routes
// every network page reads (members, resources, agreements, documents, meetings), empty unless
// a test says otherwise.
import type { components } from '../../api/schema';
import type { ActionItem, Agreement, Meeting, Member, Network } from '../../api/types';
import type { DocumentMeta } from '../documents/DocumentsSection';
import { T0 } from '../../test/fixtures';
import type { Routes } from '../../test/utils';

type S = components['schemas'];

export function network(extra: Partial<Network> = {}): Network {
  return {
    id: 'n1', district_id: 'd1', kind: 'inclusion_pact', name: "Patto per l'inclusione sociale", purpose: 'Risposte condivise',
    objectives: ['social_exclusion'], objectives_other: null, promoter_organization: null,
    coordinating_organization: { id: 'o-soc', name: 'Agenzia Sociale' }, status: 'active', accepts_join_requests: true, member_count: 3,
    compliance: { compliant: true, reasons: [] },
    allowed_actions: ['edit', 'add_member', 'add_resource'], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
  };
}

export function member(id: string, name: string, extra: Partial<Member> = {}): Member {
  return {
    id, network_id: 'n1', organization: { id: `o-${id}`, name }, organization_kind: 'municipality', role: 'member',
    joined_on: '2026-01-15', approval_act: null, withdrawn_on: null, withdrawal_reason: null, active: true,
    allowed_actions: [], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
  };
}

export const MEMBERS = [member('m1', 'Agenzia Sociale'), member('m2', 'Comune di Bergamo'), member('m3', 'Camera di Commercio')];

export function agreement(extra: Partial<Agreement> = {}): Agreement {
  return {
    id: 'a1', network_id: 'n1', kind: 'convention', subject: 'Convenzione per lo sportello casa', party_member_ids: ['m1', 'm2'],
    status: 'draft', signed_on: null, valid_from: '2026-02-01', valid_until: '2027-12-31', renews_agreement_id: null,
    termination_reason: null, document_ids: [], allowed_actions: ['edit', 'sign', 'upload_document'], blocked_actions: [],
    created_at: T0, updated_at: T0, ...extra,
  };
}

export function networkMeeting(extra: Partial<Meeting> = {}): Meeting {
  return {
    id: 'mt1', network_id: 'n1', kind: 'forum_session', title: 'Seduta del Forum – 10/03/2026', scheduled_for: '2026-03-10',
    location: 'Sala civica', status: 'open', participants: [],
    attendees: [
      { member_id: 'm1', organization: { id: 'o-m1', name: 'Agenzia Sociale' }, people: ['Elena Ferrari'], attendance: 'present' },
      { member_id: 'm3', organization: { id: 'o-m3', name: 'Camera di Commercio' }, people: ['Giorgio Mazza'], attendance: 'excused' },
    ],
    topics: [{ title: 'Alloggio: lo sportello casa', notes: 'Censimento degli sportelli.' }],
    agenda_count: 0, decision_count: 0, opened_at: T0, closed_at: null,
    allowed_actions: ['edit', 'add_action_item', 'close'], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
  };
}

export function actionItem(extra: Partial<ActionItem> = {}): ActionItem {
  return {
    id: 'ai1', meeting_id: 'mt1', network_id: 'n1', title: 'Mappare gli sportelli casa', owner_member_id: 'm2',
    owner: { id: 'o-m2', name: 'Comune di Bergamo' }, due_on: '2026-04-10', status: 'open', status_reason: null,
    allowed_actions: ['edit', 'complete', 'drop'], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
  };
}

export function documentMeta(extra: Partial<DocumentMeta> = {}): DocumentMeta {
  return {
    id: 'doc1', network_id: 'n1', file_name: 'statuto.pdf', media_type: 'application/pdf', size_bytes: 2048, sha256: 'a'.repeat(64),
    uploaded_by: 'u-rete', uploaded_by_name: 'Elena Ferrari', uploaded_at: T0, allowed_actions: [], blocked_actions: [], ...extra,
  };
}

export const EMPTY_RESOURCES: S['ResourceList'] = {
  items: [], next: null, totals: { network: { amount_cents: 0, hours: 0, count: 0 }, by_member: [], by_kind: [] },
};

/** What the network page reads besides the network, all empty but the members. */
export function networkPageRoutes(members: Member[] = MEMBERS): Routes {
  return {
    'GET /api/v1/networks/{id}/members': () => ({ items: members, next: null }),
    'GET /api/v1/networks/{id}/resources': () => EMPTY_RESOURCES,
    'GET /api/v1/networks/{id}/agreements': () => ({ items: [], next: null }),
    'GET /api/v1/networks/{id}/documents': () => ({ items: [], next: null }),
    'GET /api/v1/networks/{id}/join-requests': () => ({ items: [], next: null }),
    'GET /api/v1/meetings': () => ({ items: [], next: null }),
    'GET /api/v1/networks/{id}/working-groups': () => ({ items: [], next: null }),
    'GET /api/v1/networks/{id}/shared-responses': () => ({ items: [], next: null }),
  };
}
