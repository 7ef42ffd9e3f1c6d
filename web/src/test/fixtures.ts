// Records as the API returns them, for component tests: typed against the generated schema, so
// a contract change breaks the fixtures that no longer match it.
import type {
  Action, Activation, AgendaItem, BlockedAction, CaseDetail, ReasonCode, Measure, MeasureFit, Meeting, Organization, Person, Referral,
  Threshold, User, WebhookDelivery, WebhookSubscription, IntegrationClient, Case,
} from '../api/types';
import { computeTaxCode } from '../lib/taxCode';

export const T0 = '2026-03-01T10:00:00.123456Z';
export const T1 = '2026-03-01T10:05:00.654321Z';
export const T2 = '2026-03-01T10:06:00.000001Z';

/**
 * The API's strong ETag for a version: the quoted Unix time in microseconds of `updated_at`.
 * Only the fake API of the tests computes it (as the server does); the SPA never does — it sends
 * back the `ETag` header it got.
 */
export function etagOf(updatedAt: string): string {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(updatedAt);
  if (!m) throw new Error(`not a timestamp: ${updatedAt}`);
  const seconds = Math.floor(Date.parse(`${m[1]}${m[3]}`) / 1000);
  const micros = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return `"${(BigInt(seconds) * 1000000n + BigInt(micros)).toString()}"`;
}

export const TAX_CODE = computeTaxCode({ lastName: 'Rossi', firstName: 'Mario', birthDate: '1985-12-10', gender: 'M', belfiore: 'A794' });

/** `blocked('approve', 'soglia esaurita: restano 0,00 €', 'threshold_exhausted')`; the code defaults to `state`. */
export function blocked(action: Action, reason: string, code: ReasonCode = 'state'): BlockedAction {
  return { action, code, reason };
}

export function person(extra: Partial<Person> = {}): Person {
  return {
    id: 'p1', district_id: 'd1', tax_code: TAX_CODE, first_name: 'Mario', last_name: 'Rossi', birth_date: '1985-12-10', gender: 'M',
    birth_place: { istat_code: '016024', belfiore: 'A794', name: 'Bergamo', province: 'BG' },
    residence: { istat_code: '016024', belfiore: 'A794', name: 'Bergamo', province: 'BG' },
    citizenship: 'italiana', email: null, phone: '+39 035 000 0100', address: null,
    education_level: 'upper_secondary', employment_status: 'unemployed', cluster: 'band_2', target_groups: ['long_term_unemployed'],
    sensitive: null, restricted: false, processing_restricted: false, anonymised: false, allowed_actions: ['edit'], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
  };
}

export function meeting(extra: Partial<Meeting> = {}): Meeting {
  return {
    id: 'm1', kind: 'monthly_table', title: 'Tavolo Sistema Lavoro – 10/03/2026', scheduled_for: '2026-03-10', location: 'Ufficio di Piano',
    status: 'planned', participants: ['Chiara Colombo'], attendees: [], topics: [], agenda_count: 0, decision_count: 0, opened_at: null, closed_at: null,
    allowed_actions: ['edit', 'open'],
    blocked_actions: [
      blocked('add_agenda_item', 'La seduta è programmata'), blocked('add_decision', 'La seduta è programmata'),
      blocked('close', 'La seduta è programmata'),
    ],
    created_at: T0, updated_at: T0, ...extra,
  };
}

/** An open meeting, as the coordinator gets it. */
export function openMeeting(extra: Partial<Meeting> = {}): Meeting {
  return meeting({
    status: 'open', opened_at: T0, allowed_actions: ['edit', 'add_agenda_item', 'add_decision', 'close'],
    blocked_actions: [blocked('open', 'La seduta è aperta')], ...extra,
  });
}

export function activation(extra: Partial<Activation> = {}): Activation {
  return {
    id: 'a1', case_id: 'c1', measure_id: 'ms-gg', measure_code: 'GG', measure_name: 'Garanzia Giovani', threshold_id: null,
    amount_cents: 120000, spent_cents: null, status: 'proposed', note: null,
    allowed_actions: ['edit', 'approve', 'cancel'],
    blocked_actions: [
      blocked('start', 'La misura è proposta'), blocked('complete', 'La misura è proposta'), blocked('interrupt', 'La misura è proposta'),
    ],
    created_at: T0, updated_at: T0, ...extra,
  };
}

