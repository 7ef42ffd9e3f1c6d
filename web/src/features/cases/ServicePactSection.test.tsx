import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { caseDetail, T0 } from '../../test/fixtures';
import { json, problem, renderApp, signedInAs } from '../../test/utils';
import type { ServicePact } from './ServicePactSection';

const pact = (extra: Partial<ServicePact> = {}): ServicePact => ({
  case_id: 'c1', version: 2, current: true, summary: 'Ricerca attiva nella logistica.',
  responsible: { id: 'u-op', full_name: 'Ugo Verdi' }, profile_kind: 'gol', profile_value: 'pathway_1',
  assessment: 'Buona motivazione.', meeting_frequency: 'fortnightly', job_search_proof: 'Copia delle candidature.',
  actions: [
    { id: 'a1', kind: 'job_search', description: 'Cinque candidature', due_date: null, timing: 'ogni settimana', done_at: T0, done_follow_up_id: 'f1' },
    { id: 'a2', kind: 'training', description: 'Corso carrellista', due_date: '2026-03-31', timing: null, done_at: null, done_follow_up_id: null },
  ],
  signed_document_id: null, created_by: 'u-op', created_at: T0,
  allowed_actions: ['edit_service_pact'], blocked_actions: [], ...extra,
});

const section = () => screen.getByTestId('service-pact');

