// Admin: organizations and users — lists, forms, field errors, axe on each screen.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { data } from '../data.mjs';
import { BASE_URL, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

// The same names every run (the file's seed), unique to this file.
const stamp = data('20-admin').tag();

describe('admin', () => {
  let b;
  let page;
  before(async () => {
    b = await launch();
    page = await loginAs(b.context, USERS.admin);
  });
  after(async () => { await b?.close(); });

  test('lists organizations, filters by kind (in the URL)', async () => {
    await page.goto(`${BASE_URL}/admin/organizations`);
    await settle(page);
    await page.getByRole('table').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, '90-admin-organizations');
    await page.getByLabel('Tipologia').selectOption('accredited_agency');
    await page.waitForURL(/kind=accredited_agency/);
    await page.getByRole('cell', { name: /LOM-/ }).first().waitFor();
    // The filtered list replaces the unfiltered one asynchronously: poll until it has.
    let kinds = [];
    for (let i = 0; i < 50; i++) {
      kinds = await page.locator('tbody tr td:nth-child(2)').allTextContents();
      if (kinds.length >= 1 && kinds.every((k) => k === 'Ente accreditato')) break;
      await page.waitForTimeout(100);
    }
    assert.ok(kinds.length >= 1 && kinds.every((k) => k === 'Ente accreditato'), kinds.join(','));
  });

  test('creates an accredited agency; the accreditation code is required', async () => {
    await page.goto(`${BASE_URL}/admin/organizations/new`);
    await settle(page);
    await page.getByLabel('Denominazione').fill(`Agenzia e2e ${stamp}`);
    await page.getByLabel('Tipologia').selectOption('accredited_agency');
    await page.getByRole('button', { name: 'Salva' }).click();
    await page.locator('#accreditation_code-error').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, '91-admin-organization-errors');
    await page.getByLabel(/Codice accreditamento/).fill(`LOM-E2E-${stamp}`);
    await page.getByRole('button', { name: 'Salva' }).click();
    await page.waitForURL(/\/admin\/organizations$/);
    await page.getByRole('link', { name: `Agenzia e2e ${stamp}` }).waitFor();
  });

  test('creates an agency operator for it and shows API field errors at the field', async () => {
    await page.goto(`${BASE_URL}/admin/users/new`);
    await settle(page);
    await page.getByLabel(/^Email/).fill(`op-${stamp}@demo.test`);
    await page.getByLabel('Nome e cognome').fill('Operatrice E2E');
    await page.getByLabel(/^Password/).fill('debole');
    await page.getByLabel('Ruolo').selectOption('agency_operator');
    await page.getByLabel('Ente').selectOption({ label: `Agenzia e2e ${stamp}` });
    await page.getByRole('button', { name: 'Salva' }).click();
    await page.locator('#password-error').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByLabel(/^Password/).fill('Robusta-2026!');
    await page.getByRole('button', { name: 'Salva' }).click();
    await page.waitForURL(/\/admin\/users$/);
    await page.getByRole('link', { name: 'Operatrice E2E' }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, '92-admin-users');
  });

  test('warns before leaving a form with unsaved changes', async () => {
    await page.goto(`${BASE_URL}/admin/users/new`);
    await settle(page);
    await page.getByLabel('Nome e cognome').fill('Mai salvato');
    await page.getByRole('navigation', { name: 'Menu principale' }).getByRole('link', { name: 'Enti', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Modifiche non salvate', { exact: true }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await dialog.getByRole('button', { name: 'Resta nella pagina' }).click();
    assert.match(page.url(), /\/admin\/users\/new$/);
    await page.getByRole('navigation', { name: 'Menu principale' }).getByRole('link', { name: 'Enti', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Esci senza salvare' }).click();
    await page.waitForURL(/\/admin\/organizations$/);
  });
});
