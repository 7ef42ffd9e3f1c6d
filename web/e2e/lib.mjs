// Shared e2e helpers: Debian's Chromium via playwright-core (never a downloaded browser),
// login per role, axe-core checks and screenshots.
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
export const PASSWORD = process.env.E2E_PASSWORD ?? 'Demo-2026!';
export const USERS = {
  admin: 'admin@demo.test',
  coordinator: 'coordinatore@demo.test',
  referrer: 'assistente.sociale@demo.test',
  pass: 'pass@demo.test',
  cpi: 'cpi@demo.test',
  operator1: 'operatore1@demo.test',
  operator2: 'operatore2@demo.test',
  operator3: 'operatore3@demo.test',
  observer: 'osservatorio@demo.test',
  network: 'rete@demo.test',
  dpo: 'dpo@demo.test',
};
const here = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = resolve(here, 'screenshots');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A fresh browser profile (its own --user-data-dir), removed by close(). */
export async function launch({ viewport = { width: 1280, height: 900 } } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'sl-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
    locale: 'it-IT',
    timezoneId: 'Europe/Rome',
  });
  context.setDefaultTimeout(15_000);
  const consoleErrors = [];
  context.on('page', (page) => {
    page.on('pageerror', (err) => consoleErrors.push(String(err)));
  });
  return {
    context,
    consoleErrors,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens a new tab (its own sessionStorage, hence its own session) and signs in. */
export async function loginAs(context, email, { password = PASSWORD } = {}) {
  const page = await context.newPage();
  await page.goto(`${BASE_URL}/login`);
  await page.getByLabel('Indirizzo email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.getByTestId('current-user').waitFor({ state: 'attached' });
  return page;
}

/** Waits for the page to settle: no spinner, heading visible. */
export async function settle(page) {
  await page.locator('#page-title').first().waitFor();
  await page.waitForFunction(() => !document.querySelector('[role="status"] .progress-spinner'), null, { timeout: 15_000 });
}

/**
 * Waits for CSS transitions and finite animations to end (a dialog fading in or out): axe
 * measuring half-transparent text reports contrast that no user sees. Spinners (infinite) are
 * left alone; a page that never settles is checked as it is after 5 s.
 */
export async function transitionsDone(page) {
  await page.waitForFunction(() => document.getAnimations().every((a) =>
    a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity), null, { timeout: 5_000 })
    .catch(() => undefined);
}

/** Runs axe (WCAG 2.1 A/AA) and returns serious + critical violations, readable. */
export async function seriousViolations(page) {
  await transitionsDone(page);
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * The API as one of the demo users, outside the browser (to prepare or check data): JSON calls
 * returning `{ status, body, etag }` — `etag` is the response's ETag header, as the SPA uses it.
 */
export async function apiAs(email, { password = PASSWORD } = {}) {
  const res = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`${email} cannot sign in: HTTP ${res.status}`);
  const { access_token } = await res.json();
  return async (method, path, body, headers = {}) => {
    const r = await fetch(`${BASE_URL}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${access_token}`, 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null, etag: r.headers.get('etag') };
  };
}

/**
 * Makes sure the district has a meeting the table can work on (open, or planned to open): a file
 * that needs one creates it rather than count on what the demo or another file left.
 */
export async function ensureMeetingNotClosed({ date = '2031-01-15' } = {}) {
  const coordinator = await apiAs(USERS.coordinator);
  const list = await coordinator('GET', '/meetings?limit=200');
  const usable = list.body.items.find((m) => m.status === 'open') ?? list.body.items.find((m) => m.status === 'planned');
  if (usable) return usable;
  const created = await coordinator('POST', '/meetings', { scheduled_for: date, participants: [] });
  if (created.status !== 201) throw new Error(`cannot plan a meeting: HTTP ${created.status}`);
  return created.body;
}

/**
 * On the new-referral page, the fieldset "Informativa privacy": says how the notice in force
 * was given (a referral goes to the table only once it is recorded, `409 notice_missing`).
 */
export async function giveNotice(page, method = 'in_person') {
  const fieldset = page.getByTestId('notice-fieldset');
  await fieldset.waitFor();
  await fieldset.getByLabel(/^Come è stata resa/).selectOption(method);
}
