// Admin: the organizations (enti) of the districts, filterable by kind and state.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { LoadMore } from '../../components/LoadMore';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { SelectField } from '../../components/Form';
import { compact, useFilters } from '../../components/useFilters';
import { useCursorList } from '../../components/useCursorList';
import { ORGANIZATION_KINDS, useDistricts, type OrganizationKind } from './queries';

export function OrganizationsPage() {
  const { t } = useTranslation();
  const [f, setF] = useFilters(['kind', 'active', 'district_id'] as const);
  const districts = useDistricts();
  const list = useCursorList(['organizations', 'list', f], (after) =>
    unwrap(api.GET('/api/v1/organizations', {
      params: {
        query: compact({
          after, limit: 50,
          kind: (f.kind || undefined) as OrganizationKind | undefined,
          active: f.active === '' ? undefined : f.active === 'true',
          district_id: f.district_id || undefined,
        }),
      },
    })));
  const districtName = (id: string) => districts.data?.find((d) => d.id === id)?.name ?? id;

  return (
    <Page title={t('admin.organizations.title')}
          actions={<Link to="/admin/organizations/new" className="btn btn-primary">{t('admin.organizations.new')}</Link>}>
      <form className="row g-3 mb-2" aria-label={t('common.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="col-12 col-md-4">
          <SelectField id="f-kind" label={t('admin.organizations.kind')} value={f.kind} placeholder={t('common.all')}
                       onChange={(e) => setF({ kind: e.target.value })}
                       options={ORGANIZATION_KINDS.map((k) => ({ value: k, label: t(`orgKind.${k}`) }))} />
        </div>
        <div className="col-12 col-md-4">
          <SelectField id="f-active" label={t('admin.state')} value={f.active} placeholder={t('common.all')}
                       onChange={(e) => setF({ active: e.target.value })}
                       options={[{ value: 'true', label: t('admin.active') }, { value: 'false', label: t('admin.inactive') }]} />
        </div>
        <div className="col-12 col-md-4">
          <SelectField id="f-district" label={t('admin.district')} value={f.district_id} placeholder={t('common.all')}
                       onChange={(e) => setF({ district_id: e.target.value })}
                       options={(districts.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
        </div>
      </form>
      {list.isPending ? <Loading /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> :
        list.items.length === 0 ? <EmptyState title={t('admin.organizations.empty')} /> : (
          <div className="table-responsive">
            <table className="table table-hover">
              <caption className="visually-hidden">{t('admin.organizations.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.organizations.name')}</th>
                  <th scope="col">{t('admin.organizations.kind')}</th>
                  <th scope="col">{t('admin.organizations.accreditation')}</th>
                  <th scope="col">{t('admin.district')}</th>
                  <th scope="col">{t('admin.state')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((o) => (
                  <tr key={o.id}>
                    <th scope="row"><Link to={`/admin/organizations/${o.id}`}>{o.name}</Link></th>
                    <td>{t(`orgKind.${o.kind}`)}</td>
                    <td>{o.accreditation_code ?? t('common.none')}</td>
                    <td>{districtName(o.district_id)}</td>
                    <td>{o.active ? t('admin.active') : <span className="badge bg-secondary">{t('admin.inactive')}</span>}</td>
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
