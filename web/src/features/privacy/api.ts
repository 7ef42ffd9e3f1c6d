// The data-protection endpoints (issue 14): privacy notices, a person's legal basis (notices
// given, consents), the person's data export (art. 15), the audit log with its export, and the
// DPO's registers (processing activities, art. 30; data breaches, art. 33). All
// go through the generated client (the session's fetch, bearer token and refresh; a problem
// answers an ApiError, as `unwrap` does).
import { api, unwrap, unwrapVersioned } from '../../api/client';
import { ifMatch } from '../../api/etag';
import { ENUMS } from '../../api/enums.gen';
import type { components, operations } from '../../api/schema';

type Schemas = components['schemas'];
export type PrivacyPurpose = Schemas['PrivacyPurpose'];
export type ConsentMethod = Schemas['ConsentMethod'];
export type ConsentStatus = Schemas['ConsentStatus'];
export type PrivacyNotice = Schemas['NoticeOut'];
export type Consent = Schemas['ConsentOut'];
export type ConsentInput = Schemas['ConsentInput'];
export type AuditEvent = Schemas['AuditEventOut'];
export type AuditExportFormat = Schemas['AuditExportFormat'];
export type LegalGround = Schemas['LegalGround'];
export type AnonymisationRequest = Schemas['AnonymisationRequestOut'];
export type AnonymisationStatus = Schemas['AnonymisationStatus'];
export type RetentionPreview = Schemas['RetentionPreview'];
/** The grounds a coordinator may name (`retention_expired` is the job's own). */
export const LEGAL_GROUNDS = ENUMS.LegalGround.filter((g) => g !== 'retention_expired');
/** The audit log's filters, as the search and its export take them. */
export type AuditFilters = Omit<NonNullable<operations['list_audit']['parameters']['query']>, 'limit' | 'after'>;
export const PRIVACY_PURPOSES = ENUMS.PrivacyPurpose;
export const CONSENT_METHODS = ENUMS.ConsentMethod;
/** The purposes whose legal basis is consent (the services' purpose rests on a notice). */
export const CONSENT_PURPOSES: PrivacyPurpose[] = ['partnership_sharing', 'opportunity_contact'];

/** The services' purpose: a referral goes to the table only once its notice is recorded. */
export const SERVICES_PURPOSE: PrivacyPurpose = 'referral_and_case';

export const privacyApi = {
  currentNotices: () => unwrap(api.GET('/api/v1/privacy-notices', { params: { query: { current: true } } })),
  consents: (personId: string) => unwrap(api.GET('/api/v1/persons/{id}/consents', { params: { path: { id: personId } } })),
  recordConsent: (personId: string, body: ConsentInput) =>
    unwrap(api.POST('/api/v1/persons/{id}/consents', { params: { path: { id: personId } }, body })),
  withdrawConsent: (personId: string, consentId: string, reason: string) =>
    unwrap(api.POST('/api/v1/persons/{id}/consents/{consent_id}/withdraw', {
      params: { path: { id: personId, consent_id: consentId } }, body: { reason: reason.trim() || null },
    })),
  restrict: (personId: string, reason: string) =>
    unwrap(api.POST('/api/v1/persons/{id}/restriction', { params: { path: { id: personId } }, body: { reason: reason.trim() } })),
  liftRestriction: (personId: string, reason: string) =>
    unwrap(api.POST('/api/v1/persons/{id}/restriction/lift', { params: { path: { id: personId } }, body: { reason: reason.trim() } })),
  requestAnonymisation: (personId: string, legal_ground: LegalGround, reason: string) =>
    unwrap(api.POST('/api/v1/persons/{id}/anonymisation-requests', {
      params: { path: { id: personId } }, body: { legal_ground, reason: reason.trim() },
    })),
  anonymisationRequests: (state: AnonymisationStatus, after?: string) =>
    unwrap(api.GET('/api/v1/anonymisation-requests', { params: { query: { state, after, limit: 50 } } })),
  approveAnonymisation: (id: string) =>
    unwrap(api.POST('/api/v1/anonymisation-requests/{id}/approve', { params: { path: { id } } })),
  rejectAnonymisation: (id: string, note: string) =>
    unwrap(api.POST('/api/v1/anonymisation-requests/{id}/reject', { params: { path: { id } }, body: { note: note.trim() || null } })),
  retentionPreview: () => unwrap(api.GET('/api/v1/retention/preview')),
  verifyAudit: () => unwrap(api.GET('/api/v1/audit/verification')),
  audit: (filters: AuditFilters, after?: string) =>
    unwrap(api.GET('/api/v1/audit', { params: { query: { ...filters, after, limit: 50 } } })),
};

