import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMPTY_PAGE, etagOf, meeting, T0, T1 } from '../../test/fixtures';
import { json, ME, mockApi, problem, renderApp, type Handler } from '../../test/utils';

const TOKENS = { access_token: 'A', token_type: 'Bearer', expires_in: 900, refresh_token: 'R', refresh_expires_in: 3600 };

function board(m: ReturnType<typeof meeting>, patch: Handler, current = () => m) {
  return mockApi((req, url) => {
    if (url.pathname === '/api/v1/auth/refresh') return json(200, TOKENS);
    if (url.pathname === '/api/v1/me') return json(200, ME.coordinator);
    if (url.pathname === '/api/v1/meetings/m1/agenda') return json(200, { meeting: current(), items: [] });
    if (url.pathname === '/api/v1/meetings/m1' && req.method === 'GET') return json(200, current());
    if (url.pathname === '/api/v1/meetings/m1' && req.method === 'PATCH') return patch(req, url);
    if (url.pathname === '/api/v1/thresholds' || url.pathname === '/api/v1/measures' || url.pathname === '/api/v1/organizations'
      || url.pathname === '/api/v1/referrals' || url.pathname === '/api/v1/cases') return json(200, EMPTY_PAGE);
    return undefined;
  });
}

describe('editing a meeting', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is not offered once the meeting is closed', async () => {
    board(meeting({ status: 'closed', closed_at: T0 }), () => undefined);
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    renderApp('/meetings/m1');
    await screen.findByRole('button', { name: 'Verbale stampabile' });
    expect(screen.queryByRole('button', { name: 'Modifica dettagli' })).not.toBeInTheDocument();
  });

  it('shows the API field errors at their fields', async () => {
    const { calls } = board(meeting(), () => problem(422, {
      code: 'validation_failed', detail: '1 field is invalid',
      errors: [{ field: 'location', code: 'length', message: 'must be at most 300 characters' }],
    }));
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    renderApp('/meetings/m1');
    await userEvent.click(await screen.findByRole('button', { name: 'Modifica dettagli' }));
    const dialog = await screen.findByRole('dialog');
    const location = within(dialog).getByLabelText(/^Luogo/);
    await userEvent.clear(location);
    await userEvent.type(location, 'Sala consiliare');
    await userEvent.type(within(dialog).getByLabelText(/^Partecipanti/), '\nCarla Pesenti');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(within(dialog).getByLabelText(/^Luogo/)).toHaveAttribute('aria-invalid', 'true'));
    expect(within(dialog).getByText('Lunghezza non valida.')).toBeInTheDocument();
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.headers.get('If-Match')).toBe(etagOf(T0));
    expect(await patch.json()).toEqual({ location: 'Sala consiliare', participants: ['Chiara Colombo', 'Carla Pesenti'] });
  }, 30_000);

  it('on 412 keeps the typed text, reloads on request and saves with the new version', async () => {
    let current = meeting();
    const { calls } = board(current, (req) => {
      if (req.headers.get('If-Match') !== etagOf(current.updated_at)) return problem(412, { code: 'precondition_failed' });
      current = meeting({ title: 'Seduta straordinaria', location: 'Sala B', updated_at: '2026-03-01T11:00:00Z' });
      return json(200, current);
    }, () => current);
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    renderApp('/meetings/m1');
    await userEvent.click(await screen.findByRole('button', { name: 'Modifica dettagli' }));
    const dialog = await screen.findByRole('dialog');
    const title = within(dialog).getByLabelText(/^Titolo/);
    await userEvent.clear(title);
    await userEvent.type(title, 'Seduta straordinaria');
    current = meeting({ location: 'Sala B', updated_at: T1 }); // someone else moved it meanwhile
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    const notice = await within(dialog).findByTestId('stale-notice');
    expect(notice).toHaveTextContent('qualcun altro ha modificato');
    expect(within(dialog).getByLabelText(/^Titolo/)).toHaveValue('Seduta straordinaria');
    await userEvent.click(within(notice).getByRole('button', { name: 'Carica la versione aggiornata' }));
    await within(dialog).findByTestId('rebased-notice');
    expect(within(dialog).getByLabelText(/^Luogo/)).toHaveValue('Sala B');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await screen.findByRole('heading', { name: 'Seduta straordinaria', level: 1 })).toBeInTheDocument();
    const patches = calls.filter((c) => c.method === 'PATCH');
    expect(patches[1].headers.get('If-Match')).toBe(etagOf(T1));
    expect(await patches[1].json()).toEqual({ title: 'Seduta straordinaria' });
  }, 30_000);
  it('empties the place with null, which removes it', async () => {
    const { calls } = board(meeting(), () => json(200, meeting({ location: null, updated_at: T1 })));
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    renderApp('/meetings/m1');
    await userEvent.click(await screen.findByRole('button', { name: 'Modifica dettagli' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.clear(within(dialog).getByLabelText(/^Luogo/));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.headers.get('If-Match')).toBe(etagOf(T0));
    expect(await patch.json()).toEqual({ location: null });
  }, 30_000);
});
