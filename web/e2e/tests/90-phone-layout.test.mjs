// Every page of every role fits a 390px phone (no horizontal scrolling), and a case's measure
// actions are on screen there — not pushed off to the right of a table.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiAs, BASE_URL, launch, loginAs, screenshot, settle, USERS } from '../lib.mjs';

const PHONE = { width: 390, height: 844 };

/** The first id of a list the user can read, or null. */
async function firstId(call, path) {
  const r = await call('GET', path);
  return r.status === 200 ? (r.body.items?.[0]?.id ?? null) : null;
}

/** The routes of web/src/App.tsx each role reaches, with the demo's records filled in. */
async function routesOf(who) {
  const call = await apiAs(USERS[who]);
  const with_ = (path, id) => (id ? [path.replace(':id', id)] : []);
  switch (who) {
    case 'referrer': {
      const referral = await firstId(call, '/referrals?limit=1');
      const person = (await call('GET', '/referrals?limit=1')).body.items?.[0]?.person?.id;
      return ['/referrals', '/referrals/new', ...with_('/referrals/:id', referral), '/search', '/notifiche',
        ...with_('/persons/:id/edit', person)];
    }
    case 'coordinator': {
      const referral = await firstId(call, '/referrals?limit=1');
      const meeting = await firstId(call, '/meetings?limit=1');
      const kase = await firstId(call, '/cases?limit=1');
      const person = (await call('GET', '/cases?limit=1')).body.items?.[0]?.person?.id;
      const webhook = await firstId(call, '/webhooks?limit=1');
      const networks = (await call('GET', '/networks?limit=200')).body.items ?? [];
      return ['/dashboard', '/referrals', '/referrals/new', ...with_('/referrals/:id', referral), '/meetings',
        ...with_('/meetings/:id', meeting), '/cases', ...with_('/cases/:id', kase), '/search', '/catalogue',
        '/webhooks', '/webhooks/new', ...with_('/webhooks/:id', webhook), '/notifiche', ...with_('/persons/:id/edit', person),
        '/networks', '/networks/new', ...networks.map((n) => `/networks/${n.id}`),
        ...networks.filter((n) => n.allowed_actions.includes('edit')).slice(0, 1).map((n) => `/networks/${n.id}/edit`)];
    }
    case 'operator1': {
      const cases = (await call('GET', '/cases?limit=200')).body.items ?? [];
      return ['/cases', ...cases.map((c) => `/cases/${c.id}`), '/search', '/notifiche',
        ...with_('/persons/:id/edit', cases[0]?.person?.id)];
    }
    case 'admin': {
      const org = await firstId(call, '/organizations?limit=1');
      const user = await firstId(call, '/users?limit=1');
      return ['/admin/organizations', '/admin/organizations/new', ...with_('/admin/organizations/:id', org), '/admin/users',
        '/admin/users/new', ...with_('/admin/users/:id', user), '/admin/integrations', '/admin/integrations/new',
        '/webhooks', '/webhooks/new', '/notifiche'];
    }
    case 'observer':
      return ['/overview', '/notifiche'];
    case 'network': {
      const networks = (await call('GET', '/networks?limit=200')).body.items ?? [];
      // A meeting of each network other than the table (its page, with attendees, action items, minutes).
      const meetings = [];
      for (const n of networks.filter((x) => x.kind !== 'coordination_table')) {
        const m = await firstId(call, `/meetings?network_id=${n.id}&limit=1`);
        if (m) meetings.push(`/networks/${n.id}/meetings/${m}`);
      }
      return ['/networks', ...networks.map((n) => `/networks/${n.id}`), ...meetings, '/notifiche'];
    }
    default:
      return [];
  }
}

async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

describe('every page fits a phone (390px)', () => {
  let b;
  before(async () => { b = await launch({ viewport: PHONE }); });
  after(async () => { await b?.close(); });

  test('the sign-in page, a missing page and the public join pages', async () => {
    const page = await b.context.newPage();
    const publicNetworks = await fetch(`${BASE_URL}/api/v1/public/networks`).then((r) => r.json());
    const join = publicNetworks.items.slice(0, 1).map((n) => `/partecipa/${encodeURIComponent(n.id)}`);
    assert.equal(join.length, 1, 'the demo has a network that accepts requests to join');
    for (const path of ['/login', '/no-such-page', '/partecipa', ...join]) {
      await page.goto(`${BASE_URL}${path}`);
      await page.locator('h1').first().waitFor();
      assert.ok((await overflow(page)) <= 0, `${path}: ${await overflow(page)}px of horizontal scrolling`);
    }
    await page.close();
  });

  for (const who of ['referrer', 'coordinator', 'operator1', 'admin', 'observer', 'network']) {
    test(`${who}: no page scrolls sideways`, async () => {
      const page = await loginAs(b.context, USERS[who]);
      const wide = [];
      for (const path of await routesOf(who)) {
        await page.goto(`${BASE_URL}${path}`);
        await settle(page);
        const px = await overflow(page);
        if (px > 0) {
          wide.push(`${path}: ${px}px wider than the screen`);
          await screenshot(page, `fail-phone-${who}-${path.replace(/[^a-z0-9]+/gi, '-')}`);
        }
      }
      assert.deepEqual(wide, []);
      await page.close();
    });
  }

  test("a case's measure actions are on screen at 390px", async () => {
    const call = await apiAs(USERS.operator1);
    const cases = (await call('GET', '/cases?limit=200')).body.items ?? [];
    let kase = null;
    for (const c of cases) {
      const d = await call('GET', `/cases/${c.id}`);
      if (d.body.activations.some((a) => a.allowed_actions.length > 0)) { kase = d.body; break; }
    }
    assert.ok(kase, 'the demo has a case of agency 1 with a measure to act on');
    const page = await loginAs(b.context, USERS.operator1);
    await page.goto(`${BASE_URL}/cases/${kase.id}`);
    await settle(page);
    const row = page.getByTestId('activation-row').first();
    await row.waitFor();
    const buttons = row.getByRole('button');
    assert.ok((await buttons.count()) > 0, 'the measure offers its actions');
    for (let i = 0; i < (await buttons.count()); i++) {
      const button = buttons.nth(i);
      await button.scrollIntoViewIfNeeded();
      assert.ok(await button.isVisible(), `action ${i} visible`);
      const box = await button.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width,
        `"${await button.textContent()}" is within the screen (x ${box?.x}, width ${box?.width})`);
    }
    assert.ok((await overflow(page)) <= 0, 'the case page does not scroll sideways');
    await screenshot(page, '90-phone-case-measures');
    await page.close();
  });
});
