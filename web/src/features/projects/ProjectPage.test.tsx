import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { blocked, etagOf, figures, plan, planAction, project, T0, T1 } from '../../test/fixtures';
import { renderApp, signedInAs } from '../../test/utils';

const submitted = () => project({
  status: 'submitted', submitted_on: '2026-12-01', due: [],
  allowed_actions: ['edit', 'grant', 'reject'], blocked_actions: [blocked('start', 'Il progetto è presentato')],
});

describe('the projects', () => {
  it('are a pipeline by state, each card with funder, amounts, CUP and deadlines (overdue ones in red, and said so)', async () => {
    signedInAs('coordinator', {
      'GET /api/v1/projects': () => ({
        items: [
          project(),
          project({
            id: 'pr2', title: 'Care Leavers', status: 'granted', granted_cents: 9000000, cup: 'C11G06000000001',
            due: [{ kind: 'start', date: '2026-11-01', days: -31, overdue: true, message: "L'avvio delle attività era previsto il 01/11/2026" }],
          }),
          project({ id: 'pr3', title: 'Bergamondo', status: 'rejected', due: [] }),
        ],
        next: null,
      }),
    });
    renderApp('/projects');
    expect(await screen.findByRole('heading', { name: 'Progetti', level: 1 })).toBeInTheDocument();
    const stages = await screen.findAllByTestId('pipeline-stage');
    expect(stages.map((s) => s.getAttribute('data-status'))).toEqual(['idea', 'submitted', 'granted', 'running', 'reported', 'closed', 'rejected']);
    const idea = within(stages[0]).getByTestId('project-card');
    expect(idea).toHaveTextContent('Un Ponte per il lavoro');
    expect(idea).toHaveTextContent('Regione Lombardia — Bando inclusione attiva 2027');
    expect(idea).toHaveTextContent(/Richiesto: 120\.000,00\s€/);
    expect(idea).toHaveTextContent(/Cofinanziamento: 15\.000,00\s€/);
    expect(within(idea).getByTestId('due')).toHaveTextContent('tra 18 giorni');
    const granted = within(stages[2]).getByTestId('project-card');
    expect(granted).toHaveTextContent('CUP: C11G06000000001');
    expect(granted).toHaveTextContent(/Concesso: 90\.000,00\s€/);
    const late = within(granted).getByText(/era previsto/).closest('li')!;
    expect(late).toHaveClass('text-danger');
    expect(late).toHaveTextContent('Scaduta');
    expect(within(stages[6]).getByText('Bergamondo')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Nuovo progetto' })).toBeInTheDocument();
  });

  it('the observer reads them without being offered a new one', async () => {
    signedInAs('observer', { 'GET /api/v1/projects': () => ({ items: [project()], next: null }) });
    renderApp('/projects');
    expect(await screen.findByText('Un Ponte per il lavoro')).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Nuovo progetto' })).not.toBeInTheDocument();
  });
});

describe('a project', () => {
  it('is submitted, then granted with the amount in euros and its CUP', async () => {
    let current = project();
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/projects/{id}': () => current,
      'GET /api/v1/projects/{id}/monitoring': () => ({ project_id: 'pr1', as_of: '2026-12-02', measures: [], figures: figures({ budget_cents: 13500000 }) }),
      'POST /api/v1/projects/{id}/submit': () => { current = submitted(); return current; },
      'POST /api/v1/projects/{id}/grant': () => { current = project({ status: 'granted', granted_cents: 10000000, cup: 'C11G06000000001', due: [], allowed_actions: ['edit', 'start'] }); return current; },
    });
    renderApp('/projects/pr1');
    expect(await screen.findByRole('heading', { name: 'Un Ponte per il lavoro', level: 1 })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Registra il finanziamento' })).toHaveAttribute('aria-disabled', 'true');
    await userEvent.click(screen.getByRole('button', { name: 'Segna come presentato' }));
    await waitFor(() => expect(callsTo('POST /api/v1/projects/{id}/submit')).toHaveLength(1));
    expect(await callsTo('POST /api/v1/projects/{id}/submit')[0].req.json()).toEqual({});
    const grant = await screen.findByRole('button', { name: 'Registra il finanziamento' });
    await waitFor(() => expect(grant).not.toHaveAttribute('aria-disabled'));
    await userEvent.click(grant);
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Registra il finanziamento' }));
    expect(await within(dialog).findByText('Campo obbligatorio.', { selector: '#grant-amount-error' })).toBeInTheDocument();
    const on = within(dialog).getByLabelText(/Data della decisione/);
    await userEvent.clear(on);
    await userEvent.type(on, '01/12/2026');
    await userEvent.type(within(dialog).getByLabelText(/Importo concesso/), '100.000,00');
    await userEvent.type(within(dialog).getByLabelText(/^CUP/), 'C11G06000000001');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Registra il finanziamento' }));
    await waitFor(() => expect(callsTo('POST /api/v1/projects/{id}/grant')).toHaveLength(1));
    expect(await callsTo('POST /api/v1/projects/{id}/grant')[0].req.json()).toEqual({
      decided_on: '2026-12-01', granted_cents: 10000000, cup: 'C11G06000000001',
    });
    expect(await screen.findByText('Finanziato', { selector: '.badge' })).toBeInTheDocument();
  });

  it('shows the plan actions it funds, its measures and the budget execution as a chart with its table', async () => {
    signedInAs('agency_operator', {
      'GET /api/v1/projects/{id}': () => project({
        status: 'running', granted_cents: 10000000, allowed_actions: [], blocked_actions: [], due: [],
        plan_actions: [{ id: 'pa1', plan_id: 'pl1', title: 'Consultazione degli stakeholders' }],
        measures: [{ id: 'm1', code: 'PONTE27', name: 'Un Ponte per il lavoro 2027', active: true }],
      }),
      'GET /api/v1/projects/{id}/monitoring': () => ({
        project_id: 'pr1', as_of: '2026-12-02', measures: [],
        figures: figures({
          budget_cents: 11500000, reserved_cents: 500000, spent_cents: 2300000, budget_executed_percent: 20, persons_reached: 4,
          by_month: [{ month: '2026-11', new_persons: 4, persons_to_date: 4, activations: 4, committed_cents: 2800000, spent_cents: 2300000, cases_closed: 0, hired: 0 }],
        }),
      }),
    });
    renderApp('/projects/pr1');
    expect(await screen.findByRole('link', { name: 'Consultazione degli stakeholders' })).toHaveAttribute('href', '/plans/pl1');
    expect(screen.getByText('PONTE27 — Un Ponte per il lavoro 2027')).toBeInTheDocument();
    expect(screen.queryAllByRole('button', { name: /Registra|Avvia|Chiudi il progetto/ })).toEqual([]);
    const mon = await screen.findByTestId('project-monitoring');
    const table = await within(mon).findByRole('table', { name: 'Budget, riservato e speso: Un Ponte per il lavoro' });
    expect(within(table).getAllByRole('row').map((r) => r.textContent)).toEqual([
      'VoceImporto', 'Budget115.000,00 €', 'Riservato5.000,00 €', 'Speso23.000,00 €',
    ].map((s) => s.replace(/ €/g, '\u00a0€')));
    expect(within(mon).getByRole('img', { name: 'Budget, riservato e speso: Un Ponte per il lavoro' })).toBeInTheDocument();
    expect(mon).toHaveTextContent('20%');
    expect(within(mon).getByRole('table', { name: 'Mese per mese: Un Ponte per il lavoro' })).toHaveTextContent('11/2026');
  });
});

