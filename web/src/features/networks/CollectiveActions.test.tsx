import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ENUMS } from '../../api/enums.gen';
import type { components } from '../../api/schema';
import { caseSummary, etagOf, T0, T1 } from '../../test/fixtures';
import { problem, renderApp, signedInAs, type Routes } from '../../test/utils';
import en from './collective.messages.en.json';
import it_ from './collective.messages.it.json';

type S = components['schemas'];
type Tree = { [k: string]: string | Tree };

const network = (extra: Partial<S['NetworkOut']> = {}): S['NetworkOut'] => ({
  id: 'n1', district_id: 'd1', kind: 'territorial_partnership', name: 'Partenariato per la ricollocazione – Bergamo',
  purpose: null, objectives: ['outplacement'], objectives_other: null,
  promoter_organization: null, coordinating_organization: { id: 'o-ag', name: 'Agenzia Lavoro Orobica' },
  status: 'active', accepts_join_requests: false, member_count: 3,
  compliance: { compliant: true, reasons: [] },
  allowed_actions: ['edit', 'add_member', 'add_resource'], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
});

const member = (id: string, name: string, kind: S['OrganizationKind'], extra: Partial<S['MemberOut']> = {}): S['MemberOut'] => ({
  id, network_id: 'n1', organization: { id: `o-${id}`, name }, organization_kind: kind, role: 'member',
  joined_on: '2026-01-15', approval_act: null, withdrawn_on: null, withdrawal_reason: null, active: true,
  allowed_actions: [], blocked_actions: [], created_at: T0, updated_at: T0, ...extra,
});

const RESULTS: S['CollectiveResults'] = {
  beneficiaries: 5, hired: 2, employed_at_6_months: 1, not_employed_at_6_months: 0, six_month_check_pending: 1, six_month_check_overdue: 0,
};

const action = (extra: Partial<S['CollectiveActionOut']> = {}): S['CollectiveActionOut'] => ({
  id: 'a1', network_id: 'n1', kind: 'outplacement', title: 'Outplacement della Tessitura Orobica', description: 'Bilancio di competenze',
  starts_on: '2026-04-06', ends_on: '2027-04-01', status: 'running',
  participants: [{
    member_id: 'm-ag', organization: { id: 'o-m-ag', name: 'Agenzia Lavoro Orobica' }, organization_kind: 'accredited_agency',
    added_at: T0, allowed_actions: ['delete'], blocked_actions: [],
  }],
  target_employers: [{ organization: { id: 'o-emp', name: 'Meccanica Seriana spa' }, added_at: T0, allowed_actions: ['delete'], blocked_actions: [] }],
  results: RESULTS, history: [],
  allowed_actions: ['edit', 'complete', 'cancel', 'add_participant', 'add_employer', 'add_beneficiary'],
  blocked_actions: [{ action: 'start', code: 'state', reason: "L'azione collettiva è in corso" }],
  created_at: T0, updated_at: T0, ...extra,
});

const MEMBERS = [
  member('m-ag', 'Agenzia Lavoro Orobica', 'accredited_agency'),
  member('m-bg', 'Comune di Bergamo', 'municipality'),
  member('m-old', 'Comune di Seriate', 'municipality', { active: false, withdrawn_on: '2026-06-30' }),
];

function routes(actions: () => S['CollectiveActionOut'][], n: S['NetworkOut'] = network(), extra: Routes = {}): Routes {
  return {
    'GET /api/v1/networks/{id}': () => n,
    'GET /api/v1/networks/{id}/members': () => ({ items: MEMBERS, next: null }),
    'GET /api/v1/networks/{id}/resources': () => ({ items: [], next: null, totals: { network: { amount_cents: 0, hours: 0, count: 0 }, by_member: [], by_kind: [] } }),
    'GET /api/v1/networks/{id}/join-requests': () => ({ items: [], next: null }),
    'GET /api/v1/networks/{id}/collective-actions': () => ({ items: actions(), next: null }),
    ...extra,
  };
}

async function openAction() {
  renderApp('/networks/n1');
  const section = await screen.findByTestId('collective-actions');
  return within(section).findByRole('article', { name: 'Outplacement della Tessitura Orobica' });
}

