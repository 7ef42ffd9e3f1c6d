// The inbox (/notifiche): the caller's notifications, newest first, each with a link to its
// record and "mark as read"; "mark all as read"; and how each kind is e-mailed (at once, in the
// 07:30 daily digest, or not at all — the inbox always has it), saved at the version read.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap, unwrapVersioned } from '../../api/client';
import { ifMatch } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import {
  EMAIL_MODES, NOTIFICATION_KINDS,
  type EmailMode, type Notification, type NotificationKind,
} from '../../api/types';
import { useErrorMessage } from '../../components/errors';
import { LoadMore } from '../../components/LoadMore';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { unreadKey } from './queries';

const PREFERENCES = queryKeys.sub('notifications', 'me', 'preferences');

export function NotificationsPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('notifications.title')} subtitle={t('notifications.intro')}>
      <Inbox />
      <PreferencesForm />
    </Page>
  );
}

function Inbox() {
  const { t } = useTranslation();
  const message = useErrorMessage();
  const qc = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useInfiniteQuery({
    queryKey: queryKeys.list('notifications', { unread: unreadOnly }),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/v1/notifications', {
      params: { query: { limit: 50, after: pageParam, ...(unreadOnly ? { unread: true } : {}) } },
    })),
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const refresh = () => Promise.all([
    qc.invalidateQueries({ queryKey: queryKeys.lists('notifications') }),
    qc.invalidateQueries({ queryKey: unreadKey }),
  ]);
  const markOne = useMutation({
    mutationFn: (n: Notification) => unwrap(api.POST('/api/v1/notifications/{id}/read', { params: { path: { id: n.id } } })),
    onSettled: refresh,
  });
  const markAll = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/notifications/read-all')),
    onSettled: refresh,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const anyUnread = items.some((n) => !n.read_at);

  return (
    <section aria-labelledby="inbox-title" className="mb-5">
      <div className="d-flex flex-wrap align-items-center justify-content-between gap-3 mb-3">
        <h2 id="inbox-title" className="h4 mb-0">{t('notifications.inbox')}</h2>
        <div className="d-flex flex-wrap align-items-center gap-3">
          <div className="form-check mb-0">
            <input id="unread-only" type="checkbox" className="form-check-input" checked={unreadOnly}
                   onChange={(e) => setUnreadOnly(e.target.checked)} />
            <label htmlFor="unread-only" className="form-check-label">{t('notifications.unreadOnly')}</label>
          </div>
          <button type="button" className="btn btn-outline-primary btn-sm" disabled={!anyUnread || markAll.isPending}
                  onClick={() => markAll.mutate()}>
            {t('notifications.markAll')}
          </button>
        </div>
      </div>
      {(markOne.isError || markAll.isError) && (
        <div className="alert alert-danger" role="alert">{message(markOne.error ?? markAll.error)}</div>
      )}
      {list.isPending ? <Loading /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        : items.length === 0 ? <EmptyState title={t(unreadOnly ? 'notifications.emptyUnread' : 'notifications.empty')} />
        : (
          <ul className="list-group mb-3" aria-label={t('notifications.inbox')}>
            {items.map((n) => (
              <li key={n.id} className={`list-group-item d-flex flex-wrap gap-3 justify-content-between${n.read_at ? '' : ' bg-light'}`}
                  data-testid={`notification-${n.id}`}>
                <div>
                  <p className="mb-1">
                    <strong>{n.title}</strong>
                    {!n.read_at && <span className="badge bg-primary ms-2">{t('notifications.new')}</span>}
                  </p>
                  <p className="mb-1">{n.text}</p>
                  <small className="text-muted">{formatDateTime(n.created_at)}</small>
                </div>
                <div className="d-flex align-items-center gap-2">
                  <Link to={n.link} className="btn btn-primary btn-sm">
                    {t('notifications.open')}<span className="visually-hidden">: {n.title}</span>
                  </Link>
                  {!n.read_at && (
                    <button type="button" className="btn btn-outline-secondary btn-sm" disabled={markOne.isPending}
                            onClick={() => markOne.mutate(n)}>
                      {t('notifications.markRead')}<span className="visually-hidden">: {n.title}</span>
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      <LoadMore hasNextPage={list.hasNextPage} isFetchingNextPage={list.isFetchingNextPage}
                fetchNextPage={() => void list.fetchNextPage()} />
    </section>
  );
}

function PreferencesForm() {
  const { t } = useTranslation();
  const message = useErrorMessage();
  const qc = useQueryClient();
  const read = useQuery({
    queryKey: PREFERENCES,
    queryFn: () => unwrapVersioned(api.GET('/api/v1/me/notification-preferences')),
  });
  const [modes, setModes] = useState<Partial<Record<NotificationKind, EmailMode>>>({});
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (read.data) setModes(Object.fromEntries(read.data.record.preferences.map((p) => [p.kind, p.mode])));
  }, [read.data]);
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT('/api/v1/me/notification-preferences', {
      params: { header: ifMatch(read.data?.etag) },
      body: { preferences: NOTIFICATION_KINDS.map((kind) => ({ kind, mode: modes[kind] ?? 'immediate' })) },
    })),
    onMutate: () => setSaved(false),
    onSuccess: () => setSaved(true),
    onSettled: () => qc.invalidateQueries({ queryKey: PREFERENCES }),
  });

  return (
    <section aria-labelledby="prefs-title">
      <h2 id="prefs-title" className="h4">{t('notifications.preferences')}</h2>
      <p>{t('notifications.preferencesIntro')}</p>
      {read.isPending ? <Loading /> : read.isError ? <ErrorState error={read.error} onRetry={() => void read.refetch()} /> : (
        <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
          {saved && <div className="alert alert-success" role="status">{t('notifications.saved')}</div>}
          {save.isError && <div className="alert alert-danger" role="alert">{message(save.error)}</div>}
          {NOTIFICATION_KINDS.map((kind) => (
            <fieldset key={kind} className="mb-3">
              <legend className="h6 mb-2">{t(`notifications.kind.${kind}`)}</legend>
              <div className="d-flex flex-wrap gap-4">
                {EMAIL_MODES.map((mode) => (
                  <div className="form-check form-check-inline mb-0" key={mode}>
                    <input type="radio" className="form-check-input" id={`pref-${kind}-${mode}`} name={`pref-${kind}`}
                           value={mode} checked={(modes[kind] ?? 'immediate') === mode}
                           onChange={() => setModes((m) => ({ ...m, [kind]: mode }))} />
                    <label className="form-check-label" htmlFor={`pref-${kind}-${mode}`}>{t(`notifications.mode.${mode}`)}</label>
                  </div>
                ))}
              </div>
            </fieldset>
          ))}
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>{t('notifications.save')}</button>
        </form>
      )}
    </section>
  );
}
