// A partnership's collective actions in the browser: the coordinator (Ufficio di Piano) opens the
// demo partnership "Partenariato per la ricollocazione – Bergamo", reads the demo's outplacement
// action with its five beneficiaries and the results computed from their cases, plans a new
// action (missing fields named first), adds a participating member and starts it; the agency's
// operator opens the same page from its menu and adds one of its cases to an action its agency
// takes part in; on a 390 px phone the section
// fits. Every screen: axe.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiAs, BASE_URL, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

const PARTNERSHIP = 'Partenariato per la ricollocazione – Bergamo';
const DEMO_ACTION = /^Outplacement dei lavoratori della Tessitura Orobica/;

async function axe(page, name) {
  await settle(page);
  assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
  await screenshot(page, name);
}

async function partnershipId() {
  const api = await apiAs(USERS.coordinator);
  const list = await api('GET', '/networks?limit=200');
  const n = list.body.items.find((x) => x.name === PARTNERSHIP);
  assert.ok(n, 'the demo partnership');
  return n.id;
}

async function openPartnership(page, id) {
  await page.goto(`${BASE_URL}/networks/${id}`);
  await page.getByRole('heading', { name: PARTNERSHIP, level: 1 }).waitFor();
  const section = page.getByTestId('collective-actions');
  await section.getByRole('heading', { name: 'Azioni collettive' }).waitFor();
  return section;
}

const result = (card, key) => card.locator(`[data-result="${key}"] dd`).textContent();

