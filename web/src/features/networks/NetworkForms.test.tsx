import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { components } from '../../api/schema';
import { todayISO } from '../../lib/format';
import { etagOf, organization, T0, T1, T2 } from '../../test/fixtures';
import { problem, renderApp, signedInAs } from '../../test/utils';
import { networkPageRoutes } from './testing';

type S = components['schemas'];

const network = (extra: Partial<S['NetworkOut']> = {}): S['NetworkOut'] => ({
  id: 'n1', district_id: 'd1', kind: 'territorial_pact', name: 'Patto territoriale per il lavoro',
  purpose: 'Creare opportunità', objectives: ['job_creation'], objectives_other: null,
  promoter_organization: null, coordinating_organization: { id: 'o-soc', name: 'Agenzia Sociale' },
  status: 'forming', accepts_join_requests: true, member_count: 1,
  compliance: { compliant: true, reasons: [] },
  allowed_actions: ['edit', 'add_member', 'add_resource'], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
});

const member = (id: string, name: string, extra: Partial<S['MemberOut']> = {}): S['MemberOut'] => ({
  id, network_id: 'n1', organization: { id: `o-${id}`, name }, organization_kind: 'municipality', role: 'member',
  joined_on: '2026-01-15', approval_act: null, withdrawn_on: null, withdrawal_reason: null, active: true,
  allowed_actions: ['withdraw'], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
});

const resource = (extra: Partial<S['ResourceOut']> = {}): S['ResourceOut'] => ({
  id: 'r1', network_id: 'n1', organization: { id: 'o-m1', name: 'Comune di Bergamo' }, kind: 'training', description: null,
  amount_cents: 250000, hours: null, valid_from: null, valid_to: null, status: 'pledged',
  allowed_actions: ['make_available', 'withdraw'], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
});

const ORGS = [
  organization({ id: 'o-soc', name: 'Agenzia Sociale', kind: 'social_service' }),
  organization({ id: 'o-m1', name: 'Comune di Bergamo', kind: 'municipality' }),
  organization({ id: 'o-m2', name: 'Comune di Seriate', kind: 'municipality' }),
];

const EMPTY_RESOURCES = { items: [], next: null, totals: { network: { amount_cents: 0, hours: 0, count: 0 }, by_member: [], by_kind: [] } };

function networkRoutes(n: () => S['NetworkOut'], extra: Parameters<typeof signedInAs>[1] = {}) {
  return {
    ...networkPageRoutes(),
    'GET /api/v1/networks/{id}': () => n(),
    'GET /api/v1/networks/{id}/members': () => ({ items: [member('m1', 'Comune di Bergamo')], next: null }),
    'GET /api/v1/networks/{id}/resources': () => EMPTY_RESOURCES,
    'GET /api/v1/organizations': () => ({ items: ORGS, next: null }),
    ...extra,
  } satisfies Parameters<typeof signedInAs>[1];
}

