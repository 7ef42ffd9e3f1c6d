// Observer's overview: aggregated, de-identified figures from /reports/summary.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import { CASE_STATUSES, OUTCOMES, REFERRAL_STATUSES } from '../../api/types';
import { BudgetBar } from '../../components/Budget';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { formatCents } from '../../lib/format';

/**
 * Rows in the order the workflow declares its states (the contract's enum order: submitted
 * before scheduled before accepted…), not by count; values the contract does not list go last.
 */
export function inWorkflowOrder<R extends { key: string }>(rows: R[], order: readonly string[]): R[] {
  const rank = (k: string) => { const i = order.indexOf(k); return i < 0 ? order.length : i; };
  return [...rows].sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
}

function CountTable({ id, title, rows: given, kind, order }: {
  id: string; title: string; rows: { key: string; count: number }[]; kind: string; order: readonly string[];
}) {
  const { t } = useTranslation();
  const rows = inWorkflowOrder(given, order);
  const total = rows.reduce((s, r) => s + r.count, 0);
  return (
    <section aria-labelledby={id} className="card card-bg h-100">
      <div className="card-body">
        <h2 id={id} className="h5">{title}</h2>
        <table className="table table-sm mb-0">
          <caption className="visually-hidden">{title}</caption>
          <thead><tr><th scope="col">{t('overview.category')}</th><th scope="col" className="text-end">{t('overview.count')}</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}><th scope="row" className="fw-normal">{t(`${kind}.${r.key}`, { defaultValue: r.key })}</th><td className="text-end">{r.count}</td></tr>
            ))}
          </tbody>
          <tfoot><tr><th scope="row">{t('overview.total')}</th><td className="text-end fw-semibold">{total}</td></tr></tfoot>
        </table>
      </div>
    </section>
  );
}

export function OverviewPage() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: queryKeys.detail('reports', 'summary'), queryFn: () => unwrap(api.GET('/api/v1/reports/summary')) });
  return (
    <Page title={t('nav.overview')} subtitle={t('overview.subtitle')}>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : (
        <>
          <div className="row g-4 mb-4">
            <div className="col-12 col-md-6 col-xl-3">
              <section aria-labelledby="ov-overdue" className="card card-bg h-100"><div className="card-body">
                <h2 id="ov-overdue" className="h5">{t('dashboard.overdue')}</h2>
                <p className="display-6 mb-0">{q.data.overdue_cases}</p>
              </div></section>
            </div>
            <div className="col-12 col-md-6 col-xl-9">
              <section aria-labelledby="ov-budget" className="card card-bg h-100"><div className="card-body">
                <h2 id="ov-budget" className="h5">{t('overview.budget')}</h2>
                <BudgetBar cap={q.data.budget.cap_cents} reserved={q.data.budget.reserved_cents} spent={q.data.budget.spent_cents}
                           label={t('budget.remainingAmount', { amount: formatCents(q.data.budget.remaining_cents) })} />
              </div></section>
            </div>
          </div>
          <div className="row g-4">
            <div className="col-12 col-lg-4"><CountTable id="ov-ref" title={t('overview.referrals')} rows={q.data.referrals_by_status} kind="status.referral" order={REFERRAL_STATUSES} /></div>
            <div className="col-12 col-lg-4"><CountTable id="ov-cases" title={t('overview.cases')} rows={q.data.cases_by_status} kind="status.case" order={CASE_STATUSES} /></div>
            <div className="col-12 col-lg-4"><CountTable id="ov-out" title={t('overview.outcomes')} rows={q.data.closed_cases_by_outcome} kind="outcome" order={OUTCOMES} /></div>
          </div>
        </>
      )}
    </Page>
  );
}
