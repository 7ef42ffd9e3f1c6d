// What the plan's actions achieved, computed by the API from the records
// (`GET /plans/{id}/monitoring`): per action its figures — persons reached, activations, spent
// over budget, hired and still employed at six months, late — its indicators (typed, or
// "calcolato" from a figure) and its months as a chart with the table alternative.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import { DataList } from '../../components/DataList';
import { ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import i18n from '../../i18n';
import { formatCents, formatDate } from '../../lib/format';
import { MonthlyChart } from './Charts';

type Figures = components['schemas']['MonitoringFigures'];
type Reading = components['schemas']['IndicatorReading'];
type Axis = components['schemas']['AxisOut'];

/** Numbers as the UI's language writes them (1,7% / 1.7%). */
function locale(): string {
  return i18n.language === 'en' ? 'en-GB' : 'it-IT';
}

function percent(v: number | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  return `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(v)}%`;
}

export function LateBadge() {
  const { t } = useTranslation();
  return <span className="badge bg-danger badge-status" data-testid="late">{t('plans.late')}</span>;
}

/** The figures of an action or a project. */
export function FiguresList({ figures }: { figures: Figures }) {
  const { t } = useTranslation();
  return (
    <DataList items={[
      [t('plans.monitoring.personsReached'), figures.persons_reached],
      [t('plans.monitoring.activations'), figures.activations],
      [t('plans.monitoring.spentOverBudget'), `${formatCents(figures.spent_cents)} / ${figures.budget_cents != null ? formatCents(figures.budget_cents) : '—'}`],
      [t('plans.monitoring.executed'), percent(figures.budget_executed_percent)],
      [t('plans.monitoring.hired'), figures.hired],
      [t('plans.monitoring.employed6'), figures.employed_at_6_months],
    ]} />
  );
}

function Indicators({ readings, title }: { readings: Reading[]; title: string }) {
  const { t } = useTranslation();
  if (readings.length === 0) return <p className="small text-secondary">{t('plans.monitoring.noIndicators')}</p>;
  const num = (v: number | null | undefined) => (v === null || v === undefined ? '—' : new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(v));
  return (
    <div className="table-responsive">
      <table className="table table-sm small" data-testid="indicators">
        <caption>{t('plans.monitoring.indicatorsOf', { title })}</caption>
        <thead><tr>
          <th scope="col">{t('plans.monitoring.indicator')}</th><th scope="col">{t('plans.monitoring.valueTarget')}</th>
          <th scope="col">{t('plans.monitoring.valueDate')}</th>
        </tr></thead>
        <tbody>
          {readings.map((r, i) => (
            <tr key={i}>
              <th scope="row">{r.name}{r.unit ? ` (${r.unit})` : ''}</th>
              <td>{num(r.value)} / {num(r.target)}
                {r.computed && <>{' '}<span className="badge bg-info text-dark badge-status" data-testid="computed">
                  {t('plans.monitoring.computed')}{r.metric ? `: ${t(`plans.metric.${r.metric}`)}` : ''}</span></>}</td>
              <td>{formatDate(r.value_date)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PlanMonitoringSection({ planId, axes }: { planId: string; axes: Axis[] }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: queryKeys.sub('plans', planId, 'monitoring'),
    queryFn: () => unwrap(api.GET('/api/v1/plans/{id}/monitoring', { params: { path: { id: planId } } })),
  });
  return (
    <section className="mb-4" aria-labelledby="monitoring-h" data-testid="plan-monitoring">
      <h2 className="h4" id="monitoring-h">{t('plans.monitoring.title')}</h2>
      {q.isPending && <Loading />}
      {q.isError && <ErrorState error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (
        <>
          <p className="small">{t('plans.monitoring.asOf', { date: formatDate(q.data.as_of) })}{' '}
            {t('plans.monitoring.lateActions', { count: q.data.late_actions })}</p>
          <h3 className="h5">{t('plans.monitoring.totals')}</h3>
          <FiguresList figures={q.data.totals} />
          {q.data.actions.length === 0 ? <p>{t('plans.noActions')}</p> : q.data.actions.map((a) => {
            const axis = axes.find((x) => x.id === a.axis_id);
            return (
              <article key={a.action_id} className="card card-bg mb-3" aria-labelledby={`mon-${a.action_id}`} data-testid="action-monitoring">
                <div className="card-body">
                  <div className="d-flex flex-wrap gap-2 align-items-center mb-2">
                    <h3 className="h5 mb-0" id={`mon-${a.action_id}`}>{a.title}</h3>
                    <StatusBadge kind="planAction" status={a.status} />
                    {a.figures.late && <LateBadge />}
                  </div>
                  {axis && <p className="small text-secondary mb-2">{axis.title}</p>}
                  {a.measures.length > 0 && (
                    <p className="small mb-2">{t('plans.monitoring.measures')}: {a.measures.map((m) => `${m.code} — ${m.name}`).join('; ')}</p>
                  )}
                  <FiguresList figures={a.figures} />
                  <MonthlyChart byMonth={a.figures.by_month} caption={t('plans.monitoring.byMonthOf', { title: a.title })} />
                  <Indicators readings={a.indicators} title={a.title} />
                </div>
              </article>
            );
          })}
        </>
      )}
    </section>
  );
}
