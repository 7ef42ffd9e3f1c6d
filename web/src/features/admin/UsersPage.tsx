// Admin: user accounts, filterable by role and organization.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ROLES, type Role } from '../../api/types';
import { SelectField } from '../../components/Form';
import { LoadMore } from '../../components/LoadMore';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { compact, useFilters } from '../../components/useFilters';
import { useCursorList } from '../../components/useCursorList';
import { formatDateTime } from '../../lib/format';
import { useAllOrganizations } from './queries';

export function UsersPage() {
  const { t } = useTranslation();
  const [f, setF] = useFilters(['role', 'organization_id'] as const);
  const orgs = useAllOrganizations();
  const list = useCursorList(['users', 'list', f], (after) =>
    unwrap(api.GET('/api/v1/users', {
      params: { query: compact({ after, limit: 50, role: (f.role || undefined) as Role | undefined, organization_id: f.organization_id || undefined }) },
    })));
  const orgName = (id?: string | null) => (id ? orgs.data?.find((o) => o.id === id)?.name ?? id : t('common.none'));

  return (
    <Page title={t('admin.users.title')}
          actions={<Link to="/admin/users/new" className="btn btn-primary">{t('admin.users.new')}</Link>}>
      <form className="row g-3 mb-2" aria-label={t('common.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="col-12 col-md-6">
          <SelectField id="f-role" label={t('admin.users.role')} value={f.role} placeholder={t('common.all')}
                       onChange={(e) => setF({ role: e.target.value })}
                       options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </div>
        <div className="col-12 col-md-6">
          <SelectField id="f-org" label={t('admin.users.organization')} value={f.organization_id} placeholder={t('common.all')}
                       onChange={(e) => setF({ organization_id: e.target.value })}
                       options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))} />
        </div>
      </form>
      {list.isPending ? <Loading /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> :
        list.items.length === 0 ? <EmptyState title={t('admin.users.empty')} /> : (
          <div className="table-responsive">
            <table className="table table-hover">
              <caption className="visually-hidden">{t('admin.users.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.users.fullName')}</th>
                  <th scope="col">{t('admin.email')}</th>
                  <th scope="col">{t('admin.users.role')}</th>
                  <th scope="col">{t('admin.users.organization')}</th>
                  <th scope="col">{t('admin.users.lastLogin')}</th>
                  <th scope="col">{t('admin.state')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((u) => (
                  <tr key={u.id}>
                    <th scope="row"><Link to={`/admin/users/${u.id}`}>{u.full_name}</Link></th>
                    <td>{u.email}</td>
                    <td>{t(`roles.${u.role}`)}</td>
                    <td>{orgName(u.organization_id)}</td>
                    <td>{formatDateTime(u.last_login_at)}</td>
                    <td>{u.active ? t('admin.active') : <span className="badge bg-secondary">{t('admin.disabled')}</span>}</td>
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
