import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Measure } from '../../api/types';
import type { RouteHandler } from '../../test/api';
import { blocked, EMPTY_PAGE, etagOf, measure, T0, T1 } from '../../test/fixtures';
import { problem, renderApp, signedInAs } from '../../test/utils';

function catalogue(patch: RouteHandler<'PATCH /api/v1/measures/{id}'>, current: () => Measure, listed: () => Measure = current) {
  return signedInAs('coordinator', {
    'GET /api/v1/measures': () => ({ items: [listed()], next: null }),
    'GET /api/v1/thresholds': () => EMPTY_PAGE,
    'GET /api/v1/measures/{id}': () => current(),
    'PATCH /api/v1/measures/{id}': patch,
  });
}

describe('editing a measure', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the API field errors at their fields; code and type stay as created', async () => {
    const { callsTo } = catalogue(() => problem(422, {
      code: 'validation_failed', detail: '1 field is invalid',
      errors: [{ field: 'max_age', code: 'range', message: 'must not be below min_age' }],
    }), () => measure());
    renderApp('/catalogue');
    await userEvent.click(await screen.findByRole('button', { name: /^Modifica\s*DUL/ }));
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByLabelText(/^Codice/)).toBeDisabled();
    expect(within(dialog).getByLabelText(/^Tipologia/)).toBeDisabled();
    const max = within(dialog).getByLabelText(/^Età massima/);
    await userEvent.clear(max);
    await userEvent.type(max, '16');
    await userEvent.click(within(dialog).getByLabelText('Cluster 1'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(within(dialog).getByLabelText(/^Età massima/)).toHaveAttribute('aria-invalid', 'true'));
    // At the field, and in the summary at the top of the dialog.
    expect(within(dialog).getAllByText("Valore fuori dall'intervallo consentito.")).toHaveLength(1);
    expect(await within(dialog).findByText(/: valore fuori dall'intervallo consentito\.$/)).toBeInTheDocument();
    const [patch] = callsTo('PATCH /api/v1/measures/{id}');
    expect(patch.req.headers.get('If-Match')).toBe(etagOf(T0));
    expect(await patch.req.json()).toEqual({ max_age: 16, clusters: ['band_1'] });
  }, 30_000);

  it('on 412 keeps the typed values and saves after loading the current version', async () => {
    let current = measure();
    const { callsTo } = catalogue(({ req }) => {
      if (req.headers.get('If-Match') !== etagOf(current.updated_at)) return problem(412, { code: 'precondition_failed' });
      current = measure({ name: 'Dote Unica Lavoro 2026', active: false, updated_at: '2026-03-01T12:00:00Z' });
      return current;
    }, () => current);
    renderApp('/catalogue');
    await userEvent.click(await screen.findByRole('button', { name: /^Modifica\s*DUL/ }));
    const dialog = await screen.findByRole('dialog');
    const name = await within(dialog).findByLabelText(/^Nome/);
    await userEvent.clear(name);
    await userEvent.type(name, 'Dote Unica Lavoro 2026');
    current = measure({ active: false, updated_at: T1 }); // switched off meanwhile
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    const notice = await within(dialog).findByTestId('stale-notice');
    expect(within(dialog).getByLabelText(/^Nome/)).toHaveValue('Dote Unica Lavoro 2026');
    await userEvent.click(within(notice).getByRole('button', { name: 'Carica la versione aggiornata' }));
    await within(dialog).findByTestId('rebased-notice');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const patches = callsTo('PATCH /api/v1/measures/{id}');
    expect(patches[1].req.headers.get('If-Match')).toBe(etagOf(T1));
    expect(await patches[1].req.json()).toEqual({ name: 'Dote Unica Lavoro 2026' });
    expect(await screen.findByText('Dote Unica Lavoro 2026')).toBeInTheDocument();
  }, 30_000);

  it('empties an age limit and the end date with null, which removes them; a name stays required', async () => {
    const { callsTo } = catalogue(() => measure({ valid_to: null, min_age: null, updated_at: T1 }), () => measure());
    renderApp('/catalogue');
    await userEvent.click(await screen.findByRole('button', { name: /^Modifica\s*DUL/ }));
    const dialog = await screen.findByRole('dialog');
    const name = await within(dialog).findByLabelText(/^Nome/);
    await userEvent.clear(name);
    await userEvent.clear(within(dialog).getByLabelText(/^Età minima/));
    await userEvent.clear(within(dialog).getByLabelText(/^Al/));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(within(dialog).getByLabelText(/^Nome/)).toHaveAttribute('aria-invalid', 'true'));
    expect(within(dialog).getAllByText('Campo obbligatorio.')).not.toHaveLength(0);
    expect(callsTo('PATCH /api/v1/measures/{id}')).toHaveLength(0);
    await userEvent.type(within(dialog).getByLabelText(/^Nome/), 'Dote Unica Lavoro');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const [patch] = callsTo('PATCH /api/v1/measures/{id}');
    expect(await patch.req.json()).toEqual({ valid_to: null, min_age: null });
  }, 30_000);

  it('switches a measure off with the version read now, unless someone switched it meanwhile', async () => {
    let current = measure();
    const { callsTo } = catalogue(async ({ body }) => {
      current = measure({ ...(await body()) as Partial<Measure>, updated_at: T1 });
      return current;
    }, () => current);
    renderApp('/catalogue');
    await userEvent.click(await screen.findByRole('switch', { name: /^Attivo\s*DUL/ }));
    await waitFor(() => expect(callsTo('PATCH /api/v1/measures/{id}')).toHaveLength(1));
    const [patch] = callsTo('PATCH /api/v1/measures/{id}');
    expect(patch.req.headers.get('If-Match')).toBe(etagOf(T0));
    expect(await patch.req.json()).toEqual({ active: false });
    await screen.findByRole('switch', { name: /^Non attivo\s*DUL/ });

    // Someone else switches it back on; this list still shows it off: nothing is sent, the list is read again.
    current = measure({ active: true, updated_at: T1 });
    await userEvent.click(screen.getByRole('switch', { name: /^Non attivo\s*DUL/ }));
    expect(await screen.findByText(/Nel frattempo qualcun altro ha modificato questo elemento/)).toBeInTheDocument();
    expect(callsTo('PATCH /api/v1/measures/{id}')).toHaveLength(1);
    await screen.findByRole('switch', { name: /^Attivo\s*DUL/ });
  }, 30_000);

  it('is offered as the API says: no edit where the measure does not allow it', async () => {
    catalogue(() => undefined, () => measure({ allowed_actions: [], blocked_actions: [blocked('edit', 'La misura è archiviata')] }));
    renderApp('/catalogue');
    const edit = await screen.findByRole('button', { name: /^Modifica\s*DUL/ });
    expect(edit).toHaveAttribute('aria-disabled', 'true');
    expect(edit).toHaveAccessibleDescription('Modifica: La misura è archiviata');
    expect(screen.getByRole('switch', { name: /^Attivo\s*DUL/ })).toBeDisabled();
  });
});

