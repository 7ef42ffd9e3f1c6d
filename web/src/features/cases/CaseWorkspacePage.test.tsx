import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CaseDetail } from '../../api/types';
import { activation, blocked, caseDetail, EMPTY_PAGE, threshold } from '../../test/fixtures';
import { renderApp, signedInAs } from '../../test/utils';

function workspace(c: CaseDetail) {
  return signedInAs('agency_operator', {
    'GET /api/v1/cases/{id}': () => c,
    'GET /api/v1/thresholds': () => ({ items: [threshold({ remaining_cents: 0 })], next: null }),
    'GET /api/v1/cases/{id}/follow-ups': () => EMPTY_PAGE,
    'GET /api/v1/cases/{id}/timeline': () => ({ items: [] }),
  });
}

const actions = () => screen.getByRole('group', { name: 'Azioni' });

describe('the case workspace offers what the API allows', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows allowed actions enabled, blocked ones disabled with the reason, the others not at all', async () => {
    workspace(caseDetail({
      allowed_actions: ['suspend', 'add_follow_up', 'add_activation'],
      blocked_actions: [
        blocked('take_charge', 'Il caso è preso in carico'), blocked('close', 'una misura è ancora proposta, approvata o in corso', 'measures_open'),
      ],
      activations: [activation({
        allowed_actions: ['edit', 'cancel'],
        blocked_actions: [blocked('approve', 'soglia esaurita: restano 0,00 €', 'threshold_exhausted'), blocked('start', 'La misura è proposta')],
      })],
    }));
    renderApp('/cases/c1');
    await screen.findByRole('heading', { name: 'Rossi Mario', level: 1 });
    const bar = actions();
    expect(within(bar).getByRole('button', { name: 'Sospendi' })).not.toHaveAttribute('aria-disabled');
    expect(within(bar).getByRole('button', { name: 'Proponi una misura' })).not.toHaveAttribute('aria-disabled');
    const close = within(bar).getByRole('button', { name: 'Chiudi il caso' });
    expect(close).toHaveAttribute('aria-disabled', 'true');
    expect(close).toHaveAccessibleDescription('Chiudi il caso: una misura è ancora proposta, approvata o in corso');
    expect(within(bar).getByRole('button', { name: 'Prendi in carico' })).toHaveAttribute('aria-disabled', 'true');
    // Neither allowed nor blocked for this user: not shown.
    expect(within(bar).queryByRole('button', { name: 'Riprendi' })).not.toBeInTheDocument();
    // The reasons are on the screen too, not only for screen readers.
    expect(screen.getByText('una misura è ancora proposta, approvata o in corso')).toBeVisible();

    const row = screen.getByTestId('activation-row');
    const approve = within(row).getByRole('button', { name: /^Approva/ });
    expect(approve).toHaveAttribute('aria-disabled', 'true');
    expect(approve).toHaveAccessibleDescription('Approva: soglia esaurita: restano 0,00 €');
    expect(within(row).getByText('soglia esaurita: restano 0,00 €')).toBeInTheDocument();
    expect(within(row).getByRole('button', { name: /^Annulla/ })).not.toHaveAttribute('aria-disabled');
    expect(within(row).queryByRole('button', { name: /^Completa/ })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Aggiungi al diario' })).toBeInTheDocument();
  });

  it('follows the API, not the status: what it allows is offered whatever the state says', async () => {
    workspace(caseDetail({
      status: 'closed', allowed_actions: ['resume'], blocked_actions: [blocked('add_follow_up', 'Il caso è chiuso')],
      activations: [activation({ status: 'completed', allowed_actions: ['start'], blocked_actions: [] })],
      outcome_checks: [
        { id: 'oc3', case_id: 'c1', months: 3, due_date: '2026-06-01', status: 'due', allowed_actions: ['record'], blocked_actions: [] },
        { id: 'oc6', case_id: 'c1', months: 6, due_date: '2026-09-01', status: 'due', allowed_actions: [], blocked_actions: [] },
      ],
    }));
    renderApp('/cases/c1');
    await screen.findByRole('heading', { name: 'Rossi Mario', level: 1 });
    expect(within(actions()).getByRole('button', { name: 'Riprendi' })).not.toHaveAttribute('aria-disabled');
    expect(within(screen.getByTestId('activation-row')).getByRole('button', { name: /^Avvia/ })).toBeInTheDocument();
    // No diary form: the API blocks it, and says why.
    expect(screen.queryByRole('button', { name: 'Aggiungi al diario' })).not.toBeInTheDocument();
    expect(screen.getByText('Il caso è chiuso')).toBeInTheDocument();
    // The 3-month check may be recorded; the 6-month one is only shown as due.
    expect(screen.getByRole('button', { name: /Registra verifica — Verifica a 3 mesi/ })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Verifica a 6 mesi/ })).not.toBeInTheDocument();
    expect(screen.getAllByText('Da fare')).toHaveLength(1);
  });
});
