import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { computeTaxCode } from '../../lib/taxCode';
import { EMPTY_PAGE } from '../../test/fixtures';
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
    expect(screen.getByLabelText(/^Data di nascita/)).toHaveValue('1990-03-15');
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
});
