// Friendly names for generated API types. Derived from schema.d.ts — never written by hand.
import type { components, paths } from './schema';

type Schemas = components['schemas'];
type JsonOf<R> = R extends { content: { 'application/json': infer T } } ? T : never;
/** The JSON body of a path's 200/201 response. */
export type ResponseOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: infer OK }
    ? JsonOf<OK>
    : R extends { 201: infer C }
      ? JsonOf<C>
      : never
  : never;

export type Me = ResponseOf<'/api/v1/me', 'get'>;
export type Role = Me['role'];
export type TokenResponse = Schemas['TokenResponse'];

// Workflow records (persons, referrals, meetings, cases, catalogue), named after the API's schemas.
export type Person = Schemas['PersonOut'];
export type PersonInput = Schemas['PersonInput'];
export type PersonSummary = Schemas['PersonSummary'];
export type Place = Schemas['Place'];
export type Referral = Schemas['ReferralOut'];
export type ReferralStatus = Schemas['ReferralStatus'];
export type ReferralSource = Schemas['ReferralSource'];
export type Need = Schemas['Need'];
export type Urgency = Schemas['Urgency'];
export type StateChange = Schemas['StateChangeOut'];
export type Meeting = Schemas['MeetingOut'];
export type MeetingStatus = Schemas['MeetingStatus'];
export type Agenda = Schemas['Agenda'];
export type AgendaItem = Schemas['AgendaItemOut'];
export type DecisionKind = Schemas['DecisionKind'];
export type DecisionInput = Schemas['DecisionInput'];
export type Case = Schemas['CaseOut'];
export type CaseDetail = Schemas['CaseDetail'];
export type CaseStatus = Schemas['CaseStatus'];
export type Activation = Schemas['ActivationOut'];
export type FollowUp = Schemas['FollowUpOut'];
export type FollowUpKind = Schemas['FollowUpKind'];
export type OutcomeCheck = Schemas['OutcomeCheckOut'];
export type Outcome = Schemas['Outcome'];
export type ContractType = Schemas['ContractType'];
export type TimelineEntry = Schemas['TimelineEntry'];
export type Measure = Schemas['MeasureOut'];
export type Threshold = Schemas['ThresholdOut'];
export type Eligibility = Schemas['Eligibility'];
export type Summary = Schemas['Summary'];

export const REFERRAL_STATUSES: ReferralStatus[] = [
  'draft', 'submitted', 'scheduled', 'deferred', 'info_requested', 'accepted', 'rejected', 'redirected', 'withdrawn',
];
export const REFERRAL_SOURCES: ReferralSource[] = ['social_worker', 'front_desk', 'cpi', 'territory'];
export const NEEDS: Need[] = ['work', 'training', 'housing', 'transport', 'income', 'family_care', 'health', 'relational'];
export const URGENCIES: Urgency[] = ['low', 'normal', 'high'];
export const CASE_STATUSES: CaseStatus[] = ['assigned', 'in_charge', 'active', 'monitoring', 'suspended', 'closed'];
export const OUTCOMES: Outcome[] = ['hired', 'traineeship', 'training', 'not_reachable', 'dropped_out', 'moved', 'transferred', 'other'];
export const CONTRACT_TYPES: ContractType[] = ['permanent', 'fixed_term', 'apprenticeship', 'temporary', 'other'];
export const FOLLOW_UP_KINDS: FollowUpKind[] = ['meeting', 'call', 'training_started', 'traineeship_started', 'hired', 'review', 'note'];
export const EMPLOYMENT_STATUSES: Schemas['EmploymentStatus'][] = ['unemployed', 'employed', 'working_poor', 'inactive', 'student'];
export const EDUCATION_LEVELS: Schemas['EducationLevel'][] = ['none', 'primary', 'lower_secondary', 'vocational', 'upper_secondary', 'tertiary'];
export const CLUSTERS: Schemas['Cluster'][] = ['band_1', 'band_2', 'band_3', 'band_4'];
export const TARGET_GROUPS: Schemas['TargetGroup'][] = [
  'youth_neet', 'over_50', 'long_term_unemployed', 'disability', 'criminal_justice', 'care_leaver', 'migrant',
  'income_support', 'women_returning',
];
/**
 * Target groups that reveal special-category data (GDPR art. 9 health, art. 10 criminal justice):
 * the API lists and accepts them only for those who get a person's `sensitive` block, and keeps
 * them as they are when anyone else sends the list.
 */
export const SPECIAL_TARGET_GROUPS: Schemas['TargetGroup'][] = ['disability', 'criminal_justice'];
export type EmploymentStatus = Schemas['EmploymentStatus'];
export type EducationLevel = Schemas['EducationLevel'];
export type Cluster = Schemas['Cluster'];
export type TargetGroup = Schemas['TargetGroup'];
export type MeasureKind = Schemas['MeasureKind'];

// Integration: clients (OAuth2 client credentials) and webhooks.
export type IntegrationClient = Schemas['ClientOut'];
export type IntegrationClientWithSecret = Schemas['ClientWithSecret'];
export type Scope = Schemas['Scope'];
export type WebhookSubscription = Schemas['SubscriptionOut'];
export type WebhookSubscriptionWithSecret = Schemas['SubscriptionWithSecret'];
export type WebhookDelivery = Schemas['DeliveryOut'];
export type EventType = Schemas['EventType'];
export const SCOPES: Scope[] = ['referrals:read', 'referrals:write', 'cases:read', 'cases:write', 'webhooks:manage'];
export const EVENT_TYPES: EventType[] = [
  'referral.submitted', 'referral.decided', 'case.assigned', 'case.status_changed', 'activation.approved', 'case.closed',
  'outcome_check.due',
];
