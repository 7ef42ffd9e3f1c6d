// Signing in and out, role homes, session restore, language, mobile menu — and axe on each.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE_URL, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

describe('sign in', () => {
  let b;
  before(async () => { b = await launch(); });
  after(async () => { await b?.close(); });

  test('the login page is Italian and accessible', async () => {
    const page = await b.context.newPage();
    await page.goto(`${BASE_URL}/`);
    await page.waitForURL(/\/login/);
    await settle(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'it');
    assert.equal(await page.locator('h1').textContent(), 'Accedi');
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, '01-login');
    await page.close();
  });

  test('wrong credentials are refused with a clear message', async () => {
    const page = await b.context.newPage();
    await page.goto(`${BASE_URL}/login`);
    await page.getByLabel('Indirizzo email').fill(USERS.referrer);
    await page.getByLabel('Password').fill('sbagliata');
    await page.getByRole('button', { name: 'Accedi' }).click();
    await page.getByText('Email o password non corretti.').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await page.close();
  });

  const homes = [
    ['admin', '/admin/organizations'],
    ['coordinator', '/dashboard'],
    ['referrer', '/referrals'],
    ['operator1', '/agency'],
    ['observer', '/overview'],
    ['dpo', '/privacy'],
  ];
  for (const [who, home] of homes) {
    test(`${who} lands on ${home}`, async () => {
      const page = await loginAs(b.context, USERS[who]);
      assert.equal(new URL(page.url()).pathname, home);
      await page.close();
    });
  }

  test('a reload keeps the session; logging out ends it', async () => {
    const page = await loginAs(b.context, USERS.admin);
    await page.goto(`${BASE_URL}/admin/users`);
    await settle(page);
    await page.reload();
    await settle(page);
    assert.equal(new URL(page.url()).pathname, '/admin/users');
    await page.getByTestId('current-user').waitFor({ state: 'attached' });
    await page.getByRole('button', { name: 'Esci' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${BASE_URL}/admin/users`);
    await page.waitForURL(/\/login\?next=%2Fadmin%2Fusers/);
    await page.close();
  });

  test('English can be chosen and is remembered', async () => {
    const page = await loginAs(b.context, USERS.admin);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Organizations' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.reload();
    await page.getByRole('heading', { name: 'Organizations' }).waitFor();
    await page.getByRole('button', { name: 'Italiano' }).click();
    await page.getByRole('heading', { name: 'Enti' }).waitFor();
    await page.close();
  });
});

describe('on a phone', () => {
  let b;
  before(async () => { b = await launch({ viewport: { width: 390, height: 844 } }); });
  after(async () => { await b?.close(); });

  test('the menu opens from the burger button and is accessible', async () => {
    const page = await loginAs(b.context, USERS.admin);
    await settle(page);
    const toggler = page.getByRole('button', { name: 'Mostra o nascondi il menu' });
    await toggler.click();
    await page.getByRole('link', { name: 'Utenti' }).click();
    await page.waitForURL(/\/admin\/users/);
    await settle(page);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, '02-mobile-users');
    await page.close();
  });
});
