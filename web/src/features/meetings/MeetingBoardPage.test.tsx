import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AgendaItem, Meeting } from '../../api/types';
import { agendaItem, blocked, EMPTY_PAGE, measure, measureFit, meeting, openMeeting, organization, referral } from '../../test/fixtures';
import { renderApp, signedInAs } from '../../test/utils';

const DUL = measure();
const GG = measure({ id: 'ms-gg', code: 'GG', name: 'Garanzia Giovani', kind: 'gg', default_amount_cents: 120000 });

/** A referral item of a person `n`, eligible for DUL and not for GG (too old). */
function item(n: number, extra: Partial<AgendaItem> = {}): AgendaItem {
  return agendaItem({
    id: `i${n}`,
    referral: referral({
      id: `r${n}`, status: 'scheduled', meeting_id: 'm1',
      person: { id: `p${n}`, tax_code: `TAX${n}`, first_name: `Nome${n}`, last_name: `Cognome${n}`, birth_date: '1980-01-01' },
    }),
    eligibility: [
      measureFit({ measure_id: DUL.id, measure_code: 'DUL' }),
      measureFit({
        measure_id: GG.id, measure_code: 'GG', eligible: false,
        reasons: [{ rule: 'age', met: false, message: "l'età 46 supera il massimo di 29" }],
      }),
    ],
    ...extra,
  });
}

function board(m: Meeting, items: AgendaItem[]) {
  return signedInAs('coordinator', {
    'GET /api/v1/meetings/{id}/agenda': () => ({ meeting: m, items }),
    'GET /api/v1/measures': () => ({ items: [DUL, GG], next: null }),
    'GET /api/v1/thresholds': () => EMPTY_PAGE,
    'GET /api/v1/organizations': () => ({
      items: [organization({ id: 'org-ag1', name: 'Agenzia Lavoro Uno', kind: 'accredited_agency' })], next: null,
    }),
    'GET /api/v1/referrals': () => EMPTY_PAGE,
    'GET /api/v1/cases': () => EMPTY_PAGE,
  });
}

describe('the meeting board', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows each person's eligibility from the agenda, in as many requests for ten items as for one", async () => {
    const counts: number[] = [];
    for (const n of [1, 10]) {
      const { calls, callsTo } = board(openMeeting(), Array.from({ length: n }, (_, i) => item(i + 1)));
      const { unmount } = renderApp('/meetings/m1');
      await waitFor(() => expect(screen.getAllByTestId('agenda-item')).toHaveLength(n));
      await screen.findAllByText('Nessuna segnalazione in attesa.');
      const first = screen.getAllByTestId('agenda-item')[0];
      expect(within(first).getByText(/Requisiti per le misure/)).toBeInTheDocument();
      expect(within(first).getByText(/DUL – Dote Unica Lavoro/)).toBeInTheDocument();
      expect(within(first).getByText(/l'età 46 supera il massimo di 29/)).toBeInTheDocument();
      // No request per person and measure: the agenda brings the eligibility.
      expect(calls.filter((c) => c.url.pathname.endsWith('/eligibility'))).toHaveLength(0);
      expect(callsTo('GET /api/v1/meetings/{id}/agenda')).toHaveLength(1);
      counts.push(calls.length);
      unmount();
      vi.unstubAllGlobals();
    }
    expect(counts[1]).toBe(counts[0]);
  }, 30_000);

  it('offers the meeting and item actions the API allows; blocked ones are disabled with the reason', async () => {
    board(meeting({
      allowed_actions: ['edit'],
      blocked_actions: [
        blocked('open', "un'altra seduta della stessa rete è aperta", 'another_meeting_open'), blocked('close', 'La seduta è programmata'),
        blocked('add_decision', 'La seduta è programmata'), blocked('add_agenda_item', 'La seduta è programmata'),
      ],
    }), [item(1, { allowed_actions: [] })]);
    renderApp('/meetings/m1');
    const open = await screen.findByRole('button', { name: 'Apri la seduta' });
    expect(open).toHaveAttribute('aria-disabled', 'true');
    expect(open).toHaveAccessibleDescription("Apri la seduta: un'altra seduta della stessa rete è aperta");
    expect(screen.getByRole('button', { name: 'Modifica dettagli' })).not.toHaveAttribute('aria-disabled');
    const card = screen.getByTestId('agenda-item');
    const decide = within(card).getByRole('button', { name: /^Decidi/ });
    expect(decide).toHaveAttribute('aria-disabled', 'true');
    expect(within(card).getByText('La seduta è programmata')).toBeInTheDocument();
    // The item may not be removed (not in its allowed_actions), nor anything added to the agenda.
    expect(within(card).queryByRole('button', { name: /Togli dall'ordine del giorno/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: /Segnalazioni in attesa/ })).not.toBeInTheDocument();
  });

  it('decides with the measures the agenda lists, each with the eligibility it brings', async () => {
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/meetings/{id}/agenda': () => ({ meeting: openMeeting(), items: [item(1)] }),
      'GET /api/v1/measures': () => ({ items: [DUL, GG], next: null }),
      'GET /api/v1/thresholds': () => EMPTY_PAGE,
      'GET /api/v1/organizations': () => ({
        items: [organization({ id: 'org-ag1', name: 'Agenzia Lavoro Uno', kind: 'accredited_agency' })], next: null,
      }),
      'GET /api/v1/referrals': () => EMPTY_PAGE,
      'GET /api/v1/cases': () => EMPTY_PAGE,
      'POST /api/v1/meetings/{id}/decisions': () => ({ meeting: openMeeting(), items: [item(1)] }),
    });
    renderApp('/meetings/m1');
    await userEvent.click(await screen.findByRole('button', { name: /^Decidi/ }));
    const dialog = await screen.findByRole('dialog');
    // Referral items get the referral decisions only.
    expect(within(dialog).queryByLabelText('Confermare il percorso')).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByLabelText('Accogliere e assegnare a un ente'));
    await userEvent.selectOptions(within(dialog).getByLabelText(/^Ente accreditato/), 'org-ag1');
    expect(within(dialog).getByLabelText(/^GG – Garanzia Giovani/)).toHaveAccessibleName(/requisiti non posseduti: l'età 46 supera il massimo di 29/);
    await userEvent.click(within(dialog).getByLabelText(/^DUL – Dote Unica Lavoro/));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Registra la decisione' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await callsTo('POST /api/v1/meetings/{id}/decisions')[0].req.json()).toEqual({
      referral_id: 'r1', decision: 'accept', agency_id: 'org-ag1', measure_ids: ['ms-dul'], reason: null,
    });
  }, 30_000);
});
