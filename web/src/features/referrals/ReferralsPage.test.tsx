import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { referral, T0 } from '../../test/fixtures';
import { json, ME, mockApi, renderApp } from '../../test/utils';

const TOKENS = { access_token: 'A', token_type: 'Bearer', expires_in: 900, refresh_token: 'R', refresh_expires_in: 3600 };
const org = (id: string, name: string, kind = 'social_service', active = true) =>
  ({ id, district_id: 'd1', name, kind, active, created_at: T0, updated_at: T0 });

describe('referral list filters', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lets the coordinator filter by organization, kept in the URL', async () => {
    const { calls } = mockApi((_req, url) => {
      if (url.pathname === '/api/v1/auth/refresh') return json(200, TOKENS);
      if (url.pathname === '/api/v1/me') return json(200, ME.coordinator);
      if (url.pathname === '/api/v1/organizations') {
        return json(200, { items: [org('org-ss', 'Servizio sociale Bergamo'), org('org-cpi', 'CPI Bergamo', 'cpi'), org('org-old', 'Sportello chiuso', 'front_desk', false)], next: null });
      }
      if (url.pathname === '/api/v1/referrals') {
        const byOrg = url.searchParams.get('organization_id');
        return json(200, { items: byOrg === 'org-cpi' ? [] : [referral()], next: null });
      }
      return undefined;
    });
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    const { router } = renderApp('/referrals?status=submitted');
    const select = await screen.findByLabelText('Ente segnalante');
    await screen.findByRole('option', { name: 'CPI Bergamo' });
    expect(screen.getByRole('option', { name: 'Sportello chiuso (non attivo)' })).toBeInTheDocument();
    await userEvent.selectOptions(select, 'org-cpi');
    await waitFor(() => expect(router.state.location.search).toContain('organization_id=org-cpi'));
    expect(router.state.location.search).toContain('status=submitted');
    expect(await screen.findByText('Nessuna segnalazione corrisponde ai filtri.')).toBeInTheDocument();
    const sent = calls.filter((c) => new URL(c.url).pathname === '/api/v1/referrals').map((c) => new URL(c.url).searchParams);
    expect(sent.at(-1)?.get('organization_id')).toBe('org-cpi');
    expect(sent.at(-1)?.get('status')).toBe('submitted');
    await userEvent.click(screen.getByRole('button', { name: 'Azzera filtri' }));
    await waitFor(() => expect(router.state.location.search).toBe(''));
  }, 30_000);

  it('does not offer (nor send) it to a referrer, who always sees their own', async () => {
    const { calls } = mockApi((_req, url) => {
      if (url.pathname === '/api/v1/auth/refresh') return json(200, TOKENS);
      if (url.pathname === '/api/v1/me') return json(200, ME.referrer);
      if (url.pathname === '/api/v1/referrals') return json(200, { items: [referral()], next: null });
      return undefined;
    });
    window.sessionStorage.setItem('sl.refresh_token', 'R0');
    renderApp('/referrals?organization_id=org-cpi');
    await screen.findByText('Rossi Mario');
    expect(screen.queryByLabelText('Ente segnalante')).not.toBeInTheDocument();
    const sent = calls.filter((c) => new URL(c.url).pathname === '/api/v1/referrals');
    expect(sent.every((c) => !new URL(c.url).searchParams.has('organization_id'))).toBe(true);
    expect(calls.some((c) => new URL(c.url).pathname === '/api/v1/organizations')).toBe(false);
  }, 30_000);
});