describe("a partnership's collective actions", () => {
  it('show state, dates, participants, target employers and the results as counts; the observatory sees the counts only', async () => {
    signedInAs('observer', routes(() => [action({ participants: [], target_employers: [], allowed_actions: [], blocked_actions: [] })],
      network({ allowed_actions: [] })));
    const card = await openAction();
    expect(within(card).getByText('In corso')).toBeInTheDocument();
    expect(within(card).getByText('Outplacement')).toBeInTheDocument();
    expect(within(card).getByText('· 06/04/2026 – 01/04/2027')).toBeInTheDocument();
    const results = within(card).getByTestId('collective-results');
    const count = (k: string) => results.querySelector(`[data-result="${k}"] dd`)?.textContent;
    expect(count('beneficiaries')).toBe('5');
    expect(count('hired')).toBe('2');
    expect(count('employed_at_6_months')).toBe('1');
    expect(count('six_month_check_pending')).toBe('1');
    expect(within(results).getByText('Ancora occupati a 6 mesi')).toBeInTheDocument();
    // Nothing to do, nobody named.
    expect(within(card).queryByRole('button')).not.toBeInTheDocument();
    expect(within(card).queryByText('Aderenti che partecipano')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: "Pianifica un'azione collettiva" })).not.toBeInTheDocument();
  }, 30_000);

  it('the coordinator plans one: missing fields said before sending, the server refusal at its field, what was typed kept', async () => {
    const planned: S['CollectiveActionOut'][] = [];
    const { callsTo } = signedInAs('coordinator', routes(() => planned, network(), {
      'POST /api/v1/networks/{id}/collective-actions': async ({ req }) => {
        const body = await req.clone().json() as S['CollectiveActionInput'];
        if (body.title.length < 5) {
          return problem(422, { code: 'validation_failed', errors: [{ field: 'title', code: 'too_short_custom', message: 'Il titolo è troppo breve' }] });
        }
        planned.push(action({ id: 'a2', title: body.title, status: 'planned', participants: [], target_employers: [], results: { ...RESULTS, beneficiaries: 0, hired: 0, employed_at_6_months: 0, six_month_check_pending: 0 } }));
        return planned[0];
      },
    }));
    renderApp('/networks/n1');
    const section = await screen.findByTestId('collective-actions');
    expect(await within(section).findByText('Nessuna azione collettiva.')).toBeInTheDocument();
    await userEvent.click(within(section).getByRole('button', { name: "Pianifica un'azione collettiva" }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: "Pianifica l'azione" }));
    expect(within(dialog).getByLabelText(/^Tipo di azione/)).toHaveAccessibleDescription(/campo obbligatorio|obbligatori/i);
    expect(callsTo('POST /api/v1/networks/{id}/collective-actions')).toHaveLength(0);
    await userEvent.selectOptions(within(dialog).getByLabelText(/^Tipo di azione/), 'outplacement');
    await userEvent.type(within(dialog).getByLabelText(/^Titolo/), 'Out');
    await userEvent.type(within(dialog).getByLabelText('Data di inizio'), '15/01/2027');
    await userEvent.type(within(dialog).getByLabelText('Data di fine'), '14/01/2027');
    await userEvent.click(within(dialog).getByRole('button', { name: "Pianifica l'azione" }));
    expect(within(dialog).getByLabelText('Data di fine')).toHaveAccessibleDescription(/non può precedere/);
    await userEvent.clear(within(dialog).getByLabelText('Data di fine'));
    await userEvent.click(within(dialog).getByRole('button', { name: "Pianifica l'azione" }));
    // The server's message, at the field; the input stays.
    expect(await within(dialog).findByText('Il titolo è troppo breve')).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/^Titolo/)).toHaveValue('Out');
    await userEvent.type(within(dialog).getByLabelText(/^Titolo/), 'placement dei lavoratori');
    await userEvent.click(within(dialog).getByRole('button', { name: "Pianifica l'azione" }));
    expect(await within(section).findByRole('article', { name: 'Outplacement dei lavoratori' })).toBeInTheDocument();
    const sent = callsTo('POST /api/v1/networks/{id}/collective-actions');
    expect(sent).toHaveLength(2);
    expect(await sent[1].req.json()).toEqual({
      kind: 'outplacement', title: 'Outplacement dei lavoratori', description: null, starts_on: '2027-01-15', ends_on: null,
    });
  }, 30_000);

  it('edits at the version read, sending only what changed; moves as allowed, cancel with a reason; blocked moves say why', async () => {
    let current = action();
    const { callsTo } = signedInAs('coordinator', routes(() => [current], network(), {
      'GET /api/v1/collective-actions/{id}': () => current,
      'PATCH /api/v1/collective-actions/{id}': async ({ req }) => {
        if (req.headers.get('If-Match') !== etagOf(current.updated_at)) return problem(412, { code: 'precondition_failed' });
        current = action({ ...(await req.clone().json() as object), updated_at: T1 });
        return current;
      },
      'POST /api/v1/collective-actions/{id}/cancel': () => { current = action({ status: 'cancelled', allowed_actions: [] }); return current; },
    }));
    const card = await openAction();
    // Start is blocked while running: disabled, with the API's reason.
    expect(within(card).getByRole('button', { name: /^Avvia/ })).toHaveAttribute('aria-disabled', 'true');
    expect(within(card).getByText(/L'azione collettiva è in corso/)).toBeInTheDocument();
    await userEvent.click(within(card).getByRole('button', { name: /^Modifica/ }));
    const edit = await screen.findByRole('dialog');
    const title = await within(edit).findByLabelText(/^Titolo/);
    await userEvent.clear(title);
    await userEvent.type(title, 'Outplacement e imprese bersaglio');
    await userEvent.click(within(edit).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(callsTo('PATCH /api/v1/collective-actions/{id}')).toHaveLength(1));
    const patch = callsTo('PATCH /api/v1/collective-actions/{id}')[0];
    expect(patch.req.headers.get('If-Match')).toBe(etagOf(T0));
    expect(await patch.req.json()).toEqual({ title: 'Outplacement e imprese bersaglio' });
    const renamed = await screen.findByRole('article', { name: 'Outplacement e imprese bersaglio' });
    // Cancel needs a reason.
    await userEvent.click(within(renamed).getByRole('button', { name: /^Annulla l'azione/ }));
    const cancel = await screen.findByRole('dialog');
    await userEvent.click(within(cancel).getByRole('button', { name: "Annulla l'azione" }));
    expect(within(cancel).getByLabelText(/^Motivazione/)).toHaveAccessibleDescription(/obbligatori/i);
    expect(callsTo('POST /api/v1/collective-actions/{id}/cancel')).toHaveLength(0);
    await userEvent.type(within(cancel).getByLabelText(/^Motivazione/), "L'impresa ha ritirato gli esuberi");
    await userEvent.click(within(cancel).getByRole('button', { name: "Annulla l'azione" }));
    await waitFor(() => expect(callsTo('POST /api/v1/collective-actions/{id}/cancel')).toHaveLength(1));
    expect(await callsTo('POST /api/v1/collective-actions/{id}/cancel')[0].req.json()).toEqual({ reason: "L'impresa ha ritirato gli esuberi" });
    expect(await screen.findByText('Annullata')).toBeInTheDocument();
  }, 30_000);

  it('adds a participant among the active members not yet taking part, and removes one once confirmed', async () => {
    const { callsTo } = signedInAs('coordinator', routes(() => [action()], network(), {
      'POST /api/v1/collective-actions/{id}/participants': () => action(),
      'DELETE /api/v1/collective-actions/{id}/participants/{member_id}': () => action({ participants: [] }),
    }));
    const card = await openAction();
    await userEvent.click(within(card).getByRole('button', { name: /^Aggiungi un partecipante/ }));
    const dialog = await screen.findByRole('dialog');
    const select = await within(dialog).findByLabelText(/^Aderente attivo della rete/);
    const options = within(select).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Scegli…', 'Comune di Bergamo (Comune)']);
    await userEvent.selectOptions(select, 'm-bg');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Aggiungi un partecipante' }));
    await waitFor(() => expect(callsTo('POST /api/v1/collective-actions/{id}/participants')).toHaveLength(1));
    expect(await callsTo('POST /api/v1/collective-actions/{id}/participants')[0].req.json()).toEqual({ member_id: 'm-bg' });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await userEvent.click(within(within(card).getByTestId('collective-participants')).getByRole('button', { name: /^Togli/ }));
    const confirm = await screen.findByRole('dialog');
    expect(confirm).toHaveTextContent('Agenzia Lavoro Orobica non parteciperà più');
    await userEvent.click(within(confirm).getByRole('button', { name: 'Togli' }));
    await waitFor(() => expect(callsTo('DELETE /api/v1/collective-actions/{id}/participants/{member_id}')).toHaveLength(1));
    expect(callsTo('DELETE /api/v1/collective-actions/{id}/participants/{member_id}')[0].url.pathname).toMatch(/\/participants\/m-ag$/);
  }, 30_000);

  it("an agency's operator adds one of its cases as a beneficiary; the server's refusal is shown at the field", async () => {
    const mine = caseSummary({ id: 'c1', agency: { id: 'o-m-ag', name: 'Agenzia Lavoro Orobica' } });
    const already = caseSummary({ id: 'c2', agency: { id: 'o-m-ag', name: 'Agenzia Lavoro Orobica' }, person: { ...mine.person, first_name: 'Luca' } });
    const { callsTo } = signedInAs('agency_operator', routes(
      () => [action({ allowed_actions: ['add_beneficiary'], blocked_actions: [], participants: action().participants.map((p) => ({ ...p, allowed_actions: [] })) })],
      network({ allowed_actions: ['add_resource'] }), {
        'GET /api/v1/cases': () => ({ items: [mine, already], next: null }),
        'GET /api/v1/collective-actions/{id}/beneficiaries': () => ({
          items: [{ id: 'b2', case_id: 'c2', agency: { id: 'o-m-ag', name: 'Agenzia Lavoro Orobica' }, current: true, added_at: T0, added_by: 'u-op',
            removed_at: null, removed_by: null, allowed_actions: [], blocked_actions: [] }],
          next: null,
        }),
        'POST /api/v1/collective-actions/{id}/beneficiaries': () => problem(422, {
          code: 'validation_failed', errors: [{ field: 'case_id', code: 'not_followed_by_your_agency', message: 'Il caso non è seguito dalla tua agenzia' }],
        }),
      }));
    const card = await openAction();
    expect(within(card).queryByRole('button', { name: /^Modifica/ })).not.toBeInTheDocument();
    await userEvent.click(within(card).getByRole('button', { name: /^Aggiungi un beneficiario/ }));
    const dialog = await screen.findByRole('dialog');
    const select = await within(dialog).findByLabelText(/^Caso preso in carico/);
    // A case already among the beneficiaries is not offered.
    expect(within(select).getAllByRole('option')).toHaveLength(2);
    await userEvent.selectOptions(select, 'c1');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Aggiungi un beneficiario' }));
    expect(await within(dialog).findByLabelText(/^Caso preso in carico/)).toHaveAccessibleDescription(/Il caso non è seguito dalla tua agenzia/);
    expect(select).toHaveValue('c1');
    expect(callsTo('POST /api/v1/collective-actions/{id}/beneficiaries')).toHaveLength(1);
  }, 30_000);

  it('the coordinator reads the beneficiaries: current and removed, each with its case', async () => {
    signedInAs('coordinator', routes(() => [action()], network(), {
      'GET /api/v1/collective-actions/{id}/beneficiaries': () => ({
        items: [
          { id: 'b1', case_id: 'c1', agency: { id: 'o-m-ag', name: 'Agenzia Lavoro Orobica' }, current: true, added_at: T0, added_by: 'u',
            removed_at: null, removed_by: null, allowed_actions: ['delete'], blocked_actions: [] },
          { id: 'b2', case_id: 'c2', agency: { id: 'o-m-ag', name: 'Agenzia Lavoro Orobica' }, current: false, added_at: T0, added_by: 'u',
            removed_at: T1, removed_by: 'u', allowed_actions: [], blocked_actions: [] },
        ],
        next: null,
      }),
    }));
    const card = await openAction();
    await userEvent.click(within(card).getByRole('button', { name: 'Mostra i beneficiari' }));
    const table = await within(card).findByTestId('collective-beneficiaries');
    const links = within(table).getAllByRole('link', { name: 'Caso seguito da Agenzia Lavoro Orobica' });
    expect(links.map((l) => l.getAttribute('href'))).toEqual(['/cases/c1', '/cases/c2']);
    expect(within(table).getByText('Tolto')).toBeInTheDocument();
    expect(within(table).getAllByRole('button', { name: /^Togli/ })).toHaveLength(1);
  }, 30_000);

  it('is not shown for a network that is not a partnership', async () => {
    const { callsTo } = signedInAs('coordinator', routes(() => [], network({ kind: 'territorial_pact', name: 'Patto territoriale per il lavoro' })));
    renderApp('/networks/n1');
    expect(await screen.findByRole('heading', { name: 'Patto territoriale per il lavoro', level: 1 })).toBeInTheDocument();
    expect(screen.queryByTestId('collective-actions')).not.toBeInTheDocument();
    expect(callsTo('GET /api/v1/networks/{id}/collective-actions')).toHaveLength(0);
  }, 30_000);
});

describe("the collective actions' messages", () => {
  const keys = (tree: Tree, prefix = ''): string[] =>
    Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)));
  it('Italian and English have the same keys', () => {
    expect(keys(en as Tree).sort()).toEqual(keys(it_ as Tree).sort());
  });
  it('every kind and state of an action has a label in both', () => {
    for (const tree of [it_, en]) {
      for (const k of ENUMS.CollectiveActionKind) expect(tree.collective.kind[k]).toBeTruthy();
      for (const s of ENUMS.CollectiveActionStatus) expect(tree.collective.status[s]).toBeTruthy();
    }
  });
});
