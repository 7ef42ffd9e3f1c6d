// Small charts drawn as inline SVG (no chart library), each with its table alternative: a chart
// is an image with a short accessible name, the numbers are in a <table> with a caption right
// under it, so nothing is said by the picture alone.
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { components } from '../../api/schema';
import { formatCents } from '../../lib/format';

type MonthFigures = components['schemas']['MonthFigures'];

const W = 320;
const H = 120;
const PAD = { top: 10, right: 8, bottom: 22, left: 8 };

/** `2026-11` → `11/2026`. */
export function formatMonth(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? `${m[2]}/${m[1]}` : month;
}

interface Series {
  label: string;
  values: number[];
  kind: 'line' | 'bars';
  /** The Bootstrap Italia colour of the series (its legend says the same in words). */
  color: string;
}

/** One panel: bars or a line over the months, its maximum written at the top left. */
function Panel({ months, series, max, format }: { months: string[]; series: Series; max: number; format: (n: number) => string }) {
  const titleId = useId();
  const n = months.length;
  const iw = W - PAD.left - PAD.right;
  const ih = H - PAD.top - PAD.bottom;
  const step = n > 0 ? iw / n : iw;
  const y = (v: number) => PAD.top + ih - (max > 0 ? (v / max) * ih : 0);
  const x = (i: number) => PAD.left + step * i + step / 2;
  // A few months still read as bars, not as one block.
  const barW = Math.min(Math.max(step * 0.7, 2), 40);
  return (
    <figure className="app-chart mb-2">
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-labelledby={titleId} preserveAspectRatio="xMidYMid meet"
           style={{ maxWidth: 480 }} data-testid="chart">
        <title id={titleId}>{series.label}</title>
        <line x1={PAD.left} x2={W - PAD.right} y1={PAD.top + ih} y2={PAD.top + ih} stroke="#5d7083" strokeWidth="1" />
        <text x={PAD.left} y={PAD.top - 1} fontSize="9" fill="#1a1a1a">{format(max)}</text>
        {series.kind === 'bars'
          ? series.values.map((v, i) => (
            <rect key={i} x={x(i) - barW / 2} width={barW} y={y(v)} height={PAD.top + ih - y(v)} fill={series.color} />
          ))
          : n > 0 && (
            <>
              <polyline fill="none" stroke={series.color} strokeWidth="2" points={series.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')} />
              {series.values.map((v, i) => <circle key={i} cx={x(i)} cy={y(v)} r="2.5" fill={series.color} />)}
            </>
          )}
        {n > 0 && <text x={x(0)} y={H - 6} fontSize="9" textAnchor="start" fill="#1a1a1a">{formatMonth(months[0])}</text>}
        {n > 1 && <text x={x(n - 1)} y={H - 6} fontSize="9" textAnchor="end" fill="#1a1a1a">{formatMonth(months[n - 1])}</text>}
      </svg>
      <figcaption className="small">{series.label}</figcaption>
    </figure>
  );
}

/**
 * The months of a monitoring: persons reached to date (a line) and euros spent each month
 * (bars), then the same numbers in a table.
 */
export function MonthlyChart({ byMonth, caption }: { byMonth: MonthFigures[]; caption: string }) {
  const { t } = useTranslation();
  if (byMonth.length === 0) return <p className="small text-secondary">{t('plans.monitoring.noMonths')}</p>;
  const months = byMonth.map((m) => m.month);
  const persons = byMonth.map((m) => m.persons_to_date);
  const spent = byMonth.map((m) => m.spent_cents);
  return (
    <div data-testid="monthly-chart">
      <div className="row">
        <div className="col-12 col-md-6">
          <Panel months={months} max={Math.max(1, ...persons)} format={(v) => String(v)}
                 series={{ label: t('plans.monitoring.personsToDate'), values: persons, kind: 'line', color: '#0066cc' }} />
        </div>
        <div className="col-12 col-md-6">
          <Panel months={months} max={Math.max(1, ...spent)} format={formatCents}
                 series={{ label: t('plans.monitoring.spentByMonth'), values: spent, kind: 'bars', color: '#008055' }} />
        </div>
      </div>
      <div className="table-responsive">
        <table className="table table-sm small" data-testid="monthly-table">
          <caption>{caption}</caption>
          <thead><tr>
            <th scope="col">{t('plans.monitoring.month')}</th>
            <th scope="col">{t('plans.monitoring.personsToDate')}</th>
            <th scope="col">{t('plans.monitoring.newPersons')}</th>
            <th scope="col">{t('plans.monitoring.activations')}</th>
            <th scope="col">{t('plans.monitoring.committed')}</th>
            <th scope="col">{t('plans.monitoring.spentByMonth')}</th>
          </tr></thead>
          <tbody>
            {byMonth.map((m) => (
              <tr key={m.month}>
                <th scope="row">{formatMonth(m.month)}</th>
                <td>{m.persons_to_date}</td>
                <td>{m.new_persons}</td>
                <td>{m.activations}</td>
                <td>{formatCents(m.committed_cents)}</td>
                <td>{formatCents(m.spent_cents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** Spent and reserved against the budget, as horizontal bars, then as a table. */
export function BudgetChart({ budget, reserved, spent, caption }: { budget: number | null | undefined; reserved: number; spent: number; caption: string }) {
  const { t } = useTranslation();
  const titleId = useId();
  const rows = [
    { label: t('plans.monitoring.budget'), value: budget ?? 0, color: '#5d7083', shown: budget != null },
    { label: t('plans.monitoring.reserved'), value: reserved, color: '#0066cc', shown: true },
    { label: t('plans.monitoring.spent'), value: spent, color: '#008055', shown: true },
  ].filter((r) => r.shown);
  const max = Math.max(1, ...rows.map((r) => r.value));
  const barH = 18;
  const labelW = 110;
  const h = rows.length * (barH + 8) + 4;
  return (
    <div data-testid="budget-chart">
      <svg viewBox={`0 0 ${W} ${h}`} width="100%" role="img" aria-labelledby={titleId} style={{ maxWidth: 480 }}>
        <title id={titleId}>{caption}</title>
        {rows.map((r, i) => {
          const w = ((W - labelW - 4) * r.value) / max;
          const yy = 4 + i * (barH + 8);
          return (
            <g key={r.label}>
              <text x={0} y={yy + barH - 5} fontSize="10" fill="#1a1a1a">{r.label}</text>
              <rect x={labelW} y={yy} width={Math.max(w, 1)} height={barH} fill={r.color} />
            </g>
          );
        })}
      </svg>
      <table className="table table-sm small" data-testid="budget-table">
        <caption>{caption}</caption>
        <thead><tr><th scope="col">{t('plans.monitoring.item')}</th><th scope="col">{t('plans.monitoring.amount')}</th></tr></thead>
        <tbody>
          {rows.map((r) => <tr key={r.label}><th scope="row">{r.label}</th><td>{formatCents(r.value)}</td></tr>)}
        </tbody>
      </table>
    </div>
  );
}
