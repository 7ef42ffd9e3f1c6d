import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ENUMS } from '../../api/enums.gen';
import type { Notification, NotificationPreferences } from '../../api/types';
import { etagOf, T0, T1 } from '../../test/fixtures';
import i18n from '../../i18n';
import { problem, renderApp, signedInAs } from '../../test/utils';

function notification(over: Partial<Notification> = {}): Notification {
  return {
    id: 'n1', kind: 'case_assigned', title: 'Nuovo caso assegnato',
    text: 'Un caso è stato assegnato al vostro ente: Anna R.', link: '/cases/c1', created_at: T0, ...over,
  };
}

const PREFS: NotificationPreferences = {
  preferences: [
    { kind: 'referral_decided', mode: 'immediate' }, { kind: 'info_requested', mode: 'immediate' },
    { kind: 'case_assigned', mode: 'immediate' }, { kind: 'follow_up_overdue', mode: 'immediate' },
    { kind: 'outcome_check_due', mode: 'immediate' }, { kind: 'meeting_scheduled', mode: 'immediate' },
    { kind: 'minutes_published', mode: 'immediate' }, { kind: 'threshold_low', mode: 'immediate' },
  ],
  updated_at: T0,
};

describe('the notification bell', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
    void i18n.changeLanguage('it');
  });

  it('says how many are unread, with plural forms, and leads to the inbox', async () => {
    const user = userEvent.setup();
    let unread = 1;
    const api = signedInAs('agency_operator', {
      'GET /api/v1/notifications/unread-count': () => ({ unread }),
      'GET /api/v1/cases': () => ({ items: [], next: null }),
      'GET /api/v1/notifications': () => ({ items: [notification()], next: null }),
      'GET /api/v1/me/notification-preferences': () => PREFS,
    });
    renderApp('/cases');
    const bell = await screen.findByRole('link', { name: '1 notifica non letta' });
    expect(within(bell).getByTestId('notification-count')).toHaveTextContent('1');
    unread = 3;
    await user.click(bell);
    // Navigating reads the count again.
    expect(await screen.findByRole('link', { name: '3 notifiche non lette' })).toBeInTheDocument();
    expect(await screen.findByRole('heading', { name: 'Notifiche', level: 1 })).toBeInTheDocument();
    expect(api.callsTo('GET /api/v1/notifications/unread-count').length).toBeGreaterThanOrEqual(2);
    unread = 0;
    await i18n.changeLanguage('en');
    await user.click(screen.getByRole('link', { name: 'Open: Nuovo caso assegnato' }));
    expect(await screen.findByRole('link', { name: '0 unread notifications' })).toBeInTheDocument();
    expect(screen.queryByTestId('notification-count')).not.toBeInTheDocument();
  });
});

describe('the inbox', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists notifications with links, marks one and all as read', async () => {
    const user = userEvent.setup();
    const items = [
      notification(),
      notification({ id: 'n2', kind: 'minutes_published', title: 'Verbale pubblicato', text: 'Il verbale del tavolo del 01/03/2026 è pubblicato.', link: '/meetings/m1' }),
      notification({ id: 'n3', kind: 'threshold_low', title: 'Soglia quasi esaurita', text: 'Della soglia DUL resta il 8%.', link: '/cases', read_at: T1 }),
    ];
    const api = signedInAs('agency_operator', {
      'GET /api/v1/notifications': ({ query }) => ({
        items: query.get('unread') === 'true' ? items.filter((n) => !n.read_at) : items, next: null,
      }),
      'POST /api/v1/notifications/{id}/read': ({ params }) => {
        const n = items.find((i) => i.id === params.id)!;
        n.read_at = T1;
        return n;
      },
      'POST /api/v1/notifications/read-all': () => {
        for (const n of items) n.read_at = n.read_at ?? T1;
        return { unread: 0 };
      },
      'GET /api/v1/me/notification-preferences': () => PREFS,
    });
    renderApp('/notifiche');
    const list = await screen.findByRole('list', { name: 'Le tue notifiche' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
    expect(within(list).getByRole('link', { name: 'Apri: Nuovo caso assegnato' })).toHaveAttribute('href', '/cases/c1');
    expect(within(list).getByRole('link', { name: 'Apri: Verbale pubblicato' })).toHaveAttribute('href', '/meetings/m1');
    // A read one has no button.
    expect(within(screen.getByTestId('notification-n3')).queryByRole('button')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Segna come letta: Nuovo caso assegnato' }));
    await waitFor(() => expect(within(screen.getByTestId('notification-n1')).queryByRole('button')).not.toBeInTheDocument());
    expect(api.callsTo('POST /api/v1/notifications/{id}/read').map((c) => c.url.pathname)).toEqual(['/api/v1/notifications/n1/read']);

    await user.click(screen.getByLabelText('Solo non lette'));
    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Le tue notifiche' })).getAllByRole('listitem')).toHaveLength(1));

    await user.click(screen.getByRole('button', { name: 'Segna tutte come lette' }));
    expect(await screen.findByText('Nessuna notifica da leggere.')).toBeInTheDocument();
    expect(api.callsTo('POST /api/v1/notifications/read-all')).toHaveLength(1);
  });

  it('saves the e-mail preference of each kind at the version read', async () => {
    const user = userEvent.setup();
    let current = PREFS;
    const api = signedInAs('referrer', {
      'GET /api/v1/notifications': () => ({ items: [], next: null }),
      'GET /api/v1/me/notification-preferences': () => current,
      'PUT /api/v1/me/notification-preferences': async ({ req, body }) => {
        if (req.headers.get('If-Match') !== etagOf(current.updated_at!)) return problem(412, { code: 'precondition_failed' });
        current = { ...(await body()), updated_at: T1 };
        return current;
      },
    });
    renderApp('/notifiche');
    expect(await screen.findByText('Nessuna notifica.')).toBeInTheDocument();
    const decided = await screen.findByRole('group', { name: 'Decisione su una tua segnalazione' });
    expect(within(decided).getByRole('radio', { name: 'Subito' })).toBeChecked();
    await user.click(within(decided).getByRole('radio', { name: 'Riepilogo giornaliero' }));
    const info = screen.getByRole('group', { name: 'Richiesta di informazioni su una tua segnalazione' });
    await user.click(within(info).getByRole('radio', { name: 'Disattivate' }));
    await user.click(screen.getByRole('button', { name: 'Salva le preferenze' }));
    expect(await screen.findByText('Preferenze salvate.')).toBeInTheDocument();
    const put = api.callsTo('PUT /api/v1/me/notification-preferences');
    expect(put).toHaveLength(1);
    expect(put[0].req.headers.get('If-Match')).toBe(etagOf(T0));
    const sent = (await put[0].req.json()) as NotificationPreferences;
    expect(sent.preferences).toHaveLength(ENUMS.NotificationKind.length);
    expect(sent.preferences.find((p) => p.kind === 'referral_decided')?.mode).toBe('daily_digest');
    expect(sent.preferences.find((p) => p.kind === 'info_requested')?.mode).toBe('off');
    expect(sent.preferences.find((p) => p.kind === 'case_assigned')?.mode).toBe('immediate');
  });
});
