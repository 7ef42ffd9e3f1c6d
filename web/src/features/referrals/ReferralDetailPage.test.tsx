import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Referral } from '../../api/types';
import { blocked, etagOf, referral, T0, T1, T2 } from '../../test/fixtures';
import { problem, renderApp, signedInAs } from '../../test/utils';

const actions = () => screen.getByRole('group', { name: 'Azioni' });

describe('a referral', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sent back for information may be edited, sent again or withdrawn — as the API says', async () => {
    let current = referral({ status: 'info_requested', status_note: 'Manca la relazione.', allowed_actions: ['edit', 'submit', 'withdraw'] });
    const { callsTo } = signedInAs('referrer', {
      'GET /api/v1/referrals/{id}': () => current,
      'POST /api/v1/referrals/{id}/withdraw': async ({ body }) => {
        expect(await body()).toEqual({ reason: 'Trasferita in altro Ambito.' });
        current = referral({
          status: 'withdrawn', updated_at: T1, allowed_actions: [],
          blocked_actions: (['edit', 'submit', 'withdraw'] as const).map((a) => blocked(a, 'La segnalazione è ritirata')),
        });
        return current;
      },
    });
    renderApp('/referrals/r1');
    await screen.findByText('Manca la relazione.');
    for (const name of ['Invia al Tavolo', 'Modifica', 'Ritira']) {
      expect(within(actions()).getByRole('button', { name })).not.toHaveAttribute('aria-disabled');
    }
    await userEvent.click(within(actions()).getByRole('button', { name: 'Ritira' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/^Motivazione/), 'Trasferita in altro Ambito.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Ritira' }));
    await waitFor(() => expect(screen.getByText('Ritirata', { selector: '.badge-status' })).toBeInTheDocument());
    expect(callsTo('POST /api/v1/referrals/{id}/withdraw')).toHaveLength(1);
    // Withdrawn: every action disabled, the reason said once for all.
    const submit = within(actions()).getByRole('button', { name: 'Invia al Tavolo' });
    expect(submit).toHaveAttribute('aria-disabled', 'true');
    expect(submit).toHaveAccessibleDescription('Invia al Tavolo, Modifica, Ritira: La segnalazione è ritirata');
    expect(screen.getAllByText('La segnalazione è ritirata')).toHaveLength(1);
  }, 30_000);

  it('shows the coordinator no action: the API gives none', async () => {
    signedInAs('coordinator', { 'GET /api/v1/referrals/{id}': () => referral({ allowed_actions: [], blocked_actions: [] }) });
    renderApp('/referrals/r1');
    await screen.findByRole('heading', { name: 'Rossi Mario', level: 1 });
    expect(screen.queryByRole('group', { name: 'Azioni' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Ritira' })).not.toBeInTheDocument();
  });

  it('is edited at the version read; a 412 keeps what was typed and saves on top of the current version', async () => {
    let current: Referral = referral({ status: 'draft', submitted_at: null, allowed_actions: ['edit', 'submit', 'withdraw'] });
    const { callsTo } = signedInAs('referrer', {
      'GET /api/v1/referrals/{id}': () => current,
      'PATCH /api/v1/referrals/{id}': async ({ req, body }) => {
        if (req.headers.get('If-Match') !== etagOf(current.updated_at)) return problem(412, { code: 'precondition_failed' });
        current = { ...current, ...(await body()) as Partial<Referral>, updated_at: T2 };
        return current;
      },
    });
    renderApp('/referrals/r1');
    await userEvent.click(await screen.findByRole('button', { name: 'Modifica' }));
    const reason = screen.getByLabelText(/^Motivazione/);
    await userEvent.clear(reason);
    await userEvent.type(reason, 'Cerca lavoro come magazziniere.');
    // Someone else (a colleague of the same organization) raises the urgency meanwhile.
    current = { ...current, urgency: 'high', updated_at: T1 };
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    const notice = await screen.findByTestId('stale-notice');
    expect(screen.getByLabelText(/^Motivazione/)).toHaveValue('Cerca lavoro come magazziniere.');
    await userEvent.click(within(notice).getByRole('button', { name: 'Carica la versione aggiornata' }));
    await screen.findByTestId('rebased-notice');
    expect(screen.getByLabelText('Alta')).toBeChecked();
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    await screen.findByText('Cerca lavoro come magazziniere.');
    const patches = callsTo('PATCH /api/v1/referrals/{id}');
    expect(patches.map((p) => p.req.headers.get('If-Match'))).toEqual([etagOf(T0), etagOf(T1)]);
    expect(await patches[1].req.json()).toEqual({ reason: 'Cerca lavoro come magazziniere.' });
  }, 30_000);

  it('explains each state and its next step in plain words, never as a rejection when just sent', async () => {
    signedInAs('referrer', { 'GET /api/v1/referrals/{id}': () => referral({ status: 'submitted' }) });
    renderApp('/referrals/r1');
    expect(await screen.findByText(/Inviata al Tavolo: l'Ufficio di Piano la metterà all'ordine del giorno/)).toBeInTheDocument();
    expect(screen.queryByText(/non ha accolto/)).not.toBeInTheDocument();
  });
});
