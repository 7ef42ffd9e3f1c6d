import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Meeting } from '../../api/types';
import type { RouteHandler } from '../../test/api';
import { blocked, EMPTY_PAGE, etagOf, meeting, T0, T1 } from '../../test/fixtures';
import { problem, renderApp, signedInAs } from '../../test/utils';

function board(m: Meeting, patch: RouteHandler<'PATCH /api/v1/meetings/{id}'>, current = () => m) {
  return signedInAs('coordinator', {
    'GET /api/v1/meetings/{id}/agenda': () => ({ meeting: current(), items: [] }),
    'GET /api/v1/meetings/{id}': () => current(),
    'PATCH /api/v1/meetings/{id}': patch,
    'GET /api/v1/thresholds': () => EMPTY_PAGE,
    'GET /api/v1/measures': () => EMPTY_PAGE,
    'GET /api/v1/organizations': () => EMPTY_PAGE,
    'GET /api/v1/referrals': () => EMPTY_PAGE,
    'GET /api/v1/cases': () => EMPTY_PAGE,
  });
}

describe('editing a meeting', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is disabled, with the API reason, once the meeting may no longer be edited', async () => {
    const { callsTo } = board(meeting({
      status: 'closed', closed_at: T0, allowed_actions: [],
      blocked_actions: [blocked('edit', 'La seduta è chiusa'), blocked('close', 'La seduta è chiusa')],
    }), () => undefined);
    renderApp('/meetings/m1');
    await screen.findByRole('button', { name: 'Verbale stampabile' });
    const edit = screen.getByRole('button', { name: 'Modifica dettagli' });
    expect(edit).toHaveAttribute('aria-disabled', 'true');
    expect(edit).toHaveAccessibleDescription('Chiudi la seduta, Modifica dettagli: La seduta è chiusa');
    expect(screen.queryByRole('button', { name: 'Apri la seduta' })).not.toBeInTheDocument();
    await userEvent.click(edit);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(callsTo('GET /api/v1/meetings/{id}')).toHaveLength(0);
  });

  it('shows the API field errors at their fields', async () => {
    const { callsTo } = board(meeting(), () => problem(422, {
      code: 'validation_failed', detail: '1 field is invalid',
      errors: [{ field: 'location', code: 'length', message: 'must be at most 300 characters' }],
    }));
    renderApp('/meetings/m1');
    await userEvent.click(await screen.findByRole('button', { name: 'Modifica dettagli' }));
    const dialog = await screen.findByRole('dialog');
    const location = await within(dialog).findByLabelText(/^Luogo/);
    await userEvent.clear(location);
    await userEvent.type(location, 'Sala consiliare');
    await userEvent.type(within(dialog).getByLabelText(/^Partecipanti/), '\nCarla Pesenti');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(within(dialog).getByLabelText(/^Luogo/)).toHaveAttribute('aria-invalid', 'true'));
    expect(within(dialog).getByText('Lunghezza non valida.')).toBeInTheDocument();
    const [patch] = callsTo('PATCH /api/v1/meetings/{id}');
    expect(patch.req.headers.get('If-Match')).toBe(etagOf(T0));
    expect(await patch.req.json()).toEqual({ location: 'Sala consiliare', participants: ['Chiara Colombo', 'Carla Pesenti'] });
  }, 30_000);

  it('on 412 keeps the typed text, reloads on request and saves with the new version', async () => {
    let current = meeting();
    const { callsTo } = board(current, ({ req }) => {
      if (req.headers.get('If-Match') !== etagOf(current.updated_at)) return problem(412, { code: 'precondition_failed' });
      current = meeting({ title: 'Seduta straordinaria', location: 'Sala B', updated_at: '2026-03-01T11:00:00Z' });
      return current;
    }, () => current);
    renderApp('/meetings/m1');
    await userEvent.click(await screen.findByRole('button', { name: 'Modifica dettagli' }));
    const dialog = await screen.findByRole('dialog');
    const title = await within(dialog).findByLabelText(/^Titolo/);
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
    const patches = callsTo('PATCH /api/v1/meetings/{id}');
    expect(patches[1].req.headers.get('If-Match')).toBe(etagOf(T1));
    expect(await patches[1].req.json()).toEqual({ title: 'Seduta straordinaria' });
  }, 30_000);
  it('empties the place with null, which removes it', async () => {
    const { callsTo } = board(meeting(), () => meeting({ location: null, updated_at: T1 }));
    renderApp('/meetings/m1');
    await userEvent.click(await screen.findByRole('button', { name: 'Modifica dettagli' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.clear(await within(dialog).findByLabelText(/^Luogo/));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const [patch] = callsTo('PATCH /api/v1/meetings/{id}');
    expect(patch.req.headers.get('If-Match')).toBe(etagOf(T0));
    expect(await patch.req.json()).toEqual({ location: null });
  }, 30_000);
});
