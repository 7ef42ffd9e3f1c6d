// Cases: "I miei casi" for an agency operator (overdue first), every case for the coordinator.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { CASE_STATUSES, type Case, type CaseStatus } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { SelectField } from '../../components/Form';
import { LoadMore } from '../../components/LoadMore';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { compact, useFilters } from '../../components/useFilters';
import { useCursorList } from '../../components/useCursorList';
import { formatDate } from '../../lib/format';
import { personName, useAgencies } from '../common/workflow';

/** Overdue first, then open cases by next due date, closed last. */
export function sortCases(cases: Case[]): Case[] {
  const rank = (c: Case) => (c.overdue ? 0 : c.status === 'closed' ? 2 : 1);
  return [...cases].sort((a, b) => rank(a) - rank(b) || (a.next_due_date ?? '9999').localeCompare(b.next_due_date ?? '9999'));
}

export function CasesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const isCoordinator = me.role === 'coordinator';
  const [f, setF] = useFilters(['status', 'agency_id', 'overdue'] as const);
  const agencies = useAgencies(isCoordinator);
  const list = useCursorList(['cases', 'list', f], (after) =>
    unwrap(api.GET('/api/v1/cases', {
      params: {
        query: compact({
          after, limit: 100, status: (f.status || undefined) as CaseStatus | undefined, agency_id: f.agency_id || undefined,
          overdue: f.overdue === 'true' ? true : undefined,
        }),
      },
    })));
  const title = isCoordinator ? t('nav.cases') : t('nav.myCases');
  const items = sortCases(list.items);
  return (
    <Page title={title} subtitle={!isCoordinator ? me.organization?.name : undefined}>
      <form className="row g-3 mb-2" aria-label={t('common.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="col-12 col-md-4">
          <SelectField id="f-status" label={t('cases.status')} value={f.status} placeholder={t('common.all')}
                       onChange={(e) => setF({ status: e.target.value })}
                       options={CASE_STATUSES.map((s) => ({ value: s, label: t(`status.case.${s}`) }))} />
        </div>
        {isCoordinator && (
          <div className="col-12 col-md-4">
            <SelectField id="f-agency" label={t('cases.agency')} value={f.agency_id} placeholder={t('common.all')}
                         onChange={(e) => setF({ agency_id: e.target.value })}
                         options={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))} />
          </div>
        )}
        <div className="col-12 col-md-4 d-flex align-items-end">
          <div className="form-check mb-4">
            <input id="f-overdue" type="checkbox" checked={f.overdue === 'true'} onChange={(e) => setF({ overdue: e.target.checked ? 'true' : '' })} />
            <label htmlFor="f-overdue">{t('cases.onlyOverdue')}</label>
          </div>
        </div>
      </form>
      {list.isPending ? <Loading /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> :
        items.length === 0 ? <EmptyState title={t('cases.empty')} /> : (
          <div className="table-responsive">
            <table className="table table-hover">
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('person.person')}</th>
                  {isCoordinator && <th scope="col">{t('cases.agency')}</th>}
                  <th scope="col">{t('cases.status')}</th>
                  <th scope="col">{t('cases.nextDue')}</th>
                  <th scope="col">{t('cases.outcome')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.id} className={c.overdue ? 'case-overdue' : undefined} data-testid="case-row">
                    <th scope="row">
                      <Link to={`/cases/${c.id}`}>{personName(c.person)}</Link>
                      <div className="small text-secondary font-monospace">{c.person.tax_code}</div>
                    </th>
                    {isCoordinator && <td>{c.agency.name}</td>}
                    <td><StatusBadge kind="case" status={c.status} /></td>
                    <td className="nowrap">
                      {formatDate(c.next_due_date)}
                      {c.overdue && <span className="badge bg-danger ms-2">{t('cases.overdue')}</span>}
                    </td>
                    <td>{c.outcome ? t(`outcome.${c.outcome}`) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      <LoadMore hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage} fetchNextPage={list.fetchNextPage} />
    </Page>
  );
}
