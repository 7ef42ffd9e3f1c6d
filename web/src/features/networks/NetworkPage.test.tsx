import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { components } from '../../api/schema';
import { T0 } from '../../test/fixtures';
import { problem, renderApp, signedInAs } from '../../test/utils';
import { documentMeta, network as aNetwork, networkPageRoutes } from './testing';

type S = components['schemas'];

const network = (extra: Partial<S['NetworkOut']> = {}): S['NetworkOut'] => ({
  id: 'n1', district_id: 'd1', kind: 'territorial_partnership', name: 'Partenariato per la ricollocazione',
  purpose: 'Ricollocare i lavoratori espulsi', objectives: ['outplacement'], objectives_other: 'Sportello unico',
  promoter_organization: null, coordinating_organization: { id: 'o-ag', name: 'Agenzia Lavoro Orobica' },
  status: 'forming', accepts_join_requests: true, member_count: 2,
  compliance: {
    compliant: false,
    reasons: [
      { rule: 'partnership_members', met: false, message: 'ha 2 aderenti attivi: ne servono almeno 3' },
      { rule: 'partnership_agency', met: true, message: "un'agenzia accreditata che ha preso in carico beneficiari aderisce" },
    ],
  },
  allowed_actions: ['activate', 'edit', 'add_member'], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
});

const member = (id: string, name: string, extra: Partial<S['MemberOut']> = {}): S['MemberOut'] => ({
  id, network_id: 'n1', organization: { id: `o-${id}`, name }, organization_kind: 'municipality', role: 'member',
  joined_on: '2026-01-15', approval_act: null, withdrawn_on: null, withdrawal_reason: null, active: true,
  allowed_actions: [], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
});

