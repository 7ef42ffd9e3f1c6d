import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { referral, T0 } from '../../test/fixtures';
import { problem, renderApp, signedInAs } from '../../test/utils';
import { formatSize, type DocumentMeta } from './DocumentsSection';

const doc = (extra: Partial<DocumentMeta> = {}): DocumentMeta => ({
  id: 'doc1', referral_id: 'r1', file_name: 'curriculum.pdf', media_type: 'application/pdf', size_bytes: 1536,
  sha256: 'a'.repeat(64), uploaded_by: 'u-ref', uploaded_by_name: 'Anna Rota', uploaded_at: T0,
  allowed_actions: ['delete'], blocked_actions: [], ...extra,
});

const section = () => screen.getByTestId('documents');

describe('the documents of a referral', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('are listed with kind, size in Italian and who; deleted only where allowed, after confirming', async () => {
    let docs = [doc(), doc({ id: 'doc2', file_name: 'attestato.odt', media_type: 'application/vnd.oasis.opendocument.text',
      size_bytes: 2_621_440, uploaded_by: 'u-coord', uploaded_by_name: 'Carla Bianchi', allowed_actions: [] })];
    const { callsTo } = signedInAs('referrer', {
      'GET /api/v1/referrals/{id}': () => referral({ allowed_actions: [] }),
      'GET /api/v1/referrals/{id}/documents': () => ({ items: docs, next: null }),
      'DELETE /api/v1/documents/{id}': ({ params }) => { docs = docs.filter((d) => d.id !== params.id); return null; },
    });
    renderApp('/referrals/r1');
    const table = await within(await screen.findByTestId('documents')).findByRole('table');
    const rows = within(table).getAllByRole('row');
    expect(within(rows[1]).getByText('curriculum.pdf')).toBeInTheDocument();
    expect(within(rows[1]).getByText('PDF')).toBeInTheDocument();
    expect(within(rows[1]).getByText('1,5 KB')).toBeInTheDocument();
    expect(within(rows[1]).getByText(/Anna Rota/)).toBeInTheDocument();
    expect(within(rows[2]).getByText('ODT')).toBeInTheDocument();
    expect(within(rows[2]).getByText('2,5 MB')).toBeInTheDocument();
    // Only the first is the caller's to delete; no upload where the referral does not offer it.
    expect(within(rows[2]).queryByRole('button', { name: /Elimina/ })).not.toBeInTheDocument();
    expect(within(section()).queryByLabelText(/Allega un documento/)).not.toBeInTheDocument();
    await userEvent.click(within(rows[1]).getByRole('button', { name: /Elimina.*curriculum\.pdf/ }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('curriculum.pdf');
    expect(callsTo('DELETE /api/v1/documents/{id}')).toHaveLength(0);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Elimina' }));
    await waitFor(() => expect(screen.queryByText('curriculum.pdf')).not.toBeInTheDocument());
    expect(callsTo('DELETE /api/v1/documents/{id}')).toHaveLength(1);
  }, 30_000);

  it('are uploaded as multipart where allowed; a refused kind or size is told in Italian', async () => {
    let answer: 'unsupported' | 'large' | 'ok' = 'unsupported';
    const docs: DocumentMeta[] = [];
    const sent: [string, unknown][] = [];
    const { callsTo } = signedInAs('referrer', {
      'GET /api/v1/referrals/{id}': () => referral({ allowed_actions: ['upload_document'] }),
      'GET /api/v1/referrals/{id}/documents': () => ({ items: docs, next: null }),
      'POST /api/v1/documents': async ({ req }) => {
        const form = await req.formData();
        sent.push([String(form.get('referral_id')), form.get('file')]);
        if (answer === 'unsupported') return problem(415, { code: 'unsupported_media_type' });
        if (answer === 'large') return problem(413, { code: 'payload_too_large' });
        docs.push(doc({ file_name: 'cv.pdf' }));
        return docs[0];
      },
    });
    renderApp('/referrals/r1');
    const input = await within(await screen.findByTestId('documents')).findByLabelText(/Allega un documento/);
    expect(input).toHaveAttribute('accept', expect.stringContaining('.pdf'));
    const file = new File(['%PDF-1.4'], 'cv.pdf', { type: 'application/pdf' });
    await userEvent.upload(input, file);
    await userEvent.click(within(section()).getByRole('button', { name: 'Carica' }));
    expect(await within(section()).findByRole('alert')).toHaveTextContent('Il file non è di un formato ammesso');
    answer = 'large';
    await userEvent.click(within(section()).getByRole('button', { name: 'Carica' }));
    await waitFor(() => expect(within(section()).getByRole('alert')).toHaveTextContent('supera il limite di 20 MB'));
    answer = 'ok';
    await userEvent.click(within(section()).getByRole('button', { name: 'Carica' }));
    expect(await within(section()).findByText('cv.pdf')).toBeInTheDocument();
    expect(callsTo('POST /api/v1/documents')).toHaveLength(3);
    expect(sent.map(([r]) => r)).toEqual(['r1', 'r1', 'r1']);
    expect(sent.every(([, f]) => f !== null && typeof f === 'object')).toBe(true);
  }, 30_000);

  it('are downloaded with the session token, not by a bare link', async () => {
    const { callsTo } = signedInAs('referrer', {
      'GET /api/v1/referrals/{id}': () => referral({ allowed_actions: [] }),
      'GET /api/v1/referrals/{id}/documents': () => ({ items: [doc()], next: null }),
      'GET /api/v1/documents/{id}': () => new Response(new Blob(['%PDF-1.4']), { status: 200, headers: { 'Content-Type': 'application/pdf' } }),
    });
    const created = vi.fn(() => 'blob:doc1');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    renderApp('/referrals/r1');
    const button = await within(await screen.findByTestId('documents')).findByRole('button', { name: /Scarica.*curriculum\.pdf/ });
    await userEvent.click(button);
    await waitFor(() => expect(created).toHaveBeenCalledTimes(1));
    const [call] = callsTo('GET /api/v1/documents/{id}');
    expect(call.req.headers.get('Authorization')).toBe('Bearer A');
  });
});

describe('sizes', () => {
  it('read as Italians write them', () => {
    expect(formatSize(900)).toBe('900 B');
    expect(formatSize(1536)).toBe('1,5 KB');
    expect(formatSize(20 * 1024 * 1024)).toBe('20 MB');
  });
});
