// Organizations, users and districts as the admin screens read them.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { Organization, OrganizationKind } from '../../api/types';

export type { District, Organization, OrganizationKind, User } from '../../api/types';
export { ORGANIZATION_KINDS } from '../../api/types';

/** Every organization visible to the caller (for pickers): follows the cursor to the end. */
export function useAllOrganizations(filter: { kind?: OrganizationKind } = {}, enabled = true) {
  return useQuery({
    queryKey: queryKeys.everything('organizations', filter),
    queryFn: async () => {
      const out: Organization[] = [];
      let after: string | undefined;
      for (let i = 0; i < 50; i++) {
        const page = await unwrap(api.GET('/api/v1/organizations', { params: { query: { limit: 200, after, ...filter } } }));
        out.push(...page.items);
        if (!page.next) break;
        after = page.next;
      }
      return out.sort((a, b) => a.name.localeCompare(b.name, 'it'));
    },
    staleTime: 60_000,
    enabled,
  });
}

export function useDistricts(enabled = true) {
  return useQuery({
    queryKey: queryKeys.everything('districts'),
    queryFn: async () => (await unwrap(api.GET('/api/v1/districts', { params: { query: { limit: 200 } } }))).items,
    staleTime: 60_000,
    enabled,
  });
}
