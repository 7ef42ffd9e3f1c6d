// Integrations: the administrator's integration clients (secret shown once, rotated, revoked)
// and the coordinator's webhooks (https only, secret shown once, delivery log, delete).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { data } from '../data.mjs';
import { BASE_URL, launch, loginAs, screenshot, seriousViolations, settle, USERS } from '../lib.mjs';

// The same names every run (the file's seed), unique to this file.
const stamp = data('60-integrations').tag();

/** Asks the API for a client-credentials token, as the connected system would. */
async function tokenStatus(clientId, secret) {
  const res = await fetch(`${BASE_URL}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
  });
  return res.status;
}

describe('integration clients (admin)', () => {
  let b;
  let page;
  const name = `Cartella e2e ${stamp}`;
  let clientId;
  let secret;
  before(async () => {
    b = await launch();
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
    page = await loginAs(b.context, USERS.admin);
  });
  after(async () => { await b?.close(); });

  test('creates a client; the secret is shown once with client_id and token URL, and works', async () => {
    await page.getByRole('navigation', { name: 'Menu principale' }).getByRole('link', { name: 'Integrazioni', exact: true }).click();
    await page.waitForURL(/\/admin\/integrations$/);
    await settle(page);
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('link', { name: 'Nuova integrazione' }).click();
    await page.waitForURL(/\/admin\/integrations\/new$/);
    await settle(page);
    await page.getByRole('button', { name: 'Salva' }).click();
    await page.locator('#scopes-error').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, '93-admin-integration-errors');

    await page.getByLabel(/^Ente/).selectOption({ label: 'Servizio Sociale Comune di Bergamo' });
    await page.getByLabel(/^Nome/).fill(name);
    await page.getByLabel('referrals:read').check({ force: true });
    await page.getByLabel('referrals:write').check({ force: true });
    await page.getByLabel('webhooks:manage').check({ force: true });
    await page.getByRole('button', { name: 'Salva' }).click();

    const panel = page.getByTestId('secret-panel');
    await panel.getByRole('heading', { name: 'Integrazione creata: ecco le credenziali' }).waitFor();
    await panel.getByText('non sarà mostrato di nuovo', { exact: false }).waitFor();
    clientId = await panel.getByLabel('Identificativo client (client_id)', { exact: true }).inputValue();
    secret = await panel.getByLabel('Segreto (client_secret)', { exact: true }).inputValue();
    assert.match(clientId, /^slcli_/);
    assert.match(secret, /^slsec_/);
    assert.equal(await panel.getByLabel('Indirizzo per il token', { exact: true }).inputValue(), `${BASE_URL}/api/v1/auth/token`);
    await panel.getByText('client_credentials').first().waitFor();
    await panel.getByRole('button', { name: 'Copia Segreto (client_secret)' }).click();
    await panel.getByText('Segreto (client_secret) copiato negli appunti.').waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, '94-admin-integration-secret');
    assert.equal(await tokenStatus(clientId, secret), 200);

    await page.getByRole('link', { name: 'Torna alle integrazioni' }).click();
    await page.waitForURL(/\/admin\/integrations$/);
    const row = page.getByTestId(`client-${clientId}`);
    await row.getByRole('rowheader', { name: new RegExp(name) }).waitFor();
    await row.getByText('webhooks:manage', { exact: true }).waitFor();
    // The organization's name replaces its id once the organizations are read.
    await row.getByRole('cell', { name: 'Servizio Sociale Comune di Bergamo' }).waitFor();
    // Shown once: the list never has it.
    assert.ok(!(await page.content()).includes(secret));
  });

  test('rotates the secret after a confirmation: the old one stops, the new one is shown once', async () => {
    await page.getByRole('button', { name: `Rigenera il segreto di ${name}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('smette di funzionare subito', { exact: false }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await dialog.getByRole('button', { name: 'Rigenera il segreto' }).click();
    // axe on a dialog still fading out would measure half-transparent text.
    await dialog.waitFor({ state: 'hidden' });
    const panel = page.getByTestId('secret-panel');
    await panel.getByRole('heading', { name: `Nuovo segreto per «${name}»` }).waitFor();
    const rotated = await panel.getByLabel('Segreto (client_secret)', { exact: true }).inputValue();
    assert.match(rotated, /^slsec_/);
    assert.notEqual(rotated, secret);
    assert.equal(await panel.getByLabel('Identificativo client (client_id)', { exact: true }).inputValue(), clientId);
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, '95-admin-integration-rotated');
    assert.equal(await tokenStatus(clientId, secret), 401);
    assert.equal(await tokenStatus(clientId, rotated), 200);
    await panel.getByRole('button', { name: 'Ho conservato il segreto' }).click();
    await panel.waitFor({ state: 'detached' });
    assert.ok(!(await page.content()).includes(rotated));
    secret = rotated;
  });

  test('revokes the client after a confirmation', async () => {
    await page.getByRole('button', { name: `Revoca ${name}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('non potrà più ottenere token', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Revoca', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText(`Integrazione «${name}» revocata.`).waitFor();
    const row = page.getByTestId(`client-${clientId}`);
    await row.getByText('Revocata').waitFor();
    // Revoked: the API blocks both actions; the buttons stay, disabled, with its reason.
    for (const button of await row.getByRole('button').all()) assert.equal(await button.getAttribute('aria-disabled'), 'true');
    await row.getByText('Il client è disattivato').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, '96-admin-integrations');
    assert.equal(await tokenStatus(clientId, secret), 401);
  });

  test('the administrator picks the organization of a webhook', async () => {
    await page.getByRole('navigation', { name: 'Menu principale' }).getByRole('link', { name: 'Webhook', exact: true }).click();
    await page.waitForURL(/\/webhooks$/);
    await settle(page);
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('link', { name: 'Nuovo webhook' }).click();
    await settle(page);
    await page.getByLabel(/^Ente/).waitFor();
    await page.getByLabel(/^Indirizzo di destinazione/).fill('https://example.org/admin-hook');
    await page.getByLabel('Caso chiuso').check({ force: true });
    await page.getByRole('button', { name: 'Salva' }).click();
    await page.locator('#organization_id-error').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
  });
});

describe('webhooks (coordinator)', () => {
  let b;
  let page;
  let id;
  const url = `https://example.org/hook`;
  before(async () => {
    b = await launch();
    page = await loginAs(b.context, USERS.coordinator);
  });
  after(async () => { await b?.close(); });

  test('refuses a non-https URL at the field, then shows the signing secret once', async () => {
    await page.getByRole('navigation', { name: 'Menu principale' }).getByRole('link', { name: 'Webhook', exact: true }).click();
    await page.waitForURL(/\/webhooks$/);
    await settle(page);
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByRole('link', { name: 'Nuovo webhook' }).click();
    await page.waitForURL(/\/webhooks\/new$/);
    await settle(page);
    await page.getByText('Gli eventi sono quelli del tuo ente: Ufficio di Piano Ambito 1 – Bergamo.').waitFor();
    await page.getByLabel(/^Indirizzo di destinazione/).fill('http://example.org/hook');
    await page.getByLabel('Decisione del Tavolo su una segnalazione').check({ force: true });
    await page.getByLabel('Caso chiuso').check({ force: true });
    await page.getByRole('button', { name: 'Salva' }).click();
    const error = page.locator('#url-error');
    await error.waitFor();
    assert.match(await error.textContent(), /Indirizzo non ammesso: usa un URL https:\/\//);
    assert.equal(await page.getByLabel(/^Indirizzo di destinazione/).getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, '97-webhook-url-error');

    await page.getByLabel(/^Indirizzo di destinazione/).fill(url);
    await page.getByRole('button', { name: 'Salva' }).click();
    const panel = page.getByTestId('secret-panel');
    await panel.getByRole('heading', { name: 'Webhook creato: ecco il segreto di firma' }).waitFor();
    await panel.getByText('non sarà mostrato di nuovo', { exact: false }).waitFor();
    const secret = await panel.getByLabel('Segreto di firma', { exact: true }).inputValue();
    assert.match(secret, /^whsec_/);
    await panel.getByRole('heading', { name: 'Come verificare la firma' }).waitFor();
    await panel.getByText('X-Signature', { exact: false }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, '98-webhook-secret');
    const href = await page.getByRole('link', { name: 'Registro delle consegne' }).getAttribute('href');
    id = href.split('/').pop();
    await page.getByRole('link', { name: 'Torna ai webhook' }).click();
    await page.waitForURL(/\/webhooks$/);
    const row = page.getByTestId(`webhook-${id}`);
    await row.getByRole('rowheader', { name: url }).waitFor();
    await row.getByText('Decisione del Tavolo su una segnalazione').waitFor();
    await row.getByText('Attivo', { exact: true }).waitFor();
    assert.ok(!(await page.content()).includes(secret));
  });

  test('opens the (empty) delivery log, then deletes the webhook after a confirmation', async () => {
    await page.getByTestId(`webhook-${id}`).getByRole('link', { name: `Registro delle consegne di ${url}` }).click();
    await page.waitForURL(new RegExp(`/webhooks/${id}$`));
    await settle(page);
    await page.getByText('Nessuna consegna finora', { exact: false }).waitFor();
    await page.getByText(url).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await screenshot(page, '99-webhook-deliveries');

    await page.getByRole('navigation', { name: 'Percorso di navigazione' }).getByRole('link', { name: 'Webhook' }).click();
    await page.waitForURL(/\/webhooks$/);
    const row = page.getByTestId(`webhook-${id}`);
    await row.getByRole('button', { name: `Elimina il webhook ${url}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('non riceverà più eventi', { exact: false }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await dialog.getByRole('button', { name: 'Elimina', exact: true }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('Webhook eliminato.').waitFor();
    await row.getByText('Eliminato').waitFor();
    const again = row.getByRole('button', { name: `Elimina il webhook ${url}` });
    assert.equal(await again.getAttribute('aria-disabled'), 'true', 'deleting again is blocked');
    await row.getByText('Il webhook è disattivato').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
  });
});
