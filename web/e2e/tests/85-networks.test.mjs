// "Reti e patti" in the browser: the network coordinator (the social agency) lands on its
// networks, opens the territorial pact it coordinates — the rules met with their reasons, the
// six municipalities with their council acts, the resources pledged with the totals —, and the
// Ufficio di Piano sees the district's table and the partnership too; the network coordinator
// signs a convention with its PDF, holds a meeting of the pact with its members, records an
// action item, closes the meeting and reads its minutes (HTML in the page, PDF downloaded).
// Every screen: axe.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { apiAs, BASE_URL, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n' +
  '2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
);

/** `YYYY-MM-DD` of today in Rome, as `dd/mm/yyyy` the date fields take. */
function todayText() {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date()).split('-');
  return `${d}/${m}/${y}`;
}

async function axe(page, name) {
  await settle(page);
  assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
  await screenshot(page, name);
}

describe('networks', () => {
  let b;
  before(async () => { b = await launch(); });
  after(async () => {
    assert.deepEqual(b?.consoleErrors ?? [], [], 'no uncaught errors in the pages');
    await b?.close();
  });

  test('network coordinator: lands on its networks and reads the pact it coordinates', async () => {
    const page = await loginAs(b.context, USERS.network);
    await page.waitForURL(/\/networks$/);
    await page.getByRole('heading', { name: 'Reti e patti', level: 1 }).waitFor();
    await settle(page);
    await axe(page, '85-networks');
    await page.getByRole('link', { name: /^Patto territoriale per il lavoro/ }).click();
    await page.waitForURL(/\/networks\/[^/]+$/);
    await page.getByRole('heading', { name: /^Patto territoriale per il lavoro/, level: 1 }).waitFor();
    const rules = page.getByTestId('compliance');
    await rules.getByText('Rispettata:').first().waitFor();
    const members = page.getByTestId('members');
    await members.getByRole('rowheader', { name: /^Comune di Bergamo/ }).waitFor();
    assert.ok((await members.getByRole('row').count()) >= 7, 'the six municipalities and the coordinating agency');
    await page.getByTestId('resources-total').waitFor();
    await axe(page, '85-network-pact');
    const api = await apiAs(USERS.network);
    const list = await api('GET', '/networks?limit=200');
    const pact = list.body.items.find((n) => n.kind === 'territorial_pact');
    const res = await api('GET', `/networks/${pact.id}/resources?limit=200`);
    assert.ok(res.body.items.length > 0, 'the demo pledged resources');
    await page.close();
  });

  test('coordinator: sees the table and the partnership among the networks', async () => {
    const page = await loginAs(b.context, USERS.coordinator);
    await page.getByRole('link', { name: 'Reti e patti' }).first().click();
    await page.getByRole('heading', { name: 'Reti e patti', level: 1 }).waitFor();
    await page.getByRole('link', { name: /^Partenariato per la ricollocazione/ }).waitFor();
    await page.getByText('Tavolo Sistema Lavoro').first().waitFor();
    await axe(page, '85-networks-coordinator');
    await page.close();
  });

  test('coordinator: creates a partnership, edits it, adds members and pledges a resource', async () => {
    const page = await loginAs(b.context, USERS.coordinator);
    await page.goto(`${BASE_URL}/networks`);
    await page.getByRole('link', { name: 'Nuova rete' }).click();
    await page.getByRole('heading', { name: 'Nuova rete', level: 1 }).waitFor();
    // Missing fields are named in the summary, before anything is sent.
    await page.getByRole('button', { name: 'Crea la rete' }).click();
    await page.getByRole('alert', { name: /Ci sono errori nel modulo/ }).getByText('Denominazione: campo obbligatorio').waitFor();
    await axe(page, '85-network-new-errors');
    const name = `Partenariato e2e ${Date.now()}`;
    await page.getByLabel('Tipo di rete').selectOption('territorial_partnership');
    await page.getByLabel('Denominazione').fill(name);
    await page.getByLabel('Finalità').fill('Ricollocare i lavoratori delle imprese in crisi');
    await page.getByLabel('Outplacement').check({ force: true });
    await page.getByRole('button', { name: 'Crea la rete' }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    assert.match(page.url(), /\/networks\/[^/]+$/);
    // Edit, at the version read.
    await page.getByRole('button', { name: 'Modifica' }).click();
    await page.getByLabel('Altri obiettivi').fill('Sportello per le imprese');
    await axe(page, '85-network-edit');
    await page.getByRole('button', { name: 'Salva' }).click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await page.getByText('Outplacement; Sportello per le imprese').waitFor();
    // Two members, from the district's organizations.
    const members = page.getByTestId('members');
    for (let i = 0; i < 2; i++) {
      await members.getByRole('button', { name: 'Aggiungi un aderente' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel(/^Ente/).selectOption({ index: 1 });
      if (i === 0) {
        await dialog.getByLabel("Numero dell'atto (delibera)").fill('45/2026');
        await dialog.getByLabel("Data dell'atto").fill('20/11/2026');
        await axe(page, '85-network-add-member');
      }
      await dialog.getByRole('button', { name: 'Aggiungi un aderente' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="members"] tbody tr').length === n, i + 1);
    }
    await members.getByText('n. 45/2026 del 20/11/2026').waitFor();
    // A resource pledged by the first member, in euro.
    const resources = page.getByTestId('resources');
    await resources.getByRole('button', { name: 'Impegna una risorsa' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Aderente che la mette a disposizione/).selectOption({ index: 1 });
    await dialog.getByLabel(/^Tipo/).selectOption('training');
    await dialog.getByLabel(/^Importo in euro/).fill('1500,00');
    await dialog.getByLabel('Dal', { exact: true }).fill('01/01/2027');
    await dialog.getByLabel('Al', { exact: true }).fill('30/06/2027');
    await axe(page, '85-network-pledge');
    await dialog.getByRole('button', { name: 'Impegna una risorsa' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.waitForFunction(() => /1\.500,00/.test(document.querySelector('[data-testid="resources-total"]')?.textContent ?? ''));
    // Made available, once confirmed.
    await resources.getByRole('button', { name: /^Rendi disponibile/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rendi disponibile' }).click();
    await resources.getByText('Disponibile', { exact: true }).waitFor();
    await axe(page, '85-network-built');
    const api = await apiAs(USERS.coordinator);
    const id = new URL(page.url()).pathname.split('/').pop();
    const read = await api('GET', `/networks/${id}/members?limit=200`);
    assert.equal(read.body.items.length, 2);
    assert.equal(read.body.items.filter((m) => m.approval_act?.number === '45/2026').length, 1);
    await page.close();
  });

  test('network coordinator: signs a convention with its PDF, holds a meeting of the pact, records an action item, reads the minutes', async () => {
    const page = await loginAs(b.context, USERS.network);
    await page.waitForURL(/\/networks$/);
    await page.getByRole('link', { name: /^Patto territoriale per il lavoro/ }).click();
    await page.getByRole('heading', { name: /^Patto territoriale per il lavoro/, level: 1 }).waitFor();
    const networkUrl = page.url();
    // A convention among two members, drafted then signed with its text.
    const agreements = page.getByTestId('agreements');
    await agreements.getByRole('button', { name: 'Nuovo accordo' }).click();
    let dialog = page.getByRole('dialog');
    const subject = `Convenzione e2e per i tirocini ${Date.now()}`;
    await dialog.getByLabel(/^Oggetto/).fill(subject);
    const parties = dialog.locator('#party_member_ids input[type="checkbox"]');
    await parties.nth(0).check({ force: true });
    await parties.nth(1).check({ force: true });
    await dialog.getByLabel('In vigore dal').fill('01/01/2027');
    await dialog.getByLabel('Fino al').fill('31/12/2026');
    await dialog.getByRole('button', { name: 'Salva la bozza' }).click();
    await dialog.getByRole('alert', { name: /Ci sono errori nel modulo/ }).getByText(/Fino al: la data di fine/).waitFor();
    await axe(page, '85-agreement-new');
    await dialog.getByLabel('Fino al').fill('31/12/2028');
    await dialog.getByRole('button', { name: 'Salva la bozza' }).click();
    await dialog.waitFor({ state: 'detached' });
    const card = agreements.getByRole('article', { name: subject });
    await card.getByText('Bozza', { exact: true }).waitFor();
    await card.getByRole('button', { name: /^Firma/ }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Testo firmato \(PDF\)/).setInputFiles({ name: 'convenzione tirocini firmata.pdf', mimeType: 'application/pdf', buffer: PDF });
    await axe(page, '85-agreement-sign');
    await dialog.getByRole('button', { name: 'Firma', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await card.getByText('Firmato', { exact: true }).waitFor();
    await card.getByTestId('agreement-documents').getByRole('cell', { name: 'convenzione tirocini firmata.pdf', exact: true }).waitFor();
    await page.getByTestId('documents').getByRole('cell', { name: 'convenzione tirocini firmata.pdf', exact: true }).waitFor();
    await axe(page, '85-agreement-signed');
    const download = page.waitForEvent('download');
    await card.getByRole('button', { name: /Scarica.*convenzione tirocini firmata\.pdf/ }).click();
    const saved = await (await download).path();
    assert.deepEqual(readFileSync(saved), PDF, 'the signed text back, byte for byte');

    // A meeting of the pact: two members attending, one topic.
    const meetings = page.getByTestId('network-meetings');
    await meetings.getByRole('button', { name: 'Nuova seduta' }).click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('Tipo di seduta').selectOption('pact_assembly');
    const title = `Assemblea e2e ${Date.now()}`;
    await dialog.getByLabel('Titolo').fill(title);
    await dialog.getByLabel(/^Data/).fill(todayText());
    await dialog.getByLabel('Luogo').fill('Sala consiliare');
    const rows = dialog.getByTestId('attendee-row');
    await rows.nth(0).getByRole('combobox').selectOption('present');
    await rows.nth(0).getByRole('textbox').fill('Elena Ferrari');
    await rows.nth(1).getByRole('combobox').selectOption('excused');
    await dialog.getByRole('button', { name: 'Aggiungi un punto' }).click();
    await dialog.getByLabel('Punto 1', { exact: true }).fill('Tirocini per i giovani del territorio');
    await dialog.getByLabel('Note del punto 1').fill('Calendario delle aziende disponibili.');
    await axe(page, '85-meeting-new');
    await dialog.getByRole('button', { name: 'Programma la seduta' }).click();
    await page.waitForURL(/\/networks\/[^/]+\/meetings\/[^/]+$/);
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.getByTestId('attendees').getByText('Elena Ferrari').waitFor();
    await page.getByTestId('topics').getByText('Tirocini per i giovani del territorio').waitFor();
    await axe(page, '85-meeting-planned');
    await page.getByRole('button', { name: 'Apri la seduta' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Apri la seduta' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    // An action item with its owner and due date, then a later due date, in place.
    const items = page.getByTestId('action-items');
    await items.getByLabel(/^Impegno/).fill('Raccogliere le disponibilità delle aziende');
    await items.getByLabel('Aderente responsabile').selectOption({ index: 1 });
    await items.getByLabel('Entro il').fill('31/01/2031');
    await items.getByRole('button', { name: "Aggiungi l'impegno" }).click();
    const item = items.getByRole('article', { name: 'Raccogliere le disponibilità delle aziende' });
    await item.waitFor();
    await item.getByLabel('Entro il').fill('28/02/2031');
    await item.getByRole('button', { name: /^Salva/ }).click();
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="action-item"] input')]
      .some((i) => i.value === '28/02/2031') && !document.querySelector('[data-testid="action-item"] button[type="submit"]:not([disabled])'));
    await axe(page, '85-meeting-open');

    // Closed: the minutes frozen, read in the page and downloaded as PDF.
    await page.getByRole('button', { name: 'Chiudi la seduta' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Chiudi la seduta' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const minutes = page.getByTestId('minutes');
    await minutes.getByRole('heading', { name: 'Verbale', exact: true }).waitFor();
    await minutes.getByRole('button', { name: 'Leggi il verbale' }).click();
    const text = minutes.getByTestId('minutes-text');
    await text.getByText(/Raccogliere le disponibilità delle aziende/).first().waitFor();
    await text.getByText(/Elena Ferrari/).first().waitFor();
    await axe(page, '85-meeting-minutes');
    const pdf = page.waitForEvent('download');
    await minutes.getByRole('button', { name: 'Scarica il PDF' }).click();
    const bytes = readFileSync(await (await pdf).path());
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-', 'the minutes as PDF');
    // On a phone: the meeting with its minutes fits the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling at 390px');
    await axe(page, '85-meeting-minutes-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
    // The pact's page lists the meeting, closed.
    await page.goto(networkUrl);
    await page.getByTestId('network-meetings').getByRole('row', { name: new RegExp(title) }).getByText('Chiusa').waitFor();
    await page.close();
  });

  test('anyone, without signing in, asks to join a network', async () => {
    const page = await b.context.newPage();
    await page.goto(`${BASE_URL}/partecipa`);
    await page.getByRole('heading', { name: 'Partecipa a una rete', level: 1 }).waitFor();
    await page.getByTestId('public-networks').waitFor();
    await axe(page, '85-join-list');
    await page.getByRole('link', { name: /^Chiedi di aderire/ }).first().click();
    await page.waitForURL(/\/partecipa\/[^/]+$/);
    await page.getByTestId('privacy-notice').waitFor();
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    await page.getByRole('alert', { name: /Ci sono errori nel modulo/ }).getByText(/Email: indica/).waitFor();
    await axe(page, '85-join-form-errors');
    await page.getByLabel('Nome e cognome').fill('Giulia Bianchi e2e');
    await page.getByLabel('A che titolo').selectOption('councillor');
    await page.getByLabel('Ente o organizzazione').fill(`Associazione e2e ${Date.now()}`);
    await page.getByLabel('Email').fill('giulia.bianchi@example.org');
    await page.getByLabel(/^Ho letto l'informativa/).check({ force: true });
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();
    await page.getByTestId('join-received').waitFor();
    assert.ok(!(await page.getByTestId('join-received').textContent()).includes('Giulia'), 'nothing sent is echoed');
    await axe(page, '85-join-received');
    // The coordinator sees it among the network's pending requests.
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
    const api = await apiAs(USERS.coordinator);
    const pending = await api('GET', `/networks/${id}/join-requests?limit=200`);
    assert.equal(pending.status, 200);
    assert.ok(pending.body.items.some((r) => r.name === 'Giulia Bianchi e2e' && r.capacity === 'councillor'));
    await page.close();
    // The coordinator accepts it on the network's page: a new organization joins.
    const coord = await loginAs(b.context, USERS.coordinator);
    await coord.goto(`${BASE_URL}/networks/${encodeURIComponent(id)}`);
    const requests = coord.getByTestId('join-requests');
    await requests.getByText(/^Giulia Bianchi e2e/).first().waitFor();
    await axe(coord, '85-join-requests');
    await requests.getByRole('button', { name: 'Accogli Giulia Bianchi e2e' }).first().click();
    const dialog = coord.getByRole('dialog');
    await dialog.getByLabel(/^Tipo del nuovo ente/).selectOption('volunteer_association');
    await axe(coord, '85-join-accept');
    await dialog.getByRole('button', { name: 'Accogli' }).click();
    await dialog.waitFor({ state: 'detached' });
    await coord.getByTestId('members').getByRole('rowheader', { name: /^Associazione e2e/ }).first().waitFor();
    await coord.close();
  });
});
