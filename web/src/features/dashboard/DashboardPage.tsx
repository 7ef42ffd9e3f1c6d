// Coordinator's dashboard: referrals waiting, the open/next meeting, overdue cases, budget per agency.
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { Threshold } from '../../api/types';
import { BudgetBar } from '../../components/Budget';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCents, formatDate } from '../../lib/format';
import { currentMeeting, personName, useMeetings, useThresholds } from '../common/workflow';

function Panel({ id, title, children, action }: { id: string; title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <section aria-labelledby={id} className="card card-bg h-100">
      <div className="card-body">
        <h2 id={id} className="h5">{title}</h2>
        {children}
        {action && <div className="mt-2">{action}</div>}
      </div>
    </section>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const waiting = useQuery({
    queryKey: queryKeys.list('referrals', { status: 'submitted', limit: 100 }),
    queryFn: () => unwrap(api.GET('/api/v1/referrals', { params: { query: { status: 'submitted', limit: 100 } } })),
  });
  const meetings = useMeetings();
  const overdue = useQuery({
    queryKey: queryKeys.list('cases', { overdue: true, limit: 100 }),
    queryFn: () => unwrap(api.GET('/api/v1/cases', { params: { query: { overdue: true, limit: 100 } } })),
  });
  const thresholds = useThresholds();
  const current = currentMeeting(meetings.data);
  const byAgency = new Map<string, Threshold[]>();
  for (const th of thresholds.data ?? []) byAgency.set(th.agency_name, [...(byAgency.get(th.agency_name) ?? []), th]);
  return (
    <Page title={t('nav.dashboard')}>
      <div className="row g-4 mb-4">
        <div className="col-12 col-lg-4">
          <Panel id="dash-waiting" title={t('dashboard.waiting')}
                 action={<Link to="/referrals?status=submitted">{t('dashboard.allWaiting')}</Link>}>
            {waiting.isPending ? <Loading /> : waiting.isError ? <ErrorState error={waiting.error} onRetry={() => void waiting.refetch()} /> : (
              <>
                <p className="display-6 mb-2" data-testid="waiting-count">{waiting.data.items.length}</p>
                <ul className="small list-unstyled mb-0">
                  {waiting.data.items.slice(0, 5).map((r) => (
                    <li key={r.id}><Link to={`/referrals/${r.id}`}>{personName(r.person)}</Link> · {r.organization.name}</li>
                  ))}
                </ul>
              </>
            )}
          </Panel>
        </div>
        <div className="col-12 col-lg-4">
          <Panel id="dash-meeting" title={t('dashboard.meeting')} action={<Link to="/meetings">{t('dashboard.allMeetings')}</Link>}>
            {meetings.isPending ? <Loading /> : meetings.isError ? <ErrorState error={meetings.error} onRetry={() => void meetings.refetch()} /> :
              !current ? <EmptyState title={t('dashboard.noMeeting')} /> : (
                <>
                  <p className="mb-1"><Link to={`/meetings/${current.id}`} className="fw-semibold">{current.title}</Link></p>
                  <p className="mb-1">{formatDate(current.scheduled_for)} · <StatusBadge kind="meeting" status={current.status} /></p>
                  <p className="small mb-0">{t('dashboard.agendaCount', { count: current.agenda_count })}, {t('dashboard.decisionCount', { count: current.decision_count })}</p>
                </>
              )}
          </Panel>
        </div>
        <div className="col-12 col-lg-4">
          <Panel id="dash-overdue" title={t('dashboard.overdue')} action={<Link to="/cases?overdue=true">{t('dashboard.allOverdue')}</Link>}>
            {overdue.isPending ? <Loading /> : overdue.isError ? <ErrorState error={overdue.error} onRetry={() => void overdue.refetch()} /> : (
              <>
                <p className="display-6 mb-2">{overdue.data.items.length}</p>
                <ul className="small list-unstyled mb-0">
                  {overdue.data.items.slice(0, 5).map((c) => (
                    <li key={c.id}><Link to={`/cases/${c.id}`}>{personName(c.person)}</Link> · {c.agency.name} · {formatDate(c.next_due_date)}</li>
                  ))}
                </ul>
              </>
            )}
          </Panel>
        </div>
      </div>
      <section aria-labelledby="dash-budget">
        <h2 id="dash-budget" className="h4">{t('dashboard.budget')}</h2>
        {thresholds.isPending ? <Loading /> : thresholds.isError ? <ErrorState error={thresholds.error} onRetry={() => void thresholds.refetch()} /> :
          byAgency.size === 0 ? <EmptyState title={t('catalogue.noThresholds')} /> : (
            <div className="row g-4">
              {[...byAgency.entries()].sort(([a], [b]) => a.localeCompare(b, 'it')).map(([agency, ths]) => (
                <div key={agency} className="col-12 col-md-6 col-xl-4">
                  <div className="card card-bg h-100"><div className="card-body">
                    <h3 className="h6">{agency}</h3>
                    {ths.map((th) => (
                      <div key={th.id} className="mb-2">
                        <BudgetBar label={`${th.measure_code} · ${t('budget.remainingAmount', { amount: formatCents(th.remaining_cents) })}`}
                                   cap={th.cap_cents} reserved={th.reserved_cents} spent={th.spent_cents} />
                      </div>
                    ))}
                  </div></div>
                </div>
              ))}
            </div>
          )}
      </section>
    </Page>
  );
}
