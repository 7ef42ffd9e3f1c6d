import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { caseSummary, EMPTY_PAGE, threshold } from '../../test/fixtures';
import { renderApp, signedInAs } from '../../test/utils';
import { endOfWeek } from './AgencyHomePage';

const person = (last: string) => ({ ...caseSummary().person, id: `p-${last}`, last_name: last });

describe("the agency's home", () => {
  it('ends the week on Sunday, as Italian calendars do', () => {
    expect(endOfWeek('2026-12-01')).toBe('2026-12-06'); // a Tuesday
    expect(endOfWeek('2026-12-06')).toBe('2026-12-06'); // the Sunday itself
    expect(endOfWeek('2026-12-07')).toBe('2026-12-13'); // a Monday
    expect(endOfWeek('2026-12-28')).toBe('2027-01-03'); // across the year
  });

  it('shows thresholds, then what is due this week (overdue first), then new assignments', async () => {
    const queries: URLSearchParams[] = [];
    signedInAs('agency_operator', {
      'GET /api/v1/thresholds': () => ({ items: [threshold({ measure_code: 'DUL', remaining_cents: 123456 })], next: null }),
      'GET /api/v1/cases': ({ query }) => {
        queries.push(query);
        if (query.get('follow_up_due_by')) {
          return { items: [
            caseSummary({ id: 'c-soon', person: person('Presto'), next_due_date: '2099-01-01', overdue: false }),
            caseSummary({ id: 'c-late', person: person('Scaduto'), next_due_date: '2020-01-01', overdue: true }),
          ], next: null };
        }
        if (query.get('check_due_by')) return { items: [caseSummary({ id: 'c-check', person: person('Verifica'), status: 'closed', outcome: 'hired' })], next: null };
        if (query.get('status') === 'assigned') return { items: [caseSummary({ id: 'c-new', person: person('Nuovo'), status: 'assigned' })], next: null };
        return EMPTY_PAGE;
      },
    });
    renderApp('/agency');
    await screen.findByRole('heading', { name: 'Questa settimana', level: 1 });
    const headings = (await screen.findAllByRole('heading', { level: 2 })).map((h) => h.textContent);
    expect(headings[0]).toBe('Le tue soglie: quanto resta');
    expect(headings[1]).toMatch(/^Da fare entro domenica \d{2}\/\d{2}\/\d{4}$/);
    expect(headings[2]).toBe('Nuove assegnazioni da prendere in carico');
    expect(await screen.findByText(/^disponibile .*1\.234,56/)).toBeInTheDocument();

    const due = await screen.findAllByTestId('home-follow-up');
    expect(due.map((li) => within(li).getByRole('link').textContent)).toEqual([expect.stringContaining('Scaduto'), expect.stringContaining('Presto')]);
    expect(within(due[0]).getByText('Scaduto', { selector: '.badge' })).toBeInTheDocument();
    expect(within(await screen.findByTestId('home-check')).getByRole('link')).toHaveAttribute('href', '/cases/c-check');
    expect(within(await screen.findByTestId('home-assigned')).getByRole('link')).toHaveAttribute('href', '/cases/c-new');

    // One Sunday for both lists, never an ISO date on screen.
    const byFollowUp = queries.find((q) => q.get('follow_up_due_by'))!.get('follow_up_due_by')!;
    expect(queries.find((q) => q.get('check_due_by'))!.get('check_due_by')).toBe(byFollowUp);
    expect(new Date(`${byFollowUp}T12:00:00Z`).getUTCDay()).toBe(0);
    expect(document.body.textContent).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it('is where an agency operator lands', async () => {
    signedInAs('agency_operator', {
      'GET /api/v1/thresholds': () => EMPTY_PAGE,
      'GET /api/v1/cases': () => EMPTY_PAGE,
    });
    const { router } = renderApp('/');
    await screen.findByRole('heading', { name: 'Questa settimana', level: 1 });
    expect(router.state.location.pathname).toBe('/agency');
    expect(await screen.findByText(/Nessuna soglia assegnata/)).toBeInTheDocument();
    expect(await screen.findByText('Nessun colloquio in scadenza questa settimana.')).toBeInTheDocument();
  });
});
