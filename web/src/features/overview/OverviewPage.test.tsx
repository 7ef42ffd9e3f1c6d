import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp, signedInAs } from '../../test/utils';
import { inWorkflowOrder } from './OverviewPage';

const names = (table: HTMLElement) =>
  within(table).getAllByRole('rowheader').map((h) => h.textContent).filter((n) => n !== 'Totale');

describe("the observer's overview lists states as the workflow runs, not by count", () => {
  it('orders rows by the enum, unknown values last', () => {
    const rows = [{ key: 'closed', count: 9 }, { key: 'zzz', count: 1 }, { key: 'assigned', count: 2 }, { key: 'active', count: 5 }];
    expect(inWorkflowOrder(rows, ['assigned', 'in_charge', 'active', 'closed']).map((r) => r.key)).toEqual(['assigned', 'active', 'closed', 'zzz']);
  });

  it('shows referrals and cases in workflow order whatever the counts', async () => {
    signedInAs('observer', {
      'GET /api/v1/reports/summary': () => ({
        overdue_cases: 1,
        budget: { cap_cents: 100, reserved_cents: 10, spent_cents: 10, remaining_cents: 80 },
        referrals_by_status: [{ key: 'accepted', count: 40 }, { key: 'scheduled', count: 12 }, { key: 'submitted', count: 3 }],
        cases_by_status: [{ key: 'closed', count: 30 }, { key: 'active', count: 20 }, { key: 'assigned', count: 5 }],
        closed_cases_by_outcome: [],
      }) as never,
    });
    renderApp('/overview');
    const referrals = await screen.findByRole('table', { name: 'Segnalazioni per stato' });
    expect(names(referrals)).toEqual(['Inviata', "All'ordine del giorno", 'Accolta']);
    const cases = screen.getByRole('table', { name: 'Prese in carico per stato' });
    expect(names(cases)).toEqual(['Assegnato', 'Misure in corso', 'Chiuso']);
  });
});
