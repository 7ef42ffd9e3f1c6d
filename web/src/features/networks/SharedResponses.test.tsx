import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { T0 } from '../../test/fixtures';
import { renderApp, signedInAs, type Routes } from '../../test/utils';
import type { SharedResponse } from './SharedResponses';
import { MEMBERS, network, networkPageRoutes } from './testing';

function response(extra: Partial<SharedResponse> = {}): SharedResponse {
  return {
    id: 'sr1', network_id: 'n1', member_id: 'm1', organization: { id: 'o-m1', name: 'Agenzia Sociale' }, area: 'training',
    title: 'Corso di carrellista con patentino', description: null, who_may_use: "Persone disoccupate dell'Ambito",
    how_to_access: "Iscrizione presso l'agenzia", capacity: 12, valid_from: '2026-04-01', valid_to: '2026-06-30', status: 'offered',
    withdrawal_reason: null, proposal_count: 3, allowed_actions: ['edit', 'make_available', 'withdraw'], blocked_actions: [],
    created_at: T0, updated_at: T0, ...extra,
  };
}

function routes(list: () => SharedResponse[], networkActions: string[], extra: Routes = {}): Routes {
  return {
    ...networkPageRoutes(MEMBERS),
    'GET /api/v1/networks/{id}': () => network({ allowed_actions: networkActions as never }),
    'GET /api/v1/networks/{id}/shared-responses': () => ({ items: list(), next: null }),
    ...extra,
  };
}

const section = () => screen.getByTestId('shared-responses');

describe("a network's shared responses", () => {
  it('are listed by area with who offers them, how to access them, places and how many times proposed; filtered by area', async () => {
    const { callsTo } = signedInAs('network_coordinator', routes(() => [
      response(),
      response({ id: 'sr2', area: 'microcredit', title: 'Microcredito sociale', capacity: null, status: 'available', proposal_count: 1,
        organization: { id: 'o-m3', name: 'Camera di Commercio' }, allowed_actions: ['withdraw'] }),
    ], ['edit', 'add_shared_response'], {
      'POST /api/v1/shared-responses/{id}/make-available': () => response({ status: 'available' }),
    }));
    renderApp('/networks/n1');
    const corso = await within(await screen.findByTestId('shared-responses')).findByRole('article', { name: 'Corso di carrellista con patentino' });
    expect(within(section()).getByRole('heading', { name: 'Formazione' })).toBeInTheDocument();
    expect(corso).toHaveTextContent('Offerta');
    expect(corso).toHaveTextContent('Agenzia Sociale');
    expect(corso).toHaveTextContent("Iscrizione presso l'agenzia");
    expect(corso).toHaveTextContent('12');
    expect(corso).toHaveTextContent('Proposta 3 volte');
    const micro = within(section()).getByRole('article', { name: 'Microcredito sociale' });
    expect(micro).toHaveTextContent('Senza limite');
    expect(micro).toHaveTextContent('Proposta 1 volta');
    expect(within(micro).queryByRole('button', { name: /Rendi disponibile/ })).not.toBeInTheDocument();
    await userEvent.click(within(corso).getByRole('button', { name: /^Rendi disponibile/ }));
    await waitFor(() => expect(callsTo('POST /api/v1/shared-responses/{id}/make-available')).toHaveLength(1));
    await userEvent.selectOptions(within(section()).getByLabelText('Area'), 'microcredit');
    await waitFor(() => expect(callsTo('GET /api/v1/networks/{id}/shared-responses').some((c) => c.url.searchParams.get('area') === 'microcredit'))
      .toBe(true));
  }, 30_000);

  it("a member's user offers one for their own organization; the fields are checked before sending", async () => {
    let list: SharedResponse[] = [];
    const { callsTo } = signedInAs('network_coordinator', routes(() => list, ['add_shared_response'], {
      'POST /api/v1/networks/{id}/shared-responses': async ({ body }) => {
        const b = await body();
        list = [response({ title: b.title, area: b.area, allowed_actions: ['edit', 'withdraw'] })];
        return list[0];
      },
    }));
    renderApp('/networks/n1');
    await userEvent.click(await within(await screen.findByTestId('shared-responses')).findByRole('button', { name: 'Offri una risposta condivisa' }));
    const dialog = await screen.findByRole('dialog');
    // Not a manager of the network: no choice of member, the API takes the caller's own.
    expect(within(dialog).queryByLabelText(/Aderente che la offre/)).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Offri' }));
    expect(within(dialog).getAllByText('Campo obbligatorio.').length).toBeGreaterThanOrEqual(4);
    expect(callsTo('POST /api/v1/networks/{id}/shared-responses')).toHaveLength(0);
    await userEvent.selectOptions(within(dialog).getByLabelText(/Area di risposta/), 'training');
    await userEvent.type(within(dialog).getByLabelText(/^Titolo/), 'Corso di saldatura');
    await userEvent.type(within(dialog).getByLabelText(/Chi può usarla/), 'Persone disoccupate');
    await userEvent.type(within(dialog).getByLabelText(/Come accedere/), 'Colloquio in agenzia');
    await userEvent.type(within(dialog).getByLabelText(/Posti disponibili/), '8');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Offri' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await callsTo('POST /api/v1/networks/{id}/shared-responses')[0].req.json()).toEqual({
      member_id: null, area: 'training', title: 'Corso di saldatura', who_may_use: 'Persone disoccupate', how_to_access: 'Colloquio in agenzia',
      description: null, capacity: 8, valid_from: null, valid_to: null,
    });
    expect(await within(section()).findByRole('article', { name: 'Corso di saldatura' })).toBeInTheDocument();
  }, 30_000);
});
