// The data-protection endpoints (issue 14): privacy notices, a person's legal basis (notices
// given, consents), the data subject's rights (export, restriction, anonymisation requests),
// retention, the audit log and the registers. Notices and consents are in the contract and go
// through the generated client; the others are typed by hand from the API's text until
// openapi.yaml carries them (each call goes through the session's fetch, bearer token and
// refresh, and answers an ApiError with the problem, as `unwrap` does).
import { authFetch } from '../../api/authFetch';
import { api, unwrap } from '../../api/client';
import { ENUMS } from '../../api/enums.gen';
import type { components } from '../../api/schema';
import { API_ORIGIN, API_PREFIX } from '../../api/base';
import { ApiError } from '../../api/problem';
import i18n from '../../i18n';

type Schemas = components['schemas'];
export type PrivacyPurpose = Schemas['PrivacyPurpose'];
export type ConsentMethod = Schemas['ConsentMethod'];
export type ConsentStatus = Schemas['ConsentStatus'];
export type PrivacyNotice = Schemas['NoticeOut'];
export type Consent = Schemas['ConsentOut'];
export type ConsentInput = Schemas['ConsentInput'];
export const PRIVACY_PURPOSES = ENUMS.PrivacyPurpose;
export const CONSENT_METHODS = ENUMS.ConsentMethod;
/** The purposes whose legal basis is consent (the services' purpose rests on a notice). */
export const CONSENT_PURPOSES: PrivacyPurpose[] = ['partnership_sharing', 'opportunity_contact'];

export interface Page<T> {
  items: T[];
  next?: string | null;
}

/** The services' purpose: a referral goes to the table only once its notice is recorded. */
export const SERVICES_PURPOSE: PrivacyPurpose = 'referral_and_case';

export interface AnonymisationRequest {
  id: string;
  person_id: string;
  /** The person as the DPO may see it (a name and code, or nothing once anonymised). */
  person?: { id: string; first_name?: string; last_name?: string; tax_code?: string } | null;
  reason: string;
  status: 'pending' | 'approved' | 'declined' | string;
  requested_by: string;
  requested_by_name?: string | null;
  requested_at: string;
  decided_by?: string | null;
  decided_at?: string | null;
  decision_note?: string | null;
  allowed_actions?: string[];
}

export interface RetentionItem {
  person_id: string;
  /** A label the DPO may read: a code, or an initial and a year. */
  label?: string | null;
  closed_at?: string | null;
  due_on: string;
}

/** One event of the audit log (h-audit's `AuditEventOut`). */
export interface AuditEntry {
  id: string;
  seq?: number;
  at: string;
  actor_id?: string | null;
  actor_role?: string | null;
  district_id?: string | null;
  client_address?: string | null;
  request_id?: string | null;
  action: string;
  entity_type?: string | null;
  entity_id?: string | null;
  person_id?: string | null;
  detail?: string | null;
}

export interface Breach {
  id: string;
  occurred_at?: string | null;
  discovered_at: string;
  description: string;
  affected?: string | null;
  measures?: string | null;
  garante_notified_at?: string | null;
  created_at?: string;
}

export interface BreachInput {
  discovered_at: string;
  occurred_at?: string;
  description: string;
  affected?: string;
  measures?: string;
  garante_notified_at?: string;
}

function url(path: string, query?: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') q.set(k, v);
  const qs = q.toString();
  return `${API_ORIGIN}${API_PREFIX}${path}${qs ? `?${qs}` : ''}`;
}

async function send(method: string, path: string, opts: { query?: Record<string, string | undefined>; body?: unknown; accept?: string } = {}) {
  const headers: Record<string, string> = {
    Accept: `${opts.accept ?? 'application/json'}, application/problem+json`,
    'Accept-Language': i18n.language === 'en' ? 'en' : 'it',
  };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await authFetch(new Request(url(path, opts.query), {
      method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    }));
  } catch (e) {
    throw ApiError.network(e);
  }
  if (!res.ok) throw ApiError.fromResponse(res, await res.json().catch(() => null));
  return res;
}

async function json<T>(method: string, path: string, opts: Parameters<typeof send>[2] = {}): Promise<T> {
  const res = await send(method, path, opts);
  return (res.status === 204 ? null : await res.json()) as T;
}

const enc = encodeURIComponent;

export const privacyApi = {
  currentNotices: () => unwrap(api.GET('/api/v1/privacy-notices', { params: { query: { current: true } } })),
  consents: (personId: string) => unwrap(api.GET('/api/v1/persons/{id}/consents', { params: { path: { id: personId } } })),
  recordConsent: (personId: string, body: ConsentInput) =>
    unwrap(api.POST('/api/v1/persons/{id}/consents', { params: { path: { id: personId } }, body })),
  withdrawConsent: (personId: string, consentId: string, reason: string) =>
    unwrap(api.POST('/api/v1/persons/{id}/consents/{consent_id}/withdraw', {
      params: { path: { id: personId, consent_id: consentId } }, body: { reason: reason.trim() || null },
    })),
  restrict: (personId: string, reason: string) => json<unknown>('POST', `/persons/${enc(personId)}/restriction`, { body: { reason } }),
  liftRestriction: (personId: string) => json<unknown>('DELETE', `/persons/${enc(personId)}/restriction`),
  requestAnonymisation: (personId: string, reason: string) =>
    json<AnonymisationRequest>('POST', `/persons/${enc(personId)}/anonymisation-requests`, { body: { reason } }),
  anonymisationRequests: (status?: string) => json<Page<AnonymisationRequest>>('GET', '/anonymisation-requests', { query: { status } }),
  decideAnonymisation: (id: string, decision: 'approve' | 'decline', note: string) =>
    json<AnonymisationRequest>('POST', `/anonymisation-requests/${enc(id)}/${decision}`, { body: { note: note.trim() || null } }),
  retentionPreview: () => json<Page<RetentionItem>>('GET', '/retention/preview'),
  audit: (query: Record<string, string | undefined>) => json<Page<AuditEntry>>('GET', '/audit', { query }),
  breaches: () => json<Page<Breach>>('GET', '/breaches'),
  addBreach: (body: BreachInput) => json<Breach>('POST', '/breaches', { body }),
  register: () => send('GET', '/processing-register', { accept: 'text/html' }).then((r) => r.text()),
};

/** Downloads what the API answers at `path` as `fileName` (exports need the bearer token, so they are fetched, never linked). */
export async function download(path: string, query: Record<string, string | undefined>, accept: string, fileName: string): Promise<void> {
  const blob = await (await send('GET', path, { query, accept })).blob();
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 0);
}

/** The person's export (art. 15): JSON or the Italian PDF. */
export function downloadPersonExport(personId: string, format: 'json' | 'pdf'): Promise<void> {
  return download(`/persons/${enc(personId)}/data-export`, { format }, format === 'pdf' ? 'application/pdf' : 'application/json',
    `dati-persona-${personId}.${format}`);
}

/** The audit log's export with the same filters as the search. */
export function downloadAudit(query: Record<string, string | undefined>, format: 'csv' | 'xlsx'): Promise<void> {
  const accept = format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  return download('/audit/export', { ...query, format }, accept, `registro-accessi.${format}`);
}

/** The notice given for the services' purpose, in force (none: the referral cannot be sent). */
export function servicesNotice(consents: Consent[] | undefined): Consent | undefined {
  return consents?.find((c) => c.kind === 'notice' && c.purpose === SERVICES_PURPOSE && c.status === 'given');
}
