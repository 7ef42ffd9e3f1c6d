// "Opportunità" in the browser: anyone, without signing in, reads the territory's opportunities
// (the demo's members' courses, jobs, internships, services and events, the open measures and the
// granted projects), an item's page with its flyer, and the feeds; the coordinator publishes a
// new one and finds it on the board; the agency operator opens a case, sees "Opportunità adatte",
// proposes one and records the person's answer. Every screen: axe; at 390px no sideways scroll.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiAs, BASE_URL, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

async function axe(page, name) {
  await settle(page);
  assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
  await screenshot(page, name);
}

/** `dd/mm/yyyy`, `days` from today in Rome, as the date fields take it. */
function dayText(days) {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date()).split('-').map(Number);
  const at = new Date(Date.UTC(y, m - 1, d + days));
  return `${String(at.getUTCDate()).padStart(2, '0')}/${String(at.getUTCMonth() + 1).padStart(2, '0')}/${at.getUTCFullYear()}`;
}

const COURSE = 'Corso per addetto alla logistica di magazzino';

describe('opportunities', () => {
  let b;
  const title = `Laboratorio di cucina e2e ${Date.now()}`;
  before(async () => { b = await launch(); });
  after(async () => {
    assert.deepEqual(b?.consoleErrors ?? [], [], 'no uncaught errors in the pages');
    await b?.close();
  });

  test('the public page lists the demo opportunities without sign-in, each with its page, its flyer and the feeds', async () => {
    const page = await b.context.newPage();
    await page.goto(`${BASE_URL}/opportunita`);
    await page.getByRole('heading', { name: 'Opportunità del territorio', level: 1 }).waitFor();
    const list = page.getByTestId('public-opportunities');
    await list.getByRole('article', { name: COURSE }).waitFor();
    for (const name of ['Job day del territorio', 'Sportello casa: affitti calmierati e emergenza abitativa', 'Dote Unica Lavoro']) {
      await list.getByRole('article', { name }).first().waitFor();
    }
    // The catalogue's measures and the granted projects are there too (a project and the measure it made may share a name).
    await list.locator('article[data-source="measure"]').first().waitFor();
    await list.locator('article[data-source="project"]').first().waitFor();
    assert.equal(await page.getByTestId('current-user').count(), 0, 'nobody is signed in');
    await axe(page, '89-public-list');
    // The feeds and the bulletin are served as linked.
    for (const name of ['Feed RSS', 'Calendario (iCal)', 'Bollettino del mese (PDF)', 'Bollettino del mese (pagina web)']) {
      const href = await page.getByTestId('public-feeds').getByRole('link', { name }).getAttribute('href');
      const res = await fetch(`${BASE_URL}${href}`);
      assert.equal(res.status, 200, `${name}: ${href}`);
    }
    // The filter by kind asks the API again.
    await page.getByLabel('Tipo').selectOption('event');
    await list.getByRole('article', { name: COURSE }).waitFor({ state: 'detached' });
    await list.getByRole('article', { name: 'Job day del territorio' }).waitFor();
    await page.getByLabel('Tipo').selectOption('');
    await list.getByRole('article', { name: COURSE }).getByRole('link', { name: COURSE, exact: true }).click();
    await page.getByRole('heading', { name: COURSE, level: 1 }).waitFor();
    assert.match(page.url(), /\/opportunita\/[^/]+$/);
    const flyer = await page.getByRole('link', { name: /Volantino \(PDF\)/ }).getAttribute('href');
    const pdf = await fetch(`${BASE_URL}${flyer}`);
    assert.equal(pdf.status, 200);
    assert.match(pdf.headers.get('content-type') ?? '', /pdf/);
    await axe(page, '89-public-detail');
    // The RSS feed's links lead to these pages, opened directly.
    const rss = await (await fetch(`${BASE_URL}/api/v1/public/opportunities.rss`)).text();
    const link = /<item>[\s\S]*?<link>([^<]+)<\/link>/.exec(rss)?.[1];
    assert.ok(link, 'the feed has items with links');
    await page.goto(`${BASE_URL}${new URL(link).pathname}`);
    await page.locator('#page-title').waitFor();
    await settle(page);
    assert.notEqual(await page.locator('#page-title').textContent(), 'Opportunità del territorio');
    await page.close();
  });

  test('the coordinator publishes a new opportunity and sees it on the board', async () => {
    const page = await loginAs(b.context, USERS.coordinator);
    await page.getByRole('link', { name: 'Opportunità', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Opportunità', level: 1 }).waitFor();
    await page.getByTestId('opportunity-board').getByRole('article', { name: COURSE }).waitFor();
    // The coordinator sees the member's draft, with its state.
    await page.getByTestId('opportunity-board').getByRole('article', { name: 'Competenze digitali di base' }).getByText('Bozza').waitFor();
    await axe(page, '89-board');
    await page.getByRole('link', { name: 'Nuova opportunità' }).click();
    await page.getByRole('heading', { name: 'Nuova opportunità', level: 1 }).waitFor();
    const form = page.getByTestId('opportunity-form');
    // Publishing without how to apply and a contact is refused at the fields.
    await form.getByRole('button', { name: 'Pubblica' }).click();
    await page.getByRole('alert').filter({ hasText: 'Come candidarsi' }).first().waitFor();
    await form.getByRole('combobox', { name: /^Tipo/ }).selectOption('training_course');
    await form.getByRole('combobox', { name: /^Area/ }).selectOption('training');
    await form.getByLabel(/^Titolo/).fill(title);
    await form.getByLabel(/^Descrizione/).fill('Otto incontri in cucina con un cuoco professionista, per chi cerca lavoro nella ristorazione.');
    await form.getByLabel('Età minima').fill('18');
    // The form grows as the coordinator's organizations arrive (the fields move down): on a
    // loaded machine a click can land where the box was; the box must end up ticked.
    const unemployed = form.getByLabel('Disoccupato/a');
    for (let attempt = 0; attempt < 3 && !(await unemployed.isChecked()); attempt++) {
      await unemployed.check({ force: true }).catch(() => {});
    }
    assert.equal(await unemployed.isChecked(), true, 'the employment status is ticked');
    await form.getByLabel('Cerca il comune').fill('Bergamo');
    const comune = form.getByRole('combobox', { name: 'Comune' });
    await comune.locator('option[value="016024"]').waitFor({ state: 'attached' });
    await comune.selectOption('016024');
    await form.getByLabel('Luogo').fill('Via San Bernardino 1');
    await form.getByLabel('Scadenza per candidarsi').fill(dayText(20));
    await form.getByLabel('Come candidarsi').fill("Colloquio su appuntamento allo sportello dell'Ufficio di Piano.");
    await form.getByLabel('Contatto').fill('ufficiodipiano@example.org');
    await axe(page, '89-new');
    await form.getByRole('button', { name: 'Pubblica' }).click();
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.getByTestId('flash').getByText('Opportunità pubblicata.').waitFor();
    await page.getByText('Pubblicata', { exact: true }).waitFor();
    await axe(page, '89-published');
    await page.getByRole('navigation', { name: 'Percorso di navigazione' }).getByRole('link', { name: 'Opportunità' }).click();
    const card = page.getByTestId('opportunity-board').getByRole('article', { name: title });
    await card.waitFor();
    await card.getByText('Bergamo', { exact: false }).first().waitFor();
    // …and on the public page too.
    const api = await apiAs(USERS.coordinator);
    const board = await api('GET', '/opportunities?limit=200&source=published');
    const made = board.body.items.find((o) => o.title === title);
    assert.equal(made?.status, 'published');
    assert.equal(made?.municipality?.code, '016024');
    const pub = await fetch(`${BASE_URL}/api/v1/public/opportunities/${made.id}`);
    assert.equal(pub.status, 200);
    await page.close();
  });

  test('the agency operator opens a case, sees "Opportunità adatte", proposes one and records the answer', async () => {
    const api = await apiAs(USERS.operator1);
    const cases = await api('GET', '/cases?limit=200');
    let pick = null;
    for (const c of cases.body.items) {
      const detail = await api('GET', `/cases/${c.id}`);
      if (!detail.body.allowed_actions.includes('add_opportunity_proposal')) continue;
      const matches = await api('GET', `/cases/${c.id}/opportunities`);
      const item = matches.body.items.find((m) => m.eligible && !m.proposal_id && m.opportunity.source === 'published');
      if (item) { pick = { c: detail.body, item: item.opportunity }; break; }
    }
    assert.ok(pick, 'operatore1 has an open case with an opportunity that fits, not yet proposed');
    const page = await loginAs(b.context, USERS.operator1);
    await page.goto(`${BASE_URL}/cases/${pick.c.id}`);
    const section = page.getByTestId('case-opportunities');
    await section.getByRole('heading', { name: 'Opportunità adatte' }).waitFor();
    const item = section.getByTestId('opportunity-match').filter({ has: page.getByRole('heading', { name: pick.item.title, exact: true }) });
    await item.waitFor();
    await item.locator('[data-met="true"]').first().waitFor();
    await axe(page, '89-case-matches');
    await section.getByLabel('Mostra anche le non adatte').check({ force: true });
    await settle(page);
    await item.waitFor();
    await item.getByRole('button', { name: `Proponi — ${pick.item.title}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByLabel(/Nota dell'operatore/).fill('Proposta al colloquio di oggi');
    await axe(page, '89-propose-dialog');
    await dialog.getByRole('button', { name: 'Proponi', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await item.getByTestId('proposed').waitFor();
    const proposals = page.getByTestId('opportunity-proposals');
    const proposal = proposals.getByTestId('opportunity-proposal').filter({ hasText: pick.item.title });
    await proposal.getByText('In attesa di risposta').waitFor();
    await proposal.getByRole('button', { name: `Registra risposta — ${pick.item.title}` }).click();
    const answer = page.getByRole('dialog');
    await answer.waitFor();
    await answer.getByLabel('Accettata').check({ force: true });
    await answer.getByLabel(/^Esito/).fill('Iscritta, inizio tra due settimane');
    await axe(page, '89-answer-dialog');
    await answer.getByRole('button', { name: 'Salva' }).click();
    await answer.waitFor({ state: 'detached' });
    await proposal.getByText('Accettata').waitFor();
    await proposal.getByText(/Iscritta, inizio tra due settimane/).waitFor();
    await axe(page, '89-answered');
    const saved = await api('GET', `/cases/${pick.c.id}/opportunity-proposals?limit=200`);
    const p = saved.body.items.find((x) => x.opportunity_id === pick.item.id);
    assert.equal(p?.answer, 'accepted');
    assert.equal(p?.note, 'Proposta al colloquio di oggi');
    await page.close();
  });

  test('the public page and the board fit a 390px phone', async () => {
    const phone = await launch({ viewport: { width: 390, height: 844 } });
    try {
      const page = await phone.context.newPage();
      await page.goto(`${BASE_URL}/opportunita`);
      await page.getByTestId('public-opportunities').getByRole('article').first().waitFor();
      await settle(page);
      let overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `public page: no sideways scroll at 390px (${overflow}px)`);
      await screenshot(page, '89-public-phone');
      const board = await loginAs(phone.context, USERS.referrer);
      await board.goto(`${BASE_URL}/opportunities`);
      await board.getByTestId('opportunity-board').getByRole('article').first().waitFor();
      await settle(board);
      overflow = await board.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `board: no sideways scroll at 390px (${overflow}px)`);
      await screenshot(board, '89-board-phone');
      assert.deepEqual(phone.consoleErrors, [], 'no uncaught errors on the phone');
    } finally {
      await phone.close();
    }
  });
});
