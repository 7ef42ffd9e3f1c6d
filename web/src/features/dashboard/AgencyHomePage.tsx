// The agency's home, in the order its operators work: what remains on each threshold, the
// follow-ups and outcome checks due by the end of this week (overdue ones first), then the
// cases newly assigned by the table and not yet taken in charge.
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { Case } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { BudgetBar } from '../../components/Budget';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { formatCents, formatDate, todayISO } from '../../lib/format';
import { sortCases } from '../cases/CasesPage';
import { personName, useThresholds } from '../common/workflow';

/** The Sunday ending the week of `today` (YYYY-MM-DD; Monday is the first day, as in Italy). */
export function endOfWeek(today: string): string {
  const [y, m, d] = today.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  const weekday = (date.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  date.setUTCDate(date.getUTCDate() + (6 - weekday));
  return date.toISOString().slice(0, 10);
}

function useCases(name: string, query: Record<string, string | boolean | number>) {
  return useQuery({
    queryKey: queryKeys.list('cases', { home: name, ...query }),
    queryFn: () => unwrap(api.GET('/api/v1/cases', { params: { query: { limit: 100, ...query } } })),
  });
}

function Section({ id, title, children, action }: { id: string; title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <section aria-labelledby={id} className="mb-5">
      <h2 id={id} className="h4">{title}</h2>
      {children}
      {action && <p className="mt-2 mb-0">{action}</p>}
    </section>
  );
}

function CaseList({ cases, empty, testId, detail }: {
  cases: Case[]; empty: string; testId: string; detail: (c: Case) => ReactNode;
}) {
  if (cases.length === 0) return <p className="text-secondary">{empty}</p>;
  return (
    <ul className="list-group">
      {cases.map((c) => (
        <li key={c.id} className="list-group-item d-flex flex-wrap gap-2 align-items-center" data-testid={testId}>
          <Link to={`/cases/${c.id}`} className="fw-semibold">{personName(c.person)}</Link>
          <StatusBadge kind="case" status={c.status} />
          <span className="small">{detail(c)}</span>
        </li>
      ))}
    </ul>
  );
}

export function AgencyHomePage() {
  const { t } = useTranslation();
  const me = useMe();
  const today = todayISO();
  const sunday = endOfWeek(today);
  const thresholds = useThresholds();
  const followUps = useCases('follow-ups', { follow_up_due_by: sunday });
  const checks = useCases('checks', { check_due_by: sunday });
  const assigned = useCases('assigned', { status: 'assigned' });
  const retry = (q: { refetch: () => unknown }) => () => void q.refetch();
  return (
    <Page title={t('agencyHome.title')} subtitle={me.organization?.name}>
      <Section id="home-thresholds" title={t('agencyHome.thresholds')}>
        {thresholds.isPending ? <Loading /> : thresholds.isError ? <ErrorState error={thresholds.error} onRetry={retry(thresholds)} /> :
          thresholds.data.length === 0 ? <p className="text-secondary">{t('agencyHome.noThresholds')}</p> : (
            <div className="row g-3">
              {thresholds.data.map((th) => (
                <div key={th.id} className="col-12 col-md-6 col-xl-4" data-testid="home-threshold">
                  <div className="card card-bg h-100"><div className="card-body">
                    <h3 className="h6 mb-1">{th.measure_code}</h3>
                    <p className="small text-secondary mb-2">{t('agencyHome.period', { from: formatDate(th.period_start), to: formatDate(th.period_end) })}</p>
                    <BudgetBar label={t('budget.remainingAmount', { amount: formatCents(th.remaining_cents) })}
                               cap={th.cap_cents} reserved={th.reserved_cents} spent={th.spent_cents} />
                  </div></div>
                </div>
              ))}
            </div>
          )}
      </Section>

      <Section id="home-week" title={t('agencyHome.week', { date: formatDate(sunday) })}>
        <h3 className="h5">{t('agencyHome.followUps')}</h3>
        {followUps.isPending ? <Loading /> : followUps.isError ? <ErrorState error={followUps.error} onRetry={retry(followUps)} /> : (
          <CaseList cases={sortCases(followUps.data.items)} empty={t('agencyHome.noFollowUps')} testId="home-follow-up"
                    detail={(c) => (
                      <>
                        {t('agencyHome.dueOn', { date: formatDate(c.next_due_date) })}
                        {c.overdue && <span className="badge bg-danger ms-2">{t('cases.overdue')}</span>}
                      </>
                    )} />
        )}
        <h3 className="h5 mt-4">{t('agencyHome.checks')}</h3>
        {checks.isPending ? <Loading /> : checks.isError ? <ErrorState error={checks.error} onRetry={retry(checks)} /> : (
          <CaseList cases={checks.data.items} empty={t('agencyHome.noChecks')} testId="home-check"
                    detail={(c) => (c.outcome ? t(`outcome.${c.outcome}`) : '')} />
        )}
      </Section>

      <Section id="home-assigned" title={t('agencyHome.assigned')} action={<Link to="/cases">{t('agencyHome.allCases')}</Link>}>
        {assigned.isPending ? <Loading /> : assigned.isError ? <ErrorState error={assigned.error} onRetry={retry(assigned)} /> : (
          <CaseList cases={[...assigned.data.items].sort((a, b) => b.created_at.localeCompare(a.created_at))}
                    empty={t('agencyHome.noAssigned')} testId="home-assigned"
                    detail={(c) => t('agencyHome.assignedOn', { date: formatDate(c.created_at) })} />
        )}
      </Section>
    </Page>
  );
}