describe('a project edited', () => {
  it('sends only what changed, in cents, at the version read; an emptied field as null', async () => {
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/projects/{id}': () => project(),
      'GET /api/v1/projects/{id}/monitoring': () => ({ project_id: 'pr1', as_of: '2026-12-02', measures: [], figures: figures() }),
      'PATCH /api/v1/projects/{id}': () => project({ requested_cents: 13000000, call_title: null, updated_at: T1 }),
    });
    renderApp('/projects/pr1');
    await userEvent.click(await screen.findByRole('button', { name: 'Modifica i dati' }));
    const dialog = await screen.findByRole('dialog');
    const requested = await within(dialog).findByLabelText('Importo richiesto (euro)');
    expect(requested).toHaveValue('120000,00');
    await userEvent.clear(requested);
    await userEvent.type(requested, '130.000,00');
    await userEvent.clear(within(dialog).getByLabelText('Bando'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(callsTo('PATCH /api/v1/projects/{id}')).toHaveLength(1));
    const req = callsTo('PATCH /api/v1/projects/{id}')[0].req;
    expect(req.headers.get('If-Match')).toBe(etagOf(T0));
    expect(await req.json()).toEqual({ call_title: null, requested_cents: 13000000 });
  });

  it('writes the text for operators the opportunity board shows, and takes "120.000" as euros', async () => {
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/projects/{id}': () => project(),
      'GET /api/v1/projects/{id}/monitoring': () => ({ project_id: 'pr1', as_of: '2026-12-02', measures: [], figures: figures() }),
      'PATCH /api/v1/projects/{id}': () => project({ updated_at: T1 }),
    });
    renderApp('/projects/pr1');
    await userEvent.click(await screen.findByRole('button', { name: 'Modifica i dati' }));
    const dialog = await screen.findByRole('dialog');
    const cofinanced = await within(dialog).findByLabelText('Cofinanziamento (euro)');
    await userEvent.clear(cofinanced);
    await userEvent.type(cofinanced, '120.000');
    await userEvent.type(within(dialog).getByLabelText('Per gli operatori'), '  Per chi ha più di 50 anni.  ');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(callsTo('PATCH /api/v1/projects/{id}')).toHaveLength(1));
    expect(await callsTo('PATCH /api/v1/projects/{id}')[0].req.json())
      .toEqual({ cofinanced_cents: 12000000, for_operators: 'Per chi ha più di 50 anni.' });
  });
});

