// Exports in the browser: the coordinator, on the case list, exports it to Excel and to CSV; the
// progress shows while the server writes, then "Scarica" saves the file: an XLSX (a zip) and a
// CSV that starts with the byte-order mark Excel needs and the Italian headers. Every screen: axe.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { BASE_URL, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

describe('exports of a list', () => {
  let b;
  before(async () => {
    b = await launch();
  });
  after(async () => {
    assert.deepEqual(b?.consoleErrors ?? [], [], 'no uncaught errors in the pages');
    await b?.close();
  });

  test('the coordinator takes the case list into Excel and CSV', async () => {
    const page = await loginAs(b.context, USERS.coordinator);
    await page.goto(`${BASE_URL}/cases`);
    const group = page.getByRole('group', { name: "Esporta l'elenco" });
    await group.waitFor();
    await settle(page);
    assert.deepEqual(await seriousViolations(page), [], 'axe on the case list with its export buttons');

    await group.getByRole('button', { name: 'Esporta in Excel' }).click();
    const xlsxLink = group.getByRole('link', { name: /^Scarica prese-in-carico-.*\.xlsx$/ });
    await xlsxLink.waitFor({ timeout: 30_000 });
    await settle(page);
    assert.deepEqual(await seriousViolations(page), [], 'axe with the download offered');
    await screenshot(page, '94a-export-ready');
    const [xlsx] = await Promise.all([page.waitForEvent('download'), xlsxLink.click()]);
    assert.match(xlsx.suggestedFilename(), /^prese-in-carico-\d{4}-\d{2}-\d{2}\.xlsx$/);
    assert.equal((await readFile(await xlsx.path())).subarray(0, 2).toString(), 'PK', 'an XLSX is a zip');

    await group.getByRole('button', { name: 'Esporta in CSV' }).click();
    const csvLink = group.getByRole('link', { name: /^Scarica prese-in-carico-.*\.csv$/ });
    await csvLink.waitFor({ timeout: 30_000 });
    const [csv] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
    const bytes = await readFile(await csv.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM Excel needs');
    const header = bytes.subarray(3).toString('utf8').split('\r\n')[0];
    assert.match(header, /^Codice presa in carico;Cognome;Nome;Codice fiscale;Ente;Stato/);
    await page.close();
  });
});
