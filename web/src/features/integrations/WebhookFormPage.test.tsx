import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeliveryStatus } from '../../api/types';
import { blocked, delivery as deliveryOf, organization, T0, webhook } from '../../test/fixtures';
import { problem, renderApp, signedInAs, type Routes } from '../../test/utils';

const ORGS = [
  organization({ id: 'org-udp', name: 'Ufficio di Piano', kind: 'planning_office' }),
  organization({ id: 'org-ss', name: 'Servizio sociale Bergamo' }),
];
const SECRET = 'whsec_00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

function as(who: 'coordinator' | 'admin', routes: Routes) {
  return signedInAs(who, { 'GET /api/v1/organizations': () => ({ items: ORGS, next: null }), ...routes });
}

describe('webhooks', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows a refused URL at its field, then the signing secret once with how to verify it', async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    as('coordinator', {
      'POST /api/v1/webhooks': async ({ body: read }) => {
        const body = await read();
        bodies.push(body);
        if (body.url.startsWith('http://')) {
          return problem(422, {
            code: 'validation_failed', detail: '1 field is invalid',
            errors: [{ field: 'url', code: 'destination', message: 'only https URLs are allowed' }],
          });
        }
        return { ...webhook(), secret: SECRET };
      },
    });
    renderApp('/webhooks/new');
    await screen.findByRole('heading', { name: 'Nuovo webhook', level: 1 });
    expect(screen.getByText('Gli eventi sono quelli del tuo ente: Ufficio di Piano.')).toBeInTheDocument();
    expect(screen.queryByLabelText(/^Ente/)).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Salva' }));
    // At the field, and in the summary named by the field.
    expect(await screen.findAllByText('Campo obbligatorio.')).toHaveLength(1);
    expect(await screen.findByText(/: campo obbligatorio\.$/)).toBeInTheDocument();
    expect(screen.getAllByText('Seleziona almeno una voce.')).toHaveLength(1);
    expect(screen.getByText(/: seleziona almeno una voce\.$/)).toBeInTheDocument();
    expect(bodies).toHaveLength(0);

    await user.type(screen.getByLabelText(/^Indirizzo di destinazione/), 'http://example.org/hook');
    // Event types in Italian, the API's name below each.
    const decided = screen.getByLabelText('Decisione del Tavolo su una segnalazione');
    expect(decided).toHaveAccessibleDescription('referral.decided');
    await user.click(decided);
    await user.click(screen.getByLabelText('Caso chiuso'));
    await user.click(screen.getByRole('button', { name: 'Salva' }));

    const field = screen.getByLabelText(/^Indirizzo di destinazione/);
    await waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'));
    expect(field).toHaveAccessibleDescription(expect.stringContaining('Indirizzo non ammesso: usa un URL https://'));
    expect(bodies[0]).toEqual({ url: 'http://example.org/hook', event_types: ['referral.decided', 'case.closed'] });

    await user.clear(field);
    await user.type(field, 'https://example.org/hook');
    expect(field).not.toHaveAttribute('aria-invalid');
    await user.click(screen.getByRole('button', { name: 'Salva' }));

    const panel = await screen.findByTestId('secret-panel');
    expect(within(panel).getByRole('heading', { name: 'Webhook creato: ecco il segreto di firma' })).toHaveFocus();
    expect(within(panel).getByText(/non sarà mostrato di nuovo/)).toBeInTheDocument();
    expect(within(panel).getByLabelText('Segreto di firma')).toHaveValue(SECRET);
    expect(within(panel).getByRole('heading', { name: 'Come verificare la firma' })).toBeInTheDocument();
    expect(within(panel).getByText(/X-Signature: t=<istante unix>,v1=<firma>.*HMAC-SHA256.*«t\.corpo»/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Salva' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Registro delle consegne' })).toHaveAttribute('href', '/webhooks/wh1');
  }, 30_000);

  it('lets an administrator subscribe for the organization picked (required)', async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    as('admin', {
      'POST /api/v1/webhooks': async ({ body }) => {
        bodies.push(await body());
        return { ...webhook({ organization_id: 'org-ss' }), secret: SECRET };
      },
    });
    renderApp('/webhooks/new');
    await screen.findByRole('option', { name: 'Servizio sociale Bergamo' });
    await user.type(screen.getByLabelText(/^Indirizzo di destinazione/), 'https://example.org/hook');
    await user.click(screen.getByLabelText('Segnalazione inviata'));
    await user.click(screen.getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.getByLabelText(/^Ente/)).toHaveAttribute('aria-invalid', 'true'));
    expect(bodies).toHaveLength(0);
    await user.selectOptions(screen.getByLabelText(/^Ente/), 'org-ss');
    await user.click(screen.getByRole('button', { name: 'Salva' }));
    await screen.findByTestId('secret-panel');
    expect(bodies).toEqual([{ url: 'https://example.org/hook', event_types: ['referral.submitted'], organization_id: 'org-ss' }]);
  }, 30_000);

  it('lists the delivery log and sends a failed delivery again', async () => {
    const user = userEvent.setup();
    let status: DeliveryStatus = 'failed';
    const delivery = () => deliveryOf({
      status, attempts: status === 'failed' ? 8 : 0, next_attempt_at: status === 'pending' ? T0 : null,
      allowed_actions: status === 'pending' ? [] : ['redeliver'],
      blocked_actions: status === 'pending' ? [blocked('redeliver', 'La consegna è in attesa')] : [],
    });
    as('coordinator', {
      'GET /api/v1/webhooks/{id}': () => webhook(),
      'GET /api/v1/webhooks/{id}/deliveries': () => ({ items: [delivery()], next: null }),
      'POST /api/v1/webhook-deliveries/{id}/redeliver': () => {
        status = 'pending';
        return delivery();
      },
    });
    renderApp('/webhooks/wh1');
    const row = (await screen.findByRole('rowheader', { name: /Caso chiuso/ })).closest('tr')!;
    expect(within(row).getByText('Non riuscita')).toBeInTheDocument();
    expect(within(row).getByText('HTTP 500')).toBeInTheDocument();
    await user.click(within(row).getByRole('button', { name: /^Invia di nuovo/ }));
    expect(await screen.findByText('Consegna rimessa in coda: verrà inviata a breve.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText('In attesa')).toBeInTheDocument());
    // Pending again: the API blocks another redelivery, and the screen says why.
    expect(within(row).getByRole('button', { name: /^Invia di nuovo/ })).toHaveAttribute('aria-disabled', 'true');
    expect(within(row).getByText('La consegna è in attesa')).toBeInTheDocument();
  }, 30_000);
});
