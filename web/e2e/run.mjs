// Runs the e2e suite (node's test runner) against a running server at E2E_BASE_URL.
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
console.log(`e2e: ${files.length} file(s) against ${BASE_URL}`);
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
