// Admin: the organizations (enti) of the districts, filterable by kind and state.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ORGANIZATION_KINDS, type Organization, type OrganizationKind } from '../../api/types';
import { ListPage } from '../../components/ListView';
import { compact, useFilters } from '../../components/useFilters';
import { useDistricts } from './queries';

const FILTERS = ['kind', 'active', 'district_id'] as const;

export function OrganizationsPage() {
  const { t } = useTranslation();
  const [f, setF] = useFilters(FILTERS);
  const districts = useDistricts();
  const districtName = (id: string) => districts.data?.find((d) => d.id === id)?.name ?? id;
  const title = t('admin.organizations.title');
  return (
    <ListPage<Organization, (typeof FILTERS)[number]>
      title={title} actions={<Link to="/admin/organizations/new" className="btn btn-primary">{t('admin.organizations.new')}</Link>}
      resource="organizations"
      fetchPage={(after) => unwrap(api.GET('/api/v1/organizations', {
        params: {
          query: compact({
            after, limit: 50, kind: (f.kind || undefined) as OrganizationKind | undefined,
            active: f.active === '' ? undefined : f.active === 'true', district_id: f.district_id || undefined,
          }),
        },
      }))}
      filters={{
        values: f, set: setF,
        fields: [
          { kind: 'select', key: 'kind', label: t('admin.organizations.kind'), className: 'col-md-4',
            options: ORGANIZATION_KINDS.map((k) => ({ value: k, label: t(`orgKind.${k}`) })) },
          { kind: 'select', key: 'active', label: t('admin.state'), className: 'col-md-4',
            options: [{ value: 'true', label: t('admin.active') }, { value: 'false', label: t('admin.inactive') }] },
          { kind: 'select', key: 'district_id', label: t('admin.district'), className: 'col-md-4',
            options: (districts.data ?? []).map((d) => ({ value: d.id, label: d.name })) },
        ],
      }}
      caption={title} rowKey={(o) => o.id} empty={t('admin.organizations.empty')}
      columns={[
        { header: t('admin.organizations.name'), rowHeader: true, cell: (o) => <Link to={`/admin/organizations/${o.id}`}>{o.name}</Link> },
        { header: t('admin.organizations.kind'), cell: (o) => t(`orgKind.${o.kind}`) },
        { header: t('admin.organizations.accreditation'), cell: (o) => o.accreditation_code ?? t('common.none') },
        { header: t('admin.district'), cell: (o) => districtName(o.district_id) },
        { header: t('admin.state'), cell: (o) => (o.active ? t('admin.active') : <span className="badge bg-secondary">{t('admin.inactive')}</span>) },
      ]}
    />
  );
}
