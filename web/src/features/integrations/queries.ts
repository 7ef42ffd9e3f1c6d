// Integration clients and webhook subscriptions as the screens read them.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

export function useIntegrationClients(organizationId?: string) {
  return useQuery({
    queryKey: ['integration-clients', 'list', organizationId ?? ''],
    queryFn: () => unwrap(api.GET('/api/v1/integration-clients', {
      params: { query: organizationId ? { organization_id: organizationId } : {} },
    })),
  });
}

export function useWebhooks(organizationId?: string) {
  return useQuery({
    queryKey: ['webhooks', 'list', organizationId ?? ''],
    queryFn: () => unwrap(api.GET('/api/v1/webhooks', {
      params: { query: organizationId ? { organization_id: organizationId } : {} },
    })),
  });
}

export function useWebhook(id: string) {
  return useQuery({
    queryKey: ['webhooks', id],
    queryFn: () => unwrap(api.GET('/api/v1/webhooks/{id}', { params: { path: { id } } })),
  });
}
