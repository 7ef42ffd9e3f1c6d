// The board of opportunities as the SPA reads it: the district's board (signed in), one item,
// the matching of a case or a referral, a case's proposals, and the public side (no sign-in,
// through plain `fetch` as the join pages). Types are the contract's (schema.d.ts).
import { api, unwrap, unwrapVersioned } from '../../api/client';
import { ENUMS } from '../../api/enums.gen';
import type { Versioned } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import { todayISO } from '../../lib/format';
import { all } from '../common/workflow';
import { getPublic } from '../join/publicApi';

type S = components['schemas'];
export type Opportunity = S['OpportunityOut'];
export type PublicOpportunity = S['PublicOpportunity'];
export type OpportunityKind = S['OpportunityKind'];
export type OpportunitySource = S['OpportunitySource'];
export type OpportunityStatus = S['OpportunityStatus'];
export type OpportunityInput = S['OpportunityInput'];
export type OpportunityPatch = S['OpportunityPatch'];
export type OpportunityMatch = S['OpportunityMatch'];
export type Proposal = S['OpportunityProposalOut'];
export type ProposalAnswer = S['ProposalAnswer'];
export type ResponseArea = S['ResponseArea'];

export const KINDS = ENUMS.OpportunityKind as readonly OpportunityKind[];
export const SOURCES = ENUMS.OpportunitySource as readonly OpportunitySource[];
export const STATUSES = ENUMS.OpportunityStatus as readonly OpportunityStatus[];
export const ANSWERS = ENUMS.ProposalAnswer as readonly ProposalAnswer[];
export const AREAS = ENUMS.ResponseArea as readonly ResponseArea[];

/** The board's filters, as the URL keeps them. `type` is a kind, or `measure` / `project` (a source). */
export const FILTER_KEYS = ['type', 'area', 'municipality', 'age', 'employment_status', 'target_group', 'status'] as const;
export type BoardFilters = Record<(typeof FILTER_KEYS)[number], string>;

/** The API's query for the board's filters (empty ones left out; a bad age ignored). */
export function boardQuery(f: Partial<BoardFilters>) {
  const q: Record<string, string | number> = {};
  if (f.type === 'measure' || f.type === 'project') q.source = f.type;
  else if (f.type) { q.source = 'published'; q.kind = f.type; }
  for (const k of ['area', 'municipality', 'employment_status', 'target_group', 'status'] as const) if (f[k]) q[k] = f[k]!;
  const age = Number(f.age);
  if (f.age && Number.isInteger(age) && age >= 14 && age <= 100) q.age = age;
  return q as {
    source?: OpportunitySource; kind?: OpportunityKind; area?: ResponseArea; municipality?: string; age?: number;
    employment_status?: S['EmploymentStatus']; target_group?: S['TargetGroup']; status?: OpportunityStatus;
  };
}

export function fetchBoard(f: Partial<BoardFilters>): Promise<Opportunity[]> {
  const query = boardQuery(f);
  return all<Opportunity>((after) => unwrap(api.GET('/api/v1/opportunities', { params: { query: { ...query, limit: 200, after } } })));
}

export const boardKey = (f: Partial<BoardFilters> = {}) => queryKeys.everything('opportunities', boardQuery(f));

export function readOpportunity(id: string): Promise<Versioned<Opportunity>> {
  return unwrapVersioned(api.GET('/api/v1/opportunities/{id}', { params: { path: { id } } }));
}

export const caseMatchesKey = (caseId: string, everything: boolean) => queryKeys.sub('cases', caseId, 'opportunities', { all: everything });
export const caseProposalsKey = (caseId: string) => queryKeys.sub('cases', caseId, 'opportunity-proposals');
export const referralMatchesKey = (referralId: string) => queryKeys.sub('referrals', referralId, 'opportunities');

export function fetchCaseProposals(caseId: string): Promise<Proposal[]> {
  return all<Proposal>((after) => unwrap(api.GET('/api/v1/cases/{id}/opportunity-proposals', {
    params: { path: { id: caseId }, query: { limit: 200, after } },
  })));
}

/** The public filters: area, municipality, kind (or measure / project). */
export const PUBLIC_FILTER_KEYS = ['type', 'area', 'municipality'] as const;

export function fetchPublicList(f: Partial<Record<(typeof PUBLIC_FILTER_KEYS)[number], string>>): Promise<{ items: PublicOpportunity[] }> {
  const q = boardQuery(f);
  const params = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]));
  const qs = params.toString();
  return getPublic<{ items: PublicOpportunity[] }>(`/public/opportunities${qs ? `?${qs}` : ''}`);
}

export function fetchPublicOne(id: string): Promise<PublicOpportunity> {
  return getPublic<PublicOpportunity>(`/public/opportunities/${encodeURIComponent(id)}`);
}

/** Whole days from today (Europe/Rome) to `date` (negative: passed). */
export function daysUntil(date: string, today = todayISO()): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** The day it closes: the deadline to apply, else its last day. */
export function closingDay(o: PublicOpportunity): string | null {
  return o.apply_by ?? o.last_day ?? null;
}

/** Closing within a week (today included). */
export function closingSoon(o: PublicOpportunity, today = todayISO()): boolean {
  const day = closingDay(o);
  if (!day) return false;
  const d = daysUntil(day, today);
  return d >= 0 && d <= 7;
}

/** This month as `YYYY-MM`, for the bulletin. */
export function thisMonth(): string {
  return todayISO().slice(0, 7);
}