const PERSON_SUMMARY = { id: 'p1', tax_code: TAX_CODE, first_name: 'Mario', last_name: 'Rossi', birth_date: '1985-12-10' };

export function caseDetail(extra: Partial<CaseDetail> = {}): CaseDetail {
  return {
    id: 'c1', person: PERSON_SUMMARY,
    referral_id: 'r1', agency: { id: 'org-ag1', name: 'Agenzia Lavoro Uno' }, status: 'in_charge', suspended_from: null,
    first_meeting_date: '2026-03-02', plan_goals: 'Orientamento.', outcome: null, hired: null, closed_at: null,
    next_due_date: null, overdue: false,
    allowed_actions: ['suspend', 'add_follow_up', 'add_activation'],
    blocked_actions: [
      blocked('take_charge', 'Il caso è preso in carico'), blocked('resume', 'Il caso è preso in carico'),
      blocked('close', 'una misura è ancora proposta, approvata o in corso', 'measures_open'),
    ],
    created_at: T0, updated_at: T0, activations: [activation()], outcome_checks: [],
    contacts: { phone: null, email: null, address: null, residence: null, employment_status: null, education_level: null },
    referral: {
      needs: ['work'], reason: 'Cerca lavoro.', urgency: 'normal', organization: { id: 'org-ss', name: 'Servizio sociale Bergamo' },
      referred_by_name: 'Anna Rota', submitted_at: T0, decision_reason: null, decided_at: T0,
    },
    ...extra,
  };
}

/** A case as lists show it. */
export function caseSummary(extra: Partial<Case> = {}): Case {
  const { activations: _a, outcome_checks: _o, contacts: _k, referral: _r, ...c } = caseDetail();
  return { ...c, ...extra };
}

export function threshold(extra: Partial<Threshold> = {}): Threshold {
  return {
    id: 't1', agency_id: 'org-ag1', agency_name: 'Agenzia Lavoro Uno', measure_id: 'ms-gg', measure_code: 'GG',
    period_start: '2026-01-01', period_end: '2026-12-31', cap_cents: 2000000, reserved_cents: 0, spent_cents: 0,
    remaining_cents: 2000000, allowed_actions: ['edit'], blocked_actions: [], updated_at: T0, ...extra,
  };
}

export function measure(extra: Partial<Measure> = {}): Measure {
  return {
    id: 'ms-dul', code: 'DUL', name: 'Dote Unica Lavoro', kind: 'dul', funding_source: 'esf_plus', funding_note: 'FSE+ – Regione Lombardia', description: '',
    valid_from: '2026-01-01', valid_to: '2027-12-31', min_age: 18, max_age: 66, employment_statuses: ['unemployed'],
    target_groups: [], clusters: [], residence_required: false, default_amount_cents: 150000, active: true,
    allowed_actions: ['edit'], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
  };
}

export function referral(extra: Partial<Referral> = {}): Referral {
  return {
    id: 'r1', person: PERSON_SUMMARY,
    organization: { id: 'org-ss', name: 'Servizio sociale Bergamo' }, created_by: 'u-ref', source: 'social_worker',
    needs: ['work'], reason: 'Cerca lavoro.', urgency: 'normal', status: 'submitted', status_note: null, meeting_id: null,
    submitted_at: T0, case: null, history: [], allowed_actions: [], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
  };
}

export function measureFit(extra: Partial<MeasureFit> = {}): MeasureFit {
  return {
    measure_id: 'ms-dul', measure_code: 'DUL', eligible: true,
    reasons: [{ rule: 'age', met: true, message: 'age 40 is within 18–66' }], ...extra,
  };
}

export function agendaItem(extra: Partial<AgendaItem> = {}): AgendaItem {
  return {
    id: 'i1', kind: 'referral', referral: referral({ status: 'scheduled', meeting_id: 'm1' }), case: null, decision: null,
    eligibility: [measureFit()], allowed_actions: ['delete'], blocked_actions: [], ...extra,
  };
}

