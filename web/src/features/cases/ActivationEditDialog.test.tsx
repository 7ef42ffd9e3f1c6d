import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Activation } from '../../api/types';
import type { RouteHandler } from '../../test/api';
import { activation, blocked, caseDetail, EMPTY_PAGE, etagOf, T0, T1, T2, threshold } from '../../test/fixtures';
import { problem, renderApp, signedInAs, type Who } from '../../test/utils';

/** The case workspace with one activation: the case shows `shown`, GET /activations/a1 answers `current`. */
function workspace(patch: RouteHandler<'PATCH /api/v1/activations/{id}'>, current: () => Activation, who: Who = 'agency_operator',
  shown: () => Activation = current) {
  return signedInAs(who, {
    'GET /api/v1/cases/{id}': () => caseDetail({ activations: [shown()] }),
    'GET /api/v1/thresholds': () => ({ items: [threshold()], next: null }),
    'GET /api/v1/cases/{id}/follow-ups': () => EMPTY_PAGE,
    'GET /api/v1/cases/{id}/timeline': () => ({ items: [] }),
    'GET /api/v1/activations/{id}': () => current(),
    'PATCH /api/v1/activations/{id}': patch,
  });
}

const editButton = () => screen.findByRole('button', { name: /^Modifica\s*GG/ });

