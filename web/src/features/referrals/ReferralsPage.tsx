// Referrals: "Le mie segnalazioni" for a referrer (its organization's), every referral of the
// district for the coordinator. Filters live in the URL.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { REFERRAL_SOURCES, REFERRAL_STATUSES, type Referral, type ReferralSource, type ReferralStatus } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { ExportButtons } from '../../components/ExportButtons';
import { ListPage } from '../../components/ListView';
import { StatusBadge } from '../../components/StatusBadge';
import { compact, useFilters } from '../../components/useFilters';
import { formatDate } from '../../lib/format';
import { useAllOrganizations } from '../admin/queries';
import { personName } from '../common/workflow';

const FILTERS = ['organization_id', 'status', 'source', 'from', 'to'] as const;

export function ReferralsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const isReferrer = me.role === 'referrer';
  const [f, setF] = useFilters(FILTERS);
  // Referrers always see their own organization's: the organization filter is the coordinator's.
  const query = { ...f, organization_id: isReferrer ? '' : f.organization_id };
  const organizations = useAllOrganizations({}, !isReferrer);
  const orgOptions = (organizations.data ?? []).map((o) => ({ value: o.id, label: o.active ? o.name : `${o.name} (${t('admin.inactive').toLowerCase()})` }));
  // A link to an organization not (or no longer) listed still shows what it filters on.
  if (query.organization_id && organizations.isSuccess && !orgOptions.some((o) => o.value === query.organization_id)) {
    orgOptions.unshift({ value: query.organization_id, label: t('referrals.unknownOrganization') });
  }
  const col = isReferrer ? 'col-md-3' : 'col-md-4 col-xl';
  const title = isReferrer ? t('nav.myReferrals') : t('nav.referrals');
  return (
    <ListPage<Referral, (typeof FILTERS)[number]>
      title={title} subtitle={isReferrer ? me.organization?.name : undefined}
      actions={isReferrer ? <Link to="/referrals/new" className="btn btn-primary">{t('nav.newReferral')}</Link> : undefined}
      resource="referrals" query={query}
      fetchPage={(after) => unwrap(api.GET('/api/v1/referrals', {
        params: {
          query: compact({
            after, limit: 50, status: (query.status || undefined) as ReferralStatus | undefined,
            source: (query.source || undefined) as ReferralSource | undefined, from: query.from || undefined, to: query.to || undefined,
            organization_id: query.organization_id || undefined,
          }),
        },
      }))}
      filters={{
        values: query, set: setF, resettable: true,
        fields: [
          ...(isReferrer ? [] : [{ kind: 'select' as const, key: 'organization_id' as const, label: t('referrals.organization'), options: orgOptions, className: col }]),
          { kind: 'select', key: 'status', label: t('referrals.status'), className: col,
            options: REFERRAL_STATUSES.map((s) => ({ value: s, label: t(`status.referral.${s}`) })) },
          { kind: 'select', key: 'source', label: t('referrals.source'), className: col,
            options: REFERRAL_SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) })) },
          { kind: 'date', key: 'from', label: t('referrals.from'), className: col },
          { kind: 'date', key: 'to', label: t('referrals.to'), className: col },
        ],
      }}
      notices={<div className="mb-3"><ExportButtons list="referrals" filters={{
        status: query.status, source: query.source, from: query.from, to: query.to, organization_id: query.organization_id,
      }} /></div>}
      caption={title} rowKey={(r) => r.id}
      empty={t('referrals.empty')} emptyFiltered={t('referrals.emptyFiltered')}
      emptyExtra={isReferrer ? <Link to="/referrals/new">{t('referrals.createFirst')}</Link> : undefined}
      columns={[
        {
          header: t('person.person'), rowHeader: true,
          cell: (r) => <><Link to={`/referrals/${r.id}`}>{personName(r.person)}</Link>
            <div className="small text-secondary font-monospace">{r.person.tax_code}</div></>,
        },
        { header: t('referrals.needs'), cell: (r) => r.needs.map((n) => t(`need.${n}`)).join(', ') },
        { header: t('referrals.urgency'), cell: (r) => <StatusBadge kind="urgency" status={r.urgency} /> },
        { header: t('referrals.organization'), cell: (r) => r.organization.name, show: !isReferrer },
        { header: t('referrals.submittedAt'), cell: (r) => formatDate(r.submitted_at ?? r.created_at) },
        {
          header: t('referrals.status'),
          cell: (r) => <><StatusBadge kind="referral" status={r.status} />
            {r.case && <div className="small mt-1">{t(`status.case.${r.case.status}`)} · {r.case.agency.name}</div>}</>,
        },
      ]}
    />
  );
}