export function organization(extra: Partial<Organization> = {}): Organization {
  return {
    id: 'org-ss', district_id: 'd1', name: 'Servizio sociale Bergamo', kind: 'social_service', accreditation_code: null,
    tax_code: null, email: null, phone: null, active: true, allowed_actions: ['edit'], blocked_actions: [],
    created_at: T0, updated_at: T0, ...extra,
  };
}

export function user(extra: Partial<User> = {}): User {
  return {
    id: 'u-ref', email: 'assistente.sociale@demo.test', full_name: 'Anna Rota', role: 'referrer', organization_id: 'org-ss',
    district_id: 'd1', active: true, allowed_actions: ['edit'], blocked_actions: [], last_login_at: null,
    created_at: T0, updated_at: T0, ...extra,
  };
}

export function integrationClient(extra: Partial<IntegrationClient> = {}): IntegrationClient {
  return {
    id: 'ic1', organization_id: 'org-ss', name: 'Cartella sociale', client_id: 'slcli_0a1b2c3d4e5f60718293a4b5',
    scopes: ['referrals:read', 'webhooks:manage'], active: true, last_used_at: null,
    allowed_actions: ['rotate_secret', 'revoke'], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
  };
}

export function webhook(extra: Partial<WebhookSubscription> = {}): WebhookSubscription {
  return {
    id: 'wh1', organization_id: 'org-udp', url: 'https://example.org/hook', event_types: ['referral.decided', 'case.closed'],
    active: true, allowed_actions: ['delete'], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
  };
}

export function delivery(extra: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id: 'dl1', event_id: 'ev1', event_type: 'case.closed', status: 'failed', attempts: 8, next_attempt_at: null,
    last_status_code: 500, last_error: 'HTTP 500', delivered_at: null, allowed_actions: ['redeliver'], blocked_actions: [],
    created_at: T0, ...extra,
  };
}

export const EMPTY_PAGE = { items: [], next: null };

type Schemas = import('../api/schema').components['schemas'];

/** The seed's four axes, as a new plan gets them. */
export const AXES: Schemas['AxisOut'][] = [
  { id: 'ax1', code: 'governance', title: 'Buona governance', expected_results: 'Trasparenza e condivisione', position: 1, action_count: 1 },
  { id: 'ax2', code: 'territory', title: 'Attenzione verso il territorio', expected_results: null, position: 2, action_count: 0 },
  { id: 'ax3', code: 'planning', title: 'Capacità di programmare e progettare', expected_results: null, position: 3, action_count: 0 },
  { id: 'ax4', code: 'network', title: 'Rete tra operatori e servizi', expected_results: null, position: 4, action_count: 0 },
];

export function plan(extra: Partial<Schemas['PlanOut']> = {}): Schemas['PlanOut'] {
  return {
    id: 'pl1', district_id: 'd1', title: 'Piano Locale Integrato 2027–2029', period_start: '2027-01-01', period_end: '2029-12-31',
    status: 'draft', approved_on: null, approval_reference: null, axes: AXES, budget_total_cents: 0,
    completeness: {
      complete: false, actions_open: 1, actions_complete: 0,
      missing: [{ rule: 'budget', count: 1, message: '1 azione senza budget' }],
    },
    allowed_actions: ['edit', 'approve', 'close', 'add_action'], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
  };
}

/** A planned action still without budget nor department. */
export function planAction(extra: Partial<Schemas['PlanActionOut']> = {}): Schemas['PlanActionOut'] {
  return {
    id: 'pa1', plan_id: 'pl1', axis_id: 'ax1', title: 'Consultazione degli stakeholders', description: null, expected_results: null,
    start_date: '2027-03-01', end_date: '2027-12-31', funding_source: 'district_budget', funding_note: null, budget_cents: null,
    responsible_department: null, responsible_organization: null, network_ids: [], indicators: [], status: 'planned', late: false,
    completeness: {
      complete: false,
      reasons: [
        { rule: 'dates', met: true, message: 'date di inizio e fine indicate' },
        { rule: 'funding_source', met: true, message: 'fonte di finanziamento indicata' },
        { rule: 'budget', met: false, message: 'manca il budget: quante risorse servono?' },
        { rule: 'department', met: false, message: "manca il dipartimento o l'ente responsabile della gestione" },
      ],
    },
    allowed_actions: ['edit', 'start', 'drop'], blocked_actions: [blocked('complete', "L'azione del piano è prevista")],
    created_at: T0, updated_at: T0, ...extra,
  };
}

