// Coordinator (their organization) and admin (any organization): webhook subscriptions —
// list, delete (stops deliveries; the log stays), and the way to each delivery log.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { WebhookSubscription } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { ActionBar } from '../../components/Actions';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useErrorMessage } from '../../components/errors';
import { ListView } from '../../components/ListView';
import { Page } from '../../components/Page';
import { useFilters } from '../../components/useFilters';
import { formatDateTime } from '../../lib/format';
import { useAllOrganizations } from '../admin/queries';
import { eventLabel } from './labels';

export function WebhooksPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const isAdmin = me?.role === 'admin';
  const message = useErrorMessage();
  const qc = useQueryClient();
  const [f, setF] = useFilters(['organization_id'] as const);
  const orgs = useAllOrganizations({}, isAdmin);
  const [pending, setPending] = useState<WebhookSubscription | null>(null);
  const [done, setDone] = useState(false);
  const orgName = (id: string) => orgs.data?.find((o) => o.id === id)?.name ?? id;

  const remove = useMutation({
    mutationFn: (w: WebhookSubscription) => unwrap(api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: w.id } } })),
    onMutate: () => setDone(false),
    onSuccess: () => setDone(true),
    onSettled: () => {
      setPending(null);
      return qc.invalidateQueries({ queryKey: queryKeys.all('webhooks') });
    },
  });

  return (
    <Page title={t('webhooks.title')} subtitle={t('webhooks.intro')}
          actions={<Link to="/webhooks/new" className="btn btn-primary">{t('webhooks.new')}</Link>}>
      <ConfirmDialog isOpen={!!pending} title={t('webhooks.deleteTitle')} confirmLabel={t('webhooks.delete')} danger
                     onConfirm={() => pending && remove.mutate(pending)} onCancel={() => setPending(null)}>
        {t('webhooks.deleteText', { url: pending?.url ?? '' })}
      </ConfirmDialog>
      {done && <div className="alert alert-success" role="status">{t('webhooks.deletedDone')}</div>}
      {remove.isError && <div className="alert alert-danger" role="alert">{message(remove.error)}</div>}
      <ListView<WebhookSubscription, 'organization_id'>
        resource="webhooks" query={{ organization_id: isAdmin ? f.organization_id : '' }}
        fetchPage={(after) => unwrap(api.GET('/api/v1/webhooks', {
          params: { query: { after, limit: 100, ...(isAdmin && f.organization_id ? { organization_id: f.organization_id } : {}) } },
        }))}
        filters={isAdmin ? {
          values: f, set: setF,
          fields: [{
            kind: 'select', key: 'organization_id', label: t('webhooks.organization'), className: 'col-md-6',
            options: (orgs.data ?? []).map((o) => ({ value: o.id, label: o.name })),
          }],
        } : undefined}
        caption={t('webhooks.title')} tableClassName="table" rowKey={(w) => w.id} empty={t('webhooks.empty')}
        rowProps={(w) => ({ 'data-testid': `webhook-${w.id}` })}
        columns={[
          { header: t('webhooks.url'), rowHeader: true, className: 'text-break', cell: (w) => w.url },
          { header: t('webhooks.organization'), show: isAdmin, cell: (w) => orgName(w.organization_id) },
          {
            header: t('webhooks.events'),
            cell: (w) => <ul className="list-unstyled mb-0 small">{w.event_types.map((e) => <li key={e}>{eventLabel(t, e)}</li>)}</ul>,
          },
          { header: t('webhooks.state'), cell: (w) => (w.active ? t('webhooks.active') : <span className="badge bg-secondary">{t('webhooks.deleted')}</span>) },
          { header: t('webhooks.createdAt'), className: 'nowrap', cell: (w) => formatDateTime(w.created_at) },
          {
            header: t('common.actions'),
            cell: (w) => (
              <ActionBar record={w} size="sm" items={[{
                action: 'delete', label: t('webhooks.delete'), context: t('webhooks.theWebhook', { url: w.url }), color: 'danger',
                outline: true, pending: remove.isPending, onClick: () => setPending(w),
              }]}>
                <Link to={`/webhooks/${w.id}`} className="btn btn-sm btn-outline-primary" aria-label={t('webhooks.deliveriesOf', { url: w.url })}>
                  {t('webhooks.deliveries')}
                </Link>
              </ActionBar>
            ),
          },
        ]} />
    </Page>
  );
}
