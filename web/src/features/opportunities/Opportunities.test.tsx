import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { todayISO } from '../../lib/format';
import type { components } from '../../api/schema';
import { etagOf, opportunity, organization, publicOpportunity, T1 } from '../../test/fixtures';
import { network } from '../networks/testing';
import { json, mockRoutes, problem, renderApp, signedInAs, type Routes } from '../../test/utils';

/** `YYYY-MM-DD`, `n` days from today. */
function inDays(n: number): string {
  const d = new Date(`${todayISO()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const measureItem = () => opportunity({
  id: 'ms-dul', source: 'measure', kind: null, kind_label: 'Misura', title: 'Dote Unica Lavoro', publisher: 'Ufficio di Piano',
  area: 'work_placement', for_operators: 'Si segnala al Tavolo con la scheda di invio.', municipality: null, apply_by: null, last_day: null,
  starts_on: null, ends_on: null, allowed_actions: [], blocked_actions: [], flyer_url: '/api/v1/public/opportunities/ms-dul/flyer.pdf',
});

describe('the opportunity board', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists the items with kind, publisher, who they are for, dates — the deadline within a week highlighted — and the state of a draft', async () => {
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/opportunities': () => ({
        items: [
          opportunity({ apply_by: inDays(3), last_day: inDays(3) }),
          opportunity({ id: 'op2', title: 'Job day del territorio', kind: 'event', kind_label: 'Evento', area: 'work_placement', status: 'draft',
            apply_by: inDays(30), last_day: inDays(30), municipality: { code: '016096', name: 'Dalmine', province: 'BG' } }),
          measureItem(),
        ],
        next: null,
      }),
    });
    renderApp('/opportunities');
    expect(await screen.findByRole('heading', { name: 'Opportunità', level: 1 })).toBeInTheDocument();
    const course = await screen.findByRole('article', { name: 'Corso per addetto alla logistica di magazzino' });
    expect(course).toHaveTextContent('Corso di formazione');
    expect(course).toHaveTextContent('Proposta da: Agenzia Sociale Lavoro & Società · Bergamo');
    expect(course).toHaveTextContent('Per chi è: Per persone disoccupate dai 18 ai 55 anni.');
    expect(course).toHaveTextContent('Dal 18/01/2027 al 30/04/2027');
    const closing = within(course).getByTestId('closing');
    expect(closing).toHaveAttribute('data-soon', 'true');
    expect(closing).toHaveTextContent(`Scade presto${'Scade il '}${inDays(3).split('-').reverse().join('/')}`);
    expect(within(course).getByRole('link', { name: 'Volantino (PDF) — Corso per addetto alla logistica di magazzino' }))
      .toHaveAttribute('href', '/api/v1/public/opportunities/op1/flyer.pdf');
    expect(within(course).getByRole('link', { name: 'Corso per addetto alla logistica di magazzino' })).toHaveAttribute('href', '/opportunities/op1');
    expect(within(course).queryByText('Pubblicata')).not.toBeInTheDocument();
    const draft = screen.getByRole('article', { name: 'Job day del territorio' });
    expect(within(draft).getByText('Bozza')).toBeInTheDocument();
    expect(within(draft).getByTestId('closing')).toHaveAttribute('data-soon', 'false');
    expect(screen.getByRole('article', { name: 'Dote Unica Lavoro' })).toHaveTextContent('Misura');
    expect(screen.getByText('3 opportunità')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Nuova opportunità' })).toHaveAttribute('href', '/opportunities/new');
    // The municipalities to filter by are the board's.
    const comune = screen.getByLabelText('Comune');
    expect(within(comune).getAllByRole('option').map((o) => o.textContent)).toEqual(['Tutti i comuni', 'Bergamo', 'Dalmine']);

    await userEvent.selectOptions(screen.getByLabelText('Tipo'), 'job_offer');
    await waitFor(() => expect(callsTo('GET /api/v1/opportunities').some((c) => c.url.searchParams.get('kind') === 'job_offer')).toBe(true));
    const byKind = callsTo('GET /api/v1/opportunities').find((c) => c.url.searchParams.get('kind') === 'job_offer')!;
    expect(byKind.url.searchParams.get('source')).toBe('published');
    await userEvent.selectOptions(screen.getByLabelText('Tipo'), 'measure');
    await userEvent.selectOptions(screen.getByLabelText('Condizione occupazionale'), 'unemployed');
    await userEvent.type(screen.getByLabelText('Età della persona'), '34');
    await waitFor(() => {
      const last = callsTo('GET /api/v1/opportunities').at(-1)!.url.searchParams;
      expect(Object.fromEntries(last)).toEqual({ source: 'measure', employment_status: 'unemployed', age: '34', limit: '200' });
    });
  });

  it('the observer reads it without being offered a new one', async () => {
    signedInAs('observer', { 'GET /api/v1/opportunities': () => ({ items: [opportunity()], next: null }) });
    renderApp('/opportunities');
    expect(await screen.findByRole('article', { name: 'Corso per addetto alla logistica di magazzino' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Nuova opportunità' })).not.toBeInTheDocument();
  });
});

describe('an opportunity', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('a draft is published at the version read; a refusal says what is missing', async () => {
    const draft = opportunity({ status: 'draft', how_to_apply: null, allowed_actions: ['edit', 'publish'], blocked_actions: [] });
    let current = draft;
    let tries = 0;
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/opportunities/{id}': () => current,
      'POST /api/v1/opportunities/{id}/publish': () => {
        if (++tries === 1) return problem(422, { errors: [{ field: 'how_to_apply', code: 'required_to_publish', message: 'per pubblicare indica come candidarsi' }] });
        current = opportunity({ updated_at: T1 });
        return current;
      },
    });
    renderApp('/opportunities/op1');
    expect(await screen.findByRole('heading', { name: 'Corso per addetto alla logistica di magazzino', level: 1 })).toBeInTheDocument();
    expect(screen.getByText('Bozza')).toBeInTheDocument();
    const bar = screen.getByRole('group', { name: "Azioni sull'opportunità" });
    expect(within(bar).queryByRole('button', { name: 'Ritira' })).not.toBeInTheDocument();
    await userEvent.click(within(bar).getByRole('button', { name: 'Pubblica' }));
    expect(await screen.findByTestId('publish-refused')).toHaveTextContent('per pubblicare indica come candidarsi');
    expect(callsTo('POST /api/v1/opportunities/{id}/publish')[0].req.headers.get('If-Match')).toBe(etagOf(draft.updated_at));
    await userEvent.click(within(bar).getByRole('button', { name: 'Pubblica' }));
    await waitFor(() => expect(screen.queryByText('Bozza')).not.toBeInTheDocument());
    expect(screen.getByText('Pubblicata')).toBeInTheDocument();
  });

  it('the coordinator withdraws a published one with the reason (a dialog)', async () => {
    let current = opportunity();
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/opportunities/{id}': () => current,
      'POST /api/v1/opportunities/{id}/withdraw': () => {
        current = opportunity({ status: 'withdrawn', withdrawal_reason: 'Corso annullato: nessun iscritto', updated_at: T1, allowed_actions: [] });
        return current;
      },
    });
    renderApp('/opportunities/op1');
    await userEvent.click(await screen.findByRole('button', { name: 'Ritira' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Ritira' }));
    expect(await within(dialog).findByText('Campo obbligatorio.', { selector: '#opp-withdraw-reason-error' })).toBeInTheDocument();
    expect(callsTo('POST /api/v1/opportunities/{id}/withdraw')).toHaveLength(0);
    await userEvent.type(within(dialog).getByLabelText(/Motivo del ritiro/), 'Corso annullato: nessun iscritto');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Ritira' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const call = callsTo('POST /api/v1/opportunities/{id}/withdraw')[0];
    expect(await call.req.json()).toEqual({ reason: 'Corso annullato: nessun iscritto' });
    expect(call.req.headers.get('If-Match')).toBe(etagOf(opportunity().updated_at));
    expect(await screen.findByText('Ritirata')).toBeInTheDocument();
    expect(screen.getByText('Corso annullato: nessun iscritto')).toBeInTheDocument();
  }, 20_000);

  it('a measure shows its text for operators and links to the catalogue', async () => {
    signedInAs('coordinator', { 'GET /api/v1/opportunities/{id}': () => measureItem() });
    renderApp('/opportunities/ms-dul');
    expect(await screen.findByTestId('for-operators')).toHaveTextContent('Si segnala al Tavolo con la scheda di invio.');
    expect(screen.getByRole('link', { name: 'Vai al catalogo delle misure' })).toHaveAttribute('href', '/catalogue');
    expect(screen.queryByRole('button', { name: 'Modifica' })).not.toBeInTheDocument();
  });
});

describe('a new opportunity', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('says what is missing before sending, picks the municipality by name, saves a draft; the API refusals go to their fields', async () => {
    const sent: unknown[] = [];
    let reply: () => Response | ReturnType<typeof opportunity> = () => opportunity({ status: 'draft' });
    const { callsTo } = signedInAs('agency_operator', {
      'GET /api/v1/municipalities': () => ({ items: [{ istat_code: '016024', belfiore: 'A794', name: 'Bergamo', province: 'BG' }], next: null }),
      'POST /api/v1/opportunities': async ({ body }) => { sent.push(await body()); return reply(); },
      'GET /api/v1/opportunities/{id}': () => opportunity({ status: 'draft' }),
    });
    renderApp('/opportunities/new');
    expect(await screen.findByRole('heading', { name: 'Nuova opportunità', level: 1 })).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Pubblica' }));
    const summary = await screen.findByRole('alert', { name: /Ci sono errori nel modulo/ });
    expect(summary).toHaveTextContent('Tipo: campo obbligatorio');
    expect(summary).toHaveTextContent('Titolo: campo obbligatorio');
    expect(summary).toHaveTextContent('Come candidarsi: necessario per pubblicare.');
    expect(callsTo('POST /api/v1/opportunities')).toHaveLength(0);

    await userEvent.selectOptions(screen.getByLabelText(/^Tipo/), 'training_course');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: /^Area/ }), 'training');
    await userEvent.type(screen.getByLabelText(/^Titolo/), 'Corso di carrellista');
    await userEvent.type(screen.getByLabelText(/^Descrizione/), 'Quaranta ore con il patentino.');
    await userEvent.type(screen.getByLabelText('Età minima'), '18');
    await userEvent.click(screen.getByLabelText('Disoccupato/a'));
    await userEvent.type(screen.getByLabelText('Cerca il comune'), 'Berg');
    const comune = screen.getByLabelText('Comune');
    await waitFor(() => expect(within(comune).getByRole('option', { name: 'Bergamo (BG)' })).toBeInTheDocument());
    await userEvent.selectOptions(comune, '016024');
    await userEvent.type(screen.getByLabelText('Scadenza per candidarsi'), '01/01/2020');
    reply = () => problem(422, { errors: [{ field: 'apply_by', code: 'passed', message: 'la scadenza è già passata' }] });
    await userEvent.click(screen.getByRole('button', { name: 'Salva bozza' }));
    await waitFor(() => expect(screen.getByLabelText('Scadenza per candidarsi')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByLabelText('Scadenza per candidarsi')).toHaveAccessibleDescription('la scadenza è già passata');
    expect(sent[0]).toEqual({
      kind: 'training_course', area: 'training', title: 'Corso di carrellista', description: 'Quaranta ore con il patentino.', min_age: 18, max_age: null,
      employment_statuses: ['unemployed'], target_groups: [], residence_required: false, municipality_code: '016024', place_note: null,
      starts_on: null, ends_on: null, apply_by: '2020-01-01', how_to_apply: null, contact: null, shared_response_id: null, publish: false,
    });

    reply = () => opportunity({ status: 'draft' });
    await userEvent.clear(screen.getByLabelText('Scadenza per candidarsi'));
    await userEvent.click(screen.getByRole('button', { name: 'Salva bozza' }));
    expect(await screen.findByTestId('flash')).toHaveTextContent('Bozza salvata');
    expect(sent).toHaveLength(2);
    expect((sent[1] as { apply_by: unknown }).apply_by).toBeNull();
  }, 40_000);
});

describe('the coordinator publishing a service', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('chooses the publishing organization and the shared response the service tells about', async () => {
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/organizations': () => ({ items: [organization({ id: 'org-com', name: 'Comune di Bergamo', kind: 'municipality' })], next: null }),
      'GET /api/v1/networks': () => ({ items: [network()], next: null }),
      'GET /api/v1/networks/{id}/shared-responses': () => ({
        items: [{ id: 'sr1', title: 'Sportello casa' } as components['schemas']['SharedResponseOut']], next: null,
      }),
      'POST /api/v1/opportunities': () => opportunity({ kind: 'service', kind_label: 'Servizio' }),
      'GET /api/v1/opportunities/{id}': () => opportunity({ kind: 'service', kind_label: 'Servizio' }),
    });
    renderApp('/opportunities/new');
    const org = await screen.findByRole('combobox', { name: 'Ente che la propone' });
    await waitFor(() => expect(within(org).getByRole('option', { name: 'Comune di Bergamo' })).toBeInTheDocument());
    await userEvent.selectOptions(org, 'org-com');
    expect(screen.queryByRole('combobox', { name: 'Risposta condivisa' })).not.toBeInTheDocument();
    await userEvent.selectOptions(screen.getByRole('combobox', { name: /^Tipo/ }), 'service');
    const response = await screen.findByRole('combobox', { name: 'Risposta condivisa' });
    await waitFor(() => expect(within(response).getByRole('option', { name: /^Sportello casa — / })).toBeInTheDocument());
    await userEvent.selectOptions(response, 'sr1');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: /^Area/ }), 'housing');
    await userEvent.type(screen.getByLabelText(/^Titolo/), 'Sportello casa');
    await userEvent.type(screen.getByLabelText(/^Descrizione/), 'Affitti calmierati.');
    await userEvent.type(screen.getByLabelText('Come candidarsi'), 'Su appuntamento.');
    await userEvent.type(screen.getByLabelText('Contatto'), 'casa@example.org');
    await userEvent.click(screen.getByRole('button', { name: 'Pubblica' }));
    await screen.findByTestId('flash');
    expect(await callsTo('POST /api/v1/opportunities')[0].req.json()).toMatchObject({
      kind: 'service', organization_id: 'org-com', shared_response_id: 'sr1', publish: true,
    });
  }, 30_000);
});

describe('correcting an opportunity', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends only the changed fields at the version read, and comes back to its page', async () => {
    let current = opportunity();
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/opportunities/{id}': () => current,
      'PATCH /api/v1/opportunities/{id}': async ({ body }) => {
        const b = await body();
        current = opportunity({ title: b.title ?? current.title, target: { ...current.target, max_age: b.max_age ?? null }, updated_at: T1 });
        return current;
      },
    });
    renderApp('/opportunities/op1');
    await userEvent.click(await screen.findByRole('button', { name: 'Modifica' }));
    expect(await screen.findByRole('heading', { name: 'Modifica: Corso per addetto alla logistica di magazzino', level: 1 })).toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: /^Tipo/ })).not.toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Comune' })).toHaveValue('016024');
    const title = screen.getByLabelText(/^Titolo/);
    await userEvent.clear(title);
    await userEvent.type(title, 'Corso di logistica');
    await userEvent.clear(screen.getByLabelText('Età massima'));
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    expect(await screen.findByRole('heading', { name: 'Corso di logistica', level: 1 })).toBeInTheDocument();
    expect(screen.getByTestId('flash')).toHaveTextContent('Modifiche salvate.');
    const patch = callsTo('PATCH /api/v1/opportunities/{id}')[0];
    expect(await patch.req.json()).toEqual({ title: 'Corso di logistica', max_age: null });
    expect(patch.req.headers.get('If-Match')).toBe(etagOf(opportunity().updated_at));
  }, 20_000);
});

describe('the public opportunities (no sign-in)', () => {
  afterEach(() => vi.unstubAllGlobals());

  function publicApi(extra: Record<string, unknown> = {}) {
    return mockRoutes({
      'GET /api/v1/public/opportunities': () => ({ items: [publicOpportunity(), publicOpportunity({ id: 'op3', title: 'Tirocinio in ristorazione', kind: 'internship', kind_label: 'Tirocinio' })] }),
      'GET /api/v1/public/opportunities/{id}': ({ params }) => (params.id === 'op1' ? publicOpportunity() : json(404, { type: 'about:blank', title: 'Not Found', status: 404 })),
      ...extra,
    } as Routes);
  }

  it('lists them with their pages, flyers, the feeds and this month\'s bulletin, without a token', async () => {
    const { calls } = publicApi();
    renderApp('/opportunita');
    expect(await screen.findByRole('heading', { name: 'Opportunità del territorio', level: 1 })).toBeInTheDocument();
    const list = await screen.findByTestId('public-opportunities');
    expect(within(list).getByRole('link', { name: 'Corso per addetto alla logistica di magazzino' })).toHaveAttribute('href', '/opportunita/op1');
    expect(within(list).getAllByTestId('flyer')).toHaveLength(2);
    const feeds = screen.getByTestId('public-feeds');
    expect(within(feeds).getByRole('link', { name: 'Feed RSS' })).toHaveAttribute('href', '/api/v1/public/opportunities.rss');
    expect(within(feeds).getByRole('link', { name: 'Calendario (iCal)' })).toHaveAttribute('href', '/api/v1/public/opportunities.ics');
    expect(within(feeds).getByRole('link', { name: 'Bollettino del mese (PDF)' }))
      .toHaveAttribute('href', `/api/v1/public/bulletin.pdf?month=${todayISO().slice(0, 7)}`);
    await userEvent.selectOptions(screen.getByLabelText('Area'), 'housing');
    await waitFor(() => expect(calls.some((c) => c.url.searchParams.get('area') === 'housing')).toBe(true));
    expect(calls.every((c) => c.url.pathname.startsWith('/api/v1/public/'))).toBe(true);
    expect(calls.every((c) => c.req.headers.get('Authorization') === null)).toBe(true);
  });

  it('an item has its page with every field; one no longer published says so', async () => {
    publicApi();
    const { router } = renderApp('/opportunita/op1');
    expect(await screen.findByRole('heading', { name: 'Corso per addetto alla logistica di magazzino', level: 1 })).toBeInTheDocument();
    expect(screen.getByText('Colloquio di orientamento su appuntamento.')).toBeInTheDocument();
    expect(screen.getByText('orientamento@example.org')).toBeInTheDocument();
    expect(screen.getByTestId('who-for')).toHaveTextContent('Per persone disoccupate dai 18 ai 55 anni.');
    expect(screen.getByRole('link', { name: /Volantino \(PDF\)/ })).toHaveAttribute('href', '/api/v1/public/opportunities/op1/flyer.pdf');
    await router.navigate('/opportunita/gone');
    expect(await screen.findByText('Questa opportunità non esiste o non è più pubblicata.')).toBeInTheDocument();
  });
});
