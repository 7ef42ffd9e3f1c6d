// Edits on the demo data, in the browser: the coordinator's organization filter; a person's data
// corrected from the referral (API field errors at the field; someone else saving first gives a
// 412 that keeps what was typed; an e-mail removed stays removed); target groups that reveal
// special-category data neither offered to nor lost by a referrer who does not see them; a
// meeting's details; a proposed activation's amount, shown in euro in the case's timeline; a
// measure of the catalogue; a session revoked by the administrator, and one signed out
// elsewhere. Every screen: axe + screenshot.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiAs, BASE_URL, ensureMeetingNotClosed, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

async function axe(page, name) {
  await settle(page);
  assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
  await screenshot(page, name);
}

describe('edits', () => {
  let b;
  let personEditPath;
  let personEditFromReferral;
  let referralPath;
  before(async () => { b = await launch(); });
  after(async () => {
    assert.deepEqual(b?.consoleErrors ?? [], [], 'no uncaught errors in the pages');
    await b?.close();
  });

  test('coordinator: filters referrals by the referring organization, kept in the URL', async () => {
    const page = await loginAs(b.context, USERS.coordinator);
    await page.goto(`${BASE_URL}/referrals`);
    await settle(page);
    const select = page.getByLabel('Ente segnalante');
    await select.locator('option', { hasText: 'CPI Bergamo' }).waitFor({ state: 'attached' });
    await select.selectOption({ label: 'CPI Bergamo' });
    await page.waitForURL(/organization_id=/);
    const rows = page.locator('table tbody tr');
    await page.waitForFunction(() => {
      const trs = [...document.querySelectorAll('table tbody tr')];
      return trs.length > 0 && trs.every((tr) => tr.textContent.includes('CPI Bergamo'));
    });
    const count = await rows.count();
    assert.ok(count > 0, 'CPI Bergamo has referrals in the demo');
    // A link: reloading keeps the filter.
    await page.reload();
    await settle(page);
    await page.waitForFunction(() => {
      const trs = [...document.querySelectorAll('table tbody tr')];
      return trs.length > 0 && trs.every((tr) => tr.textContent.includes('CPI Bergamo'));
    });
    // The organizations (the options) may arrive after the referrals: wait for the picker to show it.
    const picker = page.getByLabel('Ente segnalante');
    await page.waitForFunction((el) => el.options[el.selectedIndex]?.textContent === 'CPI Bergamo', await picker.elementHandle())
      .catch(() => undefined);
    const selected = await picker.evaluate((el) => el.options[el.selectedIndex].textContent);
    assert.equal(selected, 'CPI Bergamo');
    await axe(page, '60-referrals-by-organization');
    await page.getByRole('button', { name: 'Azzera filtri' }).click();
    await page.waitForURL((url) => !url.search.includes('organization_id'));
    await page.close();
  });

  test('referrer: corrects a person from the referral; the API field errors show at the field', async () => {
    const page = await loginAs(b.context, USERS.referrer);
    await page.goto(`${BASE_URL}/referrals`);
    await settle(page);
    await page.locator('table tbody tr').filter({ hasText: 'Popescu Ioana' }).getByRole('link').click();
    await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
    referralPath = new URL(page.url()).pathname;
    await settle(page);
    await page.getByTestId('edit-person').click();
    await page.waitForURL(/\/persons\/[0-9a-f-]{36}\/edit\?from=/);
    personEditPath = new URL(page.url()).pathname;
    personEditFromReferral = `${personEditPath}${new URL(page.url()).search}`;
    await settle(page);
    assert.equal(await page.getByLabel(/^Cognome/).inputValue(), 'Popescu');
    // The referrer's organization registered her: the special-category data is there.
    await page.getByLabel('Persona con disabilità (L. 68/99)').waitFor();

    await page.getByLabel(/^Email/).fill('ioana.popescu@');
    await page.getByRole('button', { name: 'Salva', exact: true }).click();
    await page.locator('#email[aria-invalid="true"]').waitFor();
    await page.locator('#email-error', { hasText: 'Indirizzo email non valido.' }).waitFor();
    await axe(page, '61-person-field-error');

    await page.getByLabel(/^Email/).fill('ioana.popescu@example.org');
    await page.getByLabel(/^Telefono/).fill('+39 035 123 4567');
    await page.getByLabel(/^Indirizzo/).fill('Via Borgo Palazzo 12, Bergamo');
    await page.getByLabel('Condizione occupazionale').selectOption('employed');
    await page.getByRole('button', { name: 'Salva', exact: true }).click();
    await page.waitForURL((url) => url.pathname === referralPath);
    await page.getByTestId('flash').getByText('Dati anagrafici salvati.').waitFor();
    await axe(page, '62-referral-person-saved');

    // Saved: the form shows the new values.
    await page.getByTestId('edit-person').click();
    await settle(page);
    assert.equal(await page.getByLabel(/^Email/).inputValue(), 'ioana.popescu@example.org');
    assert.equal(await page.getByLabel('Condizione occupazionale').inputValue(), 'employed');
    await page.close();
  });

  test('someone else saves first: the 412 keeps what was typed, the current version is loaded on request', async () => {
    assert.ok(personEditPath, 'the previous test found the person');
    const mine = await loginAs(b.context, USERS.referrer);
    await mine.goto(`${BASE_URL}${personEditFromReferral}`);
    await settle(mine);
    await mine.getByLabel(/^Indirizzo/).fill('Via XX Settembre 5, Bergamo');

    // Meanwhile the coordinator corrects the phone number of the same person.
    const theirs = await loginAs(b.context, USERS.coordinator);
    await theirs.goto(`${BASE_URL}${personEditPath}`);
    await settle(theirs);
    await theirs.getByLabel(/^Telefono/).fill('+39 035 999 0000');
    await theirs.getByRole('button', { name: 'Salva', exact: true }).click();
    await theirs.getByTestId('flash').waitFor();
    await theirs.close();

    await mine.getByRole('button', { name: 'Salva', exact: true }).click();
    const notice = mine.getByTestId('stale-notice');
    await notice.getByText('Nel frattempo qualcun altro ha modificato questi dati.').waitFor();
    assert.equal(await mine.getByLabel(/^Indirizzo/).inputValue(), 'Via XX Settembre 5, Bergamo', 'what was typed is kept');
    await axe(mine, '63-person-changed-meanwhile');
    await notice.getByRole('button', { name: 'Carica la versione aggiornata' }).click();
    await mine.getByTestId('rebased-notice').waitFor();
    assert.equal(await mine.getByLabel(/^Telefono/).inputValue(), '+39 035 999 0000', "the other change is taken");
    assert.equal(await mine.getByLabel(/^Indirizzo/).inputValue(), 'Via XX Settembre 5, Bergamo', 'and mine is kept');
    await mine.getByRole('button', { name: 'Salva', exact: true }).click();
    await mine.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
    await mine.getByTestId('flash').getByText('Dati anagrafici salvati.').waitFor();
    await mine.close();
  });

  test("referrer: removes a person's e-mail and employment status; after a reload they are gone", async () => {
    assert.ok(personEditFromReferral, 'the previous tests corrected the person');
    const page = await loginAs(b.context, USERS.referrer);
    await page.goto(`${BASE_URL}${personEditFromReferral}`);
    await settle(page);
    assert.equal(await page.getByLabel(/^Email/).inputValue(), 'ioana.popescu@example.org');
    await page.getByLabel(/^Email/).fill('');
    await page.getByLabel('Condizione occupazionale').selectOption('');
    await page.getByRole('button', { name: 'Salva', exact: true }).click();
    await page.waitForURL((url) => url.pathname === referralPath);
    await page.getByTestId('flash').getByText('Dati anagrafici salvati.').waitFor();

    await page.getByTestId('edit-person').click();
    await settle(page);
    await page.reload();
    await settle(page);
    assert.equal(await page.getByLabel(/^Cognome/).inputValue(), 'Popescu');
    assert.equal(await page.getByLabel(/^Email/).inputValue(), '', 'the e-mail is gone');
    assert.equal(await page.getByLabel('Condizione occupazionale').inputValue(), '', 'so is the employment status');
    assert.equal(await page.getByLabel(/^Telefono/).inputValue(), '+39 035 999 0000', 'the rest stays');
    await axe(page, '63b-person-emptied');
    await page.close();
  });

  test('special-category target groups: recorded by the coordinator; another service finds the person by code with her initials only, and refers her', async () => {
    assert.ok(personEditPath, 'the previous tests found the person');
    const groups = (page) => page.locator('fieldset#target_groups');
    // The coordinator (who sees special-category data) records a disability target group.
    const coordinator = await loginAs(b.context, USERS.coordinator);
    await coordinator.goto(`${BASE_URL}${personEditPath}`);
    await settle(coordinator);
    const taxCode = await coordinator.getByLabel(/^Codice fiscale/).inputValue();
    await groups(coordinator).getByLabel('Persone con disabilità').check({ force: true });
    await coordinator.getByRole('button', { name: 'Salva', exact: true }).click();
    await coordinator.getByTestId('flash').waitFor();
    await settle(coordinator);

    // cpi@ refers the same person: their organization neither registered nor follows her.
    const cpi = await loginAs(b.context, USERS.cpi);
    await cpi.goto(`${BASE_URL}/referrals/new`);
    await settle(cpi);
    await cpi.getByLabel(/^Codice fiscale/).fill(taxCode);
    // Registered by another service: initials only (security review M1).
    await cpi.getByTestId('person-found').getByText('P. I.').waitFor();
    await cpi.getByTestId('person-restricted').waitFor();
    await settle(cpi);
    // The form may render once more as the person's details arrive (seen on a loaded machine:
    // the first click lost); the box must end up ticked.
    const work = cpi.getByLabel('Lavoro', { exact: true });
    for (let attempt = 0; attempt < 3 && !(await work.isChecked()); attempt++) {
      await work.check({ force: true }).catch(() => {});
    }
    assert.equal(await work.isChecked(), true, 'the need is ticked');
    await cpi.getByLabel(/^Motivazione/).fill('Segnalazione di prova e2e: la persona chiede un orientamento al lavoro.');
    await cpi.getByRole('button', { name: 'Salva come bozza' }).click();
    await cpi.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
    await settle(cpi);
    await cpi.close();
    await coordinator.close();
  });

  test('coordinator: edits the details of a meeting not yet closed', async () => {
    await ensureMeetingNotClosed();
    const page = await loginAs(b.context, USERS.coordinator);
    await page.goto(`${BASE_URL}/meetings`);
    await settle(page);
    const row = page.locator('table tbody tr').filter({ has: page.locator('[data-status="open"], [data-status="planned"]') }).first();
    await row.getByRole('link').click();
    await page.waitForURL(/\/meetings\/[0-9a-f-]{36}$/);
    await settle(page);
    await page.getByRole('button', { name: 'Modifica dettagli' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Titolo/).fill('Tavolo Sistema Lavoro – seduta e2e');
    await dialog.getByLabel(/^Luogo/).fill('Sala consiliare, Piazza Matteotti 1, Bergamo');
    const participants = dialog.getByLabel(/^Partecipanti/);
    await participants.fill(`${await participants.inputValue()}\nOsservatore e2e – Osservatorio Politiche Sociali`.trim());
    await axe(page, '64-meeting-edit');
    // Going Back with the dialog half-filled asks first, and staying keeps the text.
    await page.goBack();
    const warning = page.getByRole('dialog').filter({ hasText: 'Modifiche non salvate' });
    await warning.getByRole('button', { name: 'Resta nella pagina' }).click();
    await warning.waitFor({ state: 'detached' });
    assert.match(new URL(page.url()).pathname, /\/meetings\/[0-9a-f-]{36}$/);
    assert.equal(await dialog.getByLabel(/^Luogo/).inputValue(), 'Sala consiliare, Piazza Matteotti 1, Bergamo');
    await dialog.getByRole('button', { name: 'Salva', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('#page-title', { hasText: 'Tavolo Sistema Lavoro – seduta e2e' }).waitFor();
    await page.getByText(/Sala consiliare, Piazza Matteotti 1/).first().waitFor();
    await page.locator('section[aria-labelledby="participants-title"]').getByText('Osservatore e2e – Osservatorio Politiche Sociali').waitFor();
    await axe(page, '65-meeting-edited');
    await page.close();
  });

  test("agency operator: changes a proposed activation's amount; an amount out of range is refused at the field", async () => {
    const page = await loginAs(b.context, USERS.operator3);
    await page.goto(`${BASE_URL}/cases`);
    await settle(page);
    await page.getByTestId('case-row').filter({ hasText: 'Bianchi Giulia' }).getByRole('link').click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await settle(page);
    const row = page.locator('[data-testid="activation-row"][data-status="proposed"]').first();
    await row.getByRole('button', { name: /^Modifica/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Importo \(euro\)/).fill('2000000');
    await dialog.getByRole('button', { name: 'Salva', exact: true }).click();
    await dialog.locator('#amount_cents[aria-invalid="true"]').waitFor();
    await dialog.getByText("Valore fuori dall'intervallo consentito.").waitFor();
    await dialog.getByLabel(/^Importo \(euro\)/).fill('1.350,00');
    await dialog.getByLabel(/^Nota/).fill('Tirocinio in ristorazione, 6 mesi.');
    await axe(page, '66-activation-edit');
    await dialog.getByRole('button', { name: 'Salva', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByText(/1\.350,00/).waitFor();
    await row.getByTestId('activation-note').getByText('Tirocinio in ristorazione, 6 mesi.').waitFor();
    // The edit is in the case's timeline, the amount with both figures in euro.
    const timeline = page.locator('section[aria-labelledby="timeline-title"]');
    await timeline.getByText(/^Dati modificati: Importo: [\d.]+,\d{2}\s€ → 1\.350,00\s€, Nota$/).waitFor();
    await axe(page, '67-activation-edited');
    await page.close();
  });

  test('coordinator: edits a measure of the catalogue; inconsistent ages are refused at the field', async () => {
    const page = await loginAs(b.context, USERS.coordinator);
    await page.goto(`${BASE_URL}/catalogue`);
    await settle(page);
    await page.getByRole('button', { name: 'Modifica PONTE', exact: true }).click();
    const dialog = page.getByRole('dialog');
    assert.equal(await dialog.getByLabel(/^Codice/).isDisabled(), true, 'the code stays as created');
    await dialog.getByLabel(/^Età minima/).fill('30');
    await dialog.getByLabel(/^Età massima/).fill('20');
    await dialog.getByRole('button', { name: 'Salva', exact: true }).click();
    await dialog.locator('#max_age[aria-invalid="true"]').waitFor();
    await dialog.locator('#max_age-error').waitFor();
    await axe(page, '68-measure-edit-error');
    await dialog.getByLabel(/^Età massima/).fill('64');
    await dialog.getByLabel(/^Importo standard/).fill('1.100,00');
    await dialog.getByLabel(/^Descrizione/).fill('Percorsi di inserimento per persone in area penale, care leavers e persone con disabilità.');
    await dialog.getByRole('button', { name: 'Salva', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    const ponte = page.locator('table tbody tr').filter({ has: page.locator('th', { hasText: /^PONTE$/ }) });
    await ponte.getByText('30–64').waitFor();
    await ponte.getByText(/1\.100,00/).waitFor();
    await axe(page, '69-measure-edited');
    await page.close();
  });

  test('a session the administrator revokes ends on the sign-in page with a clear message', async () => {
    const admin = await apiAs(USERS.admin);
    const users = await admin('GET', '/users?role=referrer&limit=200');
    const cpi = users.body.items.find((u) => u.email === USERS.cpi);
    assert.ok(cpi, 'the demo has cpi@');
    const page = await loginAs(b.context, USERS.cpi);
    await settle(page);
    const current = await admin('GET', `/users/${cpi.id}`);
    assert.match(current.etag ?? '', /^"\d+"$/, 'a single read carries its version (ETag)');
    const disabled = await admin('PATCH', `/users/${cpi.id}`, { active: false }, { 'If-Match': current.etag });
    assert.equal(disabled.status, 200, 'the account is disabled');
    try {
      // The next request of the open tab gets 401 token_revoked; the refresh is refused too.
      await page.getByLabel('Stato').selectOption('submitted');
      await page.waitForURL(/\/login/);
      await page.getByTestId('session-ended').getByText('La sessione è terminata: accedi di nuovo.').waitFor();
      await axe(page, '70-session-revoked');
    } finally {
      const again = await admin('GET', `/users/${cpi.id}`);
      const enabled = await admin('PATCH', `/users/${cpi.id}`, { active: true }, { 'If-Match': again.etag });
      assert.equal(enabled.status, 200, 'the account is enabled again');
    }
    await page.close();
  });

  test('a session signed out elsewhere ends on the sign-in page with a clear message', async () => {
    const page = await loginAs(b.context, USERS.pass);
    await settle(page);
    // The same session is signed out from another place (here: the API, with its refresh token).
    const refreshToken = await page.evaluate(() => window.sessionStorage.getItem('sl.refresh_token'));
    assert.ok(refreshToken, 'the tab keeps its refresh token');
    const out = await fetch(`${BASE_URL}/api/v1/auth/logout`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh_token: refreshToken }),
    });
    assert.equal(out.status, 204, 'signed out');
    // A reload trades the refresh token for new ones: refused with 401 session_revoked.
    await page.reload();
    await page.waitForURL(/\/login/);
    await page.getByTestId('session-ended').getByText('La sessione è terminata: accedi di nuovo.').waitFor();
    await axe(page, '70b-session-signed-out-elsewhere');
    await page.close();
  });
});

describe('edits on a phone', () => {
  let b;
  before(async () => { b = await launch({ viewport: { width: 390, height: 844 } }); });
  after(async () => { await b?.close(); });

  test("a person's data can be corrected on a phone, accessibly", async () => {
    const page = await loginAs(b.context, USERS.referrer);
    await page.goto(`${BASE_URL}/referrals`);
    await settle(page);
    await page.locator('table tbody tr').first().getByRole('link').click();
    await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
    await settle(page);
    await page.getByTestId('edit-person').click();
    await page.waitForURL(/\/persons\/[0-9a-f-]{36}\/edit/);
    await settle(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `no horizontal scrolling (${overflow}px)`);
    await axe(page, '71-mobile-person-edit');
    await page.close();
  });
});
