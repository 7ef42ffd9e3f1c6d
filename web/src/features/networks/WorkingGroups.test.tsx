import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { T0 } from '../../test/fixtures';
import { problem, renderApp, signedInAs, type Routes } from '../../test/utils';
import { MEMBERS, network, networkPageRoutes } from './testing';
import type { GroupMember, WorkingGroup } from './WorkingGroups';

function gm(memberId: string, name: string, extra: Partial<GroupMember> = {}): GroupMember {
  return { id: `gm-${memberId}`, member_id: memberId, organization: { id: `o-${memberId}`, name }, joined_on: '2026-02-01', left_on: null,
    active: true, allowed_actions: ['leave'], blocked_actions: [], ...extra };
}

function group(extra: Partial<WorkingGroup> = {}): WorkingGroup {
  return {
    id: 'g1', network_id: 'n1', area: 'housing', name: 'Gruppo di lavoro Casa', purpose: 'Sportelli casa', status: 'active',
    closed_on: null, close_reason: null, member_count: 1, members: [gm('m1', 'Agenzia Sociale')],
    allowed_actions: ['edit', 'add_member', 'close'], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
  };
}

function routes(groups: () => WorkingGroup[], extra: Routes = {}): Routes {
  return {
    ...networkPageRoutes(MEMBERS),
    'GET /api/v1/networks/{id}': () => network({ allowed_actions: ['edit', 'add_member', 'add_working_group', 'add_shared_response'] }),
    'GET /api/v1/networks/{id}/working-groups': () => ({ items: groups(), next: null }),
    ...extra,
  };
}

const section = () => screen.getByTestId('working-groups');

describe("a network's working groups", () => {
  it('are listed by area with their members, who joined and left when, and only the actions the API offers', async () => {
    signedInAs('network_coordinator', routes(() => [
      group({ members: [gm('m1', 'Agenzia Sociale'), gm('m2', 'Comune di Bergamo', { left_on: '2026-03-01', active: false, allowed_actions: [] })] }),
      group({ id: 'g2', area: 'training', name: 'Gruppo di lavoro Formazione', status: 'closed', closed_on: '2026-02-20', members: [],
        member_count: 0, allowed_actions: [] }),
    ]));
    renderApp('/networks/n1');
    await screen.findByRole('heading', { name: 'Gruppi di lavoro' });
    const casa = await within(section()).findByRole('article', { name: 'Gruppo di lavoro Casa' });
    expect(within(section()).getByRole('heading', { name: 'Casa' })).toBeInTheDocument();
    expect(casa).toHaveTextContent('Attivo');
    expect(casa).toHaveTextContent('1 aderente oggi');
    expect(casa).toHaveTextContent('01/02/2026');
    expect(casa).toHaveTextContent('01/03/2026');
    expect(within(casa).getAllByRole('button', { name: /^Esce dal gruppo/ })).toHaveLength(1);
    const formazione = within(section()).getByRole('article', { name: 'Gruppo di lavoro Formazione' });
    expect(formazione).toHaveTextContent('Chiuso');
    expect(formazione).toHaveTextContent('20/02/2026');
    expect(within(formazione).queryByRole('button', { name: /Aggiungi un aderente/ })).not.toBeInTheDocument();
  }, 30_000);

  it('starts one; the area already taken is said on the field', async () => {
    let list: WorkingGroup[] = [];
    const { callsTo } = signedInAs('network_coordinator', routes(() => list, {
      'POST /api/v1/networks/{id}/working-groups': async ({ body }) => {
        const b = await body();
        if (b.area === 'transport') return problem(409, { code: 'working_group_exists', detail: 'esiste già' });
        list = [group({ area: b.area, name: 'Gruppo di lavoro Microcredito' })];
        return list[0];
      },
    }));
    renderApp('/networks/n1');
    await userEvent.click(await within(await screen.findByTestId('working-groups')).findByRole('button', { name: 'Avvia un gruppo di lavoro' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.selectOptions(within(dialog).getByLabelText(/Area di risposta/), 'transport');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Avvia il gruppo' }));
    expect(await within(dialog).findAllByText(/già un gruppo di lavoro attivo/)).not.toHaveLength(0);
    await userEvent.selectOptions(within(dialog).getByLabelText(/Area di risposta/), 'microcredit');
    await userEvent.type(within(dialog).getByLabelText('Finalità'), 'Microcredito sociale');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Avvia il gruppo' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const sent = await callsTo('POST /api/v1/networks/{id}/working-groups')[1].req.json();
    expect(sent).toEqual({ area: 'microcredit', name: null, purpose: 'Microcredito sociale' });
    expect(await within(section()).findByRole('article', { name: 'Gruppo di lavoro Microcredito' })).toBeInTheDocument();
  }, 30_000);

  it('adds a member not yet in the group, and records one leaving', async () => {
    const { callsTo } = signedInAs('network_coordinator', routes(() => [group()], {
      'POST /api/v1/working-groups/{id}/members': () => group({ members: [gm('m1', 'Agenzia Sociale'), gm('m2', 'Comune di Bergamo')] }),
      'POST /api/v1/working-groups/{id}/members/{member_id}/leave': () => group({ members: [gm('m1', 'Agenzia Sociale', { left_on: '2026-03-01' })] }),
    }));
    renderApp('/networks/n1');
    const casa = await within(await screen.findByTestId('working-groups')).findByRole('article', { name: 'Gruppo di lavoro Casa' });
    await userEvent.click(within(casa).getByRole('button', { name: /^Aggiungi un aderente/ }));
    let dialog = await screen.findByRole('dialog');
    const select = await within(dialog).findByLabelText(/Aderente della rete/);
    await waitFor(() => expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['', 'Comune di Bergamo', 'Camera di Commercio']));
    await userEvent.selectOptions(select, 'm2');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Aggiungi' }));
    await waitFor(() => expect(callsTo('POST /api/v1/working-groups/{id}/members')).toHaveLength(1));
    expect(await callsTo('POST /api/v1/working-groups/{id}/members')[0].req.json()).toEqual({ member_id: 'm2', joined_on: null });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await userEvent.click(within(casa).getByRole('button', { name: /^Esce dal gruppo/ }));
    dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Esce dal gruppo' }));
    await waitFor(() => expect(callsTo('POST /api/v1/working-groups/{id}/members/{member_id}/leave')).toHaveLength(1));
    expect(callsTo('POST /api/v1/working-groups/{id}/members/{member_id}/leave')[0].req.url).toContain('/working-groups/g1/members/m1/leave');
  }, 30_000);
});
