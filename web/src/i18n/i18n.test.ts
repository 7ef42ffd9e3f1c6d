// Italian and English stay at parity, and every value of the contract's enums that the screens
// show has a label in both: a value added to openapi.yaml fails here until it is named.
import { describe, expect, it } from 'vitest';
import { ENUMS } from '../api/enums.gen';
import en from './en.json';
import itJson from './it.json';

type Tree = { [k: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
}

function lookup(tree: Tree, path: string): unknown {
  return path.split('.').reduce<unknown>((node, k) => (node && typeof node === 'object' ? (node as Tree)[k] : undefined), tree);
}

/** i18n keys cannot hold `.` or `:`: `case.closed` → `case_closed` (as features/integrations/labels.ts). */
const key = (value: string) => value.replace(/[.:]/g, '_');

/** Where each enum's labels live. */
const LABELS: Partial<Record<keyof typeof ENUMS, string[]>> = {
  ReferralStatus: ['status.referral', 'status.any'],
  CaseStatus: ['status.case', 'status.any'],
  ActivationStatus: ['status.activation', 'status.any'],
  MeetingStatus: ['status.meeting', 'status.any'],
  OutcomeCheckStatus: ['status.any'],
  DecisionKind: ['status.decision', 'decisionAction'],
  Urgency: ['status.urgency'],
  DeliveryStatus: ['status.delivery'],
  ReferralSource: ['source'],
  Need: ['need'],
  EmploymentStatus: ['employment'],
  EducationLevel: ['education'],
  Cluster: ['cluster'],
  TargetGroup: ['targetGroup'],
  MeasureKind: ['measureKind'],
  Outcome: ['outcome'],
  ContractType: ['contract'],
  FollowUpKind: ['followUp', 'action'],
  OrganizationKind: ['orgKind'],
  Role: ['roles'],
  Scope: ['integrations.scope'],
  EventType: ['webhooks.eventType'],
  NotificationKind: ['notifications.kind'],
  EmailMode: ['notifications.mode'],
  NetworkKind: ['networks.kind'],
  NetworkStatus: ['status.network'],
  NetworkObjective: ['networks.objective'],
  MemberRole: ['networks.role'],
  ResourceKind: ['networks.resourceKind'],
  ResourceStatus: ['status.resource'],
  AgreementKind: ['networks.agreementKind'],
  AgreementStatus: ['status.agreement', 'status.any'],
  ActionItemStatus: ['status.actionItem', 'status.any'],
  MeetingKind: ['meetings.kind'],
  Attendance: ['meetings.attendance'],
  JoinCapacity: ['join.capacities'],
  JoinRequestStatus: ['status.any'],
  PlanStatus: ['status.plan'],
  PlanActionStatus: ['status.planAction'],
  ProjectStatus: ['status.project'],
  FundingSource: ['plans.fundingSource'],
  AxisCode: ['plans.axisCode'],
  DeadlineKind: ['projects.deadline'],
  IndicatorMetric: ['plans.metric'],
  OpportunityKind: ['opportunities.kindOf'],
  OpportunitySource: ['opportunities.sourceOf'],
  OpportunityStatus: ['status.opportunity', 'status.any'],
  ProposalAnswer: ['opportunities.answer', 'status.any'],
  LegalGround: ['privacy.legalGround'],
  AnonymisationStatus: ['privacy.requestStatus'],
};

describe('translations', () => {
  it('Italian and English have the same keys', () => {
    expect(keys(en as Tree).sort()).toEqual(keys(itJson as Tree).sort());
  });

  for (const [name, prefixes] of Object.entries(LABELS)) {
    it(`every ${name} has a label in Italian and English`, () => {
      const missing: string[] = [];
      for (const value of ENUMS[name as keyof typeof ENUMS]) {
        for (const prefix of prefixes!) {
          for (const [lang, tree] of [['it', itJson], ['en', en]] as const) {
            const label = lookup(tree as Tree, `${prefix}.${key(value)}`);
            if (typeof label !== 'string' || !label) missing.push(`${lang}: ${prefix}.${key(value)}`);
          }
        }
      }
      expect(missing).toEqual([]);
    });
  }

  // "1 decisioni", "Ci sono 1 misure": a count in a sentence always has its plural forms.
  it('every text with a count has a singular and a plural form', () => {
    const wrong: string[] = [];
    for (const [lang, tree] of [['it', itJson], ['en', en]] as const) {
      const all = keys(tree as Tree);
      for (const k of all) {
        const value = lookup(tree as Tree, k) as string;
        const plural = /_(one|other)$/.test(k);
        if (/\{\{count\}\}/.test(value) && !plural) wrong.push(`${lang}: ${k} counts without plural forms`);
        if (plural) {
          const base = k.replace(/_(one|other)$/, '');
          if (!all.includes(`${base}_one`) || !all.includes(`${base}_other`)) wrong.push(`${lang}: ${base} lacks _one or _other`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
