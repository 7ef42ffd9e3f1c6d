import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { queryKeys } from './queryKeys';

describe('one query-key factory', () => {
  it('lets a write invalidate exactly what it changes', async () => {
    const qc = new QueryClient();
    const keys = {
      list: queryKeys.list('cases', { status: 'active' }),
      everything: queryKeys.everything('cases'),
      detail: queryKeys.detail('cases', 'c1'),
      timeline: queryKeys.sub('cases', 'c1', 'timeline'),
      other: queryKeys.detail('cases', 'c2'),
      meetings: queryKeys.everything('meetings'),
    };
    for (const k of Object.values(keys)) qc.setQueryData(k, 1);
    const stale = () => Object.entries(keys).filter(([, k]) => qc.getQueryState(k)?.isInvalidated).map(([name]) => name);
    await qc.invalidateQueries({ queryKey: queryKeys.detail('cases', 'c1') });
    expect(stale()).toEqual(['detail', 'timeline']);
    await qc.invalidateQueries({ queryKey: queryKeys.lists('cases') });
    expect(stale()).toEqual(['list', 'detail', 'timeline']);
    await qc.invalidateQueries({ queryKey: queryKeys.all('cases') });
    expect(stale()).toEqual(['list', 'everything', 'detail', 'timeline', 'other']);
  });
});
