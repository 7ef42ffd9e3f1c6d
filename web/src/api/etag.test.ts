import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, unwrap, unwrapVersioned } from './client';
import { etagOf, ifMatch, isMissingVersion, isStrongETag, MissingVersionError } from './etag';

describe('versions (ETag / If-Match)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('takes only strong entity tags: never the wildcard, never a weak one', () => {
    expect(isStrongETag('"1795327699593240"')).toBe(true);
    expect(isStrongETag('*')).toBe(false);
    expect(isStrongETag('W/"1"')).toBe(false);
    expect(isStrongETag('')).toBe(false);
    expect(isStrongETag(null)).toBe(false);
    expect(etagOf(new Response(null, { headers: { ETag: '"42"' } }))).toBe('"42"');
    expect(etagOf(new Response(null, { headers: { ETag: '*' } }))).toBeNull();
    expect(etagOf(new Response(null))).toBeNull();
  });

  it('refuses to build If-Match without the version read', () => {
    expect(ifMatch('"42"')).toEqual({ 'If-Match': '"42"' });
    expect(() => ifMatch(null)).toThrow(MissingVersionError);
    expect(() => ifMatch(undefined)).toThrow(MissingVersionError);
    expect(() => ifMatch('*')).toThrow(MissingVersionError);
  });

  it('keeps the ETag header of the response read', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ id: 'm1' }), {
      status: 200, headers: { 'Content-Type': 'application/json', ETag: '"1795327699593240"' },
    })));
    const read = await unwrapVersioned(api.GET('/api/v1/meetings/{id}', { params: { path: { id: 'm1' } } }));
    expect(read).toEqual({ record: { id: 'm1' }, etag: '"1795327699593240"' });
  });

  it('sends no edit without If-Match, nor with `*`: nothing reaches the network', async () => {
    const fetchMock = vi.fn(async () => new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } }));
    vi.stubGlobal('fetch', fetchMock);
    const patch = (header: Record<string, string>) => unwrap(api.PATCH('/api/v1/meetings/{id}', {
      params: { path: { id: 'm1' }, header: header as { 'If-Match': string } }, body: { title: 'Seduta' },
    }));
    const refused = await patch({}).catch((e: unknown) => e);
    expect(isMissingVersion(refused)).toBe(true);
    expect(isMissingVersion(await patch({ 'If-Match': '*' }).catch((e: unknown) => e))).toBe(true);
    expect(fetchMock).not.toHaveBeenCalled();
    await patch({ 'If-Match': '"7"' });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect((fetchMock.mock.calls[0] as unknown as [Request])[0].headers.get('If-Match')).toBe('"7"');
  });
});
