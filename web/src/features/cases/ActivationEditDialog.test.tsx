import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { activation, caseDetail, etagOf, T0, T1, threshold } from '../../test/fixtures';
import { json, ME, mockApi, problem, renderApp, type Handler } from '../../test/utils';

const TOKENS = { access_token: 'A', token_type: 'Bearer', expires_in: 900, refresh_token: 'R', refresh_expires_in: 3600 };

function workspace(patch: Handler, current: () => ReturnType<typeof activation>, who: keyof typeof ME = 'agency_operator') {
  return mockApi((req, url) => {
    if (url.pathname === '/api/v1/auth/refresh') return json(200, TOKENS);
    if (url.pathname === '/api/v1/me') return json(200, ME[who]);
    if (url.pathname === '/api/v1/cases/c1') return json(200, caseDetail({ activations: [current()] }));
    if (url.pathname === '/api/v1/thresholds') return json(200, { items: [threshold()], next: null });
    if (url.pathname === '/api/v1/cases/c1/follow-ups') return json(200, { items: [], next: null });
    if (url.pathname === '/api/v1/cases/c1/timeline') return json(200, []);
    if (url.pathname === '/api/v1/activations/a1' && req.method === 'GET') return json(200, current());
    if (url.pathname === '/api/v1/activations/a1' && req.method === 'PATCH') return patch(req, url);
    return undefined;
  });
}

describe('editing a proposed activation', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is offered only while proposed', async () => {
    workspace(() => undefined, () => activation({ status: 'approved' }));
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    renderApp('/cases/c1');
    await screen.findByRole('button', { name: /^Avvia/ });
    expect(screen.queryByRole('button', { name: /^Modifica\s*GG/ })).not.toBeInTheDocument();
  });

  it('shows the API field errors at their fields', async () => {
    const { calls } = workspace(() => problem(422, {
      code: 'validation_failed', detail: '1 field is invalid',
      errors: [{ field: 'amount_cents', code: 'range', message: 'must be between 1 and 100000000' }],
    }), () => activation());
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    renderApp('/cases/c1');
    await userEvent.click(await screen.findByRole('button', { name: /^Modifica\s*GG/ }));
    const dialog = await screen.findByRole('dialog');
    const amount = within(dialog).getByLabelText(/^Importo \(euro\)/);
    expect(amount).toHaveValue('1200,00');
    await userEvent.clear(amount);
    await userEvent.type(amount, '2000000');
    await userEvent.type(within(dialog).getByLabelText(/^Nota/), 'Tirocinio di 6 mesi');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(within(dialog).getByLabelText(/^Importo \(euro\)/)).toHaveAttribute('aria-invalid', 'true'));
    expect(within(dialog).getByText("Valore fuori dall'intervallo consentito.")).toBeInTheDocument();
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.headers.get('If-Match')).toBe(etagOf(T0));
    expect(await patch.json()).toEqual({ amount_cents: 200000000, note: 'Tirocinio di 6 mesi' });
  }, 30_000);

  it('on 412 says someone else changed it, keeps the amount typed and saves after reloading', async () => {
    let current = activation();
    const { calls } = workspace((req) => {
      if (req.headers.get('If-Match') !== etagOf(current.updated_at)) return problem(412, { code: 'precondition_failed' });
      current = activation({ amount_cents: 98050, note: 'Dal coordinamento', updated_at: '2026-03-01T12:00:00Z' });
      return json(200, current);
    }, () => current, 'coordinator');
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    renderApp('/cases/c1');
    await userEvent.click(await screen.findByRole('button', { name: /^Modifica\s*GG/ }));
    const dialog = await screen.findByRole('dialog');
    const amount = within(dialog).getByLabelText(/^Importo \(euro\)/);
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
    const patches = calls.filter((c) => c.method === 'PATCH');
    expect(patches[1].headers.get('If-Match')).toBe(etagOf(T1));
    expect(await patches[1].json()).toEqual({ amount_cents: 98050 });
    expect(await screen.findByText('Dal coordinamento')).toBeInTheDocument();
  }, 30_000);
  it('empties the note with null, which removes it', async () => {
    let current = activation({ note: 'Proposta dal tavolo' });
    const { calls } = workspace(async (req) => {
      current = activation({ ...(await req.json()), updated_at: T1 });
      return json(200, current);
    }, () => current);
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    renderApp('/cases/c1');
    expect(await screen.findByText('Proposta dal tavolo')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: /^Modifica\s*GG/ }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.clear(within(dialog).getByLabelText(/^Nota/));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await calls.find((c) => c.method === 'PATCH')!.json()).toEqual({ note: null });
    await waitFor(() => expect(screen.queryByText('Proposta dal tavolo')).not.toBeInTheDocument());
  }, 30_000);
});
