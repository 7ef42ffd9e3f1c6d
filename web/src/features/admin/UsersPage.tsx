// Admin: user accounts, filterable by role and organization.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ROLES, type Role, type User } from '../../api/types';
import { ListPage } from '../../components/ListView';
import { compact, useFilters } from '../../components/useFilters';
import { formatDateTime } from '../../lib/format';
import { useAllOrganizations } from './queries';

const FILTERS = ['role', 'organization_id'] as const;

export function UsersPage() {
  const { t } = useTranslation();
  const [f, setF] = useFilters(FILTERS);
  const orgs = useAllOrganizations();
  const orgName = (id?: string | null) => (id ? orgs.data?.find((o) => o.id === id)?.name ?? id : t('common.none'));
  const title = t('admin.users.title');
  return (
    <ListPage<User, (typeof FILTERS)[number]>
      title={title} actions={<Link to="/admin/users/new" className="btn btn-primary">{t('admin.users.new')}</Link>}
      resource="users"
      fetchPage={(after) => unwrap(api.GET('/api/v1/users', {
        params: { query: compact({ after, limit: 50, role: (f.role || undefined) as Role | undefined, organization_id: f.organization_id || undefined }) },
      }))}
      filters={{
        values: f, set: setF,
        fields: [
          { kind: 'select', key: 'role', label: t('admin.users.role'), className: 'col-md-6',
            options: ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) })) },
          { kind: 'select', key: 'organization_id', label: t('admin.users.organization'), className: 'col-md-6',
            options: (orgs.data ?? []).map((o) => ({ value: o.id, label: o.name })) },
        ],
      }}
      caption={title} rowKey={(u) => u.id} empty={t('admin.users.empty')}
      columns={[
        { header: t('admin.users.fullName'), rowHeader: true, cell: (u) => <Link to={`/admin/users/${u.id}`}>{u.full_name}</Link> },
        { header: t('admin.email'), cell: (u) => u.email },
        { header: t('admin.users.role'), cell: (u) => t(`roles.${u.role}`) },
        { header: t('admin.users.organization'), cell: (u) => orgName(u.organization_id) },
        { header: t('admin.users.lastLogin'), cell: (u) => formatDateTime(u.last_login_at) },
        { header: t('admin.state'), cell: (u) => (u.active ? t('admin.active') : <span className="badge bg-secondary">{t('admin.disabled')}</span>) },
      ]}
    />
  );
}
