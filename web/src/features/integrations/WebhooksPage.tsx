// Coordinator (their organization) and admin (any organization): webhook subscriptions —
// list, delete (stops deliveries; the log stays), and the way to each delivery log.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import type { WebhookSubscription } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useErrorMessage } from '../../components/errors';
import { SelectField } from '../../components/Form';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useFilters } from '../../components/useFilters';
import { formatDateTime } from '../../lib/format';
import { useAllOrganizations } from '../admin/queries';
import { eventLabel } from './labels';
import { useWebhooks } from './queries';

export function WebhooksPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const isAdmin = me?.role === 'admin';
  const message = useErrorMessage();
  const qc = useQueryClient();
  const [f, setF] = useFilters(['organization_id'] as const);
  const orgs = useAllOrganizations({}, isAdmin);
  const list = useWebhooks(isAdmin ? f.organization_id || undefined : undefined);
  const [pending, setPending] = useState<WebhookSubscription | null>(null);
  const [done, setDone] = useState(false);
  const orgName = (id: string) => orgs.data?.find((o) => o.id === id)?.name ?? id;

  const remove = useMutation({
    mutationFn: (w: WebhookSubscription) => unwrap(api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: w.id } } })),
    onMutate: () => setDone(false),
    onSuccess: () => setDone(true),
    onSettled: () => {
      setPending(null);
      return qc.invalidateQueries({ queryKey: ['webhooks'] });
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
      {isAdmin && (
        <form className="row g-3 mb-2" aria-label={t('common.filters')} onSubmit={(e) => e.preventDefault()}>
          <div className="col-12 col-md-6">
            <SelectField id="f-org" label={t('webhooks.organization')} value={f.organization_id} placeholder={t('common.all')}
                         onChange={(e) => setF({ organization_id: e.target.value })}
                         options={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))} />
          </div>
        </form>
      )}
      {list.isPending ? <Loading /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> :
        list.data.length === 0 ? <EmptyState title={t('webhooks.empty')} /> : (
          <div className="table-responsive">
            <table className="table">
              <caption className="visually-hidden">{t('webhooks.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('webhooks.url')}</th>
                  {isAdmin && <th scope="col">{t('webhooks.organization')}</th>}
                  <th scope="col">{t('webhooks.events')}</th>
                  <th scope="col">{t('webhooks.state')}</th>
                  <th scope="col">{t('webhooks.createdAt')}</th>
                  <th scope="col">{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.map((w) => (
                  <tr key={w.id} data-testid={`webhook-${w.id}`}>
                    <th scope="row" className="text-break">{w.url}</th>
                    {isAdmin && <td>{orgName(w.organization_id)}</td>}
                    <td>
                      <ul className="list-unstyled mb-0 small">
                        {w.event_types.map((e) => <li key={e}>{eventLabel(t, e)}</li>)}
                      </ul>
                    </td>
                    <td>{w.active ? t('webhooks.active') : <span className="badge bg-secondary">{t('webhooks.deleted')}</span>}</td>
                    <td className="nowrap">{formatDateTime(w.created_at)}</td>
                    <td>
                      <div className="d-flex flex-wrap gap-2">
                        <Link to={`/webhooks/${w.id}`} className="btn btn-sm btn-outline-primary"
                              aria-label={t('webhooks.deliveriesOf', { url: w.url })}>
                          {t('webhooks.deliveries')}
                        </Link>
                        {w.active && (
                          <Button color="danger" outline size="sm" disabled={remove.isPending}
                                  aria-label={t('webhooks.deleteOf', { url: w.url })} onClick={() => setPending(w)}>
                            {t('webhooks.delete')}
                          </Button>
                        )}
                      </div>
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
