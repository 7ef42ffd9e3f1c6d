import { describe, expect, it } from 'vitest';
import { changedFields, mergeForms } from './useEditForm';

describe('edit forms against concurrent changes', () => {
  const base = { name: 'DUL', max: '66', tags: ['a'] };

  it('lists only the changed fields', () => {
    expect(changedFields(base, { ...base, max: '60' })).toEqual({ max: '60' });
    expect(changedFields(base, { ...base, tags: ['a', 'b'] })).toEqual({ tags: ['a', 'b'] });
    expect(changedFields(base, { ...base })).toEqual({});
  });

  it("keeps the user's changes over the current version and names the fields both changed", () => {
    const mine = { ...base, name: 'Dote', max: '60' };
    const theirs = { name: 'DUL 2026', max: '66', tags: ['b'] };
    expect(mergeForms(base, mine, theirs)).toEqual({ merged: { name: 'Dote', max: '60', tags: ['b'] }, conflicts: ['name'] });
  });

  it('is no conflict when both made the same change', () => {
    const mine = { ...base, max: '60' };
    expect(mergeForms(base, mine, { ...base, max: '60' }).conflicts).toEqual([]);
  });
});
