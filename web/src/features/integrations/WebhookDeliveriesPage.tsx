// The delivery log of one webhook subscription (oldest first, paginated), with "send again"
// for a delivered or failed event while the subscription is active.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { WebhookDelivery } from '../../api/types';
import { DataList } from '../../components/DataList';
import { useErrorMessage } from '../../components/errors';
import { LoadMore } from '../../components/LoadMore';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { useCursorList } from '../../components/useCursorList';
import { formatDateTime } from '../../lib/format';
import { eventLabel } from './labels';
import { useWebhook } from './queries';

export function WebhookDeliveriesPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const message = useErrorMessage();
  const qc = useQueryClient();
  const hook = useWebhook(id);
  const list = useCursorList(['webhooks', id, 'deliveries'], (after) =>
    unwrap(api.GET('/api/v1/webhooks/{id}/deliveries', { params: { path: { id }, query: { limit: 50, ...(after ? { after } : {}) } } })));
  const [done, setDone] = useState(false);

  const redeliver = useMutation({
    mutationFn: (d: WebhookDelivery) =>
      unwrap(api.POST('/api/v1/webhook-deliveries/{id}/redeliver', { params: { path: { id: d.id } } })),
    onMutate: () => setDone(false),
    onSuccess: () => setDone(true),
    onSettled: () => qc.invalidateQueries({ queryKey: ['webhooks', id, 'deliveries'] }),
  });

  const title = t('webhooks.deliveries');
  const active = hook.data?.active ?? false;
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
      {list.isPending ? <Loading /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> :
        list.items.length === 0 ? <EmptyState title={t('webhooks.noDeliveries')} /> : (
          <div className="table-responsive">
            <table className="table">
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('webhooks.event')}</th>
                  <th scope="col">{t('webhooks.status')}</th>
                  <th scope="col">{t('webhooks.attempts')}</th>
                  <th scope="col">{t('webhooks.lastCode')}</th>
                  <th scope="col">{t('webhooks.lastError')}</th>
                  <th scope="col">{t('webhooks.created')}</th>
                  <th scope="col">{t('webhooks.deliveredAt')} / {t('webhooks.nextAttempt')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((d) => (
                  <tr key={d.id}>
                    <th scope="row">
                      {eventLabel(t, d.event_type)}
                      <div className="small text-secondary fw-normal"><code>{d.event_type}</code></div>
                    </th>
                    <td><StatusBadge kind="delivery" status={d.status} /></td>
                    <td>{d.attempts}</td>
                    <td>{d.last_status_code ?? t('common.none')}</td>
                    <td className="text-break small">{d.last_error ?? t('common.none')}</td>
                    <td className="nowrap">{formatDateTime(d.created_at)}</td>
                    <td className="nowrap">
                      {d.delivered_at ? formatDateTime(d.delivered_at)
                        : d.next_attempt_at ? `${t('webhooks.nextAttempt')}: ${formatDateTime(d.next_attempt_at)}` : t('common.none')}
                    </td>
                    <td>
                      {active && d.status !== 'pending' && (
                        <Button color="primary" outline size="sm" disabled={redeliver.isPending}
                                aria-label={t('webhooks.redeliverOf', { event: eventLabel(t, d.event_type), at: formatDateTime(d.created_at) })}
                                onClick={() => redeliver.mutate(d)}>
                          {t('webhooks.redeliver')}
                        </Button>
                      )}
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
