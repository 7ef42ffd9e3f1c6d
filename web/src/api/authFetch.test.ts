import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearTokens, getAccessToken, getRefreshToken, onGrantChanged, onSessionEnd, setTokens } from '../auth/session';
import { authFetch } from './authFetch';

function json(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

describe('authFetch', () => {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    clearTokens();
  });

  it('sends the access token as a bearer', async () => {
    setTokens({ access_token: 'A1', expires_in: 900, refresh_token: 'R1' });
    fetchMock.mockResolvedValueOnce(json(200, { ok: true }));
    await authFetch(new Request('http://x/api/v1/me'));
    const sent = fetchMock.mock.calls[0][0] as Request;
    expect(sent.headers.get('Authorization')).toBe('Bearer A1');
  });

  it('refreshes once on 401, keeps the rotated refresh token and retries the request with its body', async () => {
    setTokens({ access_token: 'A1', expires_in: 900, refresh_token: 'R1' });
    fetchMock
      .mockResolvedValueOnce(json(401, { status: 401, title: 'Unauthorized', type: 'about:blank' }))
      .mockResolvedValueOnce(json(200, { access_token: 'A2', expires_in: 900, refresh_token: 'R2', token_type: 'Bearer', refresh_expires_in: 3600 }))
      .mockResolvedValueOnce(json(201, { id: 'x' }));
    const res = await authFetch(new Request('http://x/api/v1/referrals', { method: 'POST', body: '{"a":1}' }));
    expect(res.status).toBe(201);
    const refreshCall = fetchMock.mock.calls[1];
    expect(String(refreshCall[0])).toContain('/auth/refresh');
    expect(JSON.parse(String((refreshCall[1] as RequestInit).body))).toEqual({ refresh_token: 'R1' });
    const retried = fetchMock.mock.calls[2][0] as Request;
    expect(retried.headers.get('Authorization')).toBe('Bearer A2');
    expect(await retried.text()).toBe('{"a":1}');
    expect(getRefreshToken()).toBe('R2');
    expect(getAccessToken()).toBe('A2');
  });

  it('shares one refresh between concurrent 401s (the refresh token rotates)', async () => {
    setTokens({ access_token: 'A1', expires_in: 900, refresh_token: 'R1' });
    let refreshes = 0;
    fetchMock.mockImplementation(async (input) => {
      const url = typeof input === 'string' ? input : input instanceof Request ? input.url : String(input);
      if (url.includes('/auth/refresh')) {
        refreshes += 1;
        await new Promise((r) => setTimeout(r, 10));
        return json(200, { access_token: 'A2', expires_in: 900, refresh_token: 'R2' });
      }
      const auth = (input as Request).headers.get('Authorization');
      return auth === 'Bearer A2' ? json(200, {}) : json(401, {});
    });
    const results = await Promise.all([1, 2, 3].map(() => authFetch(new Request('http://x/api/v1/cases'))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(refreshes).toBe(1);
  });

  it('ends the session when the refresh is refused', async () => {
    setTokens({ access_token: 'A1', expires_in: 900, refresh_token: 'R1' });
    const ended = vi.fn();
    const off = onSessionEnd(ended);
    fetchMock
      .mockResolvedValueOnce(json(401, {}))
      .mockResolvedValueOnce(json(401, {}));
    const res = await authFetch(new Request('http://x/api/v1/me'));
    off();
    expect(res.status).toBe(401);
    expect(ended).toHaveBeenCalledWith('expired');
    expect(getRefreshToken()).toBeNull();
    expect(getAccessToken()).toBeNull();
  });

  it('refreshes before sending when the access token is about to expire', async () => {
    setTokens({ access_token: 'A1', expires_in: 5, refresh_token: 'R1' });
    fetchMock
      .mockResolvedValueOnce(json(200, { access_token: 'A2', expires_in: 900, refresh_token: 'R2' }))
      .mockResolvedValueOnce(json(200, {}));
    await authFetch(new Request('http://x/api/v1/me'));
    expect(String(fetchMock.mock.calls[0][0])).toContain('/auth/refresh');
    expect((fetchMock.mock.calls[1][0] as Request).headers.get('Authorization')).toBe('Bearer A2');
  });

  describe('a refused refresh says why the session ended', () => {
    const refused = (code: string) => json(401, {
      type: `urn:sistema-lavoro:problem:${code}`, title: 'Unauthorized', status: 401, code,
    });

    it.each([
      ['session_revoked', 'revoked'],
      ['refresh_token_reused', 'reused'],
      ['refresh_token_expired', 'expired'],
      ['invalid_refresh_token', 'expired'],
    ])('after a plain 401, a refresh answered %s ends the session as "%s"', async (code, reason) => {
      setTokens({ access_token: 'A1', expires_in: 900, refresh_token: 'R1' });
      const ended = vi.fn();
      const off = onSessionEnd(ended);
      fetchMock
        .mockResolvedValueOnce(json(401, { status: 401, title: 'Unauthorized', code: 'unauthenticated' }))
        .mockResolvedValueOnce(refused(code));
      const res = await authFetch(new Request('http://x/api/v1/cases'));
      off();
      expect(res.status).toBe(401);
      expect(fetchMock).toHaveBeenCalledTimes(2);
      expect(ended).toHaveBeenCalledTimes(1);
      expect(ended).toHaveBeenCalledWith(reason);
      expect(getRefreshToken()).toBeNull();
    });

    it('a session ended elsewhere, found by the refresh before a request, ends as "revoked"', async () => {
      setTokens({ access_token: 'A1', expires_in: 5, refresh_token: 'R1' });
      const ended = vi.fn();
      const off = onSessionEnd(ended);
      fetchMock
        .mockResolvedValueOnce(refused('session_revoked'))
        .mockResolvedValueOnce(json(401, { status: 401, title: 'Unauthorized', code: 'unauthenticated' }));
      await authFetch(new Request('http://x/api/v1/cases'));
      off();
      expect(String(fetchMock.mock.calls[0][0])).toContain('/auth/refresh');
      expect(fetchMock).toHaveBeenCalledTimes(2);
      expect(ended).toHaveBeenCalledWith('revoked');
    });

    it('a new sign-in forgets why the previous session ended', async () => {
      setTokens({ access_token: 'A1', expires_in: 900, refresh_token: 'R1' });
      fetchMock
        .mockResolvedValueOnce(json(401, {}))
        .mockResolvedValueOnce(refused('session_revoked'));
      await authFetch(new Request('http://x/api/v1/cases'));
      setTokens({ access_token: 'A2', expires_in: 900, refresh_token: 'R2' });
      window.sessionStorage.removeItem('sl.refresh_token'); // nothing to refresh with this time
      const ended = vi.fn();
      const off = onSessionEnd(ended);
      fetchMock.mockReset().mockResolvedValueOnce(json(401, {}));
      await authFetch(new Request('http://x/api/v1/cases'));
      off();
      expect(fetchMock).toHaveBeenCalledTimes(1);
      expect(ended).toHaveBeenCalledWith('expired');
    });
  });

  describe('401 token_revoked (account disabled, role or password changed)', () => {
    const revoked = () => json(401, {
      type: 'urn:sistema-lavoro:problem:token_revoked', title: 'Unauthorized', status: 401, code: 'token_revoked',
      detail: 'this token was revoked: the account or client was disabled or changed; sign in again',
    });

    it('tries the refresh token once, then ends the session as "revoked" without looping', async () => {
      setTokens({ access_token: 'A1', expires_in: 900, refresh_token: 'R1' });
      const ended = vi.fn();
      const off = onSessionEnd(ended);
      fetchMock
        .mockResolvedValueOnce(revoked())
        .mockResolvedValueOnce(json(401, { status: 401, title: 'Unauthorized', code: 'session_revoked' }));
      const res = await authFetch(new Request('http://x/api/v1/cases'));
      off();
      expect(res.status).toBe(401);
      expect(fetchMock).toHaveBeenCalledTimes(2);
      expect(String(fetchMock.mock.calls[1][0])).toContain('/auth/refresh');
      expect(ended).toHaveBeenCalledTimes(1);
      expect(ended).toHaveBeenCalledWith('revoked');
      expect(getRefreshToken()).toBeNull();
      expect(getAccessToken()).toBeNull();
      // The caller can still read the problem.
      expect((await res.json()).code).toBe('token_revoked');
    });

    it('ends the session as "revoked" whatever the refused refresh says', async () => {
      for (const code of ['refresh_token_reused', 'refresh_token_expired', 'invalid_refresh_token', undefined]) {
        setTokens({ access_token: 'A1', expires_in: 900, refresh_token: 'R1' });
        const ended = vi.fn();
        const off = onSessionEnd(ended);
        fetchMock.mockReset()
          .mockResolvedValueOnce(revoked())
          .mockResolvedValueOnce(json(401, { status: 401, title: 'Unauthorized', code }));
        await authFetch(new Request('http://x/api/v1/cases'));
        off();
        expect(ended, String(code)).toHaveBeenCalledWith('revoked');
      }
    });

    it('ends the session at once when there is no refresh token to try', async () => {
      clearTokens();
      const ended = vi.fn();
      const off = onSessionEnd(ended);
      fetchMock.mockResolvedValueOnce(revoked());
      await authFetch(new Request('http://x/api/v1/me'));
      off();
      expect(fetchMock).toHaveBeenCalledTimes(1);
      expect(ended).toHaveBeenCalledWith('revoked');
    });

    it('retries once with the refreshed token when the refresh is still granted, and asks to reload who is logged in', async () => {
      setTokens({ access_token: 'A1', expires_in: 900, refresh_token: 'R1' });
      const changed = vi.fn();
      const ended = vi.fn();
      const off = [onGrantChanged(changed), onSessionEnd(ended)];
      fetchMock
        .mockResolvedValueOnce(revoked())
        .mockResolvedValueOnce(json(200, { access_token: 'A2', expires_in: 900, refresh_token: 'R2' }))
        .mockResolvedValueOnce(json(200, { items: [] }));
      const res = await authFetch(new Request('http://x/api/v1/cases'));
      off.forEach((f) => f());
      expect(res.status).toBe(200);
      expect((fetchMock.mock.calls[2][0] as Request).headers.get('Authorization')).toBe('Bearer A2');
      expect(changed).toHaveBeenCalledTimes(1);
      expect(ended).not.toHaveBeenCalled();
    });

    it('does not refresh again when the retried request is revoked too', async () => {
      setTokens({ access_token: 'A1', expires_in: 900, refresh_token: 'R1' });
      const ended = vi.fn();
      const off = onSessionEnd(ended);
      fetchMock
        .mockResolvedValueOnce(revoked())
        .mockResolvedValueOnce(json(200, { access_token: 'A2', expires_in: 900, refresh_token: 'R2' }))
        .mockResolvedValueOnce(revoked());
      const res = await authFetch(new Request('http://x/api/v1/cases'));
      off();
      expect(res.status).toBe(401);
      expect(fetchMock).toHaveBeenCalledTimes(3);
      expect(ended).toHaveBeenCalledWith('revoked');
      expect(getRefreshToken()).toBeNull();
    });

    it('keeps the tokens when the refresh fails for a network error (no sign-out, no loop)', async () => {
      setTokens({ access_token: 'A1', expires_in: 900, refresh_token: 'R1' });
      const ended = vi.fn();
      const off = onSessionEnd(ended);
      fetchMock.mockResolvedValueOnce(revoked()).mockRejectedValueOnce(new TypeError('network down'));
      const res = await authFetch(new Request('http://x/api/v1/cases'));
      off();
      expect(res.status).toBe(401);
      expect(fetchMock).toHaveBeenCalledTimes(2);
      expect(ended).not.toHaveBeenCalled();
      expect(getRefreshToken()).toBe('R1');
    });
  });
});