describe('the service pact on the case workspace', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the version in force in Italian and revises it as a new version sent with its ETag', async () => {
    let current = pact();
    const { callsTo } = signedInAs('agency_operator', {
      'GET /api/v1/cases/{id}': () => caseDetail(),
      'GET /api/v1/cases/{id}/service-pact': () => json(200, current, { ETag: `"${current.version}"` }),
      'GET /api/v1/cases/{id}/service-pact/versions': () => ({ items: [current, pact({ version: 1, current: false, summary: 'Orientamento.' })], next: null }),
      'GET /api/v1/cases/{id}/documents': () => ({ items: [], next: null }),
      'PUT /api/v1/cases/{id}/service-pact': async ({ body }) => {
        const b = await body();
        current = pact({ version: 3, summary: b.summary, profile_kind: b.profile_kind ?? null, profile_value: b.profile_value ?? null });
        return json(200, current, { ETag: '"3"' });
      },
    });
    renderApp('/cases/c1');
    expect(await within(await screen.findByTestId('service-pact')).findByText('Percorso GOL 1 – reinserimento lavorativo')).toBeInTheDocument();
    expect(within(section()).getByText('Ugo Verdi')).toBeInTheDocument();
    expect(within(section()).getByText('Ogni due settimane')).toBeInTheDocument();
    expect(within(section()).getByTestId('pact-version')).toHaveTextContent('Versione 2');
    const actions = within(within(section()).getByTestId('pact-actions')).getAllByRole('listitem');
    expect(actions[0]).toHaveTextContent('Ricerca attiva di lavoro');
    expect(actions[0]).toHaveTextContent(/Svolta il/);
    expect(actions[1]).toHaveTextContent('entro il 31/03/2026');
    expect(actions[1]).toHaveTextContent('Da svolgere');
    // The history, on demand.
    await userEvent.click(within(section()).getByRole('button', { name: 'Mostra le versioni precedenti' }));
    expect(await within(section()).findByText(/Orientamento\./)).toBeInTheDocument();
    // Revise: DUL band 2, one more action.
    await userEvent.click(within(section()).getByRole('button', { name: 'Rivedi il patto' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.selectOptions(within(dialog).getByLabelText('Programma'), 'dul');
    await userEvent.selectOptions(within(dialog).getByLabelText('Profilo di occupabilità'), 'band_2');
    await userEvent.click(within(dialog).getByRole('button', { name: "Aggiungi un'azione" }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva la nuova versione' }));
    // The new action has no description yet: said in the form, nothing sent.
    expect(await within(dialog).findByText('Campo obbligatorio.', { exact: false })).toBeInTheDocument();
    expect(callsTo('PUT /api/v1/cases/{id}/service-pact')).toHaveLength(0);
    await userEvent.type(within(dialog).getByLabelText(/Descrizione/, { selector: '#pact-action-2-description' }), 'Colloquio di gruppo');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva la nuova versione' }));
    await waitFor(() => expect(callsTo('PUT /api/v1/cases/{id}/service-pact')).toHaveLength(1));
    const put = callsTo('PUT /api/v1/cases/{id}/service-pact')[0].req;
    expect(put.headers.get('If-Match')).toBe('"2"');
    const sent = await put.json() as { profile_kind: string; profile_value: string; actions: { id: string | null; description: string }[] };
    expect(sent.profile_kind).toBe('dul');
    expect(sent.profile_value).toBe('band_2');
    expect(sent.actions.map((a) => a.id)).toEqual(['a1', 'a2', null]);
    expect(sent.actions[2].description).toBe('Colloquio di gruppo');
    await waitFor(() => expect(within(section()).getByTestId('pact-version')).toHaveTextContent('Versione 3'));
    expect(within(section()).getByText('Fascia 2 di aiuto DUL')).toBeInTheDocument();
  }, 30_000);

  it('says there is none before take-charge', async () => {
    signedInAs('agency_operator', {
      'GET /api/v1/cases/{id}': () => caseDetail({ status: 'assigned', first_meeting_date: null, plan_goals: null }),
      'GET /api/v1/cases/{id}/documents': () => ({ items: [], next: null }),
    });
    renderApp('/cases/c1');
    expect(await within(await screen.findByTestId('service-pact')).findByText(/si firma alla presa in carico/)).toBeInTheDocument();
  }, 30_000);

  it('is signed at take-charge: the form sends the whole pact and shows what the API refuses at its field', async () => {
    let attempt = 0;
    const { callsTo } = signedInAs('agency_operator', {
      'GET /api/v1/cases/{id}': () => caseDetail({
        status: 'assigned', first_meeting_date: null, plan_goals: null, allowed_actions: ['take_charge'], blocked_actions: [],
      }),
      'GET /api/v1/cases/{id}/documents': () => ({ items: [], next: null }),
      'GET /api/v1/cases/{id}/service-pact/operators': () => ({
        items: [{ id: 'u-op', full_name: 'Ugo Verdi' }, { id: 'u-op2', full_name: 'Anna Neri' }], next: null,
      }),
      'POST /api/v1/cases/{id}/take-charge': () => (attempt++ === 0
        ? problem(422, {
          code: 'validation_failed', detail: '1 field is invalid',
          errors: [{ field: 'service_pact.actions[0].description', code: 'length', message: 'too short' }],
        })
        : caseDetail()),
    });
    renderApp('/cases/c1');
    await userEvent.click(await screen.findByRole('button', { name: 'Prendi in carico' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/^Obiettivi del patto di servizio/), 'Ricerca attiva nella logistica.');
    await userEvent.selectOptions(await within(dialog).findByLabelText('Operatore responsabile'), 'u-op2');
    await userEvent.selectOptions(within(dialog).getByLabelText('Programma'), 'gol');
    await userEvent.selectOptions(within(dialog).getByLabelText('Profilo di occupabilità'), 'pathway_1');
    await userEvent.selectOptions(within(dialog).getByLabelText('Cadenza dei colloqui'), 'monthly');
    await userEvent.click(within(dialog).getByRole('button', { name: "Aggiungi un'azione" }));
    await userEvent.type(within(dialog).getByLabelText(/Descrizione/, { selector: '#pact-action-0-description' }), 'Cinque candidature');
    await userEvent.type(within(dialog).getByLabelText('Entro il'), '31/03/2027');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Prendi in carico' }));
    // The server's refusal lands on the action's description.
    await waitFor(() => expect(within(dialog).getByLabelText(/Descrizione/, { selector: '#pact-action-0-description' })).toHaveAttribute('aria-invalid', 'true'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Prendi in carico' }));
    await waitFor(() => expect(callsTo('POST /api/v1/cases/{id}/take-charge')).toHaveLength(2));
    const sent = await callsTo('POST /api/v1/cases/{id}/take-charge')[1].req.json() as {
      first_meeting_date: string; plan_goals?: string;
      service_pact: { summary: string; responsible_user_id: string; profile_kind: string; profile_value: string; meeting_frequency: string; actions: { description: string; due_date: string }[] };
    };
    expect(sent.plan_goals).toBeUndefined();
    expect(sent.service_pact.summary).toBe('Ricerca attiva nella logistica.');
    expect(sent.service_pact.profile_value).toBe('pathway_1');
    expect(sent.service_pact.responsible_user_id).toBe('u-op2');
    expect(sent.service_pact.meeting_frequency).toBe('monthly');
    expect(sent.service_pact.actions).toEqual([{ id: null, kind: 'job_search', description: 'Cinque candidature', due_date: '2027-03-31', timing: null }]);
  }, 30_000);

  it('offers the PDF but no revision to who may only read it', async () => {
    signedInAs('coordinator', {
      'GET /api/v1/cases/{id}': () => caseDetail(),
      'GET /api/v1/cases/{id}/service-pact': () => json(200, pact({ allowed_actions: [] }), { ETag: '"2"' }),
      'GET /api/v1/cases/{id}/documents': () => ({ items: [], next: null }),
    });
    renderApp('/cases/c1');
    expect(await within(await screen.findByTestId('service-pact')).findByRole('button', { name: 'Scarica PDF' })).toBeInTheDocument();
    expect(within(section()).getByText('Percorso GOL 1 – reinserimento lavorativo')).toBeInTheDocument();
    expect(within(section()).queryByRole('button', { name: 'Rivedi il patto' })).not.toBeInTheDocument();
  }, 30_000);

  it('lets a follow-up tick the actions of the pact still to do', async () => {
    const { callsTo } = signedInAs('agency_operator', {
      'GET /api/v1/cases/{id}': () => caseDetail(),
      'GET /api/v1/cases/{id}/service-pact': () => json(200, pact(), { ETag: '"2"' }),
      'GET /api/v1/cases/{id}/documents': () => ({ items: [], next: null }),
      'GET /api/v1/cases/{id}/follow-ups': () => ({ items: [], next: null }),
      'POST /api/v1/cases/{id}/follow-ups': () => ({
        id: 'f2', case_id: 'c1', kind: 'meeting', date: '2026-03-02', note: 'Colloquio', next_due_date: null,
        created_by: 'u-op', created_at: T0,
      }),
    });
    renderApp('/cases/c1');
    const legend = await screen.findByText('Azioni del patto svolte con questo contatto');
    const group = legend.closest('fieldset') as HTMLElement;
    // Only what is still to do is offered.
    expect(within(group).queryByLabelText(/Cinque candidature/)).not.toBeInTheDocument();
    await userEvent.click(within(group).getByLabelText('Formazione: Corso carrellista'));
    await userEvent.type(screen.getByLabelText(/^Nota/), 'Iscritta al corso');
    await userEvent.click(screen.getByRole('button', { name: /Aggiungi al diario|Registra/ }));
    await waitFor(() => expect(callsTo('POST /api/v1/cases/{id}/follow-ups')).toHaveLength(1));
    const sent = await callsTo('POST /api/v1/cases/{id}/follow-ups')[0].req.json() as { pact_action_ids: string[] };
    expect(sent.pact_action_ids).toEqual(['a2']);
  }, 30_000);
});
