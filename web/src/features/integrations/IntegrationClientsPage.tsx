// Admin: integration clients (OAuth2 client credentials of an organization's own system):
// list, rotate the secret (the new one shown once), revoke.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { IntegrationClient, IntegrationClientWithSecret } from '../../api/types';
import { ActionBar } from '../../components/Actions';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useErrorMessage } from '../../components/errors';
import { ListView } from '../../components/ListView';
import { Page } from '../../components/Page';
import { useFilters } from '../../components/useFilters';
import { formatDateTime } from '../../lib/format';
import { useAllOrganizations } from '../admin/queries';
import { ClientSecretPanel } from './ClientSecretPanel';
import { scopeLabel } from './labels';

type Pending = { action: 'rotate' | 'revoke'; client: IntegrationClient };

export function IntegrationClientsPage() {
  const { t } = useTranslation();
  const message = useErrorMessage();
  const qc = useQueryClient();
  const [f, setF] = useFilters(['organization_id'] as const);
  const orgs = useAllOrganizations();
  const [pending, setPending] = useState<Pending | null>(null);
  const [rotated, setRotated] = useState<IntegrationClientWithSecret | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const orgName = (id: string) => orgs.data?.find((o) => o.id === id)?.name ?? id;

  const act = useMutation({
    mutationFn: async ({ action, client }: Pending) => {
      const params = { params: { path: { id: client.id } } };
      return action === 'rotate'
        ? { action, client: await unwrap(api.POST('/api/v1/integration-clients/{id}/rotate-secret', params)) }
        : { action, client: await unwrap(api.POST('/api/v1/integration-clients/{id}/revoke', params)) };
    },
    onMutate: () => { setDone(null); setRotated(null); },
    onSuccess: (r) => {
      if (r.action === 'rotate') setRotated(r.client as IntegrationClientWithSecret);
      else setDone(t('integrations.revokedDone', { name: r.client.name }));
    },
    onSettled: () => {
      setPending(null);
      return qc.invalidateQueries({ queryKey: queryKeys.all('integration-clients') });
    },
  });

  return (
    <Page title={t('integrations.title')} subtitle={t('integrations.intro')}
          actions={<Link to="/admin/integrations/new" className="btn btn-primary">{t('integrations.new')}</Link>}>
      <ConfirmDialog isOpen={pending?.action === 'rotate'} title={t('integrations.rotateTitle')} confirmLabel={t('integrations.rotate')}
                     danger onConfirm={() => pending && act.mutate(pending)} onCancel={() => setPending(null)}>
        {t('integrations.rotateText', { name: pending?.client.name ?? '' })}
      </ConfirmDialog>
      <ConfirmDialog isOpen={pending?.action === 'revoke'} title={t('integrations.revokeTitle')} confirmLabel={t('integrations.revoke')}
                     danger onConfirm={() => pending && act.mutate(pending)} onCancel={() => setPending(null)}>
        {t('integrations.revokeText', { name: pending?.client.name ?? '' })}
      </ConfirmDialog>
      {rotated && (
        <ClientSecretPanel client={rotated} title={t('integrations.rotatedTitle', { name: rotated.name })}
                           onDone={() => setRotated(null)} />
      )}
      {done && <div className="alert alert-success" role="status">{done}</div>}
      {act.isError && <div className="alert alert-danger" role="alert">{message(act.error)}</div>}
      <ListView<IntegrationClient, 'organization_id'>
        resource="integration-clients" query={{ organization_id: f.organization_id }}
        fetchPage={(after) => unwrap(api.GET('/api/v1/integration-clients', {
          params: { query: { after, limit: 100, ...(f.organization_id ? { organization_id: f.organization_id } : {}) } },
        }))}
        filters={{
          values: f, set: setF,
          fields: [{
            kind: 'select', key: 'organization_id', label: t('integrations.organization'), className: 'col-md-6',
            options: (orgs.data ?? []).map((o) => ({ value: o.id, label: o.name })),
          }],
        }}
        caption={t('integrations.title')} tableClassName="table" rowKey={(c) => c.id} empty={t('integrations.empty')}
        rowProps={(c) => ({ 'data-testid': `client-${c.client_id}` })}
        columns={[
          {
            header: t('integrations.name'), rowHeader: true,
            cell: (c) => <>{c.name}<div className="small text-secondary fw-normal"><code>{c.client_id}</code></div></>,
          },
          { header: t('integrations.organization'), cell: (c) => orgName(c.organization_id) },
          {
            header: t('integrations.scopes'),
            cell: (c) => (
              <ul className="list-unstyled mb-0 small">
                {c.scopes.map((s) => <li key={s}><code>{s}</code><span className="visually-hidden">: {scopeLabel(t, s)}</span></li>)}
              </ul>
            ),
          },
          {
            header: t('admin.state'),
            cell: (c) => (c.active ? t('integrations.active') : <span className="badge bg-secondary">{t('integrations.revoked')}</span>),
          },
          { header: t('integrations.lastUsed'), cell: (c) => (c.last_used_at ? formatDateTime(c.last_used_at) : t('integrations.never')) },
          {
            header: t('common.actions'),
            cell: (c) => (
              <ActionBar record={c} size="sm" items={[
                {
                  action: 'rotate_secret', label: t('integrations.rotate'), context: t('integrations.ofName', { name: c.name }), outline: true,
                  pending: act.isPending, onClick: () => setPending({ action: 'rotate', client: c }),
                },
                {
                  action: 'revoke', label: t('integrations.revoke'), context: c.name, color: 'danger', outline: true,
                  pending: act.isPending, onClick: () => setPending({ action: 'revoke', client: c }),
                },
              ]} />
            ),
          },
        ]} />
    </Page>
  );
}
