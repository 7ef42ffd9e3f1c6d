import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Organization } from '../../api/types';
import { blocked, EMPTY_PAGE, etagOf, organization, T0, T1, T2 } from '../../test/fixtures';
import { problem, renderApp, signedInAs } from '../../test/utils';

describe("editing an organization (admin)", () => {
  afterEach(() => vi.unstubAllGlobals());

  it('saves only what changed at the version read; a 412 keeps what was typed and merges the current version', async () => {
    let current: Organization = organization({ phone: '035 111' });
    const { callsTo } = signedInAs('admin', {
      'GET /api/v1/organizations/{id}': () => current,
      'GET /api/v1/organizations': () => ({ items: [current], next: null }),
      'GET /api/v1/districts': () => ({ items: [], next: null }),
      'PATCH /api/v1/organizations/{id}': async ({ req, body }) => {
        if (req.headers.get('If-Match') !== etagOf(current.updated_at)) return problem(412, { code: 'precondition_failed' });
        current = { ...current, ...(await body()) as Partial<Organization>, updated_at: T2 };
        return current;
      },
    });
    const { router } = renderApp('/admin/organizations/org-ss');
    const email = await screen.findByLabelText(/^Email/);
    await userEvent.type(email, 'servizi.sociali@comune.bergamo.it');
    current = { ...current, phone: '035 222', updated_at: T1 }; // someone else changes the phone
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    const notice = await screen.findByTestId('stale-notice');
    expect(screen.getByLabelText(/^Email/)).toHaveValue('servizi.sociali@comune.bergamo.it');
    await userEvent.click(within(notice).getByRole('button', { name: 'Carica la versione aggiornata' }));
    await screen.findByTestId('rebased-notice');
    expect(screen.getByLabelText(/^Telefono/)).toHaveValue('035 222');
    await userEvent.click(screen.getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/admin/organizations'));
    const patches = callsTo('PATCH /api/v1/organizations/{id}');
    expect(patches.map((p) => p.req.headers.get('If-Match'))).toEqual([etagOf(T0), etagOf(T1)]);
    expect(await patches[1].req.json()).toEqual({ email: 'servizi.sociali@comune.bergamo.it' });
  }, 30_000);

  it('does not offer saving where the API does not allow editing, and says why', async () => {
    signedInAs('admin', {
      'GET /api/v1/organizations/{id}': () => organization({ allowed_actions: [], blocked_actions: [blocked('edit', "L'ente è archiviato")] }),
      'GET /api/v1/districts': () => EMPTY_PAGE,
    });
    renderApp('/admin/organizations/org-ss');
    const save = await screen.findByRole('button', { name: 'Salva' });
    expect(save).toHaveAttribute('aria-disabled', 'true');
    expect(save).toHaveAccessibleDescription("Salva: L'ente è archiviato");
  });
});