export function figures(extra: Partial<Schemas['MonitoringFigures']> = {}): Schemas['MonitoringFigures'] {
  return {
    persons_reached: 0, cases: 0, activations: 0, cap_cents: 0, reserved_cents: 0, spent_cents: 0, budget_cents: null,
    budget_executed_percent: null, cases_closed: 0, cases_closed_by_outcome: [], hired: 0, employed_at_6_months: 0,
    not_employed_at_6_months: 0, six_month_check_pending: 0, six_month_check_overdue: 0, late: false, by_month: [], ...extra,
  };
}

export function project(extra: Partial<Schemas['ProjectOut']> = {}): Schemas['ProjectOut'] {
  return {
    id: 'pr1', district_id: 'd1', title: 'Un Ponte per il lavoro', description: null, funder: 'Regione Lombardia',
    call_title: 'Bando inclusione attiva 2027', funding_source: 'regional', cup: null, requested_cents: 12000000, granted_cents: null,
    cofinanced_cents: 1500000, granted_by_year: [], status: 'idea', submission_deadline: '2026-12-20', start_date: null, end_date: null,
    reporting_deadline: null, submitted_on: null, decided_on: null, decision_note: null, lead_organization: null, lead_network: null,
    partner_organizations: [], partner_networks: [], plan_actions: [], measures: [],
    due: [{ kind: 'submission', date: '2026-12-20', days: 18, overdue: false, message: 'La scadenza per la presentazione della domanda è tra 18 giorni (20/12/2026)' }],
    allowed_actions: ['edit', 'submit'],
    blocked_actions: [blocked('grant', "Il progetto è un'idea"), blocked('reject', "Il progetto è un'idea")],
    created_at: T0, updated_at: T0, ...extra,
  };
}

/** A member's published course on the board, as the coordinator reads it. */
export function opportunity(extra: Partial<Schemas['OpportunityOut']> = {}): Schemas['OpportunityOut'] {
  return {
    id: 'op1', source: 'published', kind: 'training_course', kind_label: 'Corso di formazione', title: 'Corso per addetto alla logistica di magazzino',
    district_id: 'd1', district_name: 'Ambito 1 – Bergamo', publisher: 'Agenzia Sociale Lavoro & Società', organization_id: 'org-soc',
    area: 'training', description: 'Centoventi ore di aula e laboratorio, con il patentino del carrello elevatore.',
    who_for: 'Per persone disoccupate dai 18 ai 55 anni.', for_operators: null,
    target: { min_age: 18, max_age: 55, employment_statuses: ['unemployed'], target_groups: [], residence_required: false },
    municipality: { code: '016024', name: 'Bergamo', province: 'BG' }, place_note: 'Via Roma 1', starts_on: '2027-01-18', ends_on: '2027-04-30',
    apply_by: '2027-01-10', last_day: '2027-01-10', how_to_apply: 'Colloquio di orientamento su appuntamento.', contact: 'orientamento@example.org',
    shared_response_id: null, published_at: T0, flyer_url: '/api/v1/public/opportunities/op1/flyer.pdf',
    status: 'published', expired_on: null, withdrawal_reason: null, allowed_actions: ['edit', 'withdraw'], blocked_actions: [blocked('publish', "L'opportunità è pubblicata")],
    updated_at: T0, ...extra,
  };
}

/** An item as anyone reads it (no state, no actions). */
export function publicOpportunity(extra: Partial<Schemas['PublicOpportunity']> = {}): Schemas['PublicOpportunity'] {
  const { status: _s, expired_on: _e, withdrawal_reason: _w, allowed_actions: _a, blocked_actions: _b, updated_at: _u, ...o } = opportunity();
  return { ...o, ...extra };
}

export function proposal(extra: Partial<Schemas['OpportunityProposalOut']> = {}): Schemas['OpportunityProposalOut'] {
  return {
    id: 'pp1', case_id: 'c1', source: 'published', opportunity_id: 'op1', title: 'Corso per addetto alla logistica di magazzino', note: null,
    answer: null, answered_on: null, result: null, proposed_by: 'u-op', allowed_actions: ['answer'], created_at: T0, updated_at: T0, ...extra,
  };
}
