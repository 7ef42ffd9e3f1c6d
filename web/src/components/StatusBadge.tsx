// A state shown as a coloured badge with its Italian name (colour is never the only signal).
// The colours are keyed by the contract's enums: a state added in openapi.yaml breaks the build
// until it has one.
import { useTranslation } from 'react-i18next';
import type { components } from '../api/schema';

type S = components['schemas'];
interface Kinds {
  referral: S['ReferralStatus'];
  case: S['CaseStatus'];
  activation: S['ActivationStatus'];
  meeting: S['MeetingStatus'];
  decision: S['DecisionKind'];
  urgency: S['Urgency'];
  delivery: S['DeliveryStatus'];
  network: S['NetworkStatus'];
  resource: S['ResourceStatus'];
  agreement: S['AgreementStatus'];
  actionItem: S['ActionItemStatus'];
  plan: S['PlanStatus'];
  planAction: S['PlanActionStatus'];
  project: S['ProjectStatus'];
  opportunity: S['OpportunityStatus'];
}
export type StatusKind = keyof Kinds;
type Color = 'primary' | 'secondary' | 'success' | 'danger' | 'warning' | 'info';

const COLORS: { [K in StatusKind]: Record<Kinds[K], Color> } = {
  referral: {
    draft: 'secondary', submitted: 'primary', scheduled: 'info', accepted: 'success', rejected: 'danger',
    redirected: 'warning', deferred: 'warning', info_requested: 'warning', withdrawn: 'secondary',
  },
  case: { assigned: 'primary', in_charge: 'info', active: 'success', monitoring: 'info', suspended: 'warning', closed: 'secondary' },
  activation: {
    proposed: 'secondary', approved: 'primary', running: 'success', completed: 'secondary', interrupted: 'warning', cancelled: 'secondary',
  },
  meeting: { planned: 'secondary', open: 'success', closed: 'secondary' },
  decision: {
    accept: 'success', reject: 'danger', redirect: 'warning', defer: 'warning', request_info: 'warning', reassign: 'warning', confirm: 'success',
  },
  urgency: { low: 'secondary', normal: 'primary', high: 'danger' },
  delivery: { pending: 'warning', delivered: 'success', failed: 'danger' },
  network: { forming: 'info', active: 'success', suspended: 'warning', closed: 'secondary' },
  resource: { pledged: 'primary', available: 'success', used: 'secondary', withdrawn: 'secondary' },
  agreement: { draft: 'secondary', signed: 'success', expired: 'warning', terminated: 'danger' },
  actionItem: { open: 'primary', done: 'success', dropped: 'secondary' },
  plan: { draft: 'secondary', approved: 'success', closed: 'secondary' },
  planAction: { planned: 'primary', running: 'success', completed: 'secondary', dropped: 'secondary' },
  project: {
    idea: 'secondary', submitted: 'primary', granted: 'success', rejected: 'danger', running: 'info', reported: 'warning', closed: 'secondary',
  },
  opportunity: { draft: 'secondary', published: 'success', expired: 'warning', withdrawn: 'danger' },
};

export function StatusBadge<K extends StatusKind>({ kind, status }: { kind: K; status: Kinds[K] }) {
  const { t } = useTranslation();
  const color = (COLORS[kind] as Record<string, Color>)[status] ?? 'secondary';
  // Bootstrap Italia's light badges need dark text for AA contrast.
  const text = color === 'warning' || color === 'info' ? ' text-dark' : '';
  return (
    <span className={`badge bg-${color}${text} badge-status`} data-status={status}>
      {t(`status.${kind}.${status}`, { defaultValue: status })}
    </span>
  );
}
