// The delivery log of one webhook subscription (oldest first, paginated), with "send again"
// for a delivered or failed event while the subscription is active.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { WebhookDelivery } from '../../api/types';
import { ActionBar } from '../../components/Actions';
import { DataList } from '../../components/DataList';
import { useErrorMessage } from '../../components/errors';
import { ListView } from '../../components/ListView';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../lib/format';
import { eventLabel } from './labels';
import { useWebhook } from './queries';

export function WebhookDeliveriesPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const message = useErrorMessage();
  const qc = useQueryClient();
  const hook = useWebhook(id);
  const [done, setDone] = useState(false);

  const redeliver = useMutation({
    mutationFn: (d: WebhookDelivery) =>
      unwrap(api.POST('/api/v1/webhook-deliveries/{id}/redeliver', { params: { path: { id: d.id } } })),
    onMutate: () => setDone(false),
    onSuccess: () => setDone(true),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.list('webhooks', { deliveries_of: id }) }),
  });

  const title = t('webhooks.deliveries');
  return (
    <Page title={title} crumbs={[{ label: t('webhooks.title'), to: '/webhooks' }, { label: title }]}>
      {hook.isPending ? <Loading /> : hook.isError ? <ErrorState error={hook.error} onRetry={() => void hook.refetch()} /> : (
        <DataList items={[
          [t('webhooks.url'), <span className="text-break" key="url">{hook.data.url}</span>],
          [t('webhooks.events'), hook.data.event_types.map((e) => eventLabel(t, e)).join(', ')],
          [t('webhooks.state'), hook.data.active ? t('webhooks.active') : t('webhooks.deleted')],
          [t('webhooks.createdAt'), formatDateTime(hook.data.created_at)],
        ]} />
      )}
      {done && <div className="alert alert-success" role="status">{t('webhooks.redelivered')}</div>}
      {redeliver.isError && <div className="alert alert-danger" role="alert">{message(redeliver.error)}</div>}
      <ListView<WebhookDelivery>
        resource="webhooks" query={{ deliveries_of: id }}
        fetchPage={(after) => unwrap(api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: 50, ...(after ? { after } : {}) } } }))}
        caption={title} tableClassName="table" rowKey={(d) => d.id} empty={t('webhooks.noDeliveries')}
        columns={[
          {
            header: t('webhooks.event'), rowHeader: true,
            cell: (d) => <>{eventLabel(t, d.event_type)}<div className="small text-secondary fw-normal"><code>{d.event_type}</code></div></>,
          },
          { header: t('webhooks.status'), cell: (d) => <StatusBadge kind="delivery" status={d.status} /> },
          { header: t('webhooks.attempts'), cell: (d) => d.attempts },
          { header: t('webhooks.lastCode'), cell: (d) => d.last_status_code ?? t('common.none') },
          { header: t('webhooks.lastError'), className: 'text-break small', cell: (d) => d.last_error ?? t('common.none') },
          { header: t('webhooks.created'), className: 'nowrap', cell: (d) => formatDateTime(d.created_at) },
          {
            header: `${t('webhooks.deliveredAt')} / ${t('webhooks.nextAttempt')}`, className: 'nowrap',
            cell: (d) => (d.delivered_at ? formatDateTime(d.delivered_at)
              : d.next_attempt_at ? `${t('webhooks.nextAttempt')}: ${formatDateTime(d.next_attempt_at)}` : t('common.none')),
          },
          {
            header: t('common.actions'),
            cell: (d) => (
              <ActionBar record={d} size="sm" items={[{
                action: 'redeliver', label: t('webhooks.redeliver'), outline: true, pending: redeliver.isPending,
                context: t('webhooks.redeliverContext', { event: eventLabel(t, d.event_type), at: formatDateTime(d.created_at) }),
                onClick: () => redeliver.mutate(d),
              }]} />
            ),
          },
        ]} />
    </Page>
  );
}
