import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { blocked, integrationClient as client, organization, T1 } from '../../test/fixtures';
import { problem, renderApp, signedInAs, type Routes } from '../../test/utils';

const ORGS = [
  organization({ id: 'org-ss', name: 'Servizio sociale Bergamo' }),
  organization({ id: 'org-ag1', name: 'Agenzia Lavoro Uno', kind: 'accredited_agency' }),
];
const SECRET = 'slsec_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

function admin(routes: Routes) {
  return signedInAs('admin', { 'GET /api/v1/organizations': () => ({ items: ORGS, next: null }), ...routes });
}

describe('integration clients', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the API field errors at their fields, then the credentials once', async () => {
    const user = userEvent.setup();
    let posts = 0;
    const { callsTo } = admin({
      'POST /api/v1/integration-clients': () => {
        posts += 1;
        if (posts === 1) {
          return problem(422, {
            code: 'validation_failed', detail: '2 fields are invalid',
            errors: [
              { field: 'name', code: 'length', message: 'must be 2 to 200 characters' },
              { field: 'organization_id', code: 'unknown', message: 'no organization has this id' },
            ],
          });
        }
        return { ...client(), client_secret: SECRET };
      },
      'GET /api/v1/integration-clients': () => ({ items: [client()], next: null }),
    });
    renderApp('/admin/integrations/new');
    await screen.findByRole('heading', { name: 'Nuova integrazione', level: 1 });
    await screen.findByRole('option', { name: 'Servizio sociale Bergamo' });

    // Nothing chosen: refused here, nothing sent.
    await user.click(screen.getByRole('button', { name: 'Salva' }));
    expect(await screen.findAllByText('Seleziona almeno una voce.')).toHaveLength(1);
    expect(screen.getByText(/: seleziona almeno una voce\.$/)).toBeInTheDocument();
    expect(posts).toBe(0);

    await user.selectOptions(screen.getByLabelText(/^Ente/), 'org-ss');
    await user.type(screen.getByLabelText(/^Nome/), 'X');
    // Each scope is explained in Italian under its name.
    const referralsRead = screen.getByLabelText('referrals:read');
    expect(referralsRead).toHaveAccessibleDescription("Leggere le segnalazioni e le persone segnalate dall'ente");
    await user.click(referralsRead);
    await user.click(screen.getByLabelText('webhooks:manage'));
    await user.click(screen.getByRole('button', { name: 'Salva' }));

    await waitFor(() => expect(screen.getByLabelText(/^Nome/)).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getAllByText('Lunghezza non valida.')).toHaveLength(1); // at the field; the summary names the field
    expect(screen.getByText(/: lunghezza non valida\.$/)).toBeInTheDocument();
    expect(screen.getByLabelText(/^Ente/)).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getAllByText('Valore sconosciuto.')).toHaveLength(1);
    expect(screen.getByText(/: valore sconosciuto\.$/)).toBeInTheDocument();
    const [first] = callsTo('POST /api/v1/integration-clients');
    expect(await first.req.json()).toEqual({ organization_id: 'org-ss', name: 'X', scopes: ['referrals:read', 'webhooks:manage'] });

    await user.type(screen.getByLabelText(/^Nome/), ' Cartella sociale');
    await user.click(screen.getByRole('button', { name: 'Salva' }));

    const panel = await screen.findByTestId('secret-panel');
    expect(within(panel).getByRole('heading', { name: 'Integrazione creata: ecco le credenziali' })).toHaveFocus();
    expect(within(panel).getByText(/non sarà mostrato di nuovo/)).toBeInTheDocument();
    expect(within(panel).getByLabelText('Identificativo client (client_id)')).toHaveValue('slcli_0a1b2c3d4e5f60718293a4b5');
    expect(within(panel).getByLabelText('Segreto (client_secret)')).toHaveValue(SECRET);
    expect(within(panel).getByLabelText('Indirizzo per il token')).toHaveValue(`${window.location.origin}/api/v1/auth/token`);
    expect(within(panel).getAllByText('client_credentials', { exact: false }).length).toBeGreaterThan(0);
    expect(screen.queryByRole('button', { name: 'Salva' })).not.toBeInTheDocument();

    await user.click(within(panel).getByRole('button', { name: 'Copia Segreto (client_secret)' }));
    expect(await within(panel).findByText('Segreto (client_secret) copiato negli appunti.')).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe(SECRET);

    // Back on the list the secret is gone for good: the API never returns it again.
    await user.click(screen.getByRole('link', { name: 'Torna alle integrazioni' }));
    await screen.findByRole('heading', { name: 'Integrazioni', level: 1 });
    expect(await screen.findByRole('rowheader', { name: /Cartella sociale/ })).toBeInTheDocument();
    expect(screen.queryByText(SECRET)).not.toBeInTheDocument();
    expect(screen.queryByDisplayValue(SECRET)).not.toBeInTheDocument();
  }, 30_000);

  it('rotates a secret after a confirmation and shows the new one once; revokes after another', async () => {
    const user = userEvent.setup();
    let current = client();
    const { calls } = admin({
      'GET /api/v1/integration-clients': () => ({ items: [current], next: null }),
      'POST /api/v1/integration-clients/{id}/rotate-secret': () => {
        current = client({ updated_at: T1 });
        return { ...current, client_secret: 'slsec_new' };
      },
      'POST /api/v1/integration-clients/{id}/revoke': () => {
        current = client({
          active: false, updated_at: T1, allowed_actions: [],
          blocked_actions: [blocked('rotate_secret', "L'integrazione è revocata"), blocked('revoke', "L'integrazione è revocata")],
        });
        return current;
      },
    });
    renderApp('/admin/integrations');
    await user.click(await screen.findByRole('button', { name: 'Rigenera il segreto di Cartella sociale' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText(/smette di funzionare subito/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Rigenera il segreto' }));
    const panel = await screen.findByTestId('secret-panel');
    expect(within(panel).getByLabelText('Segreto (client_secret)')).toHaveValue('slsec_new');
    await user.click(within(panel).getByRole('button', { name: 'Ho conservato il segreto' }));
    expect(screen.queryByTestId('secret-panel')).not.toBeInTheDocument();
    expect(screen.queryByDisplayValue('slsec_new')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Revoca Cartella sociale' }));
    const revoke = await screen.findByRole('dialog');
    expect(within(revoke).getByText(/non potrà più ottenere token/)).toBeInTheDocument();
    await user.click(within(revoke).getByRole('button', { name: 'Revoca' }));
    expect(await screen.findByText('Integrazione «Cartella sociale» revocata.')).toBeInTheDocument();
    expect(await screen.findByText('Revocata')).toBeInTheDocument();
    // Revoked: the API blocks both actions, and says why.
    const revokeAgain = screen.getByRole('button', { name: /Revoca Cartella sociale/ });
    expect(revokeAgain).toHaveAttribute('aria-disabled', 'true');
    expect(revokeAgain).toHaveAccessibleDescription("Rigenera il segreto, Revoca: L'integrazione è revocata");
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url.pathname).filter((p) => !p.startsWith('/api/v1/auth'))).toEqual([
      '/api/v1/integration-clients/ic1/rotate-secret', '/api/v1/integration-clients/ic1/revoke',
    ]);
  }, 30_000);
});