describe('collective actions', () => {
  let b;
  let id;
  before(async () => {
    b = await launch();
    id = await partnershipId();
  });
  after(async () => {
    assert.deepEqual(b?.consoleErrors ?? [], [], 'no uncaught errors in the pages');
    await b?.close();
  });

  test("coordinator: the demo's outplacement action shows its results, computed from the five beneficiaries' cases", async () => {
    const page = await loginAs(b.context, USERS.coordinator);
    await page.getByRole('link', { name: 'Reti e patti' }).first().click();
    await page.getByRole('link', { name: PARTNERSHIP }).click();
    await page.getByRole('heading', { name: PARTNERSHIP, level: 1 }).waitFor();
    const section = page.getByTestId('collective-actions');
    const card = section.getByRole('article', { name: DEMO_ACTION });
    await card.waitFor();
    await card.locator('[data-status="running"]').getByText('In corso').waitFor();
    assert.equal(await result(card, 'beneficiaries'), '5');
    assert.equal(await result(card, 'hired'), '2');
    assert.equal(await result(card, 'employed_at_6_months'), '1');
    await card.getByTestId('collective-employers').getByText('Meccanica Seriana spa').first().waitFor();
    await card.getByTestId('collective-participants').getByText(/^Comune di Bergamo/).first().waitFor();
    // Start is not offered while it runs: disabled, with the API's reason.
    assert.equal(await card.getByRole('button', { name: /^Avvia/ }).getAttribute('aria-disabled'), 'true');
    await card.getByRole('button', { name: 'Mostra i beneficiari' }).click();
    const rows = card.getByTestId('collective-beneficiaries').getByRole('link', { name: 'Caso seguito da Agenzia Lavoro Orobica' });
    await rows.first().waitFor();
    assert.equal(await rows.count(), 5);
    await axe(page, '86-collective-demo');
    await page.close();
  });

  test('coordinator: plans an action, adds a participant and starts it', async () => {
    const page = await loginAs(b.context, USERS.coordinator);
    const section = await openPartnership(page, id);
    await section.getByRole('button', { name: "Pianifica un'azione collettiva" }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: "Pianifica l'azione" }).click();
    // Nothing is sent before the required fields are there; the summary names them.
    await dialog.getByRole('alert', { name: /Ci sono errori nel modulo/ }).waitFor();
    await axe(page, '86-collective-new-errors');
    const title = `Analisi dei fabbisogni e2e ${Date.now()}`;
    await dialog.getByLabel(/^Tipo di azione/).selectOption('labour_needs_analysis');
    await dialog.getByLabel(/^Titolo/).fill(title);
    await dialog.getByLabel('Descrizione').fill('Le imprese della Val Seriana: quali profili cercano nei prossimi sei mesi');
    await dialog.getByLabel('Data di inizio').fill('15/01/2027');
    await dialog.getByRole('button', { name: "Pianifica l'azione" }).click();
    const card = section.getByRole('article', { name: title });
    await card.waitFor();
    await card.locator('[data-status="planned"]').getByText('Pianificata').waitFor();
    await card.getByText('Nessun aderente partecipa ancora.').waitFor();
    // A participant, among the partnership's active members.
    await card.getByRole('button', { name: /^Aggiungi un partecipante/ }).click();
    const pick = page.getByRole('dialog');
    const select = pick.getByLabel(/^Aderente attivo della rete/);
    await select.waitFor();
    const value = await select.locator('option', { hasText: 'Agenzia Lavoro Orobica' }).getAttribute('value');
    await select.selectOption(value);
    await axe(page, '86-collective-participant');
    await pick.getByRole('button', { name: 'Aggiungi un partecipante' }).click();
    await card.getByTestId('collective-participants').getByRole('button', { name: 'Togli Agenzia Lavoro Orobica' }).waitFor();
    // Start it (the reason is optional).
    await card.getByRole('button', { name: /^Avvia/ }).click();
    const start = page.getByRole('dialog');
    await start.getByLabel('Motivazione (facoltativa)').fill("L'agenzia ha raccolto le prime richieste delle imprese");
    await start.getByRole('button', { name: 'Avvia' }).click();
    await card.locator('[data-status="running"]').getByText('In corso').waitFor();
    assert.equal(await card.getByRole('button', { name: /^Avvia/ }).getAttribute('aria-disabled'), 'true');
    await axe(page, '86-collective-started');
    // The API agrees.
    const api = await apiAs(USERS.coordinator);
    const list = await api('GET', `/networks/${id}/collective-actions?limit=200`);
    const created = list.body.items.find((a) => a.title === title);
    assert.equal(created.status, 'running');
    assert.equal(created.kind, 'labour_needs_analysis');
    assert.equal(created.starts_on, '2027-01-15');
    assert.deepEqual(created.participants.map((p) => p.organization.name), ['Agenzia Lavoro Orobica']);
    await page.close();
  });

  test('agency operator: opens the partnership from its menu and adds one of its cases to an action its agency takes part in', async () => {
    // An action of its own for this test: the coordinator plans it with the agency taking part.
    const coordinator = await apiAs(USERS.coordinator);
    const title = `Aggregazione e2e ${Date.now()}`;
    const created = await coordinator('POST', `/networks/${id}/collective-actions`, { kind: 'worker_aggregation', title });
    assert.equal(created.status, 201);
    const members = await coordinator('GET', `/networks/${id}/members?limit=200`);
    const agency = members.body.items.find((m) => m.active && m.organization.name === 'Agenzia Lavoro Orobica');
    assert.equal((await coordinator('POST', `/collective-actions/${created.body.id}/participants`, { member_id: agency.id })).status, 201);

    const page = await loginAs(b.context, USERS.operator1);
    await page.getByRole('link', { name: 'Reti e patti' }).first().click();
    await page.getByRole('link', { name: PARTNERSHIP }).click();
    const card = page.getByTestId('collective-actions').getByRole('article', { name: title });
    await card.waitFor();
    assert.equal(await card.getByRole('button', { name: /^Modifica/ }).count(), 0, 'only who manages the action edits it');
    await card.getByRole('button', { name: /^Aggiungi un beneficiario/ }).click();
    const dialog = page.getByRole('dialog');
    const select = dialog.getByLabel(/^Caso preso in carico/);
    await select.waitFor();
    const first = await select.locator('option').nth(1).getAttribute('value');
    await select.selectOption(first);
    await axe(page, '86-collective-operator-beneficiary');
    await dialog.getByRole('button', { name: 'Aggiungi un beneficiario' }).click();
    await dialog.waitFor({ state: 'detached' });
    await card.locator('[data-result="beneficiaries"] dd').getByText('1', { exact: true }).waitFor();
    const read = await coordinator('GET', `/collective-actions/${created.body.id}/beneficiaries?limit=200`);
    assert.deepEqual(read.body.items.map((x) => x.case_id), [first]);
    await page.close();
  });

  test('the section fits a 390 px phone', async () => {
    const phone = await launch({ viewport: { width: 390, height: 844 } });
    try {
      const page = await loginAs(phone.context, USERS.coordinator);
      const section = await openPartnership(page, id);
      await section.getByRole('article', { name: DEMO_ACTION }).waitFor();
      await section.scrollIntoViewIfNeeded();
      await axe(page, '86-collective-phone');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling at 390px (overflow ${overflow}px)`);
      await page.close();
      assert.deepEqual(phone.consoleErrors, [], 'no uncaught errors on the phone');
    } finally {
      await phone.close();
    }
  });
});
