import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { caseDetail, EMPTY_PAGE, referral, T0, T1, T2, threshold } from '../../test/fixtures';
import { renderApp, signedInAs } from '../../test/utils';
const plain = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');

describe('edits in histories', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("the referral's history names the changed fields in Italian", async () => {
    signedInAs('referrer', {
      'GET /api/v1/referrals/{id}': () => referral({
        status: 'draft', submitted_at: null,
        history: [
          { action: 'create', from: null, to: 'draft', reason: null, actor_id: 'u-ref', at: T0 },
          { action: 'update', from: 'draft', to: 'draft', reason: 'needs, reason, urgency', actor_id: 'u-ref', at: T1 },
        ],
      }),
    });
    renderApp('/referrals/r1');
    const history = (await screen.findByRole('heading', { name: 'Storico' })).closest('section')!;
    const items = within(history).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Creazione — Bozza');
    expect(items[1]).toHaveTextContent('Modifica');
    expect(items[1]).toHaveTextContent('Dati modificati: Bisogni, Motivazione, Urgenza');
    // An edit leaves the state as it was: no "Bozza → Bozza".
    expect(items[1]).not.toHaveTextContent('Bozza');
  });

  it("the case's timeline shows an amount change in euro", async () => {
    signedInAs('agency_operator', {
      'GET /api/v1/cases/{id}': () => caseDetail(),
      'GET /api/v1/thresholds': () => ({ items: [threshold()], next: null }),
      'GET /api/v1/cases/{id}/follow-ups': () => EMPTY_PAGE,
      'GET /api/v1/cases/{id}/timeline': () => ({ items: [
        { at: T0, kind: 'activation', action: 'propose', from: null, to: 'proposed', note: 'Garanzia Giovani (GG)', actor_id: 'u', ref_id: 'a1' },
        { at: T1, kind: 'activation', action: 'update', from: 'proposed', to: 'proposed', note: 'amount_cents 600000 → 200000, note', actor_id: 'u', ref_id: 'a1' },
        { at: T2, kind: 'referral', action: 'update', from: 'draft', to: 'draft', note: 'reason, shoe_size', actor_id: 'u', ref_id: 'r1' },
      ], next: null }),
    });
    renderApp('/cases/c1');
    const timeline = (await screen.findByRole('heading', { name: 'Cronologia' })).closest('section')!;
    const edit = await within(timeline).findByText(/Importo:/);
    expect(plain(edit.textContent)).toBe('Dati modificati: Importo: 6.000,00 € → 2.000,00 €, Nota');
    expect(edit.closest('li')).toHaveTextContent('Misura: Modifica');
    expect(edit.closest('li')).not.toHaveTextContent('proposta → proposta');
    // A field the SPA does not know keeps its API name.
    expect(within(timeline).getByText('Dati modificati: Motivazione, shoe_size')).toBeInTheDocument();
    expect(within(timeline).getByText('Garanzia Giovani (GG)')).toBeInTheDocument();
  });
});
