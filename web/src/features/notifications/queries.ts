// The caller's unread count (the bell), polled every minute and read again on every navigation.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useLocation } from 'react-router';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';

export const UNREAD_POLL_MS = 60_000;

export const unreadKey = queryKeys.sub('notifications', 'me', 'unread');

export function useUnreadCount(enabled: boolean) {
  const qc = useQueryClient();
  const { pathname } = useLocation();
  useEffect(() => {
    if (enabled) void qc.invalidateQueries({ queryKey: unreadKey });
  }, [pathname, enabled, qc]);
  return useQuery({
    queryKey: unreadKey,
    queryFn: () => unwrap(api.GET('/api/v1/notifications/unread-count')),
    enabled,
    refetchInterval: UNREAD_POLL_MS,
  });
}
