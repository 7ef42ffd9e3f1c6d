import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { computeTaxCode } from '../../lib/taxCode';
import { EMPTY_PAGE, TAX_CODE, organization, person, referral } from '../../test/fixtures';
import { problem, renderApp, signedInAs } from '../../test/utils';

const CF = computeTaxCode({ lastName: 'Verdi', firstName: 'Luigi', birthDate: '1990-03-15', gender: 'M', belfiore: 'A794' });

describe('new referral', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('explains a wrong check character while typing, then offers to create the person, prefilled from the code', async () => {
    signedInAs('referrer', { 'GET /api/v1/persons': () => EMPTY_PAGE });
    renderApp('/referrals/new');
    const field = await screen.findByLabelText(/^Codice fiscale/);
    const wrong = CF.slice(0, 15) + (CF[15] === 'A' ? 'B' : 'A');
    await userEvent.type(field, wrong);
    expect(await screen.findByText(new RegExp(`atteso «${CF[15]}»`))).toBeInTheDocument();
    expect(field).toHaveAttribute('aria-invalid', 'true');
    await userEvent.clear(field);
    await userEvent.type(field, CF.toLowerCase());
    expect(await screen.findByText(/Nessuna persona registrata/)).toBeInTheDocument();
    expect(screen.getByLabelText(/^Data di nascita/)).toHaveValue('15/03/1990');
    expect(screen.getByLabelText('Maschio')).toBeChecked();
    // A name that does not match the code is flagged at the field before any request.
    await userEvent.type(screen.getByLabelText(/^Cognome/), 'Rossi');
    expect(await screen.findByText('Il dato non corrisponde al codice fiscale.')).toBeInTheDocument();
  }, 30_000);

  it('shows the API field errors at their fields', async () => {
    const { callsTo } = signedInAs('referrer', {
      'GET /api/v1/persons': () => EMPTY_PAGE,
      'POST /api/v1/persons': () => problem(422, {
        code: 'validation_failed', detail: '1 field', errors: [{ field: 'email', code: 'invalid_email', message: 'bad email' }],
      }),
    });
    renderApp('/referrals/new');
    await userEvent.type(await screen.findByLabelText(/^Codice fiscale/), CF);
    await screen.findByText(/Nessuna persona registrata/);
    await userEvent.type(screen.getByLabelText(/^Cognome/), 'Verdi');
    await userEvent.type(screen.getByLabelText(/^Nome/), 'Luigi');
    await userEvent.type(screen.getByLabelText(/^Email/), 'x@y');
    await userEvent.click(screen.getByLabelText('Lavoro'));
    await userEvent.type(screen.getByLabelText(/^Motivazione/), 'Cerca lavoro.');
    await userEvent.click(screen.getByRole('button', { name: 'Salva e invia al Tavolo' }));
    await waitFor(() => expect(screen.getByLabelText(/^Email/)).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getAllByText('Indirizzo email non valido.').length).toBeGreaterThan(0);
    expect(callsTo('POST /api/v1/referrals')).toHaveLength(0);
  }, 30_000);

  it('a person with a referral open at the table: says so, and sends another only with a reason', async () => {
    const { callsTo } = signedInAs('referrer', {
      'GET /api/v1/persons': () => ({ items: [person({ tax_code: TAX_CODE })], next: null }),
      'POST /api/v1/referrals': () => referral({ id: 'r2', status: 'draft' }),
      'PATCH /api/v1/referrals/{id}': () => referral({ id: 'r2', status: 'draft' }),
      'POST /api/v1/referrals/{id}/submit': () => (callsTo('POST /api/v1/referrals/{id}/submit').length === 1
        ? problem(409, { code: 'open_referral_exists', detail: 'per questa persona è già aperta una segnalazione al Tavolo: per informazioni rivolgiti a Ufficio di Piano, oppure indica duplicate_reason' })
        : referral({ id: 'r2', status: 'submitted' })),
      'GET /api/v1/referrals/{id}': () => referral({ id: 'r2', status: 'submitted' }),
    });
    renderApp('/referrals/new');
    await userEvent.type(await screen.findByLabelText(/^Codice fiscale/), TAX_CODE);
    await screen.findByText(/Persona trovata|già registrata/);
    await userEvent.click(screen.getByLabelText('Lavoro'));
    await userEvent.type(screen.getByLabelText(/^Motivazione/), 'Disoccupato da 14 mesi.');
    await userEvent.click(screen.getByRole('button', { name: 'Salva e invia al Tavolo' }));
    expect(await screen.findByText("C'è già una segnalazione aperta per questa persona")).toBeInTheDocument();
    expect(screen.getByText(/rivolgiti a Ufficio di Piano/)).toBeInTheDocument();
    // No link to a referral the caller may not see.
    expect(screen.queryByText('Apri la segnalazione aperta per aggiungere informazioni')).not.toBeInTheDocument();
    // Sending again without a reason is stopped at the field.
    await userEvent.click(screen.getByRole('button', { name: 'Invia comunque al Tavolo' }));
    expect(await screen.findAllByText(/perché serve un'altra segnalazione/)).not.toHaveLength(0);
    expect(callsTo('POST /api/v1/referrals/{id}/submit')).toHaveLength(1);
    await userEvent.type(screen.getByLabelText(/^Perché serve un'altra segnalazione/), 'Segue anche la ricerca della casa.');
    await userEvent.click(screen.getByRole('button', { name: 'Invia comunque al Tavolo' }));
    await waitFor(() => expect(callsTo('POST /api/v1/referrals/{id}/submit')).toHaveLength(2));
    const [patch] = callsTo('PATCH /api/v1/referrals/{id}');
    expect(await patch.req.json()).toMatchObject({ duplicate_reason: 'Segue anche la ricerca della casa.' });
    expect(callsTo('POST /api/v1/referrals')).toHaveLength(1);
  }, 30_000);

  it('the coordinator records a referral received by phone on behalf of a service', async () => {
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/persons': () => ({ items: [person({ tax_code: TAX_CODE })], next: null }),
      'GET /api/v1/organizations': () => ({ items: [
        organization({ id: 'org-ss', name: 'Servizio sociale Bergamo', kind: 'social_service' }),
        organization({ id: 'org-udp', name: 'Ufficio di Piano', kind: 'planning_office' }),
      ], next: null }),
      'POST /api/v1/referrals': () => referral({ id: 'r3', status: 'submitted', received_via: 'phone' }),
      'GET /api/v1/referrals/{id}': () => referral({ id: 'r3', status: 'submitted', received_via: 'phone' }),
    });
    renderApp('/referrals/new');
    await userEvent.type(await screen.findByLabelText(/^Codice fiscale/), TAX_CODE);
    await screen.findByText(/Persona trovata|già registrata/);
    expect(screen.queryByRole('button', { name: 'Salva come bozza' })).not.toBeInTheDocument();
    const sender = screen.getByLabelText(/^Servizio che ha inviato/);
    await waitFor(() => expect(sender.querySelectorAll('option')).toHaveLength(2));
    expect(sender).not.toHaveTextContent('Ufficio di Piano');
    await userEvent.selectOptions(sender, 'org-ss');
    await userEvent.selectOptions(screen.getByLabelText(/^Ricevuta tramite/), 'phone');
    await userEvent.click(screen.getByLabelText('Lavoro'));
    await userEvent.type(screen.getByLabelText(/^Motivazione/), 'Telefonata del servizio sociale.');
    await userEvent.click(screen.getByRole('button', { name: 'Registra e invia al Tavolo' }));
    await waitFor(() => expect(callsTo('POST /api/v1/referrals')).toHaveLength(1));
    expect(await callsTo('POST /api/v1/referrals')[0].req.json()).toMatchObject({ organization_id: 'org-ss', received_via: 'phone' });
    expect((await screen.findAllByText('Telefono')).length).toBeGreaterThan(0);
  }, 30_000);

  it('the error summary names each field it lists, and links to it', async () => {
    signedInAs('referrer', { 'GET /api/v1/persons': () => EMPTY_PAGE });
    renderApp('/referrals/new');
    await screen.findByLabelText(/^Codice fiscale/);
    await userEvent.click(screen.getByRole('button', { name: 'Salva e invia al Tavolo' }));
    const summary = await screen.findByRole('alert', { name: /correggi|errori|Controlla/i });
    const links = Array.from(summary.querySelectorAll('a')).map((a) => [a.textContent, a.getAttribute('href')]);
    expect(links).toContainEqual([expect.stringMatching(/^Codice fiscale: /), '#tax_code']);
    expect(links).toContainEqual([expect.stringMatching(/^Bisogni: /), '#needs']);
    expect(links).toContainEqual([expect.stringMatching(/^Motivazione: /), '#reason']);
    // No two entries read the same.
    expect(new Set(links.map(([text]) => text)).size).toBe(links.length);
  }, 30_000);
});

describe('what decides eligibility, in the referral form', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('an existing person: requirements prefilled, the measures they fit shown as they change, saved on the record first', async () => {
    const previews: { target_groups?: string[] }[] = [];
    const { callsTo } = signedInAs('referrer', {
      'GET /api/v1/persons': () => ({ items: [person({ tax_code: TAX_CODE, target_groups: [] })], next: null }),
      'GET /api/v1/persons/{id}': () => person({ tax_code: TAX_CODE, target_groups: [] }),
      'PATCH /api/v1/persons/{id}': () => person({ tax_code: TAX_CODE, target_groups: ['long_term_unemployed'] }),
      'POST /api/v1/eligibility-preview': async ({ body }) => {
        const b = await body();
        previews.push(b);
        const long = b.target_groups?.includes('long_term_unemployed') ?? false;
        return { items: [
          { measure_id: 'm1', code: 'LUNGA', name: 'Progetto lunga durata', eligible: long,
            reasons: [{ rule: 'target_group', met: long, message: long ? 'gruppo presente' : 'richiede uno dei gruppi: Disoccupati di lunga durata' }] },
        ], next: null };
      },
      'POST /api/v1/referrals': () => referral({ id: 'r2', status: 'draft' }),
      'POST /api/v1/referrals/{id}/submit': () => referral({ id: 'r2', status: 'submitted' }),
      'GET /api/v1/referrals/{id}': () => referral({ id: 'r2', status: 'submitted' }),
    });
    renderApp('/referrals/new');
    await userEvent.type(await screen.findByLabelText(/^Codice fiscale/), TAX_CODE);
    const fields = await screen.findByTestId('eligibility-fields');
    expect(fields).toHaveAccessibleName('Requisiti per le misure');
    // Not eligible yet, and why.
    expect(await screen.findByText('richiede uno dei gruppi: Disoccupati di lunga durata')).toBeInTheDocument();
    expect(screen.getByText('Non ammissibile')).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText('Disoccupati di lunga durata'));
    expect(await screen.findByText('Ammissibile')).toBeInTheDocument();
    expect(previews.at(-1)?.target_groups).toEqual(['long_term_unemployed']);

    await userEvent.click(screen.getByLabelText('Lavoro'));
    await userEvent.type(screen.getByLabelText(/^Motivazione/), 'Disoccupato da 14 mesi.');
    await userEvent.click(screen.getByRole('button', { name: 'Salva e invia al Tavolo' }));
    await waitFor(() => expect(callsTo('POST /api/v1/referrals/{id}/submit')).toHaveLength(1));
    const patch = callsTo('PATCH /api/v1/persons/{id}');
    expect(patch).toHaveLength(1);
    expect(await patch[0].req.json()).toEqual({ target_groups: ['long_term_unemployed'] });
    expect(patch[0].req.headers.get('If-Match')).toBeTruthy();
    // The record is corrected before the referral is created.
    const order = [...callsTo('PATCH /api/v1/persons/{id}'), ...callsTo('POST /api/v1/referrals')].map((c) => c.route);
    expect(order[0]).toBe('PATCH /api/v1/persons/{id}');
  }, 30_000);
});
