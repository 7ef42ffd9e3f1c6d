// Data protection in the browser: the coordinator, on a person's page, sees the notices and
// consents and exports the person's data (JSON, art. 15); the DPO (dpo@demo.test) lands on
// "Protezione dei dati", filters the audit log by that person, finds the export there and
// downloads the log as CSV. The person is created by this file (the demo's stay as they are).
// Every screen: axe.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { data } from '../data.mjs';
import { apiAs, BASE_URL, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

const PERSON = data('91-privacy').person({ gender: 'F' });

async function axe(page, name) {
  await settle(page);
  assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
  await screenshot(page, name);
}

describe('data protection', () => {
  let b;
  let personId;
  before(async () => {
    b = await launch();
    const coordinator = await apiAs(USERS.coordinator);
    const found = await coordinator('GET', `/persons?tax_code=${PERSON.taxCode}`);
    personId = found.body?.items?.[0]?.id;
    if (!personId) {
      const created = await coordinator('POST', '/persons', {
        tax_code: PERSON.taxCode, first_name: PERSON.firstName, last_name: PERSON.lastName,
        birth_date: PERSON.birthDate, gender: PERSON.gender,
      });
      assert.equal(created.status, 201, `the person is created: ${JSON.stringify(created.body)}`);
      personId = created.body.id;
    }
  });
  after(async () => {
    assert.deepEqual(b?.consoleErrors ?? [], [], 'no uncaught errors in the pages');
    await b?.close();
  });

  test('the coordinator sees the legal basis and exports the person\'s data', async () => {
    const page = await loginAs(b.context, USERS.coordinator);
    await page.goto(`${BASE_URL}/persons/${personId}/edit`);
    await settle(page);
    const consents = page.getByTestId('consents');
    await consents.getByRole('heading', { name: 'Informativa e consensi' }).waitFor();
    await consents.getByTestId('no-services-notice').waitFor();
    const rights = page.getByTestId('person-rights');
    await rights.getByRole('button', { name: 'Esporta i dati (PDF)' }).waitFor();
    await axe(page, '91a-person-privacy');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      rights.getByRole('button', { name: 'Esporta i dati (JSON)' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.json$/);
    const path = await download.path();
    assert.ok(path, 'the export was saved');
    const exported = JSON.parse(await readFile(path, 'utf8'));
    assert.ok(JSON.stringify(exported).includes(PERSON.taxCode), 'the export holds the person');
    await page.close();
  });

  test('the DPO finds the export in the audit log of the person and downloads the log', async () => {
    const page = await loginAs(b.context, USERS.dpo);
    await page.waitForURL(/\/privacy$/);
    await page.getByRole('heading', { name: 'Protezione dei dati', level: 1 }).waitFor();
    await axe(page, '91b-dpo-area');
    const audit = page.getByTestId('privacy-audit');
    await audit.getByLabel(/^Identificativo della persona/).fill(personId);
    await audit.getByRole('button', { name: 'Applica filtri' }).click();
    await audit.getByTestId('audit-row').filter({ hasText: /export/ }).first().waitFor();
    await axe(page, '91c-dpo-audit');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      audit.getByRole('button', { name: 'Esporta CSV' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const path = await download.path();
    assert.ok(path, 'the export was saved');
    assert.ok((await readFile(path, 'utf8')).includes(personId), 'the CSV holds the person\'s entries');
    await page.close();
  });
});
