import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { etagOf, measure, T0, T1 } from '../../test/fixtures';
import { json, ME, mockApi, problem, renderApp, type Handler } from '../../test/utils';

const TOKENS = { access_token: 'A', token_type: 'Bearer', expires_in: 900, refresh_token: 'R', refresh_expires_in: 3600 };

function catalogue(patch: Handler, current: () => ReturnType<typeof measure>) {
  return mockApi((req, url) => {
    if (url.pathname === '/api/v1/auth/refresh') return json(200, TOKENS);
    if (url.pathname === '/api/v1/me') return json(200, ME.coordinator);
    if (url.pathname === '/api/v1/measures') return json(200, { items: [current()], next: null });
    if (url.pathname === '/api/v1/thresholds') return json(200, { items: [], next: null });
    if (url.pathname === '/api/v1/measures/ms-dul' && req.method === 'GET') return json(200, current());
    if (url.pathname === '/api/v1/measures/ms-dul' && req.method === 'PATCH') return patch(req, url);
    return undefined;
  });
}

describe('editing a measure', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the API field errors at their fields; code and type stay as created', async () => {
    const { calls } = catalogue(() => problem(422, {
      code: 'validation_failed', detail: '1 field is invalid',
      errors: [{ field: 'max_age', code: 'range', message: 'must not be below min_age' }],
    }), () => measure());
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    renderApp('/catalogue');
    await userEvent.click(await screen.findByRole('button', { name: /^Modifica\s*DUL/ }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText(/^Codice/)).toBeDisabled();
    expect(within(dialog).getByLabelText(/^Tipologia/)).toBeDisabled();
    const max = within(dialog).getByLabelText(/^Età massima/);
    await userEvent.clear(max);
    await userEvent.type(max, '16');
    await userEvent.click(within(dialog).getByLabelText('Cluster 1'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(within(dialog).getByLabelText(/^Età massima/)).toHaveAttribute('aria-invalid', 'true'));
    // At the field, and in the summary at the top of the dialog.
    expect(within(dialog).getAllByText("Valore fuori dall'intervallo consentito.")).toHaveLength(2);
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.headers.get('If-Match')).toBe(etagOf(T0));
    expect(await patch.json()).toEqual({ max_age: 16, clusters: ['band_1'] });
  }, 30_000);

  it('on 412 keeps the typed values and saves after loading the current version', async () => {
    let current = measure();
    const { calls } = catalogue((req) => {
      if (req.headers.get('If-Match') !== etagOf(current.updated_at)) return problem(412, { code: 'precondition_failed' });
      current = measure({ name: 'Dote Unica Lavoro 2026', active: false, updated_at: '2026-03-01T12:00:00Z' });
      return json(200, current);
    }, () => current);
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    renderApp('/catalogue');
    await userEvent.click(await screen.findByRole('button', { name: /^Modifica\s*DUL/ }));
    const dialog = await screen.findByRole('dialog');
    const name = within(dialog).getByLabelText(/^Nome/);
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
    const patches = calls.filter((c) => c.method === 'PATCH');
    expect(patches[1].headers.get('If-Match')).toBe(etagOf(T1));
    expect(await patches[1].json()).toEqual({ name: 'Dote Unica Lavoro 2026' });
    expect(await screen.findByText('Dote Unica Lavoro 2026')).toBeInTheDocument();
  }, 30_000);

  it('empties an age limit and the end date with null, which removes them; a name stays required', async () => {
    const { calls } = catalogue(() => json(200, measure({ valid_to: null, min_age: null, updated_at: T1 })), () => measure());
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    renderApp('/catalogue');
    await userEvent.click(await screen.findByRole('button', { name: /^Modifica\s*DUL/ }));
    const dialog = await screen.findByRole('dialog');
    const name = within(dialog).getByLabelText(/^Nome/);
    await userEvent.clear(name);
    await userEvent.clear(within(dialog).getByLabelText(/^Età minima/));
    await userEvent.clear(within(dialog).getByLabelText(/^Al/));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(within(dialog).getByLabelText(/^Nome/)).toHaveAttribute('aria-invalid', 'true'));
    expect(within(dialog).getAllByText('Campo obbligatorio.')).not.toHaveLength(0);
    expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(0);
    await userEvent.type(within(dialog).getByLabelText(/^Nome/), 'Dote Unica Lavoro');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(await patch.json()).toEqual({ valid_to: null, min_age: null });
  }, 30_000);
});
