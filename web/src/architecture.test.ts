// The module graph of src/ has no cycles (e.g. a dialog importing a hook from the page that
// renders it): `npm run lint` runs dpdm on it too (`npm run cycles`), this runs it in `npm test`.
import { parseCircular, parseDependencyTree } from 'dpdm';
import { describe, expect, it } from 'vitest';

describe('architecture', () => {
  it('has no import cycle in src (type imports included)', async () => {
    const tree = await parseDependencyTree('src/**/*.{ts,tsx}', { transform: false, skipDynamicImports: false });
    expect(parseCircular(tree)).toEqual([]);
  }, 60_000);
});
