import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { components } from '../../api/schema';
import { todayISO } from '../../lib/format';
import { caseDetail, EMPTY_PAGE, proposal, publicOpportunity, referral, threshold } from '../../test/fixtures';
import { renderApp, signedInAs, type Routes } from '../../test/utils';

type Match = components['schemas']['OpportunityMatch'];

const fits: Match = {
  opportunity: publicOpportunity(), eligible: true, proposal_id: null,
  reasons: [{ rule: 'age', met: true, message: "l'età 40 è tra 18 e 55" }, { rule: 'employment_status', met: true, message: 'disoccupato: ammesso' }],
};
const proposed: Match = {
  opportunity: publicOpportunity({ id: 'op2', title: 'Job day del territorio', kind: 'event', kind_label: 'Evento' }), eligible: true, proposal_id: 'pp9', reasons: [],
};
const unfit: Match = {
  opportunity: publicOpportunity({ id: 'op3', title: 'Tirocinio per giovani', kind: 'internship', kind_label: 'Tirocinio' }), eligible: false,
  proposal_id: null, reasons: [{ rule: 'age', met: false, message: "l'età 40 supera il massimo di 29" }],
};

function caseApi(routes: Routes, allowed: components['schemas']['Action'][] = ['add_follow_up', 'add_opportunity_proposal']) {
  return signedInAs('agency_operator', {
    'GET /api/v1/cases/{id}': () => caseDetail({ allowed_actions: allowed, activations: [] }),
    'GET /api/v1/thresholds': () => ({ items: [threshold()], next: null }),
    'GET /api/v1/cases/{id}/follow-ups': () => EMPTY_PAGE,
    'GET /api/v1/cases/{id}/timeline': () => ({ items: [] }),
    'GET /api/v1/cases/{id}/service-pact': () => undefined,
    'GET /api/v1/cases/{id}/opportunities': ({ query }) => ({ items: query.get('all') === 'true' ? [fits, proposed, unfit] : [fits, proposed] }),
    ...routes,
  });
}

