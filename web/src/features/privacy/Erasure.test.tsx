import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { EMPTY_PAGE, T0, person } from '../../test/fixtures';
import { renderApp, signedInAs } from '../../test/utils';
import type { AnonymisationRequest } from './api';

const NOTICES = { 'GET /api/v1/privacy-notices': () => EMPTY_PAGE, 'GET /api/v1/persons/{id}/consents': () => EMPTY_PAGE };

function request(extra: Partial<AnonymisationRequest> = {}): AnonymisationRequest {
  return {
    id: 'a1', person_id: 'p1', status: 'pending', status_label: 'in attesa di approvazione', legal_ground: 'objection',
    reason: 'La persona si oppone.', requested_by: 'u-coord', requested_at: T0, allowed_actions: ['approve', 'reject'],
    blocked_actions: [], ...extra,
  };
}

describe('restriction and anonymisation on the person page', () => {
  it('the coordinator restricts with a reason, then asks for anonymisation with its legal ground', async () => {
    const { calls, callsTo } = signedInAs('coordinator', {
      'GET /api/v1/persons/{id}': () => person({ allowed_actions: ['edit', 'restrict', 'request_anonymisation'] }),
      ...NOTICES,
      'POST /api/v1/persons/{id}/restriction': () => person({ processing_restricted: true, allowed_actions: ['lift_restriction'] }),
      'POST /api/v1/persons/{id}/anonymisation-requests': () => request({ allowed_actions: [] }),
    });
    renderApp('/persons/p1/edit');
    const rights = await screen.findByTestId('person-rights');
    await userEvent.click(within(rights).getByRole('button', { name: 'Limita il trattamento' }));
    const form = within(rights).getByTestId('rights-form');
    // No reason, nothing leaves.
    await userEvent.click(within(form).getByRole('button', { name: 'Conferma' }));
    expect(await within(form).findByText('Indica il motivo (almeno 3 caratteri).')).toBeInTheDocument();
    expect(callsTo('POST /api/v1/persons/{id}/restriction')).toHaveLength(0);
    await userEvent.type(within(form).getByLabelText(/^Motivo/), "Contesta l'esattezza dei dati.");
    await userEvent.click(within(form).getByRole('button', { name: 'Conferma' }));
    await waitFor(() => expect(callsTo('POST /api/v1/persons/{id}/restriction')).toHaveLength(1));
    const sent = calls.find((c) => c.method === 'POST' && c.url.pathname === '/api/v1/persons/p1/restriction')!;
    expect(await sent.req.json()).toEqual({ reason: "Contesta l'esattezza dei dati." });
    expect(await within(rights).findByRole('status')).toHaveTextContent('Trattamento limitato');

    await userEvent.click(within(rights).getByRole('button', { name: "Chiedi l'anonimizzazione" }));
    const ask = within(rights).getByTestId('rights-form');
    await userEvent.type(within(ask).getByLabelText(/^Motivo/), 'Percorso concluso.');
    await userEvent.click(within(ask).getByRole('button', { name: 'Conferma' }));
    expect(await within(ask).findByText('Scegli la base giuridica.')).toBeInTheDocument();
    await userEvent.selectOptions(within(ask).getByLabelText(/^Base giuridica/), 'no_longer_necessary');
    await userEvent.click(within(ask).getByRole('button', { name: 'Conferma' }));
    await waitFor(() => expect(callsTo('POST /api/v1/persons/{id}/anonymisation-requests')).toHaveLength(1));
    const asked = calls.find((c) => c.method === 'POST' && c.url.pathname === '/api/v1/persons/p1/anonymisation-requests')!;
    expect(await asked.req.json()).toEqual({ legal_ground: 'no_longer_necessary', reason: 'Percorso concluso.' });
  }, 30_000);

  it('offers only what the record allows: the DPO restricts, never asks for anonymisation', async () => {
    signedInAs('privacy_officer', {
      'GET /api/v1/persons/{id}': () => person({ allowed_actions: ['restrict'] }),
      ...NOTICES,
    });
    renderApp('/persons/p1/edit');
    const rights = await screen.findByTestId('person-rights');
    expect(within(rights).getByRole('button', { name: 'Limita il trattamento' })).toBeInTheDocument();
    expect(within(rights).queryByRole('button', { name: "Chiedi l'anonimizzazione" })).not.toBeInTheDocument();
  }, 30_000);
});

describe("the DPO's anonymisation requests and retention", () => {
  it('approves a pending request after confirming, and shows who the retention job anonymises', async () => {
    const { callsTo } = signedInAs('privacy_officer', {
      'GET /api/v1/audit': () => EMPTY_PAGE,
      'GET /api/v1/anonymisation-requests': () => ({ items: [request()], next: null }),
      'POST /api/v1/anonymisation-requests/{id}/approve': () => request({ status: 'approved', reason: undefined, allowed_actions: [] }),
      'GET /api/v1/retention/preview': () => ({
        today: '2036-12-08', retention_years: 10,
        items: [{ person_id: 'p9', last_case_closed_on: '2026-01-10', due_on: '2036-01-10' }],
      }),
    });
    renderApp('/privacy');
    const section = await screen.findByTestId('anonymisation-requests');
    expect(within(section).getByRole('heading', { name: 'Richieste di anonimizzazione' })).toBeInTheDocument();
    const row = await within(section).findByTestId('anonymisation-row');
    expect(row).toHaveTextContent("Opposizione dell'interessato");
    await userEvent.click(within(row).getByRole('button', { name: 'Approva' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('cancellati per sempre');
    expect(callsTo('POST /api/v1/anonymisation-requests/{id}/approve')).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approva' }));
    await waitFor(() => expect(callsTo('POST /api/v1/anonymisation-requests/{id}/approve')).toHaveLength(1));
    expect(await within(section).findByRole('status')).toHaveTextContent('Persona anonimizzata.');
    const retention = screen.getByTestId('retention');
    expect(within(retention).getByRole('heading', { name: 'Conservazione' })).toBeInTheDocument();
    expect(await within(retention).findByTestId('retention-row')).toHaveTextContent('p9');
  }, 30_000);
});
