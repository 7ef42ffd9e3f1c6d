import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, mockRoutes, renderApp, type Routes } from '../../test/utils';

const NETWORKS = {
  items: [{
    id: 'n1', kind: 'territorial_pact', name: 'Patto territoriale per il lavoro', purpose: 'Creare opportunità di lavoro nei comuni',
    objectives: ['job_creation', 'reinsertion'], district_name: 'Ambito 1 – Bergamo', coordinating_organization_name: 'Agenzia Sociale',
  }],
  privacy_notice: { version: '2026-11', text: 'I dati sono trattati dal coordinatore della rete per ricontattarti.' },
};

/** The public API is not in the generated contract yet: its routes are typed by hand here. */
function publicApi(join: (req: Request) => Response | Promise<Response>) {
  return mockRoutes({
    'GET /api/v1/public/networks': () => json(200, NETWORKS),
    'POST /api/v1/public/networks/{id}/join-requests': ({ req }: { req: Request }) => join(req),
  } as unknown as Routes);
}

describe('the public join page (no sign-in)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists the networks that accept requests, with what each is for', async () => {
    const { calls } = publicApi(() => json(202, { status: 'received' }));
    renderApp('/partecipa');
    await screen.findByRole('heading', { name: 'Partecipa a una rete', level: 1 });
    const list = await screen.findByTestId('public-networks');
    expect(within(list).getByRole('heading', { name: 'Patto territoriale per il lavoro' })).toBeInTheDocument();
    expect(list).toHaveTextContent('Creare opportunità di lavoro; Reinserimento lavorativo');
    expect(list).toHaveTextContent('Ambito 1 – Bergamo · coordinata da Agenzia Sociale');
    expect(screen.getByText('1 rete accoglie nuove adesioni.')).toBeInTheDocument();
    expect(within(list).getByRole('link', { name: 'Chiedi di aderire — Patto territoriale per il lavoro' }))
      .toHaveAttribute('href', '/partecipa/n1');
    // Nothing asks for a session: no refresh, no /me, no token.
    expect(calls.map((c) => c.url.pathname)).toEqual(['/api/v1/public/networks']);
    expect(calls[0].req.headers.get('Authorization')).toBeNull();
  });

  it('asks for a name, a contact and the privacy notice; maps 422 field errors; says received without echoing', async () => {
    let tries = 0;
    const { calls } = publicApi(() => (++tries === 1
      ? json(422, { type: 'about:blank', title: 'Error', status: 422, errors: [{ field: 'phone', code: 'format', message: 'formato' }] })
      : json(202, { status: 'received' })));
    renderApp('/partecipa/n1');
    await screen.findByRole('heading', { name: 'Chiedi di aderire: Patto territoriale per il lavoro', level: 1 });
    expect(screen.getByTestId('privacy-notice')).toHaveTextContent('I dati sono trattati dal coordinatore');
    // The honeypot is out of sight, out of the accessibility tree and out of the tab order.
    const honeypot = document.getElementById('website')!;
    expect(honeypot).toHaveAttribute('tabindex', '-1');
    expect(honeypot.closest('[aria-hidden="true"]')).not.toBeNull();
    expect(honeypot.closest('.visually-hidden')).not.toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Invia la richiesta' }));
    const summary = await screen.findByRole('alert', { name: /Ci sono errori nel modulo/ });
    expect(summary).toHaveTextContent('Nome e cognome: campo obbligatorio');
    expect(summary).toHaveTextContent('Email: indica un indirizzo email o un numero di telefono.');
    expect(summary).toHaveTextContent("Ho letto l'informativa sul trattamento dei dati personali: conferma di aver letto l'informativa.");
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    await userEvent.type(screen.getByLabelText(/^Nome e cognome/), 'Giulia Bianchi');
    await userEvent.selectOptions(screen.getByLabelText('A che titolo'), 'councillor');
    await userEvent.type(screen.getByLabelText('Ente o organizzazione'), 'Comune di Seriate');
    await userEvent.type(screen.getByLabelText('Telefono'), '035 123456');
    await userEvent.click(screen.getByLabelText("Ho letto l'informativa sul trattamento dei dati personali"));
    await userEvent.click(screen.getByRole('button', { name: 'Invia la richiesta' }));
    await waitFor(() => expect(screen.getByLabelText('Telefono')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByLabelText('Telefono')).toHaveAccessibleDescription('Formato non valido.');

    await userEvent.type(screen.getByLabelText(/^Messaggio/), 'Vorrei partecipare');
    await userEvent.click(screen.getByRole('button', { name: 'Invia la richiesta' }));
    const received = await screen.findByTestId('join-received');
    expect(received).toHaveTextContent('Richiesta ricevuta');
    expect(received).not.toHaveTextContent('Giulia Bianchi');
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts[1].url.pathname).toBe('/api/v1/public/networks/n1/join-requests');
    expect(posts[1].req.headers.get('Authorization')).toBeNull();
    expect(await posts[1].req.json()).toEqual({
      name: 'Giulia Bianchi', organization: 'Comune di Seriate', capacity: 'councillor', email: null, phone: '035 123456',
      message: 'Vorrei partecipare', privacy_notice_version: '2026-11', website: '',
    });
  }, 30_000);

  it('says when to try again after too many requests (429 with Retry-After), and when the network no longer accepts them', async () => {
    let reply = json(429, { type: 'about:blank', title: 'Too Many Requests', status: 429 }, { 'Retry-After': '120' });
    publicApi(() => reply);
    renderApp('/partecipa/n1');
    await userEvent.type(await screen.findByLabelText(/^Nome e cognome/), 'Mario Rossi');
    await userEvent.type(screen.getByLabelText('Email'), 'mario.rossi@example.org');
    await userEvent.click(screen.getByLabelText("Ho letto l'informativa sul trattamento dei dati personali"));
    await userEvent.click(screen.getByRole('button', { name: 'Invia la richiesta' }));
    expect(await screen.findByRole('alert', { name: /Troppe richieste/ }))
      .toHaveTextContent('Troppe richieste da questo indirizzo: riprova tra 2 minuti.');
    reply = json(404, { type: 'about:blank', title: 'Not Found', status: 404 });
    await userEvent.click(screen.getByRole('button', { name: 'Invia la richiesta' }));
    expect(await screen.findByRole('alert', { name: /non accoglie/ })).toBeInTheDocument();
  }, 30_000);

  it('a network that does not accept requests says so', async () => {
    publicApi(() => json(202, { status: 'received' }));
    renderApp('/partecipa/altro');
    expect(await screen.findByText('Questa rete non accoglie richieste di adesione, o non esiste.')).toBeInTheDocument();
  });
});
