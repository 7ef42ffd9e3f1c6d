// Runs the e2e suite (node's test runner) against a running server at E2E_BASE_URL.
// Arguments filter the files (`story` runs 30-story only). Each file is independent of the
// others: E2E_ORDER=reverse, or E2E_ORDER=shuffle (seeded by E2E_SEED), runs them in another order.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE_URL } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));

async function waitForServer(timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${BASE_URL}/api/v1/health`);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = String(e?.cause?.code ?? e);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.error(`e2e: no server at ${BASE_URL} (${last}). Start one, e.g. scripts/e2e-with-server.sh`);
  process.exit(2);
}

await waitForServer();
const index = await fetch(`${BASE_URL}/`).then((r) => r.text()).catch(() => '');
if (!index.includes('id="root"')) {
  console.error(`e2e: ${BASE_URL}/ does not serve the SPA (run \`npm run build\` and point the API's STATIC_DIR at web/dist)`);
  process.exit(2);
}
const only = process.argv.slice(2);
const files = readdirSync(join(here, 'tests'))
  .filter((f) => f.endsWith('.test.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()
  .map((f) => join(here, 'tests', f));
const order = process.env.E2E_ORDER ?? 'sorted';
if (order === 'reverse') files.reverse();
else if (order === 'shuffle') {
  // A seeded shuffle (the same order for the same E2E_SEED).
  let seed = [...String(process.env.E2E_SEED ?? '1')].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261);
  const next = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
  for (let i = files.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [files[i], files[j]] = [files[j], files[i]];
  }
} else if (order !== 'sorted') {
  console.error(`e2e: E2E_ORDER must be sorted, reverse or shuffle (got ${order})`);
  process.exit(2);
}
console.log(`e2e: ${files.length} file(s) against ${BASE_URL}, in this order: ${files.map((f) => f.split('/').pop()).join(', ')}`);
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
