// Documents in the browser: the referrer attaches a real PDF to a draft referral, sees it
// listed (kind, size in Italian), downloads it back byte for byte through the SPA (the token
// travels in the Authorization header), is told in Italian why an HTML file named .pdf is
// refused, and deletes the PDF after confirming. Every screen: axe + screenshot.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { apiAs, BASE_URL, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n' +
  '2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
);

async function axe(page, name) {
  await settle(page);
  assert.deepEqual(await seriousViolations(page), [], `axe on ${name}`);
  await screenshot(page, name);
}

describe('documents', () => {
  let b;
  before(async () => { b = await launch(); });
  after(async () => {
    assert.deepEqual(b?.consoleErrors ?? [], [], 'no uncaught errors in the pages');
    await b?.close();
  });

  test('referrer: attaches a PDF to a draft, downloads it back, is told why HTML is refused, deletes it', async () => {
    // Whichever referrer of the demo has a draft.
    let api;
    let referral;
    let who;
    for (const email of [USERS.referrer, USERS.pass, USERS.cpi]) {
      api = await apiAs(email);
      const drafts = await api('GET', '/referrals?status=draft&limit=1');
      assert.equal(drafts.status, 200);
      referral = drafts.body.items[0];
      who = email;
      if (referral) break;
    }
    assert.ok(referral, 'the demo has a draft referral');
    const page = await loginAs(b.context, who);
    await page.goto(`${BASE_URL}/referrals/${referral.id}`);
    await settle(page);
    const section = page.getByTestId('documents');
    await section.getByRole('heading', { name: 'Documenti' }).waitFor();
    const input = section.getByLabel('Allega un documento (curriculum, attestati)');
    await input.setInputFiles({ name: 'curriculum e2e.pdf', mimeType: 'application/pdf', buffer: PDF });
    await section.getByRole('button', { name: 'Carica', exact: true }).click();
    const row = section.locator('tbody tr', { hasText: 'curriculum e2e.pdf' });
    await row.waitFor();
    assert.match(await row.innerText(), /PDF/);
    await axe(page, 'documents-referral');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: /Scarica/ }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'curriculum e2e.pdf');
    const bytes = await readFile(await download.path());
    assert.deepEqual(bytes, PDF, 'the same bytes back');

    await input.setInputFiles({ name: 'finto.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<!doctype html><p>no</p>') });
    await section.getByRole('button', { name: 'Carica', exact: true }).click();
    await section.getByRole('alert').filter({ hasText: 'Il file non è di un formato ammesso' }).waitFor();
    await axe(page, 'documents-refused');

    await row.getByRole('button', { name: /Elimina/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Elimina' }).click();
    await row.waitFor({ state: 'detached' });
    const left = await api('GET', `/referrals/${referral.id}/documents`);
    assert.equal(left.body.items.filter((d) => d.file_name === 'curriculum e2e.pdf').length, 0);
  });
});