describe('a network', () => {
  it('shows its rules with their reasons, its members with the history on demand, its resources with the totals', async () => {
    const { callsTo } = signedInAs('coordinator', {
      ...networkPageRoutes(),
      'GET /api/v1/networks/{id}': () => network(),
      'GET /api/v1/networks/{id}/members': ({ url }) => ({
        items: url.searchParams.get('include') === 'history'
          ? [member('m1', 'Comune di Bergamo', { approval_act: { number: '12', date: '2026-01-10', document_id: null } }),
            member('m2', 'Comune di Seriate', { active: false, withdrawn_on: '2026-06-30', withdrawal_reason: 'Delibera di recesso' })]
          : [member('m1', 'Comune di Bergamo', { approval_act: { number: '12', date: '2026-01-10', document_id: null } })],
        next: null,
      }),
      'GET /api/v1/networks/{id}/resources': () => ({
        items: [{
          id: 'r1', network_id: 'n1', organization: { id: 'o-m1', name: 'Comune di Bergamo' }, kind: 'training', description: 'Corsi serali',
          amount_cents: 250000, hours: null, valid_from: '2026-01-01', valid_to: '2026-12-31', status: 'pledged',
          allowed_actions: [], blocked_actions: [], created_at: T0, updated_at: T0,
        }],
        next: null,
        totals: {
          network: { amount_cents: 250000, hours: 40, count: 2 },
          by_member: [], by_kind: [{ kind: 'training', amount_cents: 250000, hours: 0, count: 1 }, { kind: 'staff_time', amount_cents: 0, hours: 40, count: 1 }],
        },
      }),
      'GET /api/v1/networks/{id}/collective-actions': () => ({ items: [], next: null }),
      'POST /api/v1/networks/{id}/activate': () => problem(409, {
        code: 'network_not_compliant', detail: 'La rete non rispetta le regole del suo tipo: ha 2 aderenti attivi: ne servono almeno 3',
      }),
    });
    renderApp('/networks/n1');
    expect(await screen.findByRole('heading', { name: 'Partenariato per la ricollocazione', level: 1 })).toBeInTheDocument();
    expect(screen.getByText('Partenariato territoriale')).toBeInTheDocument();
    const rules = within(screen.getByTestId('compliance')).getAllByRole('listitem');
    expect(rules[0]).toHaveTextContent('Da completare: ha 2 aderenti attivi: ne servono almeno 3');
    expect(rules[1]).toHaveTextContent('Rispettata:');
    expect(screen.getByText('Outplacement; Sportello unico')).toBeInTheDocument();
    // Members: today's, then with who left.
    const members = screen.getByTestId('members');
    expect(await within(members).findByText('Comune di Bergamo')).toBeInTheDocument();
    expect(within(members).getByText('n. 12 del 10/01/2026')).toBeInTheDocument();
    expect(within(members).queryByText('Comune di Seriate')).not.toBeInTheDocument();
    await userEvent.click(within(members).getByRole('button', { name: 'Mostra anche chi è uscito' }));
    expect(await within(members).findByText('Comune di Seriate')).toBeInTheDocument();
    expect(within(members).getByText('30/06/2026 — Delibera di recesso')).toBeInTheDocument();
    // Resources with the totals, in euro and hours (plural forms).
    const resources = screen.getByTestId('resources');
    expect(await within(resources).findByTestId('resources-total')).toHaveTextContent(/2\.500,00\s€ \+ 40 ore/);
    expect(within(resources).getByText(/Tempo del personale: 40 ore/)).toBeInTheDocument();
    expect(within(resources).getByText('Corsi serali')).toBeInTheDocument();
    // Activating a network that does not meet its rules: the API's reason is said.
    await userEvent.click(screen.getByRole('button', { name: 'Attiva la rete' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('ha 2 aderenti attivi: ne servono almeno 3');
    await waitFor(() => expect(callsTo('POST /api/v1/networks/{id}/activate')).toHaveLength(1));
    // Nothing it does not allow is offered.
    expect(screen.queryByRole('button', { name: 'Sospendi' })).not.toBeInTheDocument();
  }, 30_000);

  it('lists the networks with kind, coordinator, members and whether they meet their rules', async () => {
    signedInAs('network_coordinator', {
      'GET /api/v1/networks': () => ({ items: [network({ status: 'active', compliance: { compliant: true, reasons: [] } })], next: null }),
    });
    renderApp('/networks');
    const link = await screen.findByRole('link', { name: 'Partenariato per la ricollocazione' });
    expect(link).toHaveAttribute('href', '/networks/n1');
    const row = link.closest('tr')!;
    expect(row).toHaveTextContent('Agenzia Lavoro Orobica');
    expect(row).toHaveTextContent('Conforme');
    expect(row).toHaveTextContent('Attiva');
  }, 30_000);

  it('keeps its documents: the statute listed with the agreements\' texts, a report uploaded by those who manage it', async () => {
    const docs = [documentMeta(), documentMeta({ id: 'd2', agreement_id: 'a1', file_name: 'convenzione firmata.pdf' })];
    const sent: FormDataEntryValue[] = [];
    const { callsTo } = signedInAs('network_coordinator', {
      ...networkPageRoutes(),
      'GET /api/v1/networks/{id}': () => aNetwork(),
      'GET /api/v1/networks/{id}/documents': () => ({ items: docs, next: null }),
      'POST /api/v1/networks/{id}/documents': async ({ req }) => {
        sent.push((await req.formData()).get('file')!);
        docs.push(documentMeta({ id: 'd3', file_name: 'relazione 2026.pdf' }));
        return docs[2];
      },
    });
    renderApp('/networks/n1');
    const section = await screen.findByTestId('documents');
    expect(within(section).getByRole('heading', { name: 'Documenti della rete' })).toBeInTheDocument();
    expect(await within(section).findByText('statuto.pdf')).toBeInTheDocument();
    expect(within(section).getByText('convenzione firmata.pdf')).toBeInTheDocument();
    await userEvent.upload(within(section).getByLabelText(/^Carica un documento della rete/),
      new File(['%PDF-1.4'], 'relazione 2026.pdf', { type: 'application/pdf' }));
    await userEvent.click(within(section).getByRole('button', { name: 'Carica' }));
    expect(await within(section).findByText('relazione 2026.pdf')).toBeInTheDocument();
    expect(callsTo('POST /api/v1/networks/{id}/documents')).toHaveLength(1);
    expect(sent).toHaveLength(1);
  }, 30_000);
});
