import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMPTY_PAGE, T0, TAX_CODE, organization, person, referral } from '../../test/fixtures';
import { problem, renderApp, signedInAs } from '../../test/utils';
import type { Consent, PrivacyNotice } from './api';


const NOTICE: PrivacyNotice = {
  id: 'n1', purpose: 'referral_and_case', purpose_label: 'Servizi di inclusione socio-lavorativa', needs_consent: false,
  version: 2, title: 'Informativa servizi di inclusione', body: 'Il titolare del trattamento è…', valid_from: '2026-01-01', current: true,
  district_id: 'd1', created_by: 'u-coord', created_at: T0,
};

function consent(extra: Partial<Consent> = {}): Consent {
  return {
    id: 'c1', person_id: 'p1', kind: 'notice', purpose: 'referral_and_case', purpose_label: 'Servizi di inclusione socio-lavorativa',
    notice_id: 'n1', notice_version: 2, method: 'in_person', status: 'given', given_at: T0, given_by: 'u-ref', allowed_actions: [], blocked_actions: [], ...extra,
  };
}

const NOTICES = { 'GET /api/v1/privacy-notices': () => ({ items: [NOTICE], next: null }) };

describe('the privacy notice in the referral flow', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks how the notice was given and records it before the referral goes to the table', async () => {
    const { calls, callsTo } = signedInAs('referrer', {
      'GET /api/v1/persons': () => ({ items: [person({ tax_code: TAX_CODE })], next: null }),
      'POST /api/v1/referrals': () => referral({ id: 'r2', status: 'draft' }),
      'POST /api/v1/referrals/{id}/submit': () => referral({ id: 'r2', status: 'submitted' }),
      'GET /api/v1/referrals/{id}': () => referral({ id: 'r2', status: 'submitted' }),
      ...({
        ...NOTICES,
        'GET /api/v1/persons/{id}/consents': () => EMPTY_PAGE,
        'POST /api/v1/persons/{id}/consents': () => consent(),
      }),
    });
    renderApp('/referrals/new');
    await userEvent.type(await screen.findByLabelText(/^Codice fiscale/), TAX_CODE);
    const fieldset = await screen.findByRole('group', { name: 'Informativa privacy' });
    expect(within(fieldset).getByText(/Informativa servizi di inclusione — versione 2/)).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('Lavoro'));
    await userEvent.type(screen.getByLabelText(/^Motivazione/), 'Disoccupato da 14 mesi.');
    await userEvent.click(screen.getByRole('button', { name: 'Salva e invia al Tavolo' }));
    // Without saying how it was given, nothing leaves.
    expect((await screen.findAllByText("Indica come è stata resa l'informativa.")).length).toBeGreaterThan(0);
    expect(callsTo('POST /api/v1/referrals')).toHaveLength(0);
    await userEvent.selectOptions(screen.getByLabelText(/^Come è stata resa/), 'signed_paper');
    await userEvent.click(screen.getByRole('button', { name: 'Salva e invia al Tavolo' }));
    await waitFor(() => expect(callsTo('POST /api/v1/referrals/{id}/submit')).toHaveLength(1));
    const recorded = calls.filter((c) => c.method === 'POST' && c.url.pathname === '/api/v1/persons/p1/consents');
    expect(recorded).toHaveLength(1);
    expect(await recorded[0].req.json()).toEqual({ kind: 'notice', notice_id: 'n1', method: 'signed_paper' });
    // Recorded first: before the referral was created.
    expect(calls.indexOf(recorded[0])).toBeLessThan(calls.indexOf(callsTo('POST /api/v1/referrals')[0]));
  }, 30_000);

  it('says when the notice was already given, and asks nothing', async () => {
    const { calls } = signedInAs('referrer', {
      'GET /api/v1/persons': () => ({ items: [person({ tax_code: TAX_CODE })], next: null }),
      ...({ ...NOTICES, 'GET /api/v1/persons/{id}/consents': () => ({ items: [consent()], next: null }) }),
    });
    renderApp('/referrals/new');
    await userEvent.type(await screen.findByLabelText(/^Codice fiscale/), TAX_CODE);
    expect(await screen.findByTestId('notice-given')).toHaveTextContent(/Informativa resa il .* \(versione 2\)/);
    expect(screen.queryByLabelText(/^Come è stata resa/)).not.toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST' && c.url.pathname.endsWith('/consents'))).toHaveLength(0);
  }, 30_000);

  it('the coordinator may send without the notice, only with a reason', async () => {
    const { calls, callsTo } = signedInAs('coordinator', {
      'GET /api/v1/persons': () => ({ items: [person({ tax_code: TAX_CODE })], next: null }),
      'GET /api/v1/organizations': () => ({ items: [organization({ id: 'org-ss', name: 'Servizio sociale Bergamo', kind: 'social_service' })], next: null }),
      'POST /api/v1/referrals': () => referral({ id: 'r3', status: 'submitted', received_via: 'phone' }),
      'GET /api/v1/referrals/{id}': () => referral({ id: 'r3', status: 'submitted', received_via: 'phone' }),
      ...({ ...NOTICES, 'GET /api/v1/persons/{id}/consents': () => EMPTY_PAGE }),
    });
    renderApp('/referrals/new');
    await userEvent.type(await screen.findByLabelText(/^Codice fiscale/), TAX_CODE);
    await screen.findByRole('group', { name: 'Informativa privacy' });
    const sender = screen.getByLabelText(/^Servizio che ha inviato/);
    await waitFor(() => expect(sender.querySelectorAll('option')).toHaveLength(2));
    await userEvent.selectOptions(sender, 'org-ss');
    await userEvent.selectOptions(screen.getByLabelText(/^Ricevuta tramite/), 'phone');
    await userEvent.click(screen.getByLabelText('Lavoro'));
    await userEvent.type(screen.getByLabelText(/^Motivazione/), 'Telefonata del servizio sociale.');
    await userEvent.click(screen.getByLabelText(/L'informativa non è ancora stata resa/));
    await userEvent.click(screen.getByRole('button', { name: 'Registra e invia al Tavolo' }));
    expect((await screen.findAllByText(/Scrivi perché la segnalazione va inviata senza informativa/)).length).toBeGreaterThan(0);
    expect(callsTo('POST /api/v1/referrals')).toHaveLength(0);
    await userEvent.type(screen.getByLabelText(/^Perché la segnalazione va al Tavolo senza informativa/), 'Persona irreperibile per ora.');
    await userEvent.click(screen.getByRole('button', { name: 'Registra e invia al Tavolo' }));
    await waitFor(() => expect(callsTo('POST /api/v1/referrals')).toHaveLength(1));
    expect(await callsTo('POST /api/v1/referrals')[0].req.json()).toMatchObject({ notice_override_reason: 'Persona irreperibile per ora.' });
    expect(calls.filter((c) => c.url.pathname.endsWith('/consents') && c.method === 'POST')).toHaveLength(0);
  }, 30_000);

  it('a 409 notice_missing on the referral is explained, and the notice recorded there lets it go', async () => {
    let submitted = false;
    const { calls, callsTo } = signedInAs('referrer', {
      'GET /api/v1/referrals/{id}': () => referral({ status: submitted ? 'submitted' : 'draft', allowed_actions: submitted ? [] : ['submit'] }),
      'POST /api/v1/referrals/{id}/submit': () => {
        if (!calls.some((c) => c.method === 'POST' && c.url.pathname.endsWith('/consents'))) {
          return problem(409, { code: 'notice_missing', detail: "alla persona non risulta resa l'informativa" });
        }
        submitted = true;
        return referral({ status: 'submitted' });
      },
      ...({ ...NOTICES, 'POST /api/v1/persons/{id}/consents': () => consent() }),
    });
    renderApp('/referrals/r1');
    await userEvent.click(await screen.findByRole('button', { name: 'Invia al Tavolo' }));
    await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Invia al Tavolo' }));
    const panel = await screen.findByTestId('notice-missing');
    expect(within(panel).getByText("Manca l'informativa privacy")).toBeInTheDocument();
    await userEvent.click(within(panel).getByRole('button', { name: "Registra l'informativa e invia" }));
    expect(await within(panel).findByText("Indica come è stata resa l'informativa.")).toBeInTheDocument();
    await userEvent.selectOptions(within(panel).getByLabelText(/^Come è stata resa/), 'in_person');
    await userEvent.click(within(panel).getByRole('button', { name: "Registra l'informativa e invia" }));
    await waitFor(() => expect(callsTo('POST /api/v1/referrals/{id}/submit')).toHaveLength(2));
    await waitFor(() => expect(screen.queryByTestId('notice-missing')).not.toBeInTheDocument());
  }, 30_000);
});

