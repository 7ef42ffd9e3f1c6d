// Data protection in the browser: the coordinator, on a person's page, sees the notices and
// consents and asks for the person's anonymisation; the DPO (dpo@demo.test) lands on
// "Protezione dei dati", approves the request (someone else's: never one's own), reads the audit
// log of that person and exports it as CSV. The person is created by this file (the demo's stay
// as they are). Every screen: axe.
import assert from 'node:assert/strict';
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

  test('the coordinator sees the legal basis and asks for the anonymisation', async () => {
    const page = await loginAs(b.context, USERS.coordinator);
    await page.goto(`${BASE_URL}/persons/${personId}/edit`);
    await settle(page);
    const consents = page.getByTestId('consents');
    await consents.getByRole('heading', { name: 'Informativa e consensi' }).waitFor();
    await consents.getByTestId('no-services-notice').waitFor();
    const rights = page.getByTestId('person-rights');
    await rights.getByRole('button', { name: 'Esporta i dati (PDF)' }).waitFor();
    await axe(page, '91a-person-privacy');
    await rights.getByRole('button', { name: "Chiedi l'anonimizzazione" }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/^Motivazione/).fill('La persona ha chiesto la cancellazione dei propri dati (art. 17). Prova e2e.');
    await axe(page, '91b-anonymisation-request');
    await dialog.getByRole('button', { name: "Chiedi l'anonimizzazione" }).click();
    await page.getByText('Richiesta di anonimizzazione inviata al DPO.').waitFor();
    await page.close();
  });

  test('the DPO approves it, reads the audit log of the person and exports it', async () => {
    const page = await loginAs(b.context, USERS.dpo);
    await page.waitForURL(/\/privacy$/);
    await page.getByRole('heading', { name: 'Protezione dei dati', level: 1 }).waitFor();
    await axe(page, '91c-dpo-area');
    const request = page.getByTestId('anonymisation-request').filter({ hasText: PERSON.lastName });
    await request.getByRole('button', { name: /^Approva l'anonimizzazione/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/irreversibile/).waitFor();
    await dialog.getByRole('button', { name: "Approva l'anonimizzazione" }).click();
    await dialog.waitFor({ state: 'detached' });
    await request.waitFor({ state: 'detached' });

    const audit = page.getByTestId('privacy-audit');
    await audit.getByLabel(/^Identificativo del dato/).fill(personId);
    await audit.getByRole('button', { name: 'Applica filtri' }).click();
    await audit.getByTestId('audit-row').first().waitFor();
    assert.ok(await audit.getByTestId('audit-row').count() > 0, 'the person has audit entries');
    await axe(page, '91d-dpo-audit');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      audit.getByRole('button', { name: 'Esporta CSV' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const path = await download.path();
    assert.ok(path, 'the export was saved');
    await page.close();
  });

  test('after the anonymisation the person keeps no name', async () => {
    const dpo = await apiAs(USERS.dpo);
    const requests = await dpo('GET', '/anonymisation-requests?status=pending');
    assert.equal(requests.status, 200);
    assert.equal(requests.body.items.some((r) => r.person_id === personId), false, 'no request left pending for the person');
    const coordinator = await apiAs(USERS.coordinator);
    const read = await coordinator('GET', `/persons/${personId}`);
    assert.notEqual(read.body?.last_name, PERSON.lastName, 'the name is gone');
  });
});
