// Records as the API returns them, for component tests.
import { etagOf } from '../api/etag';
import { computeTaxCode } from '../lib/taxCode';

export const T0 = '2026-03-01T10:00:00.123456Z';
export const T1 = '2026-03-01T10:05:00.654321Z';
export const T2 = '2026-03-01T10:06:00.000001Z';
export { etagOf };

export const TAX_CODE = computeTaxCode({ lastName: 'Rossi', firstName: 'Mario', birthDate: '1985-12-10', gender: 'M', belfiore: 'A794' });

export function person(extra: Record<string, unknown> = {}) {
  return {
    id: 'p1', district_id: 'd1', tax_code: TAX_CODE, first_name: 'Mario', last_name: 'Rossi', birth_date: '1985-12-10', gender: 'M',
    birth_place: { istat_code: '016024', belfiore: 'A794', name: 'Bergamo', province: 'BG' },
    residence: { istat_code: '016024', belfiore: 'A794', name: 'Bergamo', province: 'BG' },
    citizenship: 'italiana', email: null, phone: '+39 035 000 0100', address: null,
    education_level: 'upper_secondary', employment_status: 'unemployed', cluster: 'band_2', target_groups: ['long_term_unemployed'],
    sensitive: null, created_at: T0, updated_at: T0, ...extra,
  };
}

export function meeting(extra: Record<string, unknown> = {}) {
  return {
    id: 'm1', title: 'Tavolo Sistema Lavoro – 10/03/2026', scheduled_for: '2026-03-10', location: 'Ufficio di Piano',
    status: 'planned', participants: ['Chiara Colombo'], agenda_count: 0, decision_count: 0, opened_at: null, closed_at: null,
    created_at: T0, updated_at: T0, ...extra,
  };
}

export function activation(extra: Record<string, unknown> = {}) {
  return {
    id: 'a1', case_id: 'c1', measure_id: 'ms-gg', measure_code: 'GG', measure_name: 'Garanzia Giovani', threshold_id: null,
    amount_cents: 120000, spent_cents: null, status: 'proposed', note: null, created_at: T0, updated_at: T0, ...extra,
  };
}

export function caseDetail(extra: Record<string, unknown> = {}) {
  return {
    id: 'c1', person: { id: 'p1', tax_code: TAX_CODE, first_name: 'Mario', last_name: 'Rossi', birth_date: '1985-12-10' },
    referral_id: 'r1', agency: { id: 'org-ag1', name: 'Agenzia Lavoro Uno' }, status: 'in_charge', suspended_from: null,
    first_meeting_date: '2026-03-02', plan_goals: 'Orientamento.', outcome: null, hired: null, closed_at: null,
    next_due_date: null, overdue: false, created_at: T0, updated_at: T0, activations: [activation()], outcome_checks: [], ...extra,
  };
}

export function threshold(extra: Record<string, unknown> = {}) {
  return {
    id: 't1', agency_id: 'org-ag1', agency_name: 'Agenzia Lavoro Uno', measure_id: 'ms-gg', measure_code: 'GG',
    period_start: '2026-01-01', period_end: '2026-12-31', cap_cents: 2000000, reserved_cents: 0, spent_cents: 0,
    remaining_cents: 2000000, updated_at: T0, ...extra,
  };
}

export function measure(extra: Record<string, unknown> = {}) {
  return {
    id: 'ms-dul', code: 'DUL', name: 'Dote Unica Lavoro', kind: 'dul', funding_source: 'FSE+ Regione Lombardia', description: '',
    valid_from: '2026-01-01', valid_to: '2027-12-31', min_age: 18, max_age: 66, employment_statuses: ['unemployed'],
    target_groups: [], clusters: [], residence_required: false, default_amount_cents: 150000, active: true,
    created_at: T0, updated_at: T0, ...extra,
  };
}

export function referral(extra: Record<string, unknown> = {}) {
  return {
    id: 'r1', person: { id: 'p1', tax_code: TAX_CODE, first_name: 'Mario', last_name: 'Rossi', birth_date: '1985-12-10' },
    organization: { id: 'org-ss', name: 'Servizio sociale Bergamo' }, created_by: 'u-ref', source: 'social_worker',
    needs: ['work'], reason: 'Cerca lavoro.', urgency: 'normal', status: 'submitted', status_note: null, meeting_id: null,
    submitted_at: T0, case: null, history: [], created_at: T0, updated_at: T0, ...extra,
  };
}

export const EMPTY_PAGE = { items: [], next: null };
