/// <reference types="node" />
// The first load's Italian messages cover what the first load shows: this walks the static
// imports from main.tsx (the lazy pages are `import()`, not followed) and checks that every
// `t('…')` key they use lies under CORE_KEYS — else the sign-in page or the header would show a
// raw key until a page is opened.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CORE_KEYS, pickMessages } from './core';
import itJson from './it.json';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** The key prefixes (up to the first interpolation) used by each file of the first load. */
function firstLoadKeys(): Map<string, string[]> {
  const seen = new Set<string>();
  const used = new Map<string, string[]>();
  const walk = (file: string) => {
    if (seen.has(file) || !/\.tsx?$/.test(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
      const next = resolveImport(file, m[1]);
      if (next) walk(next);
    }
    for (const m of source.matchAll(/\bt\(\s*['"`]([a-zA-Z0-9_.]+)/g)) {
      used.set(m[1], [...(used.get(m[1]) ?? []), relative(SRC, file)]);
    }
  };
  walk(resolve(SRC, 'main.tsx'));
  return used;
}

describe('first-load messages', () => {
  it('walks the first load (the sign-in page and the layout are in it)', () => {
    const files = new Set([...firstLoadKeys().values()].flat());
    expect(files).toContain('features/auth/LoginPage.tsx');
    expect(files).toContain('components/Layout.tsx');
  });

  it('every key the first load uses is under CORE_KEYS', () => {
    const outside = [...firstLoadKeys()]
      .filter(([key]) => !CORE_KEYS.some((core) => key === core || key.startsWith(`${core}.`)))
      .map(([key, files]) => `${key} (${[...new Set(files)].join(', ')})`);
    expect(outside).toEqual([]);
  });

  it('picks the listed subtrees and nothing else', () => {
    const picked = pickMessages(itJson, CORE_KEYS);
    expect(Object.keys(picked).sort()).toEqual([...new Set(CORE_KEYS.map((k) => k.split('.')[0]))].sort());
    expect(picked.status).toEqual({ any: itJson.status.any });
    expect(JSON.stringify(picked).length).toBeLessThan(JSON.stringify(itJson).length / 2);
  });
});