describe('editing a proposed activation', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is offered as the activation allows it: blocked, it is disabled with the API reason', async () => {
    workspace(() => undefined, () => activation({
      status: 'approved', allowed_actions: ['start', 'cancel'],
      blocked_actions: [blocked('edit', 'La misura è approvata'), blocked('approve', 'La misura è approvata')],
    }));
    renderApp('/cases/c1');
    const start = await screen.findByRole('button', { name: /^Avvia/ });
    expect(start).not.toHaveAttribute('aria-disabled');
    const edit = await editButton();
    expect(edit).toHaveAttribute('aria-disabled', 'true');
    expect(edit).toHaveAccessibleDescription('Approva, Modifica: La misura è approvata');
    await userEvent.click(edit);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    // Actions the API neither allows nor blocks for this user are not shown at all.
    expect(screen.queryByRole('button', { name: /^Completa/ })).not.toBeInTheDocument();
  });

  it('reads the activation itself on opening and saves with that read\'s ETag, not the case\'s copy', async () => {
    const { callsTo } = workspace(() => activation({ amount_cents: 150000, updated_at: T2 }),
      () => activation({ note: 'Aggiornata', updated_at: T1 }), 'agency_operator', () => activation({ updated_at: T0 }));
    renderApp('/cases/c1');
    await userEvent.click(await editButton());
    const dialog = await screen.findByRole('dialog');
    // The form starts from the activation as read now.
    expect(await within(dialog).findByLabelText(/^Nota/)).toHaveValue('Aggiornata');
    const amount = within(dialog).getByLabelText(/^Importo \(euro\)/);
    await userEvent.clear(amount);
    await userEvent.type(amount, '1500');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(callsTo('GET /api/v1/activations/{id}')).toHaveLength(1);
    const [patch] = callsTo('PATCH /api/v1/activations/{id}');
    expect(patch.req.headers.get('If-Match')).toBe(etagOf(T1));
    expect(await patch.req.json()).toEqual({ amount_cents: 150000 });
  }, 30_000);

  it('shows the API field errors at their fields', async () => {
    const { callsTo } = workspace(() => problem(422, {
      code: 'validation_failed', detail: '1 field is invalid',
      errors: [{ field: 'amount_cents', code: 'range', message: 'must be between 1 and 100000000' }],
    }), () => activation());
    renderApp('/cases/c1');
    await userEvent.click(await editButton());
    const dialog = await screen.findByRole('dialog');
    const amount = await within(dialog).findByLabelText(/^Importo \(euro\)/);
    expect(amount).toHaveValue('1200,00');
    await userEvent.clear(amount);
    await userEvent.type(amount, '2000000');
    await userEvent.type(within(dialog).getByLabelText(/^Nota/), 'Tirocinio di 6 mesi');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(within(dialog).getByLabelText(/^Importo \(euro\)/)).toHaveAttribute('aria-invalid', 'true'));
    expect(within(dialog).getByText("Valore fuori dall'intervallo consentito.")).toBeInTheDocument();
    const [patch] = callsTo('PATCH /api/v1/activations/{id}');
    expect(patch.req.headers.get('If-Match')).toBe(etagOf(T0));
    expect(await patch.req.json()).toEqual({ amount_cents: 200000000, note: 'Tirocinio di 6 mesi' });
  }, 30_000);

  it('on 412 says someone else changed it, keeps the amount typed and saves after reloading', async () => {
    let current = activation();
    const { callsTo } = workspace(({ req }) => {
      if (req.headers.get('If-Match') !== etagOf(current.updated_at)) return problem(412, { code: 'precondition_failed' });
      current = activation({ amount_cents: 98050, note: 'Dal coordinamento', updated_at: '2026-03-01T12:00:00Z' });
      return current;
    }, () => current, 'coordinator');
    renderApp('/cases/c1');
    await userEvent.click(await editButton());
    const dialog = await screen.findByRole('dialog');
    const amount = await within(dialog).findByLabelText(/^Importo \(euro\)/);
    await userEvent.clear(amount);
    await userEvent.type(amount, '980,50');
    current = activation({ note: 'Dal coordinamento', updated_at: T1 });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    const notice = await within(dialog).findByTestId('stale-notice');
    expect(within(dialog).getByLabelText(/^Importo \(euro\)/)).toHaveValue('980,50');
    await userEvent.click(within(notice).getByRole('button', { name: 'Carica la versione aggiornata' }));
    await within(dialog).findByTestId('rebased-notice');
    expect(within(dialog).getByLabelText(/^Nota/)).toHaveValue('Dal coordinamento');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const patches = callsTo('PATCH /api/v1/activations/{id}');
    expect(patches[0].req.headers.get('If-Match')).toBe(etagOf(T0));
    expect(patches[1].req.headers.get('If-Match')).toBe(etagOf(T1));
    expect(await patches[1].req.json()).toEqual({ amount_cents: 98050 });
    expect(await screen.findByText('Dal coordinamento')).toBeInTheDocument();
  }, 30_000);

  it('empties the note with null, which removes it', async () => {
    let current = activation({ note: 'Proposta dal tavolo' });
    const { callsTo } = workspace(async ({ body }) => {
      current = activation({ ...(await body()), updated_at: T1 } as Partial<Activation>);
      return current;
    }, () => current);
    renderApp('/cases/c1');
    expect(await screen.findByText('Proposta dal tavolo')).toBeInTheDocument();
    await userEvent.click(await editButton());
    const dialog = await screen.findByRole('dialog');
    await userEvent.clear(await within(dialog).findByLabelText(/^Nota/));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await callsTo('PATCH /api/v1/activations/{id}')[0].req.json()).toEqual({ note: null });
    await waitFor(() => expect(screen.queryByText('Proposta dal tavolo')).not.toBeInTheDocument());
  }, 30_000);

  it('refuses to save, in Italian, when the read carried no version; nothing is sent', async () => {
    const { callsTo } = signedInAs('agency_operator', {
      'GET /api/v1/cases/{id}': () => caseDetail(),
      'GET /api/v1/thresholds': () => ({ items: [threshold()], next: null }),
      'GET /api/v1/cases/{id}/follow-ups': () => EMPTY_PAGE,
      'GET /api/v1/cases/{id}/timeline': () => ({ items: [] }),
      // A response without its ETag header (a proxy that strips it, say).
      'GET /api/v1/activations/{id}': () => new Response(JSON.stringify(activation()), { headers: { 'Content-Type': 'application/json' } }),
      'PATCH /api/v1/activations/{id}': () => activation(),
    });
    renderApp('/cases/c1');
    await userEvent.click(await editButton());
    const dialog = await screen.findByRole('dialog');
    const amount = await within(dialog).findByLabelText(/^Importo \(euro\)/);
    await userEvent.clear(amount);
    await userEvent.type(amount, '100');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    expect(await within(dialog).findByText(/Non è nota la versione dei dati che stai modificando/)).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/^Importo \(euro\)/)).toHaveValue('100');
    expect(callsTo('PATCH /api/v1/activations/{id}')).toHaveLength(0);
  }, 30_000);
});