describe('"Opportunità adatte" on a case', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists the fitting items with their reasons, the unfit ones on demand; proposes one; one proposed says so', async () => {
    let proposals = [proposal({ id: 'pp9', opportunity_id: 'op2', title: 'Job day del territorio' })];
    const { callsTo } = caseApi({
      'GET /api/v1/cases/{id}/opportunity-proposals': () => ({ items: proposals, next: null }),
      'POST /api/v1/cases/{id}/opportunity-proposals': async ({ body }) => {
        const b = await body();
        const p = proposal({ id: 'pp10', opportunity_id: b.opportunity_id, note: b.note });
        proposals = [...proposals, p];
        return p;
      },
    });
    renderApp('/cases/c1');
    const section = await screen.findByTestId('case-opportunities');
    expect(within(section).getByRole('heading', { name: 'Opportunità adatte', level: 2 })).toBeInTheDocument();
    const items = await within(section).findAllByTestId('opportunity-match');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('Corso per addetto alla logistica di magazzino');
    expect(items[0]).toHaveTextContent("Età — l'età 40 è tra 18 e 55");
    expect(within(items[1]).getByTestId('proposed')).toHaveTextContent('Proposta');
    expect(within(items[1]).queryByRole('button', { name: /Proponi/ })).not.toBeInTheDocument();

    await userEvent.click(within(section).getByLabelText('Mostra anche le non adatte'));
    await waitFor(() => expect(within(section).getAllByTestId('opportunity-match')).toHaveLength(3));
    const no = within(section).getAllByTestId('opportunity-match')[2];
    expect(no).toHaveAttribute('data-eligible', 'false');
    expect(no).toHaveTextContent('Non adatta');
    expect(no.querySelector('[data-rule="age"]')).toHaveAttribute('data-met', 'false');
    expect(callsTo('GET /api/v1/cases/{id}/opportunities').at(-1)!.url.searchParams.get('all')).toBe('true');

    await userEvent.click(within(within(section).getAllByTestId('opportunity-match')[0]).getByRole('button', { name: 'Proponi — Corso per addetto alla logistica di magazzino' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/Nota dell'operatore/), 'Interessato, colloquio il 10/12');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Proponi' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await callsTo('POST /api/v1/cases/{id}/opportunity-proposals')[0].req.json())
      .toEqual({ opportunity_id: 'op1', note: 'Interessato, colloquio il 10/12' });
    await waitFor(() => expect(within(screen.getByTestId('opportunity-proposals')).getAllByTestId('opportunity-proposal')).toHaveLength(2));
  }, 30_000);

  it('records the person\'s answer and the result of a proposal', async () => {
    let current = proposal();
    const { callsTo } = caseApi({
      'GET /api/v1/cases/{id}/opportunity-proposals': () => ({ items: [current], next: null }),
      'POST /api/v1/opportunity-proposals/{id}/answer': async ({ body }) => {
        const b = await body();
        current = proposal({ answer: b.answer, answered_on: b.answered_on, result: b.result });
        return current;
      },
    });
    renderApp('/cases/c1');
    const list = await screen.findByTestId('opportunity-proposals');
    const item = await within(list).findByTestId('opportunity-proposal');
    expect(item).toHaveTextContent('In attesa di risposta');
    await userEvent.click(within(item).getByRole('button', { name: 'Registra risposta — Corso per addetto alla logistica di magazzino' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    expect(await within(dialog).findByText('Campo obbligatorio.', { selector: '#proposal-answer-error' })).toBeInTheDocument();
    await userEvent.click(within(dialog).getByLabelText('Accettata'));
    await userEvent.type(within(dialog).getByLabelText(/^Esito/), 'Iscritto al corso, inizio il 18/1');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await callsTo('POST /api/v1/opportunity-proposals/{id}/answer')[0].req.json())
      .toEqual({ answer: 'accepted', answered_on: todayISO(), result: 'Iscritto al corso, inizio il 18/1' });
    await waitFor(() => expect(within(screen.getByTestId('opportunity-proposals')).getByTestId('opportunity-proposal'))
      .toHaveTextContent('Accettata'));
    expect(screen.getByTestId('opportunity-proposal')).toHaveTextContent('Esito: Iscritto al corso, inizio il 18/1');
  }, 30_000);

  it('offers no "Proponi" when the case does not allow it', async () => {
    caseApi({ 'GET /api/v1/cases/{id}/opportunity-proposals': () => EMPTY_PAGE }, ['add_follow_up']);
    renderApp('/cases/c1');
    const section = await screen.findByTestId('case-opportunities');
    await within(section).findAllByTestId('opportunity-match');
    expect(within(section).queryByRole('button', { name: /Proponi/ })).not.toBeInTheDocument();
  });
});

describe('"Opportunità adatte" on a referral', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is the same list, to read', async () => {
    const { callsTo } = signedInAs('referrer', {
      'GET /api/v1/referrals/{id}': () => referral(),
      'GET /api/v1/referrals/{id}/opportunities': ({ query }) => ({ items: query.get('all') === 'true' ? [fits, unfit] : [fits] }),
    });
    renderApp('/referrals/r1');
    const section = await screen.findByTestId('referral-opportunities');
    expect(await within(section).findAllByTestId('opportunity-match')).toHaveLength(1);
    expect(within(section).queryByRole('button', { name: /Proponi/ })).not.toBeInTheDocument();
    await userEvent.click(within(section).getByLabelText('Mostra anche le non adatte'));
    await waitFor(() => expect(within(section).getAllByTestId('opportunity-match')).toHaveLength(2));
    expect(callsTo('GET /api/v1/referrals/{id}/opportunities').at(-1)!.url.searchParams.get('all')).toBe('true');
  });
});