describe("the person's notices and consents, and the data subject's rights", () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists the notices and consents with their state, records one and withdraws one', async () => {
    let items = [
      consent(),
      consent({ id: 'c2', kind: 'consent', purpose: 'partnership_sharing', purpose_label: 'Condivisione con il partenariato', notice_id: null, notice_version: null, allowed_actions: ['withdraw'] }),
      consent({ id: 'c3', kind: 'consent', purpose: 'opportunity_contact', purpose_label: 'Contatto per opportunità', notice_id: null, notice_version: null, status: 'expired', expires_on: '2026-02-01' }),
    ];
    const { calls } = signedInAs('referrer', {
      'GET /api/v1/persons/{id}': () => person(),
      ...({
        ...NOTICES,
        'GET /api/v1/persons/{id}/consents': () => ({ items, next: null }),
        'POST /api/v1/persons/{id}/consents': async ({ body }) => {
          const b = (await body()) as { purpose: Consent['purpose'] };
          items = [...items, consent({ id: 'c4', kind: 'consent', purpose: b.purpose, purpose_label: 'Contatto per opportunità', notice_id: null })];
          return items[items.length - 1];
        },
        'POST /api/v1/persons/{id}/consents/{consent_id}/withdraw': ({ params }) => {
          items = items.map((c) => (c.id === params.consent_id ? { ...c, status: 'withdrawn', withdrawn_at: T0 } : c));
          return items.find((c) => c.id === params.consent_id);
        },
      }),
    });
    renderApp('/persons/p1/edit');
    const section = await screen.findByTestId('consents');
    expect(within(section).getByRole('heading', { name: 'Informativa e consensi' })).toBeInTheDocument();
    await waitFor(() => expect(within(section).getAllByTestId('consent')).toHaveLength(3));
    expect(within(section).getAllByText('In vigore')).toHaveLength(2);
    expect(within(section).getByText('Scaduto')).toBeInTheDocument();
    // Only a consent in force is withdrawn; a notice given never is.
    expect(within(section).getAllByRole('button', { name: /^Revoca/ })).toHaveLength(1);
    await userEvent.click(within(section).getByRole('button', { name: /^Revoca/ }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/^Motivazione/), 'Chiesto dalla persona.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Revoca' }));
    await waitFor(() => expect(within(section).getByText('Revocato')).toBeInTheDocument());
    const withdrawal = calls.find((c) => c.url.pathname.endsWith('/consents/c2/withdraw'));
    expect(await withdrawal!.req.json()).toEqual({ reason: 'Chiesto dalla persona.' });

    await userEvent.click(within(section).getByRole('button', { name: 'Registra informativa o consenso' }));
    const add = await screen.findByRole('dialog');
    await userEvent.selectOptions(within(add).getByLabelText(/^Che cosa/), 'opportunity_contact');
    await userEvent.selectOptions(within(add).getByLabelText(/^Come è stata resa/), 'online');
    await userEvent.click(within(add).getByRole('button', { name: 'Registra' }));
    await waitFor(() => expect(within(section).getAllByTestId('consent')).toHaveLength(4));
    const recorded = calls.find((c) => c.method === 'POST' && c.url.pathname === '/api/v1/persons/p1/consents');
    expect(await recorded!.req.json()).toEqual({ kind: 'consent', purpose: 'opportunity_contact', method: 'online' });
  }, 30_000);

  it('says when the notice for the services is missing; the coordinator exports the data held about the person', async () => {
    const { calls } = signedInAs('coordinator', {
      'GET /api/v1/persons/{id}': () => person({ processing_restricted: true }),
      ...NOTICES,
      'GET /api/v1/persons/{id}/consents': () => EMPTY_PAGE,
      'GET /api/v1/persons/{id}/data-export': () => new Response('{"person":{}}', { status: 200, headers: { 'Content-Type': 'application/json' } }),
    });
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    renderApp('/persons/p1/edit');
    expect(await screen.findByTestId('no-services-notice')).toBeInTheDocument();
    const rights = await screen.findByTestId('person-rights');
    expect(within(rights).getByTestId('restricted')).toHaveTextContent('Il trattamento di questa persona è limitato.');
    expect(within(rights).getByRole('button', { name: 'Esporta i dati (PDF)' })).toBeInTheDocument();
    // Only what the API has: no restriction, no anonymisation request.
    expect(within(rights).getAllByRole('button')).toHaveLength(2);
    await userEvent.click(within(rights).getByRole('button', { name: 'Esporta i dati (JSON)' }));
    await waitFor(() => expect(URL.createObjectURL).toHaveBeenCalled());
    const exported = calls.find((c) => c.url.pathname === '/api/v1/persons/p1/data-export')!;
    expect(exported.url.searchParams.get('format')).toBe('json');
    expect(exported.req.headers.get('Accept')).toMatch(/^application\/json/);
  }, 30_000);

  it('shows a refused export as an error, not as a download', async () => {
    signedInAs('coordinator', {
      'GET /api/v1/persons/{id}': () => person(),
      ...NOTICES,
      'GET /api/v1/persons/{id}/consents': () => EMPTY_PAGE,
      'GET /api/v1/persons/{id}/data-export': () => problem(403, { code: 'forbidden' }),
    });
    renderApp('/persons/p1/edit');
    const rights = await screen.findByTestId('person-rights');
    expect(within(rights).queryByTestId('restricted')).not.toBeInTheDocument();
    URL.createObjectURL = vi.fn(() => 'blob:x');
    await userEvent.click(within(rights).getByRole('button', { name: 'Esporta i dati (PDF)' }));
    expect(await within(rights).findByRole('alert')).toHaveTextContent('Non hai i permessi per questa operazione.');
    expect(URL.createObjectURL).not.toHaveBeenCalled();
  }, 30_000);

  it('a referrer is offered no data export', async () => {
    signedInAs('referrer', {
      'GET /api/v1/persons/{id}': () => person(),
      ...({ ...NOTICES, 'GET /api/v1/persons/{id}/consents': () => EMPTY_PAGE }),
    });
    renderApp('/persons/p1/edit');
    await screen.findByTestId('consents');
    expect(screen.queryByTestId('person-rights')).not.toBeInTheDocument();
  }, 30_000);
});

