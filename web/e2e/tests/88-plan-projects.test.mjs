// "Piano" and "Progetti" in the browser: the coordinator creates a plan (the seed's four axes
// come with it), adds an action with its dates and source but no budget, edits the budget in
// place and sees the action's rule and the plan's summary change; then records a project,
// submits it, grants it with the amount and a CUP, and finds it on the pipeline among the
// granted ones. An observer reads the plan without a cell to edit. Every screen: axe.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiAs, BASE_URL, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

async function axe(page, name) {
  await settle(page);
  assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
  await screenshot(page, name);
}

/** `YYYY-MM-DD` of today in Rome, as `dd/mm/yyyy` the date fields take. */
function todayText() {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date()).split('-');
  return `${d}/${m}/${y}`;
}

describe('plan and projects', () => {
  let b;
  const stamp = Date.now();
  const planTitle = `Piano Locale Integrato e2e ${stamp}`;
  const actionTitle = 'Consultazione degli stakeholders';
  const projectTitle = `Un Ponte per il lavoro e2e ${stamp}`;
  before(async () => { b = await launch(); });
  after(async () => {
    assert.deepEqual(b?.consoleErrors ?? [], [], 'no uncaught errors in the pages');
    await b?.close();
  });

  test('coordinator: creates a plan, adds an action, edits its budget in place and the completeness follows', async () => {
    const page = await loginAs(b.context, USERS.coordinator);
    await page.getByRole('link', { name: 'Piano', exact: true }).first().click();
    await page.getByRole('heading', { name: 'Piano', level: 1 }).waitFor();
    await axe(page, '88-plans');
    await page.getByRole('button', { name: 'Nuovo piano' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Titolo/).fill(planTitle);
    await dialog.getByLabel(/^Inizio del periodo/).fill('01/01/2027');
    await dialog.getByLabel(/^Fine del periodo/).fill('31/12/2029');
    await axe(page, '88-plan-new');
    await dialog.getByRole('button', { name: 'Crea il piano' }).click();
    await page.getByRole('heading', { name: planTitle, level: 1 }).waitFor();
    assert.match(page.url(), /\/plans\/[^/]+$/);
    assert.equal(await page.getByTestId('axis').count(), 4, "the seed's four axes");
    // An action under the first axis, with dates and source but no budget nor department.
    const form = page.locator('form', { has: page.getByRole('heading', { name: "Aggiungi un'azione" }) });
    await form.getByLabel(/^Asse/).selectOption({ index: 0 });
    await form.getByLabel(/^Azione/).fill(actionTitle);
    await form.getByLabel('Data di inizio').fill('01/03/2027');
    await form.getByLabel('Data di fine').fill('31/12/2027');
    await form.getByLabel('Fonte di finanziamento').selectOption('district_budget');
    await form.getByRole('button', { name: "Aggiungi un'azione" }).click();
    const row = page.getByTestId('plan-action').filter({ hasText: actionTitle });
    await row.waitFor();
    await row.locator('[data-rule="budget"][data-met="false"]').waitFor();
    const summary = page.getByTestId('plan-completeness');
    await summary.locator('[data-rule="budget"]').waitFor();
    await axe(page, '88-plan-action-added');
    // The budget, in place, at the version read.
    await row.getByRole('button', { name: /Modifica Budget di/ }).click();
    await row.getByLabel('Budget (euro)').fill('5.000,00');
    await axe(page, '88-plan-budget-editing');
    await row.getByRole('button', { name: 'Salva' }).click();
    const updated = page.getByTestId('plan-action').filter({ hasText: actionTitle });
    await updated.locator('[data-rule="budget"][data-met="true"]').waitFor();
    await updated.getByText(/5\.000,00\s€/).waitFor();
    await summary.locator('[data-rule="budget"]').waitFor({ state: 'detached' });
    await summary.locator('[data-rule="department"]').waitFor();
    await page.getByTestId('action-monitoring').filter({ hasText: actionTitle }).waitFor();
    await axe(page, '88-plan-budget-saved');
    const api = await apiAs(USERS.coordinator);
    const id = new URL(page.url()).pathname.split('/').pop();
    const actions = await api('GET', `/plans/${id}/actions?limit=200`);
    assert.equal(actions.body.items.length, 1);
    assert.equal(actions.body.items[0].budget_cents, 500000);
    await page.close();
  });

  test('observer: reads the plan without a cell to edit', async () => {
    const page = await loginAs(b.context, USERS.observer);
    await page.getByRole('link', { name: 'Piano', exact: true }).first().click();
    await page.getByRole('link', { name: planTitle }).click();
    await page.getByRole('heading', { name: planTitle, level: 1 }).waitFor();
    const row = page.getByTestId('plan-action').filter({ hasText: actionTitle });
    await row.getByText(/5\.000,00\s€/).waitFor();
    assert.equal(await row.getByRole('button').count(), 0);
    assert.equal(await page.getByRole('heading', { name: "Aggiungi un'azione" }).count(), 0);
    await axe(page, '88-plan-observer');
    await page.close();
  });

  test('observer and coordinator: the plan and the pipeline fit a phone (390px)', async () => {
    const phone = await launch({ viewport: { width: 390, height: 844 } });
    try {
      const api = await apiAs(USERS.coordinator);
      const plans = (await api('GET', '/plans?limit=200')).body.items;
      const mine = plans.find((p) => p.title === planTitle);
      assert.ok(mine, 'the plan created above');
      for (const who of ['coordinator', 'observer']) {
        const page = await loginAs(phone.context, USERS[who]);
        for (const path of ['/plans', `/plans/${mine.id}`, '/projects', ...(who === 'coordinator' ? ['/projects/new'] : [])]) {
          await page.goto(`${BASE_URL}${path}`);
          await settle(page);
          const px = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(px <= 0, `${who} ${path}: ${px}px of horizontal scrolling`);
        }
        await screenshot(page, `88-phone-${who}`);
        await page.close();
      }
    } finally {
      await phone.close();
    }
  });

  test('coordinator: records a project, submits it, grants it, and sees it among the granted on the pipeline', async () => {
    const page = await loginAs(b.context, USERS.coordinator);
    await page.goto(`${BASE_URL}/projects`);
    await page.getByRole('heading', { name: 'Progetti', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Nuovo progetto' }).click();
    await page.getByRole('heading', { name: 'Nuovo progetto', level: 1 }).waitFor();
    await page.getByLabel(/^Titolo del progetto/).fill(projectTitle);
    await page.getByLabel(/^Ente finanziatore/).fill('Regione Lombardia');
    await page.getByLabel('Bando').fill('Bando inclusione attiva 2027');
    await page.getByLabel('Fonte di finanziamento').selectOption('regional');
    await page.getByLabel('Importo richiesto (euro)').fill('120.000,00');
    await page.getByLabel('Cofinanziamento (euro)').fill('15.000,00');
    // It funds the action of the plan created above.
    await page.locator('.form-check', { hasText: planTitle }).getByLabel(actionTitle).check({ force: true });
    await axe(page, '88-project-new');
    await page.getByRole('button', { name: 'Registra il progetto' }).click();
    await page.getByRole('heading', { name: projectTitle, level: 1 }).waitFor();
    await page.getByText('Idea', { exact: true }).first().waitFor();
    await page.getByTestId('funded-actions').getByRole('link', { name: actionTitle }).waitFor();
    await axe(page, '88-project-idea');
    await page.getByRole('button', { name: 'Segna come presentato' }).click();
    await page.locator('.badge[data-status="submitted"]').waitFor();
    await page.getByRole('button', { name: 'Registra il finanziamento' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Data della decisione/).fill(todayText());
    await dialog.getByLabel(/^Importo concesso/).fill('100.000,00');
    // A CUP no other project holds: the API refuses a duplicate.
    const cup = `C11G${String(stamp).slice(-11).padStart(11, '0')}`;
    await dialog.getByLabel(/^CUP/).fill(cup);
    await axe(page, '88-project-grant');
    await dialog.getByRole('button', { name: 'Registra il finanziamento' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.badge[data-status="granted"]').waitFor();
    await page.getByText(cup).waitFor();
    await page.getByTestId('budget-table').waitFor();
    await axe(page, '88-project-granted');
    await page.getByRole('link', { name: 'Progetti' }).first().click();
    const granted = page.locator('[data-testid="pipeline-stage"][data-status="granted"]');
    const card = granted.getByTestId('project-card').filter({ hasText: projectTitle });
    await card.waitFor();
    await card.getByText(`CUP: ${cup}`).waitFor();
    await card.getByText(/100\.000,00\s€/).waitFor();
    await axe(page, '88-projects-pipeline');
    await page.close();
  });
});
