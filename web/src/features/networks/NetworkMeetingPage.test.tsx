import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActionItem, Meeting } from '../../api/types';
import { etagOf, T1, T2 } from '../../test/fixtures';
import { problem, renderApp, signedInAs, type Routes } from '../../test/utils';
import { actionItemVersion } from './ActionItems';
import { actionItem, MEMBERS, network, networkMeeting } from './testing';

function routes(meeting: () => Meeting, items: () => { items: ActionItem[]; follow_up: ActionItem[] }, extra: Routes = {}): Routes {
  return {
    'GET /api/v1/networks/{id}': () => network(),
    'GET /api/v1/networks/{id}/members': () => ({ items: MEMBERS, next: null }),
    'GET /api/v1/meetings/{id}': () => meeting(),
    'GET /api/v1/meetings/{id}/action-items': () => items(),
    ...extra,
  };
}

describe('a meeting of a network', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows its kind, the members attending with their people and attendance, and its topics', async () => {
    signedInAs('network_coordinator', routes(() => networkMeeting(), () => ({ items: [], follow_up: [] })));
    renderApp('/networks/n1/meetings/mt1');
    expect(await screen.findByRole('heading', { name: 'Seduta del Forum – 10/03/2026', level: 1 })).toBeInTheDocument();
    expect(screen.getByText(/Seduta del Forum · 10\/03\/2026 · Sala civica/)).toBeInTheDocument();
    const attendees = screen.getByTestId('attendees');
    expect(attendees).toHaveTextContent('Agenzia Sociale');
    expect(attendees).toHaveTextContent('Elena Ferrari');
    expect(attendees).toHaveTextContent('Assente giustificato');
    expect(screen.getByTestId('topics')).toHaveTextContent('Alloggio: lo sportello casa');
    expect(screen.getByTestId('topics')).toHaveTextContent('Censimento degli sportelli.');
    expect(screen.getByRole('link', { name: "Patto per l'inclusione sociale" })).toHaveAttribute('href', '/networks/n1');
  }, 30_000);

  it('records an action item (what was typed stays on a refusal), changes owner and due date in place, drops one with a reason', async () => {
    let items: ActionItem[] = [];
    let adds = 0;
    const { callsTo } = signedInAs('network_coordinator', routes(() => networkMeeting(), () => ({
      items, follow_up: [actionItem({ id: 'ai0', meeting_id: 'mt0', title: 'Raccogliere i bisogni di trasporto', updated_at: T2 })],
    }), {
      'POST /api/v1/meetings/{id}/action-items': async ({ body }) => {
        if (++adds === 1) return problem(422, { errors: [{ field: 'owner_member_id', code: 'unknown', message: "non è un aderente attivo della rete" }] });
        const b = await body();
        items = [actionItem({ title: b.title, owner_member_id: b.owner_member_id ?? null, due_on: b.due_on ?? null, updated_at: T1 })];
        return items[0];
      },
      'PATCH /api/v1/action-items/{id}': async ({ params, body }) => {
        const b = await body();
        if (params.id === 'ai1') items = [{ ...items[0], ...b, owner: { id: 'o-m3', name: 'Camera di Commercio' }, updated_at: T2 } as ActionItem];
        return { ...(items[0] ?? actionItem()), id: params.id, status: b.status ?? 'open' };
      },
    }));
    renderApp('/networks/n1/meetings/mt1');
    const section = await screen.findByTestId('action-items');
    await userEvent.click(within(section).getByRole('button', { name: "Aggiungi l'impegno" }));
    expect(within(section).getByRole('alert', { name: /Ci sono errori nel modulo/ })).toHaveTextContent('Impegno: campo obbligatorio');
    await userEvent.type(within(section).getByLabelText(/^Impegno/), 'Mappare gli sportelli casa');
    await userEvent.selectOptions(within(section).getByLabelText('Aderente responsabile'), 'm2');
    await userEvent.type(within(section).getByLabelText('Entro il'), '10/04/2026');
    await userEvent.click(within(section).getByRole('button', { name: "Aggiungi l'impegno" }));
    expect(await within(section).findByText('non è un aderente attivo della rete', { selector: '.invalid-feedback' })).toBeInTheDocument();
    expect(within(section).getByLabelText(/^Impegno/)).toHaveValue('Mappare gli sportelli casa');
    await userEvent.click(within(section).getByRole('button', { name: "Aggiungi l'impegno" }));
    const item = await within(section).findByRole('article', { name: 'Mappare gli sportelli casa' });
    expect(await callsTo('POST /api/v1/meetings/{id}/action-items')[1].req.json()).toEqual({
      title: 'Mappare gli sportelli casa', owner_member_id: 'm2', due_on: '2026-04-10',
    });
    // The form is empty again for the next one.
    expect(within(section).getByLabelText(/^Impegno/)).toHaveValue('');

    // In place: another owner, at the item's version; only what changed is sent.
    await userEvent.selectOptions(within(item).getByLabelText('Aderente responsabile'), 'm3');
    await userEvent.click(within(item).getByRole('button', { name: /^Salva/ }));
    await waitFor(() => expect(callsTo('PATCH /api/v1/action-items/{id}')).toHaveLength(1));
    const [patch] = callsTo('PATCH /api/v1/action-items/{id}');
    expect(patch.req.headers.get('If-Match')).toBe(etagOf(T1));
    expect(await patch.req.json()).toEqual({ owner_member_id: 'm3' });

    // The follow-up of the earlier meetings, dropped with a reason (required).
    const follow = screen.getByTestId('follow-up');
    const old = within(follow).getByRole('article', { name: 'Raccogliere i bisogni di trasporto' });
    await userEvent.click(within(old).getByRole('button', { name: /^Abbandona/ }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Abbandona' }));
    expect(within(dialog).getByRole('alert', { name: /Ci sono errori nel modulo/ })).toHaveTextContent('Motivazione: campo obbligatorio');
    await userEvent.type(within(dialog).getByLabelText(/^Motivazione/), 'Non più utile');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Abbandona' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    const drop = callsTo('PATCH /api/v1/action-items/{id}')[1];
    expect(drop.url.pathname).toBe('/api/v1/action-items/ai0');
    expect(drop.req.headers.get('If-Match')).toBe(etagOf(T2));
    expect(await drop.req.json()).toEqual({ status: 'dropped', reason: 'Non più utile' });
  }, 30_000);

  it('is closed once confirmed, then its minutes are read here and downloaded as PDF', async () => {
    let m = networkMeeting();
    const { callsTo } = signedInAs('network_coordinator', routes(() => m, () => ({ items: [actionItem({ allowed_actions: [] })], follow_up: [] }), {
      'POST /api/v1/meetings/{id}/close': () => {
        m = networkMeeting({ status: 'closed', closed_at: T1, allowed_actions: [], updated_at: T1 });
        return m;
      },
      'GET /api/v1/meetings/{id}/minutes': ({ query }) => (query.get('format') === 'pdf'
        ? new Response(new Blob(['%PDF-1.7']), { status: 200, headers: { 'Content-Type': 'application/pdf' } })
        : new Response('<!doctype html><html lang="it"><head><title>Verbale</title><style>h1{color:red}</style></head><body>'
          + '<h1>Verbale – Seduta del Forum</h1><dl><dt>Luogo</dt><dd>Sala civica</dd></dl>'
          + '<ul><li onclick="alert(1)">Mappare <a href="javascript:alert(1)">gli sportelli</a></li></ul><script>alert(1)</script></body></html>',
          { status: 200, headers: { 'Content-Type': 'text/html' } })),
    }));
    const created = vi.fn(() => 'blob:minutes');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    renderApp('/networks/n1/meetings/mt1');
    await screen.findByRole('heading', { name: 'Bozza del verbale' });
    // Read-only item: owner and due date as text.
    expect(await screen.findByText(/Aderente responsabile: Comune di Bergamo · Entro il: 10\/04\/2026/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Chiudi la seduta' }));
    const dialog = await screen.findByRole('dialog');
    expect(callsTo('POST /api/v1/meetings/{id}/close')).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Chiudi la seduta' }));
    await screen.findByRole('heading', { name: 'Verbale' });
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(screen.queryByRole('button', { name: 'Chiudi la seduta' })).not.toBeInTheDocument();
    const minutes = screen.getByTestId('minutes');
    await userEvent.click(within(minutes).getByRole('button', { name: 'Leggi il verbale' }));
    const text = await within(minutes).findByRole('article', { name: 'Verbale: Seduta del Forum – 10/03/2026' });
    // Under the page's outline: the minutes' title is a level-3 heading here.
    expect(within(text).getByRole('heading', { name: 'Verbale – Seduta del Forum', level: 3 })).toBeInTheDocument();
    expect(text).toHaveTextContent('LuogoSala civica');
    // Text only: no script, no handler, no link of the document reaches the page.
    expect(within(text).getByText('Mappare gli sportelli').tagName).toBe('LI');
    expect(text.querySelector('script, style, a, [onclick]')).toBeNull();
    expect(text).not.toHaveTextContent('alert');
    await userEvent.click(within(minutes).getByRole('button', { name: 'Scarica il PDF' }));
    await waitFor(() => expect(created).toHaveBeenCalledTimes(1));
    const pdf = callsTo('GET /api/v1/meetings/{id}/minutes').find((c) => c.url.searchParams.get('format') === 'pdf')!;
    expect(pdf.req.headers.get('Authorization')).toBe('Bearer A');
  }, 30_000);
});

describe("an action item's version", () => {
  it('is the one the API derives from its last change (microseconds, quoted)', () => {
    expect(actionItemVersion(actionItem({ updated_at: '2026-03-01T10:00:00.123456Z' }))).toBe(etagOf('2026-03-01T10:00:00.123456Z'));
    expect(actionItemVersion(actionItem({ updated_at: '2026-03-01T10:00:00Z' }))).toBe('"1772359200000000"');
  });
});
