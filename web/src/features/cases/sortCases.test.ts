import { describe, expect, it } from 'vitest';
import type { Case } from '../../api/types';
import { sortCases } from './CasesPage';

const c = (id: string, extra: Partial<Case>) => ({ id, overdue: false, status: 'active', next_due_date: null, ...extra }) as Case;

describe('my cases', () => {
  it('puts overdue cases first, closed ones last, the rest by next due date', () => {
    const sorted = sortCases([
      c('closed', { status: 'closed' }), c('later', { next_due_date: '2026-12-20' }), c('overdue', { overdue: true, next_due_date: '2026-10-01' }),
      c('sooner', { next_due_date: '2026-12-01' }),
    ]);
    expect(sorted.map((x) => x.id)).toEqual(['overdue', 'sooner', 'later', 'closed']);
  });
});
