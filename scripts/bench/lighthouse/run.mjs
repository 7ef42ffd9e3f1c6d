// Lighthouse 12 (its default mobile profile: simulated slow 4G, a mid-range phone's CPU) on the
// sign-in page and on each role's home, against a running server: node run.mjs BASE_URL.
//
// Each page gets a fresh Chromium (Debian's, CHROME_PATH, default /usr/bin/chromium) with an
// empty profile, so every run is a first visit with a cold cache. For a role's home, the demo
// user signs in through the API first and the page starts with that refresh token in session
// storage, as after a sign-in in the same tab (the SPA trades it for a session on load).
// Each page is measured RUNS times (default 3) and the run with the median performance score is
// printed, as Lighthouse advises (a neighbour on the CPU moves TBT and the score by a lot).
// Prints one line per page and writes the full reports to OUT_DIR (if set).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';

const base = (process.argv[2] ?? '').replace(/\/$/, '');
if (!base) {
  console.error('usage: node run.mjs BASE_URL');
  process.exit(2);
}
const PASSWORD = process.env.DEMO_PASSWORD ?? 'Demo-2026!';
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
const RUNS = Math.max(1, Number(process.env.RUNS ?? 3));
const ONLY = process.env.PAGES ? process.env.PAGES.split(/[ ,]+/) : null;

// (name, path, demo user or none): the sign-in page, then the home each role lands on.
const PAGES = [
  ['sign-in', '/login', null],
  ['referrer', '/referrals', 'assistente.sociale@demo.test'],
  ['coordinator', '/dashboard', 'coordinatore@demo.test'],
  ['agency_operator', '/cases', 'operatore1@demo.test'],
  ['admin', '/admin/organizations', 'admin@demo.test'],
  ['observer', '/overview', 'osservatorio@demo.test'],
].filter(([name]) => !ONLY || ONLY.includes(name));

async function refreshToken(email) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  return (await res.json()).refresh_token;
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const ms = (v) => `${Math.round(v)} ms`;

console.log(`Lighthouse ${RUNS > 1 ? `median of ${RUNS} runs` : '1 run'} per page, mobile profile, cold cache`);
console.log(
  ['page', 'perf', 'FCP', 'LCP', 'TBT', 'CLS', 'transferred', '(js', 'css', 'font', 'other)'].join('\t'),
);
let failed = false;
async function measure(path, email) {
  const browser = await puppeteer.launch({ executablePath: CHROME, headless: true, args: FLAGS });
  try {
    const page = await browser.newPage();
    if (email) {
      const token = await refreshToken(email);
      // Before the app's scripts, on the page's origin only.
      await page.evaluateOnNewDocument(
        (origin, value) => {
          if (location.origin === origin) sessionStorage.setItem('sl.refresh_token', value);
        },
        new URL(base).origin,
        token,
      );
    }
    const result = await lighthouse(
      `${base}${path}`,
      { output: 'json', logLevel: 'error', onlyCategories: ['performance'], disableStorageReset: true },
      undefined,
      page,
    );
    return result;
  } finally {
    await browser.close();
  }
}

for (const [name, path, email] of PAGES) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await measure(path, email));
  runs.sort((a, b) => (a.lhr.categories.performance.score ?? 0) - (b.lhr.categories.performance.score ?? 0));
  const result = runs[Math.floor((runs.length - 1) / 2)];
  const lhr = result.lhr;
  {
    const audit = (id) => lhr.audits[id]?.numericValue ?? NaN;
    const requests = lhr.audits['network-requests']?.details?.items ?? [];
    const by = { Script: 0, Stylesheet: 0, Font: 0, other: 0 };
    for (const r of requests) {
      const kind = r.resourceType in by ? r.resourceType : 'other';
      by[kind] += r.transferSize ?? 0;
    }
    const landed = new URL(lhr.finalDisplayedUrl).pathname;
    if (landed !== path) {
      console.error(`${name}: ended on ${landed}, not ${path} (not signed in?)`);
      failed = true;
    }
    console.log(
      [
        name,
        (lhr.categories.performance.score ?? 0).toFixed(2),
        ms(audit('first-contentful-paint')),
        ms(audit('largest-contentful-paint')),
        ms(audit('total-blocking-time')),
        audit('cumulative-layout-shift').toFixed(3),
        kb(audit('total-byte-weight')),
        `(${kb(by.Script)}`,
        kb(by.Stylesheet),
        kb(by.Font),
        `${kb(by.other)})`,
      ].join('\t'),
    );
    if (process.env.OUT_DIR) {
      mkdirSync(process.env.OUT_DIR, { recursive: true });
      writeFileSync(join(process.env.OUT_DIR, `${name}.json`), result.report);
    }
  }
}
process.exit(failed ? 1 : 0);
