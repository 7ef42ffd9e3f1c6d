// Cases: "I miei casi" for an agency operator (overdue first), every case for the coordinator.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { CASE_STATUSES, type Case, type CaseStatus } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { ExportButtons } from '../../components/ExportButtons';
import { ListPage } from '../../components/ListView';
import { StatusBadge } from '../../components/StatusBadge';
import { compact, useFilters } from '../../components/useFilters';
import { formatDate } from '../../lib/format';
import { personName, useAgencies } from '../common/workflow';

/** Overdue first, then open cases by next due date, closed last. */
export function sortCases(cases: Case[]): Case[] {
  const rank = (c: Case) => (c.overdue ? 0 : c.status === 'closed' ? 2 : 1);
  return [...cases].sort((a, b) => rank(a) - rank(b) || (a.next_due_date ?? '9999').localeCompare(b.next_due_date ?? '9999'));
}

const FILTERS = ['status', 'agency_id', 'overdue'] as const;

export function CasesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const isCoordinator = me.role === 'coordinator';
  const [f, setF] = useFilters(FILTERS);
  const agencies = useAgencies(isCoordinator);
  const title = isCoordinator ? t('nav.cases') : t('nav.myCases');
  return (
    <ListPage<Case, (typeof FILTERS)[number]>
      title={title} subtitle={!isCoordinator ? me.organization?.name : undefined}
      resource="cases"
      fetchPage={(after) => unwrap(api.GET('/api/v1/cases', {
        params: {
          query: compact({
            after, limit: 100, status: (f.status || undefined) as CaseStatus | undefined, agency_id: f.agency_id || undefined,
            overdue: f.overdue === 'true' ? true : undefined,
          }),
        },
      }))}
      filters={{
        values: f, set: setF,
        fields: [
          { kind: 'select', key: 'status', label: t('cases.status'), className: 'col-md-4',
            options: CASE_STATUSES.map((s) => ({ value: s, label: t(`status.case.${s}`) })) },
          ...(isCoordinator ? [{
            kind: 'select' as const, key: 'agency_id' as const, label: t('cases.agency'), className: 'col-md-4',
            options: (agencies.data ?? []).map((a) => ({ value: a.id, label: a.name })),
          }] : []),
          { kind: 'checkbox', key: 'overdue', label: t('cases.onlyOverdue'), className: 'col-md-4' },
        ],
      }}
      notices={<div className="mb-3"><ExportButtons list="cases" filters={{
        status: f.status, agency_id: f.agency_id, overdue: f.overdue === 'true' ? true : undefined,
      }} /></div>}
      sort={sortCases} caption={title} rowKey={(c) => c.id} empty={t('cases.empty')}
      rowProps={(c) => ({ className: c.overdue ? 'case-overdue' : undefined, 'data-testid': 'case-row' })}
      columns={[
        {
          header: t('person.person'), rowHeader: true,
          cell: (c) => <><Link to={`/cases/${c.id}`}>{personName(c.person)}</Link>
            <div className="small text-secondary font-monospace">{c.person.tax_code}</div></>,
        },
        { header: t('cases.agency'), cell: (c) => c.agency.name, show: isCoordinator },
        { header: t('cases.status'), cell: (c) => <StatusBadge kind="case" status={c.status} /> },
        {
          header: t('cases.nextDue'), className: 'nowrap',
          cell: (c) => <>{formatDate(c.next_due_date)}{c.overdue && <span className="badge bg-danger ms-2">{t('cases.overdue')}</span>}</>,
        },
        { header: t('cases.outcome'), cell: (c) => (c.outcome ? t(`outcome.${c.outcome}`) : '—') },
      ]}
    />
  );
}
