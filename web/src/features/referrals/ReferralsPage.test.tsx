import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OrganizationKind } from '../../api/types';
import { organization, referral } from '../../test/fixtures';
import { renderApp, signedInAs } from '../../test/utils';

const org = (id: string, name: string, kind: OrganizationKind = 'social_service', active = true) => organization({ id, name, kind, active });

describe('referral list filters', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lets the coordinator filter by organization, kept in the URL', async () => {
    const { callsTo } = signedInAs('coordinator', {
      'GET /api/v1/organizations': () => ({
        items: [org('org-ss', 'Servizio sociale Bergamo'), org('org-cpi', 'CPI Bergamo', 'cpi'), org('org-old', 'Sportello chiuso', 'front_desk', false)],
        next: null,
      }),
      'GET /api/v1/referrals': ({ query }) => ({ items: query.get('organization_id') === 'org-cpi' ? [] : [referral()], next: null }),
    });
    const { router } = renderApp('/referrals?status=submitted');
    const select = await screen.findByLabelText('Ente segnalante');
    await screen.findByRole('option', { name: 'CPI Bergamo' });
    expect(screen.getByRole('option', { name: 'Sportello chiuso (non attivo)' })).toBeInTheDocument();
    await userEvent.selectOptions(select, 'org-cpi');
    await waitFor(() => expect(router.state.location.search).toContain('organization_id=org-cpi'));
    expect(router.state.location.search).toContain('status=submitted');
    expect(await screen.findByText('Nessuna segnalazione corrisponde ai filtri.')).toBeInTheDocument();
    const sent = callsTo('GET /api/v1/referrals').map((c) => c.url.searchParams);
    expect(sent.at(-1)?.get('organization_id')).toBe('org-cpi');
    expect(sent.at(-1)?.get('status')).toBe('submitted');
    await userEvent.click(screen.getByRole('button', { name: 'Azzera filtri' }));
    await waitFor(() => expect(router.state.location.search).toBe(''));
  }, 30_000);

  it('does not offer (nor send) it to a referrer, who always sees their own', async () => {
    const { callsTo } = signedInAs('referrer', {
      'GET /api/v1/referrals': () => ({ items: [referral()], next: null }),
    });
    renderApp('/referrals?organization_id=org-cpi');
    await screen.findByText('Rossi Mario');
    expect(screen.queryByLabelText('Ente segnalante')).not.toBeInTheDocument();
    const sent = callsTo('GET /api/v1/referrals');
    expect(sent.every((c) => !c.url.searchParams.has('organization_id'))).toBe(true);
    expect(callsTo('GET /api/v1/organizations')).toHaveLength(0);
  }, 30_000);
});
