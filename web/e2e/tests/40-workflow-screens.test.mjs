// Workflow screens beyond the story: unsaved-form warning, phone layouts, English, deep links — with axe.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { data } from '../data.mjs';
import { BASE_URL, ensureMeetingNotClosed, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

// A measure code of this file, the same every run.
const CODE = `CARE${data('40-workflow-screens').tag().toUpperCase()}`;

describe('workflow screens', () => {
  let b;
  before(async () => { b = await launch(); });
  after(async () => { await b?.close(); });

  test('leaving a half-filled referral asks first', async () => {
    const page = await loginAs(b.context, USERS.referrer);
    await page.goto(`${BASE_URL}/referrals/new`);
    await settle(page);
    await page.getByLabel(/^Codice fiscale/).fill('RSSMRA85T10A794D');
    // The district's persons are visible to a referrer by exact code: the demo's Mario Rossi.
    await page.getByTestId('person-found').getByText('Rossi Mario').waitFor();
    await page.getByRole('link', { name: 'Le mie segnalazioni' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Modifiche non salvate' }).waitFor();
    await dialog.getByRole('button', { name: 'Resta nella pagina' }).click();
    assert.match(new URL(page.url()).pathname, /\/referrals\/new$/);
    await page.close();
  });

  test('a referral sent back for information can be edited and resubmitted', async () => {
    const page = await loginAs(b.context, USERS.referrer);
    await page.goto(`${BASE_URL}/referrals?status=info_requested`);
    await settle(page);
    await page.locator('table tbody tr').first().getByRole('link').click();
    await settle(page);
    await page.getByText('Nota del Tavolo', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Modifica' }).click();
    await page.getByLabel(/^Motivazione/).fill('Integrazione: allegata la relazione del servizio sociale.');
    await page.getByRole('button', { name: 'Salva', exact: true }).click();
    await page.getByText('Integrazione: allegata la relazione').waitFor();
    // The edit is in the referral's history, with the field's Italian name.
    await page.locator('section[aria-labelledby="ref-history"]').getByText('Dati modificati: Motivazione').waitFor();
    await page.getByRole('button', { name: 'Invia al Tavolo' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Invia al Tavolo' }).click();
    await page.locator('.badge-status[data-status="submitted"]').first().waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, '14-referrer-resubmitted');
    await page.close();
  });

  test('an overdue case comes first in the agency list', async () => {
    const page = await loginAs(b.context, USERS.operator2);
    await page.getByRole('link', { name: 'I miei casi' }).first().click();
    await page.waitForURL(/\/cases$/);
    await settle(page);
    const first = page.getByTestId('case-row').first();
    await first.waitFor();
    assert.match(await first.textContent(), /Scaduto/);
    await page.close();
  });

  test('coordinator: opens the next meeting, reviews a case, adds a measure to the catalogue', async () => {
    await ensureMeetingNotClosed();
    const page = await loginAs(b.context, USERS.coordinator);
    await page.goto(`${BASE_URL}/meetings`);
    await settle(page);
    // The open meeting if there is one (only one can be open), else the next planned one, opened here.
    const openRow = page.locator('table tbody tr').filter({ has: page.locator('[data-status="open"]') });
    const row = (await openRow.count()) ? openRow.first() : page.locator('table tbody tr').filter({ has: page.locator('[data-status="planned"]') }).first();
    await row.getByRole('link').click();
    await settle(page);
    if (!(await page.locator('.badge-status[data-status="open"]').count())) {
      await page.getByRole('button', { name: 'Apri la seduta' }).first().click();
      await page.getByRole('dialog').getByRole('button', { name: 'Apri la seduta' }).click();
      await page.locator('.badge-status[data-status="open"]').first().waitFor();
    }
    const select = page.getByLabel('Caso da rivedere (conferma o riassegnazione)');
    await select.locator('option').nth(1).waitFor({ state: 'attached' });
    const label = (await select.locator('option').nth(1).textContent()).split(' · ')[0];
    await select.selectOption({ index: 1 });
    await page.locator('section[aria-labelledby="review-title"]').getByRole('button', { name: "Aggiungi all'ordine del giorno" }).click();
    const item = page.getByTestId('agenda-item').filter({ hasText: 'Revisione del caso' }).filter({ hasText: label });
    await item.waitFor();
    await item.getByRole('button', { name: /^Decidi/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Confermare il percorso').check({ force: true });
    await dialog.getByRole('button', { name: 'Registra la decisione' }).click();
    await dialog.waitFor({ state: 'detached' });
    await item.getByTestId('decision').waitFor();
    await settle(page);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, '28-meeting-case-review');

    await page.goto(`${BASE_URL}/catalogue`);
    await settle(page);
    await page.getByRole('button', { name: 'Nuova misura' }).click();
    const m = page.getByRole('dialog');
    await m.getByLabel(/^Codice/).fill(CODE);
    await m.getByLabel(/^Nome/).fill('Care Leavers');
    await m.getByLabel(/^Fonte di finanziamento/).selectOption('district_budget');
    await m.getByLabel(/^Nota sul finanziamento/).fill("Fondo d'Ambito");
    await m.getByLabel(/^Età massima/).fill('21');
    await m.getByLabel('Care leavers').check({ force: true });
    assert.deepEqual(await seriousViolations(page), []);
    await m.getByRole('button', { name: 'Salva' }).click();
    await m.waitFor({ state: 'detached' });
    await page.locator('table tbody th', { hasText: CODE }).waitFor();
    await page.close();
  });

  test('English works on the workflow screens', async () => {
    const page = await loginAs(b.context, USERS.coordinator);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.goto(`${BASE_URL}/catalogue`);
    await page.getByRole('heading', { name: 'Agency thresholds' }).waitFor();
    await page.getByRole('button', { name: 'Italiano' }).click();
    await page.getByRole('heading', { name: 'Soglie operatori' }).waitFor();
    await page.close();
  });
});

describe('workflow screens on a phone', () => {
  let b;
  before(async () => { b = await launch({ viewport: { width: 390, height: 844 } }); });
  after(async () => { await b?.close(); });

  for (const [who, path, name] of [
    ['referrer', '/referrals/new', '50-mobile-new-referral'],
    ['coordinator', '/meetings', '51-mobile-meetings'],
    ['coordinator', '/dashboard', '52-mobile-dashboard'],
    ['operator1', '/cases', '53-mobile-cases'],
  ]) {
    test(`${path} fits a phone and is accessible`, async () => {
      const page = await loginAs(b.context, USERS[who]);
      await page.goto(`${BASE_URL}${path}`);
      await settle(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 1, `no horizontal scrolling (${overflow}px)`);
      assert.deepEqual(await seriousViolations(page), []);
      await screenshot(page, name);
      await page.close();
    });
  }
});
