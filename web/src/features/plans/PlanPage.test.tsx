import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { components } from '../../api/schema';
import { figures, plan, planAction, T1, T2 } from '../../test/fixtures';
import { problem, renderApp, signedInAs, type Routes } from '../../test/utils';

type S = components['schemas'];

const monitoring = (): S['PlanMonitoring'] => ({
  plan_id: 'pl1', as_of: '2026-12-02', late_actions: 1,
  totals: figures({ persons_reached: 3, activations: 4, spent_cents: 150000, budget_cents: 500000, budget_executed_percent: 30 }),
  actions: [{
    action_id: 'pa1', axis_id: 'ax1', title: 'Consultazione degli stakeholders', status: 'running',
    measures: [{ id: 'm1', code: 'PONTE27', name: 'Un Ponte per il lavoro', project_id: 'pr1' }],
    figures: figures({
      persons_reached: 3, activations: 4, spent_cents: 150000, budget_cents: 500000, budget_executed_percent: 30, hired: 2,
      employed_at_6_months: 1, late: true,
      by_month: [
        { month: '2026-10', new_persons: 1, persons_to_date: 1, activations: 1, committed_cents: 100000, spent_cents: 0, cases_closed: 0, hired: 0 },
        { month: '2026-11', new_persons: 2, persons_to_date: 3, activations: 3, committed_cents: 200000, spent_cents: 150000, cases_closed: 2, hired: 2 },
      ],
    }),
    indicators: [
      { name: 'Persone prese in carico', unit: 'persone', baseline: 0, target: 40, value: 3, value_date: '2026-12-02', metric: 'persons_reached', computed: true },
      { name: 'Assemblee pubbliche', unit: null, baseline: 0, target: 2, value: 1, value_date: '2026-11-30', metric: null, computed: false },
    ],
  }],
});

function routes(extra: Routes = {}): Routes {
  return {
    'GET /api/v1/plans/{id}': () => plan(),
    'GET /api/v1/plans/{id}/actions': () => ({ items: [planAction()], next: null }),
    'GET /api/v1/plans/{id}/monitoring': () => monitoring(),
    ...extra,
  };
}

