// "Gruppi di lavoro" and "Risposte condivise" in the browser: on the demo's inclusion forum
// ("Patto per l'inclusione sociale – Forum permanente") the network coordinator sees the seven
// working groups, one per response area, and the members' shared responses; an agency operator
// (a member's user) offers a response for their own organization and sees it offered. Every
// screen: axe; at 390px the page does not scroll sideways.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiAs, BASE_URL, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

const FORUM = "Patto per l'inclusione sociale – Forum permanente";

async function axe(page, name) {
  await settle(page);
  assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
  await screenshot(page, name);
}

async function forumId() {
  for (const who of [USERS.network, USERS.coordinator]) {
    const api = await apiAs(who);
    const list = await api('GET', '/networks?limit=200');
    const forum = (list.body.items ?? []).find((n) => n.name === FORUM);
    if (forum) return { id: forum.id, who };
  }
  throw new Error(`the demo has no network named ${FORUM}`);
}

describe('working groups and shared responses', () => {
  let b;
  let forum;
  before(async () => {
    b = await launch();
    forum = await forumId();
  });
  after(async () => {
    assert.deepEqual(b?.consoleErrors ?? [], [], 'no uncaught errors in the pages');
    await b?.close();
  });

  test('the coordinator sees the seven working groups and the shared responses of the forum', async () => {
    const page = await loginAs(b.context, forum.who);
    await page.goto(`${BASE_URL}/networks/${forum.id}`);
    await page.getByRole('heading', { name: FORUM, level: 1 }).waitFor();
    const groups = page.getByTestId('working-groups');
    await groups.getByTestId('working-group').first().waitFor();
    assert.equal(await groups.getByTestId('working-group').count(), 7, 'one group per response area');
    for (const area of ['Inserimento lavorativo', 'Casa', 'Trasporti', 'Microcredito', 'Formazione', 'Cultura', 'Vita di relazione']) {
      await groups.getByRole('heading', { name: area, exact: true }).waitFor();
    }
    const responses = page.getByTestId('shared-responses');
    await responses.getByTestId('shared-response').first().waitFor();
    await axe(page, '87-forum-groups-responses');
    // The filter by area asks the API again.
    await responses.getByLabel('Area').selectOption('housing');
    await settle(page);
    for (const h of await responses.locator('[data-area]').all()) assert.equal(await h.getAttribute('data-area'), 'housing');
    await page.close();
  });

  test("an agency operator offers a response for their own organization", async () => {
    const page = await loginAs(b.context, USERS.operator1);
    await page.goto(`${BASE_URL}/networks/${forum.id}`);
    await page.getByRole('heading', { name: FORUM, level: 1 }).waitFor();
    const responses = page.getByTestId('shared-responses');
    await responses.getByRole('button', { name: 'Offri una risposta condivisa' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await axe(page, '87-offer-dialog');
    const title = `Corso di carrellista ${Date.now()}`;
    await dialog.getByLabel(/Area di risposta/).selectOption('training');
    await dialog.getByLabel(/^Titolo/).fill(title);
    await dialog.getByLabel(/Chi può usarla/).fill("Persone disoccupate dell'Ambito, maggiorenni");
    await dialog.getByLabel(/Come accedere/).fill("Iscrizione presso l'agenzia, colloquio di orientamento");
    await dialog.getByLabel(/Posti disponibili/).fill('12');
    await dialog.getByRole('button', { name: 'Offri', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const card = responses.getByRole('article', { name: title });
    await card.waitFor();
    await card.getByText('Offerta', { exact: true }).waitFor();
    await axe(page, '87-offered');
    await page.close();
  });

  test('the forum page fits a 390px phone', async () => {
    const phone = await launch({ viewport: { width: 390, height: 844 } });
    try {
      const page = await loginAs(phone.context, forum.who);
      await page.goto(`${BASE_URL}/networks/${forum.id}`);
      await page.getByTestId('working-groups').getByTestId('working-group').first().waitFor();
      await page.getByTestId('shared-responses').getByTestId('shared-response').first().waitFor();
      await settle(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no sideways scroll at 390px (${overflow}px)`);
      await screenshot(page, '87-forum-phone');
      assert.deepEqual(phone.consoleErrors, [], 'no uncaught errors on the phone');
    } finally {
      await phone.close();
    }
  });
});
