// Admin: integration clients (OAuth2 client credentials of an organization's own system):
// list, rotate the secret (the new one shown once), revoke.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { IntegrationClient, IntegrationClientWithSecret } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useErrorMessage } from '../../components/errors';
import { SelectField } from '../../components/Form';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useFilters } from '../../components/useFilters';
import { formatDateTime } from '../../lib/format';
import { useAllOrganizations } from '../admin/queries';
import { ClientSecretPanel } from './ClientSecretPanel';
import { scopeLabel } from './labels';
import { useIntegrationClients } from './queries';

type Pending = { action: 'rotate' | 'revoke'; client: IntegrationClient };

export function IntegrationClientsPage() {
  const { t } = useTranslation();
  const message = useErrorMessage();
  const qc = useQueryClient();
  const [f, setF] = useFilters(['organization_id'] as const);
  const orgs = useAllOrganizations();
  const list = useIntegrationClients(f.organization_id || undefined);
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
      return qc.invalidateQueries({ queryKey: ['integration-clients'] });
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
      <form className="row g-3 mb-2" aria-label={t('common.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="col-12 col-md-6">
          <SelectField id="f-org" label={t('integrations.organization')} value={f.organization_id} placeholder={t('common.all')}
                       onChange={(e) => setF({ organization_id: e.target.value })}
                       options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))} />
        </div>
      </form>
      {list.isPending ? <Loading /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> :
        list.data.length === 0 ? <EmptyState title={t('integrations.empty')} /> : (
          <div className="table-responsive">
            <table className="table">
              <caption className="visually-hidden">{t('integrations.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('integrations.name')}</th>
                  <th scope="col">{t('integrations.organization')}</th>
                  <th scope="col">{t('integrations.scopes')}</th>
                  <th scope="col">{t('admin.state')}</th>
                  <th scope="col">{t('integrations.lastUsed')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((c) => (
                  <tr key={c.id} data-testid={`client-${c.client_id}`}>
                    <th scope="row">
                      {c.name}
                      <div className="small text-secondary fw-normal"><code>{c.client_id}</code></div>
                    </th>
                    <td>{orgName(c.organization_id)}</td>
                    <td>
                      <ul className="list-unstyled mb-0 small">
                        {c.scopes.map((s) => (
                          <li key={s}><code>{s}</code><span className="visually-hidden">: {scopeLabel(t, s)}</span></li>
                        ))}
                      </ul>
                    </td>
                    <td>{c.active ? t('integrations.active') : <span className="badge bg-secondary">{t('integrations.revoked')}</span>}</td>
                    <td>{c.last_used_at ? formatDateTime(c.last_used_at) : t('integrations.never')}</td>
                    <td>
                      {c.active && (
                        <div className="d-flex flex-wrap gap-2">
                          <Button color="primary" outline size="sm" disabled={act.isPending}
                                  aria-label={t('integrations.rotateOf', { name: c.name })}
                                  onClick={() => setPending({ action: 'rotate', client: c })}>
                            {t('integrations.rotate')}
                          </Button>
                          <Button color="danger" outline size="sm" disabled={act.isPending}
                                  aria-label={t('integrations.revokeOf', { name: c.name })}
                                  onClick={() => setPending({ action: 'revoke', client: c })}>
                            {t('integrations.revoke')}
                          </Button>
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </Page>
  );
}