describe('a plan', () => {
  it('shows its axes, each action as the seed table with the rules it does not meet, and the monitoring with its tables', async () => {
    signedInAs('coordinator', routes());
    renderApp('/plans/pl1');
    expect(await screen.findByRole('heading', { name: 'Piano Locale Integrato 2027–2029', level: 1 })).toBeInTheDocument();
    expect(screen.getByTestId('plan-completeness')).toHaveTextContent('1 azione aperta, 0 completa');
    expect(within(screen.getByTestId('plan-completeness')).getByText('1 azione senza budget')).toHaveClass('text-danger');
    const axes = screen.getAllByTestId('axis');
    expect(axes).toHaveLength(4);
    expect(within(axes[0]).getByRole('heading', { name: 'Asse 1: Buona governance' })).toBeInTheDocument();
    const row = await within(axes[0]).findByTestId('plan-action');
    const headers = within(axes[0]).getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Azione', 'Data (inizio–fine)', 'Fonte', 'Budget', 'Dipartimento', 'Stato']);
    expect(row).toHaveTextContent('01/03/2027 – 31/12/2027');
    expect(row).toHaveTextContent("Bilancio dell'Ambito");
    const budgetRule = within(row).getByText(/manca il budget/);
    expect(budgetRule).toHaveAttribute('data-met', 'false');
    expect(budgetRule).toHaveClass('text-danger');
    expect(within(row).getByText(/date di inizio e fine indicate/)).toHaveAttribute('data-met', 'true');
    // State buttons from allowed/blocked actions: complete is disabled with its reason.
    expect(within(row).getByRole('button', { name: /^Avvia/ })).toBeEnabled();
    expect(within(row).getByRole('button', { name: /^Completa/ })).toHaveAttribute('aria-disabled', 'true');
    expect(within(row).getByText("L'azione del piano è prevista")).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Approva il piano' })).toBeInTheDocument();
    // Monitoring: figures, late, the chart with its table alternative, indicators.
    const mon = await screen.findByTestId('action-monitoring');
    expect(within(mon).getByTestId('late')).toHaveTextContent('In ritardo');
    expect(mon).toHaveTextContent(/1\.500,00\s€ \/ 5\.000,00\s€/);
    expect(mon).toHaveTextContent('30%');
    expect(within(mon).getAllByRole('img')).toHaveLength(2);
    const table = within(mon).getByRole('table', { name: 'Mese per mese: Consultazione degli stakeholders' });
    const rows = within(table).getAllByRole('row');
    expect(rows[2]).toHaveTextContent(/11\/2026.*3.*2.*3.*2\.000,00\s€.*1\.500,00\s€/);
    const indicators = within(mon).getByRole('table', { name: 'Indicatori: Consultazione degli stakeholders' });
    expect(within(indicators).getAllByTestId('computed')).toHaveLength(1);
    expect(within(indicators).getByTestId('computed')).toHaveTextContent('calcolato: persone raggiunte');
    expect(indicators).toHaveTextContent('3 / 40');
  });

  it('edits a budget in place with the ETag of the action read, and the completeness follows', async () => {
    let current = planAction();
    const { callsTo } = signedInAs('coordinator', routes({
      'GET /api/v1/plans/{id}': () => (current.budget_cents ? plan({ completeness: { complete: false, actions_open: 1, actions_complete: 0, missing: [] } }) : plan()),
      'GET /api/v1/plans/{id}/actions': () => ({ items: [current], next: null }),
      'GET /api/v1/plan-actions/{id}': () => current,
      'PATCH /api/v1/plan-actions/{id}': async ({ body }) => {
        const b = await body();
        current = planAction({
          budget_cents: b.budget_cents ?? null, updated_at: T1,
          completeness: { complete: false, reasons: [...planAction().completeness.reasons.map((r) => (r.rule === 'budget' ? { ...r, met: true, message: 'budget indicato' } : r))] },
        });
        return current;
      },
    }));
    renderApp('/plans/pl1');
    const row = await screen.findByTestId('plan-action');
    await userEvent.click(within(row).getByRole('button', { name: /Modifica Budget di Consultazione/ }));
    const input = await within(row).findByLabelText('Budget (euro)');
    await userEvent.type(input, '5.000,00');
    await userEvent.click(within(row).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(callsTo('PATCH /api/v1/plan-actions/{id}')).toHaveLength(1));
    const req = callsTo('PATCH /api/v1/plan-actions/{id}')[0].req;
    expect(req.headers.get('If-Match')).toBe('"1772359200123456"');
    expect(await req.json()).toEqual({ budget_cents: 500000 });
    const updated = await screen.findByTestId('plan-action');
    await within(updated).findByText(/5\.000,00\s€/);
    await waitFor(() => expect(within(updated).getByRole('button', { name: /Modifica Budget di Consultazione/ })).toHaveFocus());
    expect(within(updated).getByText(/budget indicato/)).toHaveAttribute('data-met', 'true');
  });

  it('says someone changed the action meanwhile (412), keeps the typed value and saves on the reloaded version', async () => {
    let version = 0;
    const { callsTo } = signedInAs('coordinator', routes({
      'GET /api/v1/plan-actions/{id}': () => (version === 0 ? planAction() : planAction({ responsible_department: 'Ufficio di Piano', updated_at: T1 })),
      'PATCH /api/v1/plan-actions/{id}': ({ req }) => {
        if (req.headers.get('If-Match') !== '"1772359500654321"') {
          version = 1;
          return problem(412, { code: 'precondition_failed', detail: 'la risorsa è stata modificata' });
        }
        return planAction({ budget_cents: 250000, responsible_department: 'Ufficio di Piano', updated_at: T2 });
      },
    }));
    renderApp('/plans/pl1');
    const row = await screen.findByTestId('plan-action');
    await userEvent.click(within(row).getByRole('button', { name: /Modifica Budget di Consultazione/ }));
    await userEvent.type(await within(row).findByLabelText('Budget (euro)'), '2500');
    await userEvent.click(within(row).getByRole('button', { name: 'Salva' }));
    expect(await within(row).findByTestId('stale-notice')).toHaveTextContent('Nel frattempo qualcun altro ha modificato questi dati');
    expect(within(row).getByLabelText('Budget (euro)')).toHaveValue('2500');
    await userEvent.click(within(row).getByRole('button', { name: 'Carica la versione aggiornata' }));
    expect(await within(row).findByTestId('rebased-notice')).toBeInTheDocument();
    expect(within(row).getByLabelText('Budget (euro)')).toHaveValue('2500');
    await userEvent.click(within(row).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(callsTo('PATCH /api/v1/plan-actions/{id}')).toHaveLength(2));
    const second = callsTo('PATCH /api/v1/plan-actions/{id}')[1].req;
    expect(second.headers.get('If-Match')).toBe('"1772359500654321"');
    expect(await second.json()).toEqual({ budget_cents: 250000 });
  });

  it('adds an action under an axis with the four fields of the seed', async () => {
    const { callsTo } = signedInAs('coordinator', routes({
      'GET /api/v1/plans/{id}/actions': () => ({ items: [], next: null }),
      'POST /api/v1/plans/{id}/actions': () => planAction({ id: 'pa2', axis_id: 'ax2', title: 'Mappa dei servizi' }),
    }));
    renderApp('/plans/pl1');
    const form = (await screen.findByRole('heading', { name: "Aggiungi un'azione" })).closest('form')!;
    await userEvent.click(within(form).getByRole('button', { name: "Aggiungi un'azione" }));
    expect(await within(form).findByText('Campo obbligatorio.', { selector: '#new-title-error' })).toBeInTheDocument();
    await userEvent.selectOptions(within(form).getByLabelText(/^Asse/), 'ax2');
    await userEvent.type(within(form).getByLabelText(/^Azione/), 'Mappa dei servizi');
    await userEvent.type(within(form).getByLabelText('Data di inizio'), '01/04/2027');
    await userEvent.type(within(form).getByLabelText('Data di fine'), '30/06/2027');
    await userEvent.selectOptions(within(form).getByLabelText('Fonte di finanziamento'), 'esf_plus');
    await userEvent.type(within(form).getByLabelText('Budget (euro)'), '1.200,50');
    await userEvent.type(within(form).getByLabelText('Dipartimento responsabile'), 'Ufficio di Piano');
    await userEvent.click(within(form).getByRole('button', { name: "Aggiungi un'azione" }));
    await waitFor(() => expect(callsTo('POST /api/v1/plans/{id}/actions')).toHaveLength(1));
    expect(await callsTo('POST /api/v1/plans/{id}/actions')[0].req.json()).toEqual({
      axis_id: 'ax2', title: 'Mappa dei servizi', start_date: '2027-04-01', end_date: '2027-06-30', funding_source: 'esf_plus',
      budget_cents: 120050, responsible_department: 'Ufficio di Piano',
    });
  });

  it('is read-only for the observer: no cell to edit, no form, no state button', async () => {
    signedInAs('observer', routes({
      'GET /api/v1/plans/{id}': () => plan({ allowed_actions: [], blocked_actions: [] }),
      'GET /api/v1/plans/{id}/actions': () => ({ items: [planAction({ allowed_actions: [], blocked_actions: [] })], next: null }),
    }));
    renderApp('/plans/pl1');
    const row = await screen.findByTestId('plan-action');
    expect(row).toHaveTextContent("Bilancio dell'Ambito");
    expect(within(row).queryAllByRole('button')).toEqual([]);
    expect(screen.queryByRole('heading', { name: "Aggiungi un'azione" })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approva il piano' })).not.toBeInTheDocument();
  });

  it('approves the plan with its act', async () => {
    const { callsTo } = signedInAs('coordinator', routes({
      'POST /api/v1/plans/{id}/approve': () => plan({ status: 'approved', approved_on: '2026-11-30', approval_reference: 'Delibera n. 12/2026' }),
    }));
    renderApp('/plans/pl1');
    await userEvent.click(await screen.findByRole('button', { name: 'Approva il piano' }));
    const dialog = await screen.findByRole('dialog');
    const on = within(dialog).getByLabelText(/Data dell'atto/);
    await userEvent.clear(on);
    await userEvent.type(on, '30/11/2026');
    await userEvent.type(within(dialog).getByLabelText(/Estremi dell'atto/), 'Delibera n. 12/2026');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Approva il piano' }));
    await waitFor(() => expect(callsTo('POST /api/v1/plans/{id}/approve')).toHaveLength(1));
    expect(await callsTo('POST /api/v1/plans/{id}/approve')[0].req.json()).toEqual({ approved_on: '2026-11-30', reference: 'Delibera n. 12/2026' });
  });

  it("edits the plan's title and period at the version read, sending only what changed", async () => {
    const { callsTo } = signedInAs('coordinator', routes({
      'PATCH /api/v1/plans/{id}': () => plan({ title: 'Piano Locale Integrato 2027–2030', period_end: '2030-12-31', updated_at: T1 }),
    }));
    renderApp('/plans/pl1');
    await userEvent.click(await screen.findByRole('button', { name: 'Modifica il piano' }));
    const dialog = await screen.findByRole('dialog');
    const end = await within(dialog).findByLabelText(/Fine del periodo/);
    await userEvent.clear(end);
    await userEvent.type(end, '31/12/2030');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(callsTo('PATCH /api/v1/plans/{id}')).toHaveLength(1));
    const req = callsTo('PATCH /api/v1/plans/{id}')[0].req;
    expect(req.headers.get('If-Match')).toBe('"1772359200123456"');
    expect(await req.json()).toEqual({ period_end: '2030-12-31' });
  });

  it('adds an axis the plan needs beyond the seed four, with its title', async () => {
    const { callsTo } = signedInAs('coordinator', routes({
      'POST /api/v1/plans/{id}/axes': () => plan(),
    }));
    renderApp('/plans/pl1');
    const form = (await screen.findByRole('heading', { name: 'Aggiungi un asse' })).closest('form')!;
    expect(within(form).queryByLabelText('Asse del Piano Locale Integrato')).not.toBeInTheDocument();
    await userEvent.click(within(form).getByRole('button', { name: 'Aggiungi un asse' }));
    expect(await within(form).findByText('Campo obbligatorio.', { selector: '#axis-title-error' })).toBeInTheDocument();
    await userEvent.type(within(form).getByLabelText(/^Titolo dell'asse/), 'Inclusione abitativa');
    await userEvent.click(within(form).getByRole('button', { name: 'Aggiungi un asse' }));
    await waitFor(() => expect(callsTo('POST /api/v1/plans/{id}/axes')).toHaveLength(1));
    expect(await callsTo('POST /api/v1/plans/{id}/axes')[0].req.json()).toEqual({ code: null, title: 'Inclusione abitativa', expected_results: null });
  });
});