describe('creating and editing a network', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('names what is missing, maps the API field errors to their fields, then creates it', async () => {
    let tries = 0;
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/organizations': () => ({ items: ORGS, next: null }),
      'POST /api/v1/networks': () => (++tries === 1
        ? problem(422, { errors: [{ field: 'name', code: 'too_long', message: 'troppo lungo' }] })
        : network({ id: 'n9', name: 'Partenariato Valle Seriana', kind: 'territorial_partnership' })),
      ...networkPageRoutes([]),
      'GET /api/v1/networks/{id}': () => network({ id: 'n9', name: 'Partenariato Valle Seriana', kind: 'territorial_partnership' }),
      'GET /api/v1/networks/{id}/members': () => ({ items: [], next: null }),
      'GET /api/v1/networks/{id}/resources': () => EMPTY_RESOURCES,
    });
    const { router } = renderApp('/networks/new');
    await screen.findByRole('heading', { name: 'Nuova rete', level: 1 });
    // The table is never created: not among the kinds.
    const kind = screen.getByLabelText(/^Tipo di rete/);
    expect(within(kind).queryByRole('option', { name: 'Tavolo Sistema Lavoro' })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Crea la rete' }));
    const summary = await screen.findByRole('alert', { name: /Ci sono errori nel modulo/ });
    expect(summary).toHaveTextContent('Tipo di rete: campo obbligatorio');
    expect(summary).toHaveTextContent('Denominazione: campo obbligatorio');
    expect(within(summary).getByRole('link', { name: /Denominazione/ })).toHaveAttribute('href', '#name');
    expect(callsTo('POST /api/v1/networks')).toHaveLength(0);

    await userEvent.selectOptions(kind, 'territorial_partnership');
    await userEvent.type(screen.getByLabelText(/^Denominazione/), 'Partenariato Valle Seriana');
    await userEvent.click(screen.getByLabelText('Outplacement'));
    await userEvent.selectOptions(screen.getByLabelText('Ente coordinatore'), 'o-soc');
    await userEvent.click(screen.getByRole('button', { name: 'Crea la rete' }));
    // The API's field error lands on its field.
    await waitFor(() => expect(screen.getByLabelText(/^Denominazione/)).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByLabelText(/^Denominazione/)).toHaveAccessibleDescription('Valore troppo lungo.');
    await userEvent.click(screen.getByRole('button', { name: 'Crea la rete' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/networks/n9'));
    expect(await callsTo('POST /api/v1/networks')[1].req.json()).toEqual({
      kind: 'territorial_partnership', name: 'Partenariato Valle Seriana', purpose: null, objectives: ['outplacement'],
      objectives_other: null, promoter_organization_id: null, coordinating_organization_id: 'o-soc', accepts_join_requests: true,
    });
  }, 30_000);

  it('edits at the version read (If-Match), sending only what changed; a 412 keeps what was typed', async () => {
    let current = network();
    const { callsTo } = signedInAs('network_coordinator', networkRoutes(() => current, {
      'PATCH /api/v1/networks/{id}': async ({ req, body }) => {
        if (req.headers.get('If-Match') !== etagOf(current.updated_at)) return problem(412, { code: 'precondition_failed' });
        const b = await body();
        current = { ...current, ...(b.purpose !== undefined ? { purpose: b.purpose } : {}), updated_at: T2 };
        return current;
      },
    }));
    const { router } = renderApp('/networks/n1');
    await screen.findByRole('heading', { name: 'Patto territoriale per il lavoro', level: 1 });
    await userEvent.click(screen.getByRole('button', { name: 'Modifica' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/networks/n1/edit'));
    const purpose = await screen.findByLabelText('Finalità');
    await userEvent.clear(purpose);
    await userEvent.type(purpose, 'Lavoro per tutti');
    current = { ...current, updated_at: T1 }; // someone else saved meanwhile
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    await screen.findByTestId('stale-notice');
    expect(screen.getByLabelText('Finalità')).toHaveValue('Lavoro per tutti');
    await userEvent.click(screen.getByRole('button', { name: 'Carica la versione aggiornata' }));
    await screen.findByTestId('rebased-notice');
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/networks/n1'));
    const patches = callsTo('PATCH /api/v1/networks/{id}');
    expect(patches.map((p) => p.req.headers.get('If-Match'))).toEqual([etagOf(T0), etagOf(T1)]);
    expect(await patches[1].req.json()).toEqual({ purpose: 'Lavoro per tutti' });
    expect(await screen.findByTestId('flash')).toHaveTextContent('Modifiche salvate.');
  }, 30_000);
});

describe('members and resources of a network', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('adds a member (today by default, the act both or neither), with the API field errors on their fields', async () => {
    let tries = 0;
    const { callsTo } = signedInAs('coordinator', networkRoutes(() => network(), {
      'POST /api/v1/networks/{id}/members': () => (++tries === 1
        ? problem(422, { errors: [{ field: 'approval_act.date', code: 'future', message: 'nel futuro' }] })
        : member('m2', 'Comune di Seriate')),
    }));
    renderApp('/networks/n1');
    await screen.findByRole('rowheader', { name: /Comune di Bergamo/ });
    await userEvent.click(screen.getByRole('button', { name: 'Aggiungi un aderente' }));
    const dialog = await screen.findByRole('dialog');
    // An organization already a member is not offered again.
    const org = within(dialog).getByLabelText(/^Ente/);
    await waitFor(() => expect(within(org).getByRole('option', { name: /Comune di Seriate/ })).toBeInTheDocument());
    expect(within(org).queryByRole('option', { name: /Comune di Bergamo/ })).not.toBeInTheDocument();
    expect(within(dialog).getByLabelText('Data di adesione')).toHaveValue(todayISO().split('-').reverse().join('/'));
    await userEvent.type(within(dialog).getByLabelText("Numero dell'atto (delibera)"), '45/2026');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Aggiungi un aderente' }));
    const summary = within(dialog).getByRole('alert', { name: /Ci sono errori nel modulo/ });
    expect(summary).toHaveTextContent('Ente: campo obbligatorio');
    expect(summary).toHaveTextContent("Data dell'atto: campo obbligatorio");
    expect(callsTo('POST /api/v1/networks/{id}/members')).toHaveLength(0);
    await userEvent.selectOptions(org, 'o-m2');
    await userEvent.selectOptions(within(dialog).getByLabelText('Ruolo'), 'promoter');
    await userEvent.type(within(dialog).getByLabelText("Data dell'atto"), '20/11/2026');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Aggiungi un aderente' }));
    await waitFor(() => expect(within(dialog).getByLabelText("Data dell'atto")).toHaveAccessibleDescription(/La data non può essere nel futuro/));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Aggiungi un aderente' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await callsTo('POST /api/v1/networks/{id}/members')[1].req.json()).toEqual({
      organization_id: 'o-m2', role: 'promoter', joined_on: todayISO(), approval_act: { number: '45/2026', date: '2026-11-20' },
    });
  }, 30_000);

  it('withdraws a member only where allowed, with a reason', async () => {
    const { callsTo } = signedInAs('coordinator', networkRoutes(() => network({ allowed_actions: [] }), {
      'GET /api/v1/networks/{id}/members': () => ({
        items: [member('m1', 'Comune di Bergamo'), member('m2', 'Comune di Seriate', { allowed_actions: [] })], next: null,
      }),
      'POST /api/v1/members/{id}/withdraw': () => member('m1', 'Comune di Bergamo', { active: false, withdrawn_on: todayISO() }),
    }));
    renderApp('/networks/n1');
    await screen.findByRole('rowheader', { name: /Comune di Seriate/ });
    // Neither adding members nor pledging where the API does not offer it.
    expect(screen.queryByRole('button', { name: 'Aggiungi un aderente' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Impegna una risorsa' })).not.toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: /^Recesso/ })).toHaveLength(1);
    await userEvent.click(screen.getByRole('button', { name: 'Recesso Comune di Bergamo' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Recesso' }));
    expect(within(dialog).getByRole('alert', { name: /Ci sono errori nel modulo/ })).toHaveTextContent('Motivazione: campo obbligatorio');
    await userEvent.type(within(dialog).getByLabelText(/^Motivazione/), 'Delibera di recesso n. 3');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Recesso' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const calls = callsTo('POST /api/v1/members/{id}/withdraw');
    expect(calls[0].url.pathname).toBe('/api/v1/members/m1/withdraw');
    expect(await calls[0].req.json()).toEqual({ reason: 'Delibera di recesso n. 3', withdrawn_on: todayISO() });
  }, 30_000);

  it('pledges a resource in euro or hours and moves it as allowed, once confirmed', async () => {
    const { callsTo } = signedInAs('network_coordinator', networkRoutes(() => network(), {
      'GET /api/v1/networks/{id}/resources': () => ({ ...EMPTY_RESOURCES, items: [resource()] }),
      'POST /api/v1/networks/{id}/resources': () => resource({ id: 'r2', hours: 40, amount_cents: null }),
      'POST /api/v1/resources/{id}/make-available': () => resource({ status: 'available' }),
    }));
    renderApp('/networks/n1');
    const resources = await screen.findByTestId('resources');
    await within(resources).findByRole('rowheader', { name: /Comune di Bergamo/ });
    expect(within(resources).queryByRole('button', { name: /^Segna come utilizzata/ })).not.toBeInTheDocument();
    await userEvent.click(within(resources).getByRole('button', { name: 'Impegna una risorsa' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText(/^Aderente che la mette a disposizione/)).toHaveValue('o-m1'); // the only member
    await userEvent.click(within(dialog).getByLabelText('Ore'));
    await userEvent.type(within(dialog).getByLabelText(/^Numero di ore/), '12,5');
    await userEvent.type(within(dialog).getByLabelText('Dal'), '01/07/2027');
    await userEvent.type(within(dialog).getByLabelText('Al'), '01/01/2027');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Impegna una risorsa' }));
    const summary = within(dialog).getByRole('alert', { name: /Ci sono errori nel modulo/ });
    expect(summary).toHaveTextContent('Tipo: campo obbligatorio');
    expect(summary).toHaveTextContent('Numero di ore: indica un numero intero di ore.');
    expect(summary).toHaveTextContent('Al: la data di fine non può precedere quella di inizio.');
    await userEvent.selectOptions(within(dialog).getByLabelText(/^Tipo/), 'staff_time');
    await userEvent.clear(within(dialog).getByLabelText(/^Numero di ore/));
    await userEvent.type(within(dialog).getByLabelText(/^Numero di ore/), '40');
    await userEvent.clear(within(dialog).getByLabelText('Al'));
    await userEvent.type(within(dialog).getByLabelText('Al'), '31/12/2027');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Impegna una risorsa' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await callsTo('POST /api/v1/networks/{id}/resources')[0].req.json()).toEqual({
      organization_id: 'o-m1', kind: 'staff_time', amount_cents: null, hours: 40, description: null,
      valid_from: '2027-07-01', valid_to: '2027-12-31',
    });
    // A move asks first.
    await userEvent.click(within(resources).getByRole('button', { name: /^Rendi disponibile/ }));
    const confirm = await screen.findByRole('dialog');
    expect(confirm).toHaveTextContent('La risorsa «Formazione» di Comune di Bergamo diventa disponibile per la rete.');
    expect(callsTo('POST /api/v1/resources/{id}/make-available')).toHaveLength(0);
    await userEvent.click(within(confirm).getByRole('button', { name: 'Rendi disponibile' }));
    await waitFor(() => expect(callsTo('POST /api/v1/resources/{id}/make-available')).toHaveLength(1));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  }, 30_000);
});

describe("the network's requests to join", () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the pending requests to those who manage it; accepts one as a new organization, declines one with a reason', async () => {
    const request = (id: string, name: string, extra: Partial<S['JoinRequestOut']> = {}): S['JoinRequestOut'] => ({
      id, network_id: 'n1', name, organization: 'Comune di Alzano', capacity: 'councillor', email: 'maria@example.it', phone: null,
      message: 'Vorrei partecipare', privacy_notice_version: '2026-12-01', status: 'pending', created_at: T0,
      allowed_actions: ['accept', 'decline'], blocked_actions: [], ...extra,
    });
    const { calls } = signedInAs('coordinator', {
      ...networkRoutes(() => network()),
      'GET /api/v1/networks/{id}/join-requests': () => ({ items: [request('j1', 'Maria Bianchi'), request('j2', 'Luca Neri')], next: null }),
      'POST /api/v1/join-requests/{id}/accept': () => request('j1', 'Maria Bianchi', { status: 'accepted', allowed_actions: [] }),
      'POST /api/v1/join-requests/{id}/decline': () => request('j2', 'Luca Neri', { status: 'declined', allowed_actions: [] }),
    });
    renderApp('/networks/n1');
    const section = await screen.findByTestId('join-requests');
    expect(await within(section).findAllByTestId('join-request')).toHaveLength(2);
    expect(section).toHaveTextContent('Maria Bianchi — Consigliere comunale');
    await userEvent.click(within(section).getByRole('button', { name: 'Accogli Maria Bianchi' }));
    let dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Accogli' }));
    expect(within(dialog).getByRole('alert', { name: /Ci sono errori nel modulo/ })).toHaveTextContent('Tipo del nuovo ente');
    await userEvent.selectOptions(within(dialog).getByLabelText(/^Tipo del nuovo ente/), 'municipality');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Accogli' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const accept = calls.find((c) => c.url.pathname === '/api/v1/join-requests/j1/accept')!;
    expect(await accept.req.json()).toEqual({ organization_id: null, kind: 'municipality', role: 'member' });
    expect(accept.req.headers.get('Authorization')).toBe('Bearer A');

    await userEvent.click(within(section).getByRole('button', { name: 'Respingi Luca Neri' }));
    dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Respingi' }));
    expect(within(dialog).getByRole('alert', { name: /Ci sono errori nel modulo/ })).toHaveTextContent('Motivazione: campo obbligatorio');
    await userEvent.type(within(dialog).getByLabelText(/^Motivazione/), 'Fuori ambito');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Respingi' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const decline = calls.find((c) => c.url.pathname === '/api/v1/join-requests/j2/decline')!;
    expect(await decline.req.json()).toEqual({ reason: 'Fuori ambito' });
  }, 30_000);
});