describe('a new project', () => {
  it('is recorded as an idea with its amounts in euros and its deadlines', async () => {
    const { callsTo } = signedInAs('coordinator', {
      'POST /api/v1/projects': () => project({ id: 'pr9' }),
      'GET /api/v1/plans': () => ({ items: [plan()], next: null }),
      'GET /api/v1/plans/{id}/actions': () => ({ items: [planAction(), planAction({ id: 'pa9', title: 'Azione abbandonata', status: 'dropped' })], next: null }),
      'GET /api/v1/projects/{id}': () => project({ id: 'pr9' }),
      'GET /api/v1/projects/{id}/monitoring': () => ({ project_id: 'pr9', as_of: '2026-12-02', measures: [], figures: figures() }),
    });
    const { router } = renderApp('/projects/new');
    await screen.findByRole('heading', { name: 'Nuovo progetto', level: 1 });
    await userEvent.click(screen.getByRole('button', { name: 'Registra il progetto' }));
    expect(await screen.findByText('Campo obbligatorio.', { selector: '#project-funder-error' })).toBeInTheDocument();
    await userEvent.type(screen.getByLabelText(/^Titolo del progetto/), 'Un Ponte per il lavoro');
    await userEvent.type(screen.getByLabelText(/^Ente finanziatore/), 'Regione Lombardia');
    await userEvent.type(screen.getByLabelText('Bando'), 'Bando inclusione attiva 2027');
    await userEvent.selectOptions(screen.getByLabelText('Fonte di finanziamento'), 'regional');
    await userEvent.type(screen.getByLabelText('Importo richiesto (euro)'), '120.000,00');
    await userEvent.type(screen.getByLabelText('Cofinanziamento (euro)'), '15000,50');
    await userEvent.type(screen.getByLabelText('Scadenza di presentazione'), '28/02/2027');
    // The open actions of the plans, to link; a dropped one is not offered.
    await userEvent.click(await screen.findByLabelText('Consultazione degli stakeholders'));
    expect(screen.queryByLabelText('Azione abbandonata')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Registra il progetto' }));
    await waitFor(() => expect(callsTo('POST /api/v1/projects')).toHaveLength(1));
    expect(await callsTo('POST /api/v1/projects')[0].req.json()).toEqual({
      title: 'Un Ponte per il lavoro', funder: 'Regione Lombardia', call_title: 'Bando inclusione attiva 2027', description: null,
      funding_source: 'regional', requested_cents: 12000000, cofinanced_cents: 1500050, submission_deadline: '2027-02-28',
      start_date: null, end_date: null, reporting_deadline: null, plan_action_ids: ['pa1'],
    });
    await waitFor(() => expect(router.state.location.pathname).toBe('/projects/pr9'));
    expect(await screen.findByTestId('flash')).toHaveTextContent('Progetto registrato come idea.');
  });
});
