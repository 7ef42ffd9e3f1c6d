// The DPO's registers in the browser: the DPO (dpo@demo.test) opens "Registro dei trattamenti",
// adapts an activity with a note and downloads the Italian PDF; in "Violazioni dei dati" records a
// breach discovered four days ago and still not notified — shown past its 72 hours —, then records
// the late notification with its reason. The coordinator reads the breach register and records
// nothing. Every screen: axe. The breach is this file's (titled with the run's time).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { BASE_URL, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

const RUN = Date.now();
const TITLE = `Chiavetta USB smarrita ${RUN}`;
const NOTE = `Verificato con il Comune capofila (${RUN}).`;

/** A `datetime-local` value in Europe/Rome (the browser's zone), `ms` from now. */
function romeLocal(ms) {
  return new Date(Date.now() + ms).toLocaleString('sv-SE', { timeZone: 'Europe/Rome' }).replace(' ', 'T').slice(0, 16);
}
const HOUR = 3600_000;

async function axe(page, name) {
  await settle(page);
  assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
  await screenshot(page, name);
}

describe('the registers of processing and of breaches', () => {
  let b;
  before(async () => {
    b = await launch();
  });
  after(async () => {
    assert.deepEqual(b?.consoleErrors ?? [], [], 'no uncaught errors in the pages');
    await b?.close();
  });

  test('the DPO adapts an activity of the register and downloads it as PDF', async () => {
    const page = await loginAs(b.context, USERS.dpo);
    await page.waitForURL(/\/privacy$/);
    const nav = page.getByRole('navigation', { name: 'Sezioni della protezione dei dati' });
    await nav.getByRole('link', { name: 'Registro dei trattamenti' }).click();
    await page.waitForURL(/\/privacy\/register$/);
    const register = page.getByTestId('privacy-register');
    await register.getByTestId('register-activity').first().waitFor();
    assert.equal(await register.getByTestId('register-activity').count(), 7, 'every activity of the catalogue');
    await axe(page, '93a-register');

    const take = register.getByTestId('register-activity').filter({ hasText: 'Presa in carico delle persone segnalate' });
    await take.getByRole('button', { name: /^Modifica note/ }).click();
    const form = take.getByRole('form', { name: /^Modifica note/ });
    await form.getByLabel('Note del RPD').fill(NOTE);
    await axe(page, '93b-register-edit');
    await form.getByRole('button', { name: 'Salva' }).click();
    await take.getByTestId('activity-notes').filter({ hasText: NOTE }).waitFor();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      register.getByRole('button', { name: 'Scarica il registro (PDF)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.pdf$/);
    const path = await download.path();
    assert.ok(path, 'the PDF was saved');
    assert.ok((await readFile(path)).subarray(0, 5).toString() === '%PDF-', 'a PDF');
    await page.close();
  });

  test('the DPO records a breach past its 72 hours, then its late notification with the reason', async () => {
    const page = await loginAs(b.context, USERS.dpo);
    await page.goto(`${BASE_URL}/privacy/breaches`);
    const section = page.getByTestId('privacy-breaches');
    await section.getByRole('button', { name: 'Registra una violazione' }).click();
    const form = section.getByTestId('breach-form');
    await form.getByLabel(/^Titolo/).fill(TITLE);
    await form.getByLabel(/^Che cosa è successo/).fill('Una chiavetta con un elenco di persone seguite è stata smarrita.');
    await form.getByLabel(/^Quando è avvenuta/).fill(romeLocal(-100 * HOUR));
    await form.getByLabel(/^Quando è stata scoperta/).fill(romeLocal(-96 * HOUR));
    await form.getByLabel('Dati anagrafici').check({ force: true });
    await form.getByLabel('Recapiti').check({ force: true });
    await form.getByLabel('Persone seguite').check({ force: true });
    await form.getByLabel(/^Numero approssimativo di interessati/).fill('25');
    await form.getByLabel(/^Numero approssimativo di registrazioni/).fill('25');
    await form.getByLabel(/^Probabili conseguenze/).fill('Contatti indesiderati delle persone.');
    await form.getByLabel(/^Misure adottate/).fill('Persone informate, procedura di cifratura dei supporti.');
    await axe(page, '93c-breach-form');
    await form.getByRole('button', { name: 'Salva' }).click();
    const row = section.getByTestId('breach-row').filter({ hasText: TITLE });
    await row.getByTestId('breach-overdue').waitFor();
    await section.getByTestId('breaches-overdue').waitFor();
    await axe(page, '93d-breach-overdue');

    // Notified now: after the 72 hours, so the API asks the reason for the delay.
    await row.getByRole('button', { name: /^Aggiorna la violazione/ }).click();
    const edit = section.getByTestId('breach-form');
    await edit.getByLabel('Notificata', { exact: true }).check({ force: true });
    await edit.getByLabel(/^Quando è stata notificata/).fill(romeLocal(-1 * HOUR));
    await edit.getByRole('button', { name: 'Salva' }).click();
    await edit.getByText(/motivi del ritardo/).first().waitFor();
    await axe(page, '93e-breach-late-reason');
    await edit.getByLabel(/^Motivi/).fill('La perdita è stata confermata dal fornitore solo dopo tre giorni.');
    await edit.getByRole('button', { name: 'Salva' }).click();
    await section.getByTestId('breach-form').waitFor({ state: 'detached' });
    await row.getByText('Notificata in ritardo').waitFor();
    assert.equal(await row.getByTestId('breach-overdue').count(), 0, 'no longer overdue');
    await page.close();
  });

  test('the coordinator reads the breach register and records nothing', async () => {
    const page = await loginAs(b.context, USERS.coordinator);
    await page.goto(`${BASE_URL}/privacy/breaches`);
    const section = page.getByTestId('privacy-breaches');
    await section.getByTestId('breach-row').filter({ hasText: TITLE }).waitFor();
    assert.equal(await section.getByRole('button', { name: 'Registra una violazione' }).count(), 0);
    await axe(page, '93f-coordinator-breaches');
    await page.close();
  });
});
