// Rights of the data subject in the browser (art. 17, 18): the coordinator restricts a person's
// processing on her page with a reason and lifts it, then asks for her anonymisation; the DPO
// (dpo@demo.test) approves the request on "Protezione dei dati" after confirming, and sees the
// retention preview; the person then shows as "Persona anonimizzata". The person is created by
// this file (the demo's stay as they are). Every screen: axe.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { data } from '../data.mjs';
import { apiAs, BASE_URL, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

const PERSON = data('92-subject-rights').person({ gender: 'F' });

async function axe(page, name) {
  await settle(page);
  assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
  await screenshot(page, name);
}

describe('restriction and anonymisation', () => {
  let b;
  let personId;
  before(async () => {
    b = await launch();
    const coordinator = await apiAs(USERS.coordinator);
    const created = await coordinator('POST', '/persons', {
      tax_code: PERSON.taxCode, first_name: PERSON.firstName, last_name: PERSON.lastName,
      birth_date: PERSON.birthDate, gender: PERSON.gender,
    });
    if (created.status === 201) {
      personId = created.body.id;
    } else {
      // A rerun against the same database: the person of the last run (maybe anonymised).
      personId = created.body?.existing_id;
    }
    assert.ok(personId, `the person exists: ${JSON.stringify(created.body)}`);
  });
  after(async () => {
    assert.deepEqual(b?.consoleErrors ?? [], [], 'no uncaught errors in the pages');
    await b?.close();
  });

  test('the coordinator restricts and lifts with a reason, then asks for anonymisation', async () => {
    const page = await loginAs(b.context, USERS.coordinator);
    await page.goto(`${BASE_URL}/persons/${personId}/edit`);
    await settle(page);
    const rights = page.getByTestId('person-rights');
    await rights.getByRole('button', { name: 'Limita il trattamento' }).click();
    await rights.getByLabel(/^Motivo/).fill("La persona contesta l'esattezza dei dati.");
    await axe(page, '92a-restrict-form');
    await rights.getByRole('button', { name: 'Conferma' }).click();
    await rights.getByTestId('restricted').waitFor();
    await rights.getByRole('button', { name: 'Revoca la limitazione' }).click();
    await rights.getByLabel(/^Motivo/).fill('Dati verificati con la persona.');
    await rights.getByRole('button', { name: 'Conferma' }).click();
    await rights.getByRole('button', { name: 'Limita il trattamento' }).waitFor();
    await rights.getByRole('button', { name: "Chiedi l'anonimizzazione" }).click();
    await rights.getByLabel(/^Base giuridica/).selectOption('no_longer_necessary');
    await rights.getByLabel(/^Motivo/).fill('Percorso concluso, nessun obbligo di conservazione.');
    await rights.getByRole('button', { name: 'Conferma' }).click();
    await rights.getByRole('status').filter({ hasText: 'Richiesta inviata' }).waitFor();
    await axe(page, '92b-anonymisation-requested');
    await page.close();
  });

  test('the DPO approves the request after confirming and reads the retention preview', async () => {
    const page = await loginAs(b.context, USERS.dpo);
    await page.waitForURL(/\/privacy$/);
    const requests = page.getByTestId('anonymisation-requests');
    await requests.getByRole('heading', { name: 'Richieste di anonimizzazione' }).waitFor();
    await page.getByTestId('retention').getByRole('heading', { name: 'Conservazione' }).waitFor();
    const row = requests.getByTestId('anonymisation-row').filter({ has: page.locator(`a[href*="${personId}"]`) });
    await row.waitFor();
    await axe(page, '92c-dpo-requests');
    await row.getByRole('button', { name: 'Approva' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/cancellati per sempre/).waitFor();
    await axe(page, '92d-dpo-confirm');
    await dialog.getByRole('button', { name: 'Approva' }).click();
    await requests.getByRole('status').filter({ hasText: 'Persona anonimizzata.' }).waitFor();
    await page.goto(`${BASE_URL}/persons/${personId}/edit`);
    await page.getByTestId('anonymised').waitFor();
    await axe(page, '92e-anonymised');
    await page.close();
    const coordinator = await apiAs(USERS.coordinator);
    const read = await coordinator('GET', `/persons/${personId}`);
    assert.equal(read.body.last_name, 'anonimizzata');
    assert.equal(read.body.anonymised, true);
  });
});
