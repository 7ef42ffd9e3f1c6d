import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { TAX_CODE } from '../../test/fixtures';
import { renderApp, signedInAs } from '../../test/utils';

const HIT = {
  person: { id: 'p1', tax_code: TAX_CODE, first_name: 'Mario', last_name: 'Rossi', birth_date: '1985-12-10' },
  referrals: [{ id: 'r1', status: 'accepted' as const, organization: { id: 'org-ss', name: 'Servizio sociale Bergamo' }, submitted_at: '2026-03-01T10:00:00Z' }],
  cases: [{ id: 'c1', status: 'active' as const, agency: { id: 'org-ag1', name: 'Agenzia Lavoro Uno' } }],
};

describe('find a person', () => {
  it('searches by name from the URL-kept query, showing referrals and cases as links, with plural counts', async () => {
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/search': () => ({ items: [HIT], next: null }),
    });
    renderApp('/search');
    const box = await screen.findByLabelText(/^Cognome e nome, o codice fiscale/);
    await userEvent.type(box, 'r');
    await userEvent.click(screen.getByRole('button', { name: 'Cerca' }));
    expect(await screen.findByText('Scrivi almeno 2 caratteri.')).toBeInTheDocument();
    expect(callsTo('GET /api/v1/search')).toHaveLength(0);
    await userEvent.type(box, 'ossi');
    await userEvent.click(screen.getByRole('button', { name: 'Cerca' }));
    expect(await screen.findByText('1 persona trovata')).toBeInTheDocument();
    expect(new URL(callsTo('GET /api/v1/search')[0].req.url).searchParams.get('q')).toBe('rossi');
    const card = screen.getByRole('heading', { name: 'Rossi Mario' }).closest('li')!;
    expect(within(card).getByRole('link', { name: 'Servizio sociale Bergamo' })).toHaveAttribute('href', '/referrals/r1');
    expect(within(card).getByRole('link', { name: 'Agenzia Lavoro Uno' })).toHaveAttribute('href', '/cases/c1');
  }, 30_000);

  it('says so when nobody is found', async () => {
    signedInAs('agency_operator', { 'GET /api/v1/search': () => ({ items: [], next: null }) });
    renderApp('/search?q=nessuno');
    expect(await screen.findByText('Nessuna persona trovata per «nessuno».')).toBeInTheDocument();
  }, 30_000);

  it('counts in the plural', async () => {
    signedInAs('referrer', {
      'GET /api/v1/search': ({ query }) => ({
        items: query.get('q') === 'rossi' ? [HIT, { ...HIT, person: { ...HIT.person, id: 'p2', first_name: 'Maria' } }] : [],
        next: null,
      }),
    });
    renderApp('/search?q=rossi');
    await waitFor(() => expect(screen.getByText('2 persone trovate')).toBeInTheDocument());
  }, 30_000);
});
