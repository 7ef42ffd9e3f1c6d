// A threshold's use: spent + reserved out of the cap, as a bar with the numbers in words.
import { useTranslation } from 'react-i18next';
import { formatCents } from '../lib/format';

export function BudgetBar({ cap, reserved, spent, label }: { cap: number; reserved: number; spent: number; label?: string }) {
  const { t } = useTranslation();
  const pct = (v: number) => (cap > 0 ? Math.min(100, Math.round((v / cap) * 100)) : 0);
  const remaining = Math.max(0, cap - reserved - spent);
  const text = t('budget.summary', { spent: formatCents(spent), reserved: formatCents(reserved), remaining: formatCents(remaining), cap: formatCents(cap) });
  return (
    <div className="budget-bar">
      {label && <div className="small fw-semibold">{label}</div>}
      <div className="progress" style={{ height: '0.6rem' }} role="img" aria-label={text}>
        <div className="progress-bar bg-primary" style={{ width: `${pct(spent)}%` }} />
        <div className="progress-bar bg-warning" style={{ width: `${pct(reserved)}%` }} />
      </div>
      <div className="small text-secondary" aria-hidden="true">{text}</div>
    </div>
  );
}
