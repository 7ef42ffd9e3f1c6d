// The service pact in the browser: the agency operator opens a case taken in charge, sees the
// pact in force (version, operator), revises it — a GOL pathway, a training action — into a new
// version kept beside the old one, and downloads the printable PDF through the SPA (the token
// travels in the Authorization header). Every screen: axe + screenshot.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { apiAs, BASE_URL, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

async function axe(page, name) {
  await settle(page);
  assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
  await screenshot(page, name);
}

describe('service pact', () => {
  let b;
  before(async () => { b = await launch(); });
  after(async () => {
    assert.deepEqual(b?.consoleErrors ?? [], [], 'no uncaught errors in the pages');
    await b?.close();
  });

  test('agency operator: revises the pact of a case in charge and downloads it as PDF', async () => {
    const api = await apiAs(USERS.operator1);
    const cases = await api('GET', '/cases?limit=200');
    assert.equal(cases.status, 200);
    const taken = cases.body.items.find((c) => ['in_charge', 'active', 'monitoring'].includes(c.status));
    assert.ok(taken, 'the demo has a case in charge for agency 1');
    const before = await api('GET', `/cases/${taken.id}/service-pact`);
    assert.equal(before.status, 200);
    const next = before.body.version + 1;

    const page = await loginAs(b.context, USERS.operator1);
    await page.goto(`${BASE_URL}/cases/${taken.id}`);
    await settle(page);
    const section = page.getByTestId('service-pact');
    await section.getByRole('heading', { name: 'Patto di servizio' }).waitFor();
    await section.getByTestId('pact-version').filter({ hasText: `Versione ${before.body.version}` }).waitFor();
    await axe(page, 'service-pact');

    await section.getByRole('button', { name: 'Rivedi il patto' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Obiettivi del patto').fill('Riqualificazione nella logistica; ricerca attiva e2e.');
    await dialog.getByLabel('Programma').selectOption('gol');
    await dialog.getByLabel('Profilo di occupabilità').selectOption('pathway_2');
    await dialog.getByLabel('Cadenza dei colloqui').selectOption('monthly');
    await dialog.getByRole('button', { name: "Aggiungi un'azione" }).click();
    const rows = dialog.getByTestId('pact-action-row');
    const row = rows.nth((await rows.count()) - 1);
    await row.getByLabel('Tipo di azione').selectOption('training');
    await row.getByLabel(/Descrizione/).fill('Corso carrellista e2e');
    await row.getByLabel('Tempi o frequenza').fill('entro tre mesi');
    await axe(page, 'service-pact-revise');
    await dialog.getByRole('button', { name: 'Salva la nuova versione' }).click();
    await dialog.waitFor({ state: 'detached' });
    await section.getByTestId('pact-version').filter({ hasText: `Versione ${next}` }).waitFor();
    await section.getByText('Percorso GOL 2 – aggiornamento (upskilling)').waitFor();
    await section.getByText('Corso carrellista e2e').waitFor();
    await section.getByRole('button', { name: 'Mostra le versioni precedenti' }).click();
    await section.getByTestId('pact-history').getByRole('listitem').nth(1).waitFor();
    await axe(page, 'service-pact-revised');

    const after = await api('GET', `/cases/${taken.id}/service-pact/versions?limit=200`);
    assert.equal(after.body.items[0].version, next);
    assert.equal(after.body.items[1].version, next - 1, 'the previous version is kept');
    const c = await api('GET', `/cases/${taken.id}`);
    assert.equal(c.body.plan_goals, 'Riqualificazione nella logistica; ricerca attiva e2e.');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('button', { name: 'Scarica PDF' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `patto-di-servizio-v${next}.pdf`);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(bytes.includes(Buffer.from('Corso carrellista e2e', 'latin1')), 'the PDF lists the new action');
  });
});
