import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { caseDetail, EMPTY_PAGE, threshold } from '../../test/fixtures';
import { renderApp, signedInAs } from '../../test/utils';

describe('the diary takes its dates as gg/mm/aaaa', () => {
  it('refuses a date that does not exist before sending, and sends ISO otherwise', async () => {
    const sent = vi.fn();
    signedInAs('agency_operator', {
      'GET /api/v1/cases/{id}': () => caseDetail(),
      'GET /api/v1/thresholds': () => ({ items: [threshold()], next: null }),
      'GET /api/v1/cases/{id}/follow-ups': () => EMPTY_PAGE,
      'GET /api/v1/cases/{id}/timeline': () => ({ items: [] }),
      'POST /api/v1/cases/{id}/follow-ups': async ({ body }) => {
        const b = await body();
        sent(b);
        return { id: 'f1', case_id: 'c1', kind: b.kind, date: b.date, note: b.note, next_due_date: null, created_by: 'u-op', created_at: '2026-03-05T10:00:00Z' };
      },
    });
    renderApp('/cases/c1');
    const date = await screen.findByLabelText(/^Data/, { selector: '#fu-date' });
    await userEvent.clear(date);
    await userEvent.type(date, '31/02/2026');
    await userEvent.type(screen.getByLabelText(/^Nota/, { selector: '#fu-note' }), 'Telefonata di verifica');
    await userEvent.click(screen.getByRole('button', { name: 'Aggiungi al diario' }));
    const form = screen.getByRole('form', { name: 'Nuova annotazione' });
    expect(await within(form).findAllByText(/Data non valida/)).not.toHaveLength(0);
    expect(sent).not.toHaveBeenCalled();
    await userEvent.clear(date);
    await userEvent.type(date, '05/03/2026');
    await userEvent.click(screen.getByRole('button', { name: 'Aggiungi al diario' }));
    await waitFor(() => expect(sent).toHaveBeenCalledWith(expect.objectContaining({ date: '2026-03-05', note: 'Telefonata di verifica' })));
  });
});