describe("the DPO's area", () => {
  afterEach(() => vi.unstubAllGlobals());

  const audit = (id: string, action = 'read') => ({ id, seq: Number(id.slice(1)), at: T0, actor_id: 'u-ref', actor_role: 'referrer', action, entity_type: 'person', entity_id: 'p1', client_address: '10.0.0.1', request_id: `req-${id}` });

  it('searches the audit log with filters, page after page, and exports it with the same filters', async () => {
    const { calls } = signedInAs('privacy_officer', {
      'GET /api/v1/audit': ({ query }) => (query.get('after') === 'next1'
        ? { items: [audit('e3', 'change')], next: null }
        : { items: [audit('e1'), audit('e2', 'sign_in_failed')], next: 'next1' }),
      'GET /api/v1/audit/export': () => new Response('id,at\n', { status: 200, headers: { 'Content-Type': 'text/csv' } }),
      'GET /api/v1/anonymisation-requests': () => EMPTY_PAGE,
      'GET /api/v1/retention/preview': () => ({ today: '2026-12-08', retention_years: 10, items: [] }),
    });
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    renderApp('/privacy');
    expect(await screen.findByRole('heading', { name: 'Protezione dei dati', level: 1 })).toBeInTheDocument();
    const section = screen.getByTestId('privacy-audit');
    await waitFor(() => expect(within(section).getAllByTestId('audit-row')).toHaveLength(2));
    await userEvent.click(within(section).getByRole('button', { name: 'Carica altri' }));
    await waitFor(() => expect(within(section).getAllByTestId('audit-row')).toHaveLength(3));
    await userEvent.type(within(section).getByLabelText(/^Identificativo della persona/), 'p1');
    await userEvent.type(within(section).getByLabelText(/^Identificativo del dato/), ' ');
    await userEvent.type(within(section).getByLabelText(/^Dal/), '01/03/2026');
    await userEvent.click(within(section).getByRole('button', { name: 'Applica filtri' }));
    await waitFor(() => expect(calls.some((c) => c.url.pathname === '/api/v1/audit' && c.url.searchParams.get('person_id') === 'p1'
      && !c.url.searchParams.has('entity_id')
      && c.url.searchParams.get('from') === '2026-03-01')).toBe(true));
    await userEvent.click(within(section).getByRole('button', { name: 'Esporta CSV' }));
    await waitFor(() => expect(calls.some((c) => c.url.pathname === '/api/v1/audit/export')).toBe(true));
    const exported = calls.find((c) => c.url.pathname === '/api/v1/audit/export')!;
    expect(exported.url.searchParams.get('format')).toBe('csv');
    expect(exported.url.searchParams.get('person_id')).toBe('p1');
    expect(exported.url.searchParams.get('from')).toBe('2026-03-01');
    expect(exported.req.headers.get('Accept')).toMatch(/^text\/csv/);
  }, 30_000);

  it('the coordinator reads their district\'s audit log at /audit', async () => {
    const { calls } = signedInAs('coordinator', {
      'GET /api/v1/audit': () => ({ items: [audit('e1', 'export')], next: null }),
    });
    renderApp('/audit');
    const section = await screen.findByTestId('privacy-audit');
    await waitFor(() => expect(within(section).getAllByTestId('audit-row')).toHaveLength(1));
    expect(within(section).getByTestId('audit-row')).toHaveTextContent('export');
    expect(calls.find((c) => c.url.pathname === '/api/v1/audit')!.url.searchParams.get('limit')).toBe('50');
  }, 30_000);

  it('lets the DPO verify the chain of the audit log and says when it was tampered with', async () => {
    let holds = true;
    signedInAs('privacy_officer', {
      'GET /api/v1/audit': () => EMPTY_PAGE,
      'GET /api/v1/anonymisation-requests': () => EMPTY_PAGE,
      'GET /api/v1/retention/preview': () => ({ today: '2026-12-08', retention_years: 10, items: [] }),
      'GET /api/v1/audit/verification': () => ({
        holds, seals: 3, rows: 120, unsealed: 2, head: 'ab'.repeat(32), checked_at: T0,
        problems: holds ? [] : ['seal 2: the rows up to seq 80 were changed'],
      }),
    });
    renderApp('/privacy');
    const section = await screen.findByTestId('audit-verification', {}, { timeout: 5000 });
    await userEvent.click(within(section).getByRole('button', { name: "Verifica l'integrità" }));
    expect(await within(section).findByTestId('verify-holds')).toHaveTextContent('La catena è integra: 3 sigilli, 120 registrazioni verificate, 2 ancora da sigillare');
    holds = false;
    await userEvent.click(within(section).getByRole('button', { name: "Verifica l'integrità" }));
    expect(await within(section).findByTestId('verify-broken')).toHaveTextContent('seal 2: the rows up to seq 80 were changed');
  }, 30_000);

  it('is only for the DPO', async () => {
    signedInAs('referrer', { 'GET /api/v1/referrals': () => EMPTY_PAGE });
    renderApp('/privacy');
    expect(await screen.findByRole('heading', { level: 1 })).not.toHaveTextContent('Protezione dei dati');
  }, 30_000);
});
