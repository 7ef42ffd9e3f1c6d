import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { T0 } from '../../test/fixtures';
import { json, ME, mockApi, problem, renderApp, type Handler } from '../../test/utils';

const TOKENS = { access_token: 'A', token_type: 'Bearer', expires_in: 900, refresh_token: 'R', refresh_expires_in: 3600 };
const ORGS = [
  { id: 'org-udp', name: 'Ufficio di Piano', kind: 'planning_office', active: true, district_id: 'd1', created_at: T0, updated_at: T0 },
  { id: 'org-ss', name: 'Servizio sociale Bergamo', kind: 'social_service', active: true, district_id: 'd1', created_at: T0, updated_at: T0 },
];
const SECRET = 'whsec_00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

function webhook(extra: Record<string, unknown> = {}) {
  return {
    id: 'wh1', organization_id: 'org-udp', url: 'https://example.org/hook', event_types: ['referral.decided', 'case.closed'],
    active: true, created_at: T0, updated_at: T0, ...extra,
  };
}

function as(who: 'coordinator' | 'admin', routes: Handler) {
  return mockApi((req, url) => {
    if (url.pathname === '/api/v1/auth/refresh') return json(200, TOKENS);
    if (url.pathname === '/api/v1/me') return json(200, ME[who]);
    if (url.pathname === '/api/v1/organizations') return json(200, { items: ORGS, next: null });
    return routes(req, url);
  });
}

describe('webhooks', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows a refused URL at its field, then the signing secret once with how to verify it', async () => {
    const user = userEvent.setup();
    const bodies: unknown[] = [];
    as('coordinator', async (req, url) => {
      if (url.pathname === '/api/v1/webhooks' && req.method === 'POST') {
        const body = await req.json() as { url: string };
        bodies.push(body);
        if (body.url.startsWith('http://')) {
          return problem(422, {
            code: 'validation_failed', detail: '1 field is invalid',
            errors: [{ field: 'url', code: 'destination', message: 'only https URLs are allowed' }],
          });
        }
        return json(201, { ...webhook(), secret: SECRET });
      }
      return undefined;
    });
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    renderApp('/webhooks/new');
    await screen.findByRole('heading', { name: 'Nuovo webhook', level: 1 });
    expect(screen.getByText('Gli eventi sono quelli del tuo ente: Ufficio di Piano.')).toBeInTheDocument();
    expect(screen.queryByLabelText(/^Ente/)).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Salva' }));
    expect(await screen.findAllByText('Campo obbligatorio.')).toHaveLength(2);
    expect(screen.getAllByText('Seleziona almeno una voce.')).toHaveLength(2);
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
    as('admin', async (req, url) => {
      if (url.pathname === '/api/v1/webhooks' && req.method === 'POST') {
        bodies.push(await req.json());
        return json(201, { ...webhook({ organization_id: 'org-ss' }), secret: SECRET });
      }
      return undefined;
    });
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
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
    let status = 'failed';
    const delivery = () => ({
      id: 'dl1', event_id: 'ev1', event_type: 'case.closed', status, attempts: status === 'failed' ? 8 : 0,
      next_attempt_at: status === 'pending' ? T0 : null, last_status_code: 500, last_error: 'HTTP 500', delivered_at: null, created_at: T0,
    });
    as('coordinator', (req, url) => {
      if (url.pathname === '/api/v1/webhooks/wh1' && req.method === 'GET') return json(200, webhook());
      if (url.pathname === '/api/v1/webhooks/wh1/deliveries') return json(200, { items: [delivery()], next: null });
      if (url.pathname === '/api/v1/webhook-deliveries/dl1/redeliver' && req.method === 'POST') {
        status = 'pending';
        return json(200, delivery());
      }
      return undefined;
    });
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    renderApp('/webhooks/wh1');
    const row = (await screen.findByRole('rowheader', { name: /Caso chiuso/ })).closest('tr')!;
    expect(within(row).getByText('Non riuscita')).toBeInTheDocument();
    expect(within(row).getByText('HTTP 500')).toBeInTheDocument();
    await user.click(within(row).getByRole('button', { name: /^Invia di nuovo/ }));
    expect(await screen.findByText('Consegna rimessa in coda: verrà inviata a breve.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText('In attesa')).toBeInTheDocument());
    expect(screen.queryByRole('button', { name: /^Invia di nuovo/ })).not.toBeInTheDocument();
  }, 30_000);
});
