// "Reti e patti" in the browser: the network coordinator (the social agency) lands on its
// networks, opens the territorial pact it coordinates — the rules met with their reasons, the
// six municipalities with their council acts, the resources pledged with the totals —, and the
// Ufficio di Piano sees the district's table and the partnership too. Every screen: axe.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiAs, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

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
    await members.getByText('Comune di Bergamo').waitFor();
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
});
