// The working groups' and shared responses' messages: Italian and English at parity, and every
// response area and state has a label in both.
import { describe, expect, it } from 'vitest';
import { ENUMS } from '../../api/enums.gen';
import en from './responses.messages.en.json';
import itJson from './responses.messages.it.json';

type Tree = { [k: string]: string | Tree };
const keys = (tree: Tree, prefix = ''): string[] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));

describe('working groups and shared responses messages', () => {
  it('Italian and English have the same keys', () => {
    expect(keys(en as Tree).sort()).toEqual(keys(itJson as Tree).sort());
  });
  it('every area and state has a label', () => {
    const all = keys(itJson as Tree);
    const want = [...ENUMS.ResponseArea.map((a) => `responses.area.${a}`),
      ...ENUMS.WorkingGroupStatus.map((s) => `responses.status.workingGroup.${s}`),
      ...ENUMS.SharedResponseStatus.map((s) => `responses.status.sharedResponse.${s}`)];
    expect(want.filter((k) => !all.includes(k))).toEqual([]);
  });
});
