// A webhook subscription as its delivery log shows it (the lists are ListViews).
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';

export function useWebhook(id: string) {
  return useQuery({
    queryKey: queryKeys.detail('webhooks', id),
    queryFn: () => unwrap(api.GET('/api/v1/webhooks/{id}', { params: { path: { id } } })),
  });
}
