import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { CaseDetail, Threshold } from '../../api/types';
import { activation, caseDetail, EMPTY_PAGE, threshold } from '../../test/fixtures';
import { renderApp, signedInAs } from '../../test/utils';
import { euro, remainingAfter } from './MoneyConfirm';

function workspace(c: CaseDetail, thresholds: Threshold[] = [threshold({ remaining_cents: 500000 })]) {
  const sent = vi.fn();
  signedInAs('agency_operator', {
    'GET /api/v1/cases/{id}': () => c,
    'GET /api/v1/thresholds': () => ({ items: thresholds, next: null }),
    'GET /api/v1/cases/{id}/follow-ups': () => EMPTY_PAGE,
    'GET /api/v1/cases/{id}/timeline': () => ({ items: [] }),
    'POST /api/v1/activations/{id}/approve': () => { sent('approve'); return activation({ status: 'approved' }); },
    'POST /api/v1/activations/{id}/cancel': () => { sent('cancel'); return activation({ status: 'cancelled' }); },
    'POST /api/v1/activations/{id}/complete': async ({ body }) => { sent('complete', await body()); return activation({ status: 'completed' }); },
  });
  return sent;
}

const row = () => screen.getByTestId('activation-row');
/** The summary's text, spaces normalised (currency formats use a no-break space). */
const said = (el: HTMLElement) => el.textContent!.replace(/\s+/g, ' ');
const n = (s: string) => s.replace(/\s+/g, ' ');

describe('money moves only after a confirmation that shows the amount and what remains', () => {
  it('computes what remains on the threshold after each action', () => {
    const proposed = activation({ amount_cents: 1000 });
    const running = activation({ amount_cents: 1000, status: 'running' });
    expect(remainingAfter('approve', proposed, 5000)).toBe(4000);
    expect(remainingAfter('complete', running, 5000, 800)).toBe(5200);
    expect(remainingAfter('cancel', proposed, 5000)).toBe(5000);
    expect(remainingAfter('cancel', activation({ amount_cents: 1000, status: 'approved' }), 5000)).toBe(6000);
  });

  it('approving shows the amount and the threshold after, and sends nothing before Conferma', async () => {
    const sent = workspace(caseDetail());
    renderApp('/cases/c1');
    await userEvent.click(await within(await screen.findByTestId('activation-row')).findByRole('button', { name: /^Approva/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Approvare la misura GG?' });
    const summary = within(dialog).getByTestId('money-summary');
    expect(said(summary)).toContain(n(euro(120000)));
    expect(said(summary)).toContain(n(`Disponibile ora sulla soglia${euro(500000)}`));
    expect(said(summary)).toContain(n(`Disponibile sulla soglia dopo la conferma${euro(380000)}`));
    expect(sent).not.toHaveBeenCalled();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Torna indietro' }));
    expect(sent).not.toHaveBeenCalled();
    await userEvent.click(within(row()).getByRole('button', { name: /^Approva/ }));
    await userEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Conferma' }));
    await waitFor(() => expect(sent).toHaveBeenCalledWith('approve'));
  });

  it('cancelling asks too, and says when the threshold is not visible', async () => {
    const sent = workspace(caseDetail(), []);
    renderApp('/cases/c1');
    await userEvent.click(await within(await screen.findByTestId('activation-row')).findByRole('button', { name: /^Annulla/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Annullare la misura GG?' });
    expect(within(dialog).getByText(/La soglia dell'ente per questa misura non è visibile/)).toBeInTheDocument();
    expect(sent).not.toHaveBeenCalled();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Conferma' }));
    await waitFor(() => expect(sent).toHaveBeenCalledWith('cancel'));
  });

  it('completing shows the spent amount and what goes back, then sends it on Conferma', async () => {
    const sent = workspace(caseDetail({
      activations: [activation({ status: 'running', amount_cents: 100000, allowed_actions: ['complete'], blocked_actions: [] })],
    }));
    renderApp('/cases/c1');
    await userEvent.click(await within(await screen.findByTestId('activation-row')).findByRole('button', { name: /^Completa/ }));
    const form = await screen.findByRole('dialog');
    const spent = within(form).getByLabelText(/Importo speso/);
    await userEvent.clear(spent);
    await userEvent.type(spent, '800');
    await userEvent.click(within(form).getByRole('button', { name: 'Completa' }));
    const dialog = await screen.findByRole('dialog', { name: 'Completare la misura GG?' });
    const summary = within(dialog).getByTestId('money-summary');
    expect(said(summary)).toContain(n(`Importo speso${euro(80000)}`));
    expect(said(summary)).toContain(n(`Torna disponibile sulla soglia${euro(20000)}`));
    expect(said(summary)).toContain(n(`Disponibile sulla soglia dopo la conferma${euro(520000)}`));
    expect(sent).not.toHaveBeenCalled();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Conferma' }));
    await waitFor(() => expect(sent).toHaveBeenCalledWith('complete', { spent_cents: 80000, reason: null }));
  });
});