describe('a measure\'s funding source', () => {
  it('is chosen from the plan\'s sources, with a note; the list shows both', async () => {
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/measures': () => ({ items: [measure()], next: null }),
      'GET /api/v1/thresholds': () => EMPTY_PAGE,
      'POST /api/v1/measures': async ({ body }) => measure({ ...(await body()) as Partial<Measure>, id: 'ms-new' }),
    });
    renderApp('/catalogue');
    const dul = (await screen.findByRole('rowheader', { name: 'DUL' })).closest('tr')!;
    expect(within(dul).getByText('FSE+')).toBeInTheDocument();
    expect(within(dul).getByTestId('funding-note')).toHaveTextContent('FSE+ – Regione Lombardia');

    await userEvent.click(screen.getByRole('button', { name: 'Nuova misura' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/^Codice/), 'CARE');
    await userEvent.type(within(dialog).getByLabelText(/^Nome/), 'Care Leavers');
    const source = within(dialog).getByLabelText(/^Fonte di finanziamento/);
    expect(within(source).getByRole('option', { name: 'Bilancio dell\'Ambito' })).toHaveValue('district_budget');
    // "Altra fonte" says which: refused at the note while it is empty, nothing sent.
    await userEvent.selectOptions(source, 'other');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(within(dialog).getByLabelText(/^Nota sul finanziamento/)).toHaveAttribute('aria-invalid', 'true'));
    expect(within(dialog).getAllByText('Con «Altra fonte» indica quale nella nota.').length).toBeGreaterThan(0);
    expect(callsTo('POST /api/v1/measures')).toHaveLength(0);

    await userEvent.selectOptions(source, 'district_budget');
    await userEvent.type(within(dialog).getByLabelText(/^Nota sul finanziamento/), "  Fondo d'Ambito ");
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const [post] = callsTo('POST /api/v1/measures');
    expect(await post.req.json()).toMatchObject({ code: 'CARE', funding_source: 'district_budget', funding_note: "Fondo d'Ambito" });
  }, 30_000);

  it('sends a new source, and an emptied note as null', async () => {
    const { callsTo } = catalogue(() => measure({ funding_source: 'regional', funding_note: null, updated_at: T1 }), () => measure());
    renderApp('/catalogue');
    await userEvent.click(await screen.findByRole('button', { name: /^Modifica\s*DUL/ }));
    const dialog = await screen.findByRole('dialog');
    const source = await within(dialog).findByLabelText(/^Fonte di finanziamento/);
    expect(source).toHaveValue('esf_plus');
    const note = within(dialog).getByLabelText(/^Nota sul finanziamento/);
    expect(note).toHaveValue('FSE+ – Regione Lombardia');
    await userEvent.selectOptions(source, 'regional');
    await userEvent.clear(note);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const [patch] = callsTo('PATCH /api/v1/measures/{id}');
    expect(await patch.req.json()).toEqual({ funding_source: 'regional', funding_note: null });
  }, 30_000);

  it('writes the text for operators the opportunity board shows, and clears it with null', async () => {
    const { callsTo } = catalogue(() => measure({ for_operators: null, updated_at: T1 }), () => measure());
    renderApp('/catalogue');
    await userEvent.click(await screen.findByRole('button', { name: /^Modifica\s*DUL/ }));
    const dialog = await screen.findByRole('dialog');
    const text = await within(dialog).findByLabelText(/^Per gli operatori/);
    await userEvent.type(text, '  Per chi è disoccupato: segnalare al tavolo. ');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const [patch] = callsTo('PATCH /api/v1/measures/{id}');
    expect(await patch.req.json()).toEqual({ for_operators: 'Per chi è disoccupato: segnalare al tavolo.' });
  }, 30_000);

  it('shows the API\'s refusal of the note at its field', async () => {
    catalogue(() => problem(422, {
      code: 'validation_failed', detail: '1 field is invalid',
      errors: [{ field: 'funding_note', code: 'required', message: 'con la fonte «altro» va indicata quale' }],
    }), () => measure());
    renderApp('/catalogue');
    await userEvent.click(await screen.findByRole('button', { name: /^Modifica\s*DUL/ }));
    const dialog = await screen.findByRole('dialog');
    // The note is there, so the form sends; the server still refuses (e.g. someone emptied it meanwhile).
    await userEvent.selectOptions(await within(dialog).findByLabelText(/^Fonte di finanziamento/), 'other');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(within(dialog).getByLabelText(/^Nota sul finanziamento/)).toHaveAttribute('aria-invalid', 'true'));
  }, 30_000);
});
