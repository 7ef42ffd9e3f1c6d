// Friendly names for generated API types and enums. Derived from schema.d.ts and enums.gen.ts —
// never written by hand.
import { ENUMS } from './enums.gen';
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
export type ReceivedVia = Schemas['ReceivedVia'];
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
export type MeasureFit = Schemas['MeasureFit'];
export type AgendaItemKind = Schemas['AgendaItemKind'];
export type ActivationStatus = Schemas['ActivationStatus'];
export type DeliveryStatus = Schemas['DeliveryStatus'];
export type Gender = Schemas['Gender'];
/** An action on a record (`allowed_actions`), and one the caller's role could take but may not now. */
export type Action = Schemas['Action'];
export type BlockedAction = Schemas['BlockedAction'];
/** Why an action is blocked, as a stable code (`reason` is the text to show). */
export type ReasonCode = Schemas['ReasonCode'];
export type Organization = Schemas['OrganizationOut'];
export type OrganizationKind = Schemas['OrganizationKind'];
export type User = Schemas['UserOut'];
export type District = Schemas['DistrictOut'];

// Option lists: the contract's enums as openapi.yaml has them (generated, never copied here).
export const REFERRAL_STATUSES = ENUMS.ReferralStatus;
export const REFERRAL_SOURCES = ENUMS.ReferralSource;
export const NEEDS = ENUMS.Need;
export const URGENCIES = ENUMS.Urgency;
export const RECEIVED_VIAS = ENUMS.ReceivedVia;
export const CASE_STATUSES = ENUMS.CaseStatus;
export const OUTCOMES = ENUMS.Outcome;
export const CONTRACT_TYPES = ENUMS.ContractType;
export const FOLLOW_UP_KINDS = ENUMS.FollowUpKind;
export const EMPLOYMENT_STATUSES = ENUMS.EmploymentStatus;
export const EDUCATION_LEVELS = ENUMS.EducationLevel;
export const CLUSTERS = ENUMS.Cluster;
export const TARGET_GROUPS = ENUMS.TargetGroup;
export const MEASURE_KINDS = ENUMS.MeasureKind;
export const ROLES = ENUMS.Role;
export const ORGANIZATION_KINDS = ENUMS.OrganizationKind;
export const DECISION_KINDS = ENUMS.DecisionKind;
/**
 * Target groups that reveal special-category data (GDPR art. 9 health, art. 10 criminal justice):
 * the API lists and accepts them only for those who get a person's `sensitive` block, and keeps
 * them as they are when anyone else sends the list.
 */
export const SPECIAL_TARGET_GROUPS: readonly Schemas['TargetGroup'][] = ['disability', 'criminal_justice'];
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
export const SCOPES = ENUMS.Scope;
export const EVENT_TYPES = ENUMS.EventType;

// Notifications: the caller's inbox and how each kind is e-mailed.
export type Notification = Schemas['NotificationOut'];
export type NotificationKind = Schemas['NotificationKind'];
export type EmailMode = Schemas['EmailMode'];
export type NotificationPreferences = Schemas['Preferences'];
export const NOTIFICATION_KINDS = ENUMS.NotificationKind;
export const EMAIL_MODES = ENUMS.EmailMode;

// Networks (reti e patti): members, agreements, their meetings and action items, the public side.
export type Network = Schemas['NetworkOut'];
export type NetworkKind = Schemas['NetworkKind'];
export type NetworkObjective = Schemas['NetworkObjective'];
export type Member = Schemas['MemberOut'];
export type Agreement = Schemas['AgreementOut'];
export type AgreementKind = Schemas['AgreementKind'];
export type AgreementStatus = Schemas['AgreementStatus'];
export type AgreementInput = Schemas['AgreementInput'];
export type AgreementPatch = Schemas['AgreementPatch'];
export type MeetingKind = Schemas['MeetingKind'];
export type MeetingInput = Schemas['MeetingInput'];
export type MeetingPatch = Schemas['MeetingPatch'];
export type Attendance = Schemas['Attendance'];
export type Attendee = Schemas['AttendeeOut'];
export type AttendeeInput = Schemas['AttendeeInput'];
export type Topic = Schemas['TopicOut'];
export type TopicInput = Schemas['TopicInput'];
export type ActionItem = Schemas['ActionItemOut'];
export type ActionItemInput = Schemas['ActionItemInput'];
export type ActionItemPatch = Schemas['ActionItemPatch'];
export type ActionItemStatus = Schemas['ActionItemStatus'];
export type ActionItemList = Schemas['ActionItemList'];
export type JoinRequest = Schemas['JoinRequestOut'];
export type JoinCapacity = Schemas['JoinCapacity'];
export type PublicNetwork = Schemas['PublicNetworkOut'];
export type PublicNetworkList = Schemas['PublicNetworkList'];
export type PrivacyNotice = Schemas['PrivacyNotice'];
export type JoinRequestInput = Schemas['JoinRequestInput'];
export type JoinReceived = Schemas['Received'];
export const AGREEMENT_KINDS = ENUMS.AgreementKind;
export const MEETING_KINDS = ENUMS.MeetingKind;
export const ATTENDANCES = ENUMS.Attendance;
export const JOIN_CAPACITIES = ENUMS.JoinCapacity;
