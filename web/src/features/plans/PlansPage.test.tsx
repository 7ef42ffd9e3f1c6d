import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { figures, plan } from '../../test/fixtures';
import { renderApp, signedInAs } from '../../test/utils';

describe('the plans', () => {
  it('are listed with period, budget, completeness and state; the coordinator starts a new one and lands on it', async () => {
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/plans': () => ({ items: [plan({ budget_total_cents: 500000 })], next: null }),
      'POST /api/v1/plans': () => plan({ id: 'pl2', title: 'Piano di Zona – sezione lavoro' }),
      'GET /api/v1/plans/{id}': () => plan({ id: 'pl2', title: 'Piano di Zona – sezione lavoro' }),
      'GET /api/v1/plans/{id}/actions': () => ({ items: [], next: null }),
      'GET /api/v1/plans/{id}/monitoring': () => ({ plan_id: 'pl2', as_of: '2026-12-02', late_actions: 0, totals: figures(), actions: [] }),
    });
    const { router } = renderApp('/plans');
    const row = (await screen.findByRole('rowheader', { name: 'Piano Locale Integrato 2027–2029' })).closest('tr')!;
    expect(row).toHaveTextContent('01/01/2027 – 31/12/2029');
    expect(row).toHaveTextContent(/5\.000,00\s€/);
    expect(within(row).getByText('Da completare')).toBeInTheDocument();
    expect(row).toHaveTextContent('1 azione aperta, 0 completa');
    expect(within(row).getByText('Bozza')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Nuovo piano' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/^Titolo/), 'Piano di Zona – sezione lavoro');
    await userEvent.type(within(dialog).getByLabelText(/Inizio del periodo/), '01/01/2027');
    await userEvent.type(within(dialog).getByLabelText(/Fine del periodo/), '31/12/2029');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Crea il piano' }));
    await waitFor(() => expect(callsTo('POST /api/v1/plans')).toHaveLength(1));
    expect(await callsTo('POST /api/v1/plans')[0].req.json()).toEqual({
      title: 'Piano di Zona – sezione lavoro', period_start: '2027-01-01', period_end: '2029-12-31',
    });
    await waitFor(() => expect(router.state.location.pathname).toBe('/plans/pl2'));
    expect(await screen.findByRole('heading', { name: 'Piano di Zona – sezione lavoro', level: 1 })).toBeInTheDocument();
    expect(screen.getByTestId('flash')).toHaveTextContent('Piano creato con i quattro assi');
  });

  it('are read by the referrer, who is not offered a new one and finds both entries in the menu', async () => {
    signedInAs('referrer', { 'GET /api/v1/plans': () => ({ items: [plan()], next: null }) });
    renderApp('/plans');
    expect(await screen.findByRole('rowheader', { name: 'Piano Locale Integrato 2027–2029' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Nuovo piano' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Piano' })).toHaveAttribute('href', '/plans');
    expect(screen.getByRole('link', { name: 'Progetti' })).toHaveAttribute('href', '/projects');
  });
});
