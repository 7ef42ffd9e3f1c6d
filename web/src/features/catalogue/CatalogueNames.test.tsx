import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { EMPTY_PAGE, measure } from '../../test/fixtures';
import { renderApp, signedInAs } from '../../test/utils';

describe('the catalogue names each measure once', () => {
  it('shows the kind under the name only when it says something more', async () => {
    signedInAs('coordinator', {
      'GET /api/v1/measures': () => ({
        items: [measure(), measure({ id: 'ms-2', code: 'TIR', name: 'Tirocini in azienda', kind: 'other' })], next: null,
      }),
      'GET /api/v1/thresholds': () => EMPTY_PAGE,
    });
    renderApp('/catalogue');
    const dul = (await screen.findByRole('rowheader', { name: 'DUL' })).closest('tr')!;
    expect(within(dul).getAllByText('Dote Unica Lavoro')).toHaveLength(1);
    const other = screen.getByRole('rowheader', { name: 'TIR' }).closest('tr')!;
    expect(within(other).getByText('Tirocini in azienda')).toBeInTheDocument();
    expect(within(other).getByText('Altro')).toBeInTheDocument();
  });
});
