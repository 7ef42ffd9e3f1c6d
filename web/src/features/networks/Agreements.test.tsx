import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Agreement } from '../../api/types';
import { todayISO } from '../../lib/format';
import { etagOf, T0, T1 } from '../../test/fixtures';
import { problem, renderApp, signedInAs, type Routes } from '../../test/utils';
import { agreement, documentMeta, MEMBERS, member, network, networkPageRoutes } from './testing';

const PDF = new File(['%PDF-1.4\n%%EOF'], 'convenzione firmata.pdf', { type: 'application/pdf' });

function routes(agreements: () => Agreement[], extra: Routes = {}): Routes {
  return {
    ...networkPageRoutes([...MEMBERS, member('m9', 'Comune di Seriate', { active: false, withdrawn_on: '2026-06-30' })]),
    'GET /api/v1/networks/{id}': () => network(),
    'GET /api/v1/networks/{id}/agreements': () => ({ items: agreements(), next: null }),
    'GET /api/v1/agreements/{id}/documents': () => ({ items: [], next: null }),
    ...extra,
  };
}

const section = () => screen.getByTestId('agreements');
const card = (subject: string) => within(section()).getByRole('article', { name: subject });

describe("a network's agreements", () => {
  afterEach(() => vi.unstubAllGlobals());

  it('are listed with kind, parties (also those who left), state, validity and expiry, the one renewed and their documents', async () => {
    const { callsTo } = signedInAs('network_coordinator', routes(() => [
      agreement({ id: 'a0', subject: 'Protocollo per il microcredito', kind: 'protocol', status: 'expired', party_member_ids: ['m1', 'm9'],
        signed_on: '2025-01-10', valid_from: '2025-01-10', valid_until: '2025-12-31', allowed_actions: [], document_ids: ['d0'] }),
      agreement({ id: 'a1', subject: 'Protocollo per il microcredito 2026', kind: 'protocol', status: 'signed', renews_agreement_id: 'a0',
        signed_on: '2026-01-05', valid_from: '2026-01-01', valid_until: null, allowed_actions: ['terminate', 'upload_document'],
        blocked_actions: [{ action: 'edit', reason: "L'accordo è firmato", code: 'state' }] }),
    ], {
      'GET /api/v1/agreements/{id}/documents': ({ params }) => ({
        items: params.id === 'a0' ? [documentMeta({ id: 'd0', agreement_id: 'a0', file_name: 'protocollo firmato.pdf' })] : [], next: null,
      }),
      'GET /api/v1/documents/{id}': () => new Response(new Blob(['%PDF-1.4']), { status: 200, headers: { 'Content-Type': 'application/pdf' } }),
    }));
    const created = vi.fn(() => 'blob:d0');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    renderApp('/networks/n1');
    await screen.findByRole('heading', { name: 'Convenzioni e protocolli' });
    const old = await waitFor(() => card('Protocollo per il microcredito'));
    expect(old).toHaveTextContent("Protocollo d'intesa");
    expect(old).toHaveTextContent('Scaduto');
    await waitFor(() => expect(old).toHaveTextContent('Agenzia Sociale, Comune di Seriate'));
    expect(old).toHaveTextContent('10/01/2025 – 31/12/2025');
    // Nothing the API does not offer: no sign, no edit; a renewal where the network may be edited.
    expect(within(old).queryByRole('button', { name: /^Firma/ })).not.toBeInTheDocument();
    expect(within(old).getByRole('button', { name: /^Rinnova/ })).toBeInTheDocument();
    const current = card('Protocollo per il microcredito 2026');
    expect(current).toHaveTextContent('Firmato');
    expect(current).toHaveTextContent('Senza scadenza');
    expect(current).toHaveTextContent('Rinnova' + 'Protocollo per il microcredito');
    // A blocked action is shown disabled, with the API's reason.
    expect(within(current).getByRole('button', { name: /^Modifica/ })).toHaveAttribute('aria-disabled', 'true');
    expect(current).toHaveTextContent("L'accordo è firmato");
    // The signed text of the old one, downloaded with the session.
    await userEvent.click(await within(old).findByRole('button', { name: /Scarica.*protocollo firmato\.pdf/ }));
    await waitFor(() => expect(created).toHaveBeenCalledTimes(1));
    expect(callsTo('GET /api/v1/documents/{id}')[0].req.headers.get('Authorization')).toBe('Bearer A');
  }, 30_000);

  it('drafts one among the members; the field errors of the API land on the fields, what was typed stays', async () => {
    let list: Agreement[] = [];
    let tries = 0;
    const { callsTo } = signedInAs('network_coordinator', routes(() => list, {
      'POST /api/v1/networks/{id}/agreements': async ({ body }) => {
        if (++tries === 1) return problem(422, { errors: [{ field: 'party_member_ids[1]', code: 'unknown', message: "non è un aderente attivo della rete" }] });
        const b = await body();
        list = [agreement({ subject: b.subject, party_member_ids: b.party_member_ids ?? [] })];
        return list[0];
      },
    }));
    renderApp('/networks/n1');
    await userEvent.click(await within(await screen.findByTestId('agreements')).findByRole('button', { name: 'Nuovo accordo' }));
    const dialog = await screen.findByRole('dialog');
    // Only today's members can be parties.
    expect(within(dialog).queryByLabelText('Comune di Seriate')).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva la bozza' }));
    expect(within(dialog).getByRole('alert', { name: /Ci sono errori nel modulo/ })).toHaveTextContent('Oggetto: campo obbligatorio');
    expect(callsTo('POST /api/v1/networks/{id}/agreements')).toHaveLength(0);
    await userEvent.type(within(dialog).getByLabelText(/^Oggetto/), 'Convenzione per lo sportello casa');
    await userEvent.click(within(dialog).getByLabelText('Agenzia Sociale'));
    await userEvent.click(within(dialog).getByLabelText('Comune di Bergamo'));
    await userEvent.type(within(dialog).getByLabelText('In vigore dal'), '01/02/2026');
    await userEvent.type(within(dialog).getByLabelText('Fino al'), '01/01/2026');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva la bozza' }));
    expect(within(dialog).getByRole('alert', { name: /Ci sono errori nel modulo/ })).toHaveTextContent('Fino al: la data di fine');
    await userEvent.clear(within(dialog).getByLabelText('Fino al'));
    await userEvent.type(within(dialog).getByLabelText('Fino al'), '31/12/2027');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva la bozza' }));
    // The server's word, on the parties; nothing typed is lost.
    expect(await within(dialog).findByText('non è un aderente attivo della rete', { selector: '.invalid-feedback' })).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/^Oggetto/)).toHaveValue('Convenzione per lo sportello casa');
    expect(within(dialog).getByLabelText('Comune di Bergamo')).toBeChecked();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva la bozza' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await callsTo('POST /api/v1/networks/{id}/agreements')[1].req.json()).toEqual({
      kind: 'convention', subject: 'Convenzione per lo sportello casa', party_member_ids: ['m1', 'm2'],
      valid_from: '2026-02-01', valid_until: '2027-12-31', renews_agreement_id: null,
    });
    expect(await within(section()).findByRole('article', { name: 'Convenzione per lo sportello casa' })).toHaveTextContent('Bozza');
  }, 30_000);

  it('edits a draft at the version read', async () => {
    const { callsTo } = signedInAs('network_coordinator', routes(() => [agreement()], {
      'GET /api/v1/agreements/{id}': () => agreement({ updated_at: T1 }),
      'PATCH /api/v1/agreements/{id}': async ({ body }) => agreement({ ...(await body()), updated_at: T0 } as Partial<Agreement>),
    }));
    renderApp('/networks/n1');
    await userEvent.click(await within(await screen.findByTestId('agreements')).findByRole('button', { name: /^Modifica/ }));
    const dialog = await screen.findByRole('dialog', { name: "Modifica la bozza dell'accordo" });
    await userEvent.click(within(dialog).getByLabelText("Protocollo d'intesa"));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva' }));
    await waitFor(() => expect(callsTo('PATCH /api/v1/agreements/{id}')).toHaveLength(1));
    const [patch] = callsTo('PATCH /api/v1/agreements/{id}');
    expect(patch.req.headers.get('If-Match')).toBe(etagOf(T1));
    expect(await patch.req.json()).toMatchObject({ kind: 'protocol', party_member_ids: ['m1', 'm2'] });
  }, 30_000);

  it('is signed with its PDF: the file goes first, then the signature; a retry does not send the file again', async () => {
    let signs = 0;
    const uploads: File[] = [];
    const { callsTo } = signedInAs('network_coordinator', routes(() => [agreement()], {
      'POST /api/v1/agreements/{id}/documents': async ({ req }) => {
        const f = (await req.formData()).get('file') as File;
        uploads.push(f);
        return documentMeta({ id: 'd1', agreement_id: 'a1', file_name: f.name });
      },
      'POST /api/v1/agreements/{id}/sign': () => (++signs === 1
        ? problem(422, { errors: [{ field: 'signed_on', code: 'future', message: 'non può essere nel futuro' }] })
        : agreement({ status: 'signed', signed_on: '2026-03-01', document_ids: ['d1'], allowed_actions: ['terminate'] })),
    }));
    renderApp('/networks/n1');
    await userEvent.click(await within(await screen.findByTestId('agreements')).findByRole('button', { name: /^Firma/ }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText('Data di firma')).toHaveValue(todayISO().split('-').reverse().join('/'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Firma' }));
    expect(within(dialog).getByRole('alert', { name: /Ci sono errori nel modulo/ })).toHaveTextContent(/allega il testo firmato in PDF/i);
    // Not a PDF: said before anything is sent.
    const input = within(dialog).getByLabelText(/^Testo firmato \(PDF\)/);
    await userEvent.upload(input, new File(['x'], 'note.txt', { type: 'text/plain' }), { applyAccept: false });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Firma' }));
    expect(await within(dialog).findByText('Il testo firmato deve essere un file PDF.', { selector: '.invalid-feedback' })).toBeInTheDocument();
    await userEvent.upload(input, PDF);
    await userEvent.clear(within(dialog).getByLabelText('Data di firma'));
    await userEvent.type(within(dialog).getByLabelText('Data di firma'), '01/03/2026');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Firma' }));
    expect(await within(dialog).findByText('non può essere nel futuro', { selector: '.invalid-feedback' })).toBeInTheDocument();
    expect(uploads).toHaveLength(1);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Firma' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(uploads).toHaveLength(1);
    const sign = callsTo('POST /api/v1/agreements/{id}/sign');
    expect(sign).toHaveLength(2);
    expect(await sign[1].req.json()).toEqual({ signed_on: '2026-03-01' });
  }, 30_000);

  it('is terminated with a reason, and renewed as a new draft linked to it', async () => {
    const signed = agreement({ status: 'signed', signed_on: '2026-02-01', valid_until: '2026-12-31', allowed_actions: ['terminate'] });
    const { callsTo } = signedInAs('network_coordinator', routes(() => [signed], {
      'POST /api/v1/agreements/{id}/terminate': () => ({ ...signed, status: 'terminated', allowed_actions: [] }),
      'POST /api/v1/networks/{id}/agreements': async ({ body }) => agreement({ id: 'a2', ...(await body()) } as Partial<Agreement>),
    }));
    renderApp('/networks/n1');
    const c = await waitFor(() => card('Convenzione per lo sportello casa'));
    await userEvent.click(within(c).getByRole('button', { name: /^Cessa/ }));
    let dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cessa' }));
    expect(within(dialog).getByRole('alert', { name: /Ci sono errori nel modulo/ })).toHaveTextContent('Motivazione: campo obbligatorio');
    await userEvent.type(within(dialog).getByLabelText(/^Motivazione/), 'Sportello chiuso');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cessa' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await callsTo('POST /api/v1/agreements/{id}/terminate')[0].req.json()).toEqual({ reason: 'Sportello chiuso' });

    await userEvent.click(within(c).getByRole('button', { name: /^Rinnova/ }));
    dialog = await screen.findByRole('dialog', { name: 'Rinnova: Convenzione per lo sportello casa' });
    // It starts the day after the previous one ends, with the same subject and parties.
    expect(within(dialog).getByLabelText('In vigore dal')).toHaveValue('01/01/2027');
    expect(within(dialog).getByLabelText('Comune di Bergamo')).toBeChecked();
    await userEvent.type(within(dialog).getByLabelText('Fino al'), '31/12/2027');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Salva la bozza' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(await callsTo('POST /api/v1/networks/{id}/agreements')[0].req.json()).toEqual({
      kind: 'convention', subject: 'Convenzione per lo sportello casa', party_member_ids: ['m1', 'm2'],
      valid_from: '2027-01-01', valid_until: '2027-12-31', renews_agreement_id: 'a1',
    });
  }, 30_000);
});
