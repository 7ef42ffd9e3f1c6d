// Referrals: "Le mie segnalazioni" for a referrer (its organization's), every referral of the
// district for the coordinator. Filters live in the URL.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { REFERRAL_SOURCES, REFERRAL_STATUSES, type ReferralSource, type ReferralStatus } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { SelectField, TextField } from '../../components/Form';
import { LoadMore } from '../../components/LoadMore';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { compact, useFilters } from '../../components/useFilters';
import { useCursorList } from '../../components/useCursorList';
import { formatDate } from '../../lib/format';
import { useAllOrganizations } from '../admin/queries';
import { personName } from '../common/workflow';

export function ReferralsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const isReferrer = me.role === 'referrer';
  const [f, setF] = useFilters(['status', 'source', 'from', 'to', 'organization_id'] as const);
  // Referrers always see their own organization's: the organization filter is the coordinator's.
  const organizationId = isReferrer ? '' : f.organization_id;
  const organizations = useAllOrganizations({}, !isReferrer);
  const list = useCursorList(['referrals', 'list', { ...f, organization_id: organizationId }], (after) =>
    unwrap(api.GET('/api/v1/referrals', {
      params: {
        query: compact({
          after, limit: 50, status: (f.status || undefined) as ReferralStatus | undefined,
          source: (f.source || undefined) as ReferralSource | undefined, from: f.from || undefined, to: f.to || undefined,
          organization_id: organizationId || undefined,
        }),
      },
    })));
  const filtered = !!(f.status || f.source || f.from || f.to || organizationId);
  const orgOptions = (organizations.data ?? []).map((o) => ({ value: o.id, label: o.active ? o.name : `${o.name} (${t('admin.inactive').toLowerCase()})` }));
  // A link to an organization not (or no longer) listed still shows what it filters on.
  if (organizationId && organizations.isSuccess && !orgOptions.some((o) => o.value === organizationId)) {
    orgOptions.unshift({ value: organizationId, label: t('referrals.unknownOrganization') });
  }
  const col = isReferrer ? 'col-md-3' : 'col-md-4 col-xl';
  return (
    <Page title={isReferrer ? t('nav.myReferrals') : t('nav.referrals')}
          subtitle={isReferrer ? me.organization?.name : undefined}
          actions={isReferrer ? <Link to="/referrals/new" className="btn btn-primary">{t('nav.newReferral')}</Link> : undefined}>
      <form className="row g-3 mb-2" aria-label={t('common.filters')} onSubmit={(e) => e.preventDefault()}>
        {!isReferrer && (
          <div className="col-12 col-md-4 col-xl">
            <SelectField id="f-organization" label={t('referrals.organization')} value={organizationId} placeholder={t('common.all')}
                         onChange={(e) => setF({ organization_id: e.target.value })} options={orgOptions} />
          </div>
        )}
        <div className={`col-12 ${col}`}>
          <SelectField id="f-status" label={t('referrals.status')} value={f.status} placeholder={t('common.all')}
                       onChange={(e) => setF({ status: e.target.value })}
                       options={REFERRAL_STATUSES.map((s) => ({ value: s, label: t(`status.referral.${s}`) }))} />
        </div>
        <div className={`col-12 ${col}`}>
          <SelectField id="f-source" label={t('referrals.source')} value={f.source} placeholder={t('common.all')}
                       onChange={(e) => setF({ source: e.target.value })}
                       options={REFERRAL_SOURCES.map((s) => ({ value: s, label: t(`source.${s}`) }))} />
        </div>
        <div className={`col-6 ${col}`}>
          <TextField id="f-from" type="date" label={t('referrals.from')} value={f.from} onChange={(e) => setF({ from: e.target.value })} />
        </div>
        <div className={`col-6 ${col}`}>
          <TextField id="f-to" type="date" label={t('referrals.to')} value={f.to} onChange={(e) => setF({ to: e.target.value })} />
        </div>
      </form>
      {filtered && (
        <button type="button" className="btn btn-link px-0 mb-2" onClick={() => setF({ status: '', source: '', from: '', to: '', organization_id: '' })}>
          {t('common.resetFilters')}
        </button>
      )}
      {list.isPending ? <Loading /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> :
        list.items.length === 0 ? (
          <EmptyState title={filtered ? t('referrals.emptyFiltered') : t('referrals.empty')}>
            {isReferrer && !filtered && <Link to="/referrals/new">{t('referrals.createFirst')}</Link>}
          </EmptyState>
        ) : (
          <div className="table-responsive">
            <table className="table table-hover">
              <caption className="visually-hidden">{isReferrer ? t('nav.myReferrals') : t('nav.referrals')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('person.person')}</th>
                  <th scope="col">{t('referrals.needs')}</th>
                  <th scope="col">{t('referrals.urgency')}</th>
                  {!isReferrer && <th scope="col">{t('referrals.organization')}</th>}
                  <th scope="col">{t('referrals.submittedAt')}</th>
                  <th scope="col">{t('referrals.status')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      <Link to={`/referrals/${r.id}`}>{personName(r.person)}</Link>
                      <div className="small text-secondary font-monospace">{r.person.tax_code}</div>
                    </th>
                    <td>{r.needs.map((n) => t(`need.${n}`)).join(', ')}</td>
                    <td><StatusBadge kind="urgency" status={r.urgency} /></td>
                    {!isReferrer && <td>{r.organization.name}</td>}
                    <td>{r.submitted_at ? formatDate(r.submitted_at) : formatDate(r.created_at)}</td>
                    <td>
                      <StatusBadge kind="referral" status={r.status} />
                      {r.case && <div className="small mt-1">{t(`status.case.${r.case.status}`)} · {r.case.agency.name}</div>}
                    </td>
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
