// A cursor-paginated API list (`{items, next}`) as one growing array with "load more".
import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';

export interface Page<T> {
  items: T[];
  next?: string | null;
}

export function useCursorList<T>(key: QueryKey, fetchPage: (after: string | undefined) => Promise<Page<T>>,
  options: { enabled?: boolean } = {}) {
  const q = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled: options.enabled,
  });
  const items = q.data?.pages.flatMap((p) => p.items) ?? [];
  return { ...q, items };
}
