// A state shown as a coloured badge with its Italian name (colour is never the only signal).
import { useTranslation } from 'react-i18next';

export type StatusKind = 'referral' | 'case' | 'activation' | 'meeting' | 'decision' | 'urgency' | 'delivery';

const COLORS: Record<string, string> = {
  // referral
  draft: 'secondary', submitted: 'primary', scheduled: 'info', accepted: 'success', rejected: 'danger',
  redirected: 'warning', deferred: 'warning', info_requested: 'warning', withdrawn: 'secondary',
  // case
  assigned: 'primary', in_charge: 'info', active: 'success', monitoring: 'info', suspended: 'warning', closed: 'secondary',
  // activation
  proposed: 'secondary', approved: 'primary', running: 'success', completed: 'secondary', interrupted: 'warning', cancelled: 'secondary',
  // meeting
  planned: 'secondary', open: 'success',
  // decision
  accept: 'success', reject: 'danger', redirect: 'warning', defer: 'warning', request_info: 'warning',
  // urgency
  low: 'secondary', normal: 'primary', medium: 'primary', high: 'danger', urgent: 'danger',
  // webhook delivery
  pending: 'warning', delivered: 'success', failed: 'danger',
};

export function StatusBadge({ kind, status }: { kind: StatusKind; status: string }) {
  const { t } = useTranslation();
  const color = COLORS[status] ?? 'secondary';
  // Bootstrap Italia's light badges need dark text for AA contrast.
  const text = color === 'warning' || color === 'info' ? ' text-dark' : '';
  return (
    <span className={`badge bg-${color}${text} badge-status`} data-status={status}>
      {t(`status.${kind}.${status}`, { defaultValue: status })}
    </span>
  );
}
