import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { activation, caseDetail, EMPTY_PAGE, threshold } from '../../test/fixtures';
import { renderApp, signedInAs } from '../../test/utils';

describe('the coordinator supervises a case: the page offers only what the API allows it', () => {
  it('shows no agency action, no diary form, and only the approval the API lists', async () => {
    signedInAs('coordinator', {
      'GET /api/v1/cases/{id}': () => caseDetail({
        allowed_actions: ['upload_document'], blocked_actions: [],
        activations: [activation({ allowed_actions: ['approve'], blocked_actions: [] })],
      }),
      'GET /api/v1/thresholds': () => ({ items: [threshold()], next: null }),
      'GET /api/v1/cases/{id}/follow-ups': () => EMPTY_PAGE,
      'GET /api/v1/cases/{id}/timeline': () => ({ items: [] }),
      'GET /api/v1/cases/{id}/documents': () => EMPTY_PAGE,
    });
    renderApp('/cases/c1');
    await screen.findByRole('heading', { name: 'Rossi Mario', level: 1 });
    for (const name of ['Prendi in carico', 'Proponi una misura', 'Sospendi', 'Riprendi', 'Chiudi il caso']) {
      expect(screen.queryByRole('button', { name })).not.toBeInTheDocument();
    }
    expect(screen.queryByRole('button', { name: 'Aggiungi al diario' })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Nuova annotazione' })).not.toBeInTheDocument();
    const row = screen.getByTestId('activation-row');
    expect(within(row).getByRole('button', { name: /^Approva/ })).toBeInTheDocument();
    expect(within(row).queryByRole('button', { name: /^Modifica|^Annulla|^Avvia/ })).not.toBeInTheDocument();
  });
});
