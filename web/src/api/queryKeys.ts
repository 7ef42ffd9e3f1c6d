// One query-key factory for every read, so that lists, records and what hangs under them share
// a shape and a write invalidates exactly what it changes:
//   [resource]                                  everything read about a resource
//   [resource, 'list', filters]                 one page-after-page list with its filters
//   [resource, 'everything', filters]           every item, followed to the end (pickers, boards)
//   [resource, 'detail', id]                    one record
//   [resource, 'detail', id, what, params?]     something read under it (agenda, timeline…)

export type Resource =
  | 'referrals' | 'cases' | 'meetings' | 'measures' | 'thresholds' | 'persons' | 'activations'
  | 'organizations' | 'users' | 'districts' | 'integration-clients' | 'webhooks' | 'municipalities' | 'reports'
  | 'notifications' | 'networks' | 'agreements' | 'plans' | 'plan-actions' | 'projects'
  | 'opportunities' | 'privacy-notices' | 'consents' | 'audit' | 'privacy-register' | 'breaches'
  | 'anonymisation-requests' | 'retention';

export type Filters = Record<string, unknown>;

export const queryKeys = {
  all: (resource: Resource) => [resource] as const,
  lists: (resource: Resource) => [resource, 'list'] as const,
  list: (resource: Resource, filters: Filters = {}) => [resource, 'list', filters] as const,
  everything: (resource: Resource, filters: Filters = {}) => [resource, 'everything', filters] as const,
  detail: (resource: Resource, id: string) => [resource, 'detail', id] as const,
  sub: (resource: Resource, id: string, what: string, params?: Filters) =>
    (params ? [resource, 'detail', id, what, params] : [resource, 'detail', id, what]) as readonly unknown[],
};
