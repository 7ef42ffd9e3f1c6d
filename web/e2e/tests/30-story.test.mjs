// The whole story across roles on the demo data: a referrer registers a NEW person and submits a
// referral; the coordinator adds it to the open meeting's agenda, accepts it with an agency and a
// measure and closes the meeting; the agency takes charge, approves and starts the measure, logs
// a follow-up, completes it and closes the case as hired; the referrer sees the outcome.
// The referrer records the privacy notice given to the new person before submitting.
// Every screen on the way is checked with axe and photographed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { data } from '../data.mjs';
import { BASE_URL, ensureMeetingNotClosed, giveNotice, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

// A new person, the same every run (the file's seed), not in the demo data.
const PERSON = data('30-story').person({ gender: 'M' });
const FULL = `${PERSON.lastName} ${PERSON.firstName}`;

async function axe(page, name) {
  await settle(page);
  assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
  await screenshot(page, name);
}

describe('the story, across roles', () => {
  let b;
  let referralUrl;
  before(async () => {
    // The table needs a meeting to work on: the demo's open one, else one this file plans.
    await ensureMeetingNotClosed();
    b = await launch();
  });
  after(async () => {
    assert.deepEqual(b?.consoleErrors ?? [], [], 'no uncaught errors in the pages');
    await b?.close();
  });

  test('referrer: creates a new person and submits a referral', async () => {
    const page = await loginAs(b.context, USERS.referrer);
    await axe(page, '10-referrer-list');
    await page.getByRole('link', { name: 'Nuova segnalazione' }).first().click();
    await page.waitForURL(/\/referrals\/new/);
    await settle(page);
    // Live validation: a wrong check character is explained while typing.
    const wrong = PERSON.taxCode.slice(0, 15) + (PERSON.taxCode[15] === 'A' ? 'B' : 'A');
    await page.getByLabel(/^Codice fiscale/).fill(wrong);
    await page.getByText(/Il carattere di controllo non è corretto/).waitFor();
    await page.getByLabel(/^Codice fiscale/).fill(PERSON.taxCode);
    await page.getByText('Nessuna persona registrata con questo codice fiscale').waitFor();
    await page.getByLabel(/^Cognome/).fill(PERSON.lastName);
    await page.getByLabel(/^Nome/).fill(PERSON.firstName);
    // Prefilled from the code, shown as gg/mm/aaaa whatever the browser's language.
    assert.equal(await page.getByLabel(/^Data di nascita/).inputValue(), PERSON.birthDate.split('-').reverse().join('/'),
      'birth date prefilled from the code');
    await page.getByLabel('Cerca il comune di residenza').fill('Bergamo');
    await page.locator('#residence_municipality_code option', { hasText: 'Bergamo (BG)' }).waitFor({ state: 'attached' });
    await page.getByLabel('Comune di residenza', { exact: true }).selectOption({ label: 'Bergamo (BG)' });
    await page.getByLabel('Condizione occupazionale').selectOption('unemployed');
    await page.getByLabel('Lavoro', { exact: true }).check({ force: true });
    await page.getByLabel('Formazione', { exact: true }).check({ force: true });
    await page.getByLabel(/^Motivazione/).fill('Disoccupato da un anno, cerca lavoro nella logistica. Segnalazione di prova e2e.');
    // A new person: the privacy notice is given now, in person, and recorded before the submit.
    await giveNotice(page, 'in_person');
    await axe(page, '11-referrer-new');
    await page.getByRole('button', { name: 'Salva e invia al Tavolo' }).click();
    await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/).catch(async (e) => {
      await screenshot(page, 'fail-referrer-new');
      throw e;
    });
    await page.getByText('Segnalazione inviata al Tavolo Sistema Lavoro.').waitFor();
    // The title shows a placeholder until the referral has loaded.
    await page.locator('#page-title', { hasText: FULL }).waitFor();
    assert.equal(await page.locator('#page-title').textContent(), FULL);
    await page.locator('.badge-status[data-status="submitted"]').first().waitFor();
    referralUrl = new URL(page.url()).pathname;
    await axe(page, '12-referrer-detail');
    await page.close();
  });

  test('coordinator: adds it to the open meeting, accepts it with an agency and DUL, closes the meeting', async () => {
    const page = await loginAs(b.context, USERS.coordinator);
    await axe(page, '20-coordinator-dashboard');
    await page.getByRole('link', { name: 'Tavolo Sistema Lavoro' }).first().click();
    await page.waitForURL(/\/meetings$/);
    await axe(page, '21-meetings');
    // The open meeting is listed first.
    await page.locator('table tbody tr').first().getByRole('link').click();
    await page.waitForURL(/\/meetings\/[0-9a-f-]{36}$/);
    await settle(page);
    // On the demo data a meeting is already open; on a reused database it may be the planned one.
    if (await page.locator('#page-title ~ div .badge-status[data-status="planned"], .text-secondary .badge-status[data-status="planned"]').count()) {
      await page.getByRole('button', { name: 'Apri la seduta' }).first().click();
      await page.getByRole('dialog').getByRole('button', { name: 'Apri la seduta' }).click();
    }
    await page.locator('.badge-status[data-status="open"]').first().waitFor();
    const waiting = page.getByTestId('waiting-referral').filter({ hasText: FULL });
    await waiting.getByRole('button', { name: /Aggiungi all'ordine del giorno/ }).click();
    const item = page.getByTestId('agenda-item').filter({ hasText: FULL });
    await item.waitFor();
    await item.getByText(/Requisiti per le misure/).waitFor();
    await item.getByRole('button', { name: /^Decidi/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Accogliere e assegnare a un ente').check({ force: true });
    await dialog.getByLabel(/^Ente accreditato/).selectOption({ label: 'Agenzia Lavoro Orobica' });
    await dialog.getByLabel(/^DUL – Dote Unica Lavoro/).check({ force: true });
    await dialog.getByText(/disponibile \d/).first().waitFor();
    await axe(page, '22-meeting-decision');
    await dialog.getByRole('button', { name: 'Registra la decisione' }).click();
    await dialog.waitFor({ state: 'detached' });
    await item.getByTestId('decision').getByText('Agenzia Lavoro Orobica').waitFor();
    await axe(page, '23-meeting-board');
    await page.getByRole('button', { name: 'Chiudi la seduta' }).first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Chiudi la seduta' }).click();
    await page.locator('.badge-status[data-status="closed"]').first().waitFor();
    // The printable minutes open in a new tab (fetched with the session's token).
    const [minutes] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Verbale stampabile' }).click(),
    ]);
    await minutes.waitForURL(/^blob:/);
    await minutes.getByText(PERSON.lastName, { exact: false }).first().waitFor();
    assert.match(await minutes.title(), /Verbale/);
    await screenshot(minutes, '27-minutes');
    await minutes.close();
    // The other screens of the coordinator.
    for (const [path, name] of [['/cases', '24-coordinator-cases'], ['/catalogue', '25-catalogue'], ['/referrals', '26-coordinator-referrals']]) {
      await page.goto(`${BASE_URL}${path}`);
      await axe(page, name);
    }
    await page.close();
  });

  test('agency operator: takes charge, runs the measure, logs a follow-up, closes as hired', async () => {
    const page = await loginAs(b.context, USERS.operator1);
    // The agency's home: thresholds, this week's follow-ups, then the case just assigned.
    await page.getByRole('heading', { name: 'Questa settimana', level: 1 }).waitFor();
    await settle(page);
    await axe(page, '30-operator-home');
    await page.getByTestId('home-assigned').filter({ hasText: FULL }).getByRole('link').click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await settle(page);
    await page.getByRole('button', { name: 'Prendi in carico' }).click();
    let dialog = page.getByRole('dialog');
    // The service pact signed at the first meeting, in the take-charge form itself.
    await dialog.getByLabel(/^Obiettivi del patto di servizio/).fill('Bilancio di competenze; corso carrellista; ricerca attiva.');
    await dialog.getByLabel('Programma').selectOption('dul');
    await dialog.getByLabel('Profilo di occupabilità').selectOption('band_2');
    await dialog.getByRole('button', { name: "Aggiungi un'azione" }).click();
    const action = dialog.getByTestId('pact-action-row').first();
    await action.getByLabel(/Descrizione/).fill('Cinque candidature a settimana nella logistica');
    await action.getByLabel('Entro il').fill('31/03/2027');
    await dialog.getByLabel('Cadenza dei colloqui').selectOption('fortnightly');
    await axe(page, '30-take-charge-pact');
    await dialog.getByRole('button', { name: 'Prendi in carico' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.badge-status[data-status="in_charge"]').first().waitFor();
    const pact = page.getByTestId('service-pact');
    await pact.getByTestId('pact-version').filter({ hasText: 'Versione 1' }).waitFor();
    await pact.getByText('Cinque candidature a settimana nella logistica').waitFor();
    await pact.getByText('31/03/2027').waitFor();
    const dul = page.getByTestId('activation-row').filter({ hasText: 'DUL' });
    await dul.getByRole('button', { name: /^Approva/ }).click();
    // Money moves only after a confirmation that shows the amount and the threshold after.
    dialog = page.getByRole('dialog', { name: /^Approvare la misura DUL/ });
    await dialog.getByText('Disponibile sulla soglia dopo la conferma').waitFor();
    await dialog.getByRole('button', { name: 'Conferma' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('activation-row').filter({ hasText: 'DUL' }).and(page.locator('[data-status="approved"]')).waitFor();
    await dul.getByRole('button', { name: /^Avvia/ }).click();
    await page.getByTestId('activation-row').filter({ hasText: 'DUL' }).and(page.locator('[data-status="running"]')).waitFor();
    await page.getByLabel(/^Nota/).fill('Primo colloquio di orientamento: iscritto al corso carrellista.');
    await page.getByRole('button', { name: 'Aggiungi al diario' }).click();
    await page.getByTestId('follow-up').filter({ hasText: 'corso carrellista' }).waitFor();
    await axe(page, '31-case-workspace');
    await dul.getByRole('button', { name: /^Completa/ }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Completa' }).click();
    dialog = page.getByRole('dialog', { name: /^Completare la misura DUL/ });
    await dialog.getByText('Importo speso').waitFor();
    await dialog.getByRole('button', { name: 'Conferma' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('activation-row').filter({ hasText: 'DUL' }).and(page.locator('[data-status="completed"]')).waitFor();
    await page.getByRole('button', { name: 'Chiudi il caso' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Esito/).selectOption('hired');
    await dialog.getByLabel(/^Tipo di contratto/).selectOption('fixed_term');
    await dialog.getByLabel(/^Ore settimanali/).fill('30');
    await dialog.getByLabel(/^Datore di lavoro/).fill('Logistica Orobica srl');
    await axe(page, '32-case-close');
    await dialog.getByRole('button', { name: 'Chiudi il caso' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('case-outcome').textContent(), 'Assunzione');
    await page.locator('.badge-status[data-status="closed"]').first().waitFor();
    await axe(page, '33-case-closed');
    await page.close();
  });

  test('referrer: sees the outcome on the referral', async () => {
    const page = await loginAs(b.context, USERS.referrer);
    await page.goto(`${BASE_URL}${referralUrl}`);
    await settle(page);
    await page.locator('.badge-status[data-status="accepted"]').first().waitFor();
    assert.equal(await page.getByTestId('referral-outcome').textContent(), 'Assunzione');
    assert.match(await page.getByTestId('referral-case').textContent(), /Agenzia Lavoro Orobica/);
    await axe(page, '13-referrer-outcome');
    await page.close();
  });

  test('observer: the overview is accessible', async () => {
    const page = await loginAs(b.context, USERS.observer);
    await page.getByRole('heading', { name: 'Referrals by status' }).or(page.getByRole('heading', { name: 'Segnalazioni per stato' })).waitFor();
    await axe(page, '40-observer-overview');
    await page.close();
  });
});