/** Hands `blob` to the browser as the download `fileName` (exports need the bearer token, so they are fetched, never linked). */
function save(blob: Blob, fileName: string): void {
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 0);
}

const accept = (type: string) => ({ Accept: `${type}, application/problem+json` });

/** The person's export (art. 15): JSON or the Italian PDF. */
export async function downloadPersonExport(personId: string, format: 'json' | 'pdf'): Promise<void> {
  const blob = await unwrap(api.GET('/api/v1/persons/{id}/data-export', {
    params: { path: { id: personId }, query: { format } },
    headers: accept(format === 'pdf' ? 'application/pdf' : 'application/json'),
    parseAs: 'blob',
  }));
  save(blob as Blob, `dati-persona-${personId}.${format}`);
}

/** The audit log's export with the same filters as the search. */
export async function downloadAudit(filters: AuditFilters, format: AuditExportFormat): Promise<void> {
  const blob = await unwrap(api.GET('/api/v1/audit/export', {
    params: { query: { ...filters, format } },
    headers: accept(format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
    parseAs: 'blob',
  }));
  save(blob as Blob, `registro-accessi.${format}`);
}

/** The notice given for the services' purpose, in force (none: the referral cannot be sent). */
export function servicesNotice(consents: Consent[] | undefined): Consent | undefined {
  return consents?.find((c) => c.kind === 'notice' && c.purpose === SERVICES_PURPOSE && c.status === 'given');
}

// ------------------------------------------------ the registers of processing and of breaches

export type ProcessingRegister = Schemas['ProcessingRegisterOut'];
export type ProcessingActivity = Schemas['ProcessingActivityOut'];
export type ActivityNotePatch = Schemas['ActivityNotePatch'];
export type ProcessingActivityCode = Schemas['ProcessingActivityCode'];
export type Breach = Schemas['BreachOut'];
export type BreachInput = Schemas['BreachInput'];
export type BreachPatch = Schemas['BreachPatch'];
export type BreachDataCategory = Schemas['BreachDataCategory'];
export type BreachSubjectCategory = Schemas['BreachSubjectCategory'];
export type GaranteNotification = Schemas['GaranteNotification'];
export const BREACH_DATA_CATEGORIES = ENUMS.BreachDataCategory;
export const BREACH_SUBJECT_CATEGORIES = ENUMS.BreachSubjectCategory;
export const GARANTE_NOTIFICATIONS = ENUMS.GaranteNotification;

export const registersApi = {
  /** The register as JSON (the operation also answers the PDF, hence the narrowing). */
  register: async () => (await unwrap(api.GET('/api/v1/privacy/register', { params: { query: {} } }))) as ProcessingRegister,
  activity: (code: ProcessingActivityCode) =>
    unwrapVersioned(api.GET('/api/v1/privacy/register/activities/{code}', { params: { path: { code } } })),
  updateActivity: (code: ProcessingActivityCode, etag: string | null, body: ActivityNotePatch) =>
    unwrap(api.PATCH('/api/v1/privacy/register/activities/{code}', { params: { path: { code }, header: ifMatch(etag) }, body })),
  breaches: (after?: string) => unwrap(api.GET('/api/v1/privacy/breaches', { params: { query: { after, limit: 50 } } })),
  breach: (id: string) => unwrapVersioned(api.GET('/api/v1/privacy/breaches/{id}', { params: { path: { id } } })),
  createBreach: (body: BreachInput) => unwrap(api.POST('/api/v1/privacy/breaches', { body })),
  updateBreach: (id: string, etag: string | null, body: BreachPatch) =>
    unwrap(api.PATCH('/api/v1/privacy/breaches/{id}', { params: { path: { id }, header: ifMatch(etag) }, body })),
};

/** The register of processing activities as the Italian PDF (art. 30), to print. */
export async function downloadRegisterPdf(): Promise<void> {
  const blob = await unwrap(api.GET('/api/v1/privacy/register', {
    params: { query: { format: 'pdf' } },
    headers: accept('application/pdf'),
    parseAs: 'blob',
  }));
  save(blob as Blob, 'registro-trattamenti.pdf');
}
