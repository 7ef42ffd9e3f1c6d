import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../api/types';
import { caseDetail, EMPTY_PAGE, threshold } from '../../test/fixtures';
import { renderApp, signedInAs } from '../../test/utils';

function workspace(c: CaseDetail) {
  return signedInAs('agency_operator', {
    'GET /api/v1/cases/{id}': () => c,
    'GET /api/v1/thresholds': () => ({ items: [threshold()], next: null }),
    'GET /api/v1/cases/{id}/follow-ups': () => EMPTY_PAGE,
    'GET /api/v1/cases/{id}/timeline': () => ({ items: [] }),
  });
}

describe('the case page says whom to call and why the person was referred', () => {
  it('shows phone and e-mail as links, residence, situation, the referral and the decision', async () => {
    workspace(caseDetail({
      contacts: {
        phone: '+39 035 123456', email: 'rosa@example.org', address: 'Via Roma 1',
        residence: { istat_code: '016024', belfiore: 'A794', name: 'Bergamo', province: 'BG' },
        employment_status: 'unemployed', education_level: 'upper_secondary',
      },
      referral: {
        needs: ['work', 'housing'], reason: 'Sfratto e lavoro perso.', urgency: 'high',
        organization: { id: 'org-ss', name: 'Servizio sociale Bergamo' }, referred_by_name: 'Anna Rota',
        submitted_at: '2026-11-02T09:00:00Z', decision_reason: 'Priorità abitativa', decided_at: '2026-11-20T10:00:00Z',
      },
    }));
    renderApp('/cases/c1');
    const contacts = await screen.findByRole('region', { name: 'Persona e contatti' });
    expect(within(contacts).getByRole('link', { name: '+39 035 123456' })).toHaveAttribute('href', 'tel:+39035123456');
    expect(within(contacts).getByRole('link', { name: 'rosa@example.org' })).toHaveAttribute('href', 'mailto:rosa@example.org');
    expect(within(contacts).getByText('Bergamo (BG)')).toBeInTheDocument();
    expect(within(contacts).getByText('Via Roma 1')).toBeInTheDocument();
    expect(within(contacts).getByText('Disoccupato/a')).toBeInTheDocument();
    expect(within(contacts).getByText('Diploma')).toBeInTheDocument();
    const referral = screen.getByRole('region', { name: 'Segnalazione' });
    expect(within(referral).getByText('Lavoro, Casa')).toBeInTheDocument();
    expect(within(referral).getByText('Sfratto e lavoro perso.')).toBeInTheDocument();
    expect(within(referral).getByText('Servizio sociale Bergamo · Anna Rota')).toBeInTheDocument();
    expect(within(referral).getByText('Priorità abitativa')).toBeInTheDocument();
    expect(within(referral).getByText('20/11/2026')).toBeInTheDocument();
  });

  it('says what is missing instead of leaving blanks', async () => {
    workspace(caseDetail());
    renderApp('/cases/c1');
    const contacts = await screen.findByRole('region', { name: 'Persona e contatti' });
    expect(within(contacts).queryByRole('link')).not.toBeInTheDocument();
    expect(screen.getByText('Il Tavolo non ha indicato una motivazione.')).toBeInTheDocument();
  });
});
