import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Meeting } from '../../api/types';
import { problem, renderApp, signedInAs } from '../../test/utils';
import { actionItem, MEMBERS, network, networkMeeting, networkPageRoutes } from './testing';

describe("a network's meetings", () => {
  afterEach(() => vi.unstubAllGlobals());

  it('are listed on its page, the open one first, each opening on its own page', async () => {
    const { callsTo } = signedInAs('network_coordinator', {
      ...networkPageRoutes(),
      'GET /api/v1/networks/{id}': () => network(),
      'GET /api/v1/meetings': () => ({
        items: [
          networkMeeting({ id: 'mt0', title: 'Seduta del Forum – 10/01/2026', scheduled_for: '2026-01-10', status: 'closed' }),
          networkMeeting(),
        ],
        next: null,
      }),
    });
    renderApp('/networks/n1');
    const section = await screen.findByTestId('network-meetings');
    const rows = await within(section).findAllByTestId('network-meeting');
    expect(rows[0]).toHaveTextContent('Seduta del Forum – 10/03/2026');
    expect(rows[0]).toHaveTextContent('Aperta');
    expect(rows[1]).toHaveTextContent('Chiusa');
    // One present: the excused member does not count.
    expect(within(rows[0]).getByText('1')).toBeInTheDocument();
    expect(within(rows[0]).getByRole('link', { name: 'Seduta del Forum – 10/03/2026' })).toHaveAttribute('href', '/networks/n1/meetings/mt1');
    expect(callsTo('GET /api/v1/meetings')[0].url.searchParams.get('network_id')).toBe('n1');
  }, 30_000);

  it('plans one: kind, date, the members attending with their people and attendance, the topics; field errors land on the member', async () => {
    let tries = 0;
    const { callsTo } = signedInAs('network_coordinator', {
      ...networkPageRoutes(),
      'GET /api/v1/networks/{id}': () => network(),
      'POST /api/v1/meetings': () => (++tries === 1
        ? problem(422, { errors: [{ field: 'attendees[1].people[0]', code: 'length', message: 'deve avere al massimo 200 caratteri' }] })
        : networkMeeting({ id: 'mt7', status: 'planned' })),
      'GET /api/v1/meetings/{id}': () => networkMeeting({ id: 'mt7', status: 'planned', allowed_actions: ['edit', 'open'] }),
      'GET /api/v1/meetings/{id}/action-items': () => ({ items: [], follow_up: [actionItem()] }),
    });
    const { router } = renderApp('/networks/n1');
    await userEvent.click(await within(await screen.findByTestId('network-meetings')).findByRole('button', { name: 'Nuova seduta' }));
    const dialog = await screen.findByRole('dialog', { name: 'Nuova seduta' });
    // The table's monthly session is not a kind for this network.
    const kind = within(dialog).getByLabelText('Tipo di seduta');
    expect(within(kind).queryByRole('option', { name: 'Seduta del Tavolo' })).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Programma la seduta' }));
    expect(within(dialog).getByRole('alert', { name: /Ci sono errori nel modulo/ })).toHaveTextContent('Data: campo obbligatorio');
    await userEvent.selectOptions(kind, 'stakeholder_consultation');
    await userEvent.type(within(dialog).getByLabelText(/^Data/), '10/03/2026');
    await userEvent.type(within(dialog).getByLabelText('Luogo'), 'Sala civica');
    await userEvent.selectOptions(within(dialog).getByLabelText('Presenza — Agenzia Sociale'), 'present');
    await userEvent.type(within(dialog).getByLabelText('Persone — Agenzia Sociale'), 'Elena Ferrari');
    await userEvent.type(within(dialog).getByLabelText('Persone — Camera di Commercio'), 'Giorgio Mazza, Anna Riva');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Aggiungi un punto' }));
    await userEvent.type(within(dialog).getByLabelText('Punto 1'), 'Microcredito');
    await userEvent.type(within(dialog).getByLabelText('Note del punto 1'), 'Una linea da 1.500 €');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Programma la seduta' }));
    // attendees[1] is the second member listed: the Chamber of Commerce, not the second member of the network.
    const error = await within(dialog).findByText('deve avere al massimo 200 caratteri', { selector: '.invalid-feedback' });
    expect(error.id).toBe(`attendee-${MEMBERS[2].id}-people-error`);
    expect(within(dialog).getByLabelText('Persone — Camera di Commercio')).toHaveValue('Giorgio Mazza, Anna Riva');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Programma la seduta' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/networks/n1/meetings/mt7'));
    expect(await callsTo('POST /api/v1/meetings')[1].req.json()).toEqual({
      network_id: 'n1', kind: 'stakeholder_consultation', title: null, scheduled_for: '2026-03-10', location: 'Sala civica',
      attendees: [
        { member_id: 'm1', people: ['Elena Ferrari'], attendance: 'present' },
        { member_id: 'm3', people: ['Giorgio Mazza', 'Anna Riva'], attendance: 'present' },
      ],
      topics: [{ title: 'Microcredito', notes: 'Una linea da 1.500 €' }],
    });
    // The new meeting's page follows up what is still open from the earlier ones.
    expect(await within(await screen.findByTestId('follow-up')).findByRole('heading', { name: 'Mappare gli sportelli casa' })).toBeInTheDocument();
  }, 30_000);

  it('of the table open on its board', async () => {
    signedInAs('coordinator', {
      ...networkPageRoutes(),
      'GET /api/v1/networks/{id}': () => network({ kind: 'coordination_table', name: 'Tavolo Sistema Lavoro' }),
      'GET /api/v1/meetings': () => ({ items: [networkMeeting({ kind: 'monthly_table', title: 'Tavolo – 10/03/2026' }) as Meeting], next: null }),
    });
    renderApp('/networks/n1');
    const link = await within(await screen.findByTestId('network-meetings')).findByRole('link', { name: 'Tavolo – 10/03/2026' });
    expect(link).toHaveAttribute('href', '/meetings/mt1');
  }, 30_000);
});
