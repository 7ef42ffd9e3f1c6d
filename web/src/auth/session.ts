// Token storage and silent refresh, outside React so the API client can use it.
// Access token: memory only. Refresh token: sessionStorage (per tab, gone when the tab closes).
import { API_ORIGIN, API_PREFIX } from '../api/base';

const REFRESH_KEY = 'sl.refresh_token';
/** Refresh this long before the access token expires, to avoid a 401 round trip. */
const EARLY_REFRESH_MS = 15_000;

export interface TokenPair {
  access_token: string;
  expires_in: number;
  refresh_token: string;
}

/**
 * Why a session ended: the tokens expired (or the refresh was refused), the server ended it
 * (`401 token_revoked` on a request, `401 session_revoked` on the refresh: signed out
 * elsewhere, account disabled or changed by an administrator), its refresh token was presented
 * twice (`401 refresh_token_reused`: a replay, so the server ended the session), or the user left.
 */
export type ExpiryReason = 'expired' | 'revoked' | 'reused' | 'logout';

let accessToken: string | null = null;
let accessExpiresAt = 0;
let inflight: Promise<boolean> | null = null;
let refusal: ExpiryReason | null = null;
const expiryListeners = new Set<(reason: ExpiryReason) => void>();
const grantListeners = new Set<() => void>();

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function getAccessToken(): string | null {
  return accessToken;
}

export function getRefreshToken(): string | null {
  return storage()?.getItem(REFRESH_KEY) ?? null;
}

export function hasSession(): boolean {
  return accessToken !== null || getRefreshToken() !== null;
}

export function setTokens(t: TokenPair): void {
  refusal = null;
  accessToken = t.access_token;
  accessExpiresAt = Date.now() + t.expires_in * 1000;
  storage()?.setItem(REFRESH_KEY, t.refresh_token);
}

export function clearTokens(): void {
  accessToken = null;
  accessExpiresAt = 0;
  storage()?.removeItem(REFRESH_KEY);
}

export function accessTokenExpiringSoon(now = Date.now()): boolean {
  return accessToken === null || now >= accessExpiresAt - EARLY_REFRESH_MS;
}

/** Subscribe to "the session is over" (refresh failed, or logout); returns the unsubscribe. */
export function onSessionEnd(cb: (reason: ExpiryReason) => void): () => void {
  expiryListeners.add(cb);
  return () => expiryListeners.delete(cb);
}

export function endSession(reason: ExpiryReason): void {
  clearTokens();
  expiryListeners.forEach((cb) => cb(reason));
}

/**
 * Subscribe to "the server revoked the token but the refresh still worked": what the account
 * may do could have changed (e.g. another organization), so who is logged in is read again.
 */
export function onGrantChanged(cb: () => void): () => void {
  grantListeners.add(cb);
  return () => grantListeners.delete(cb);
}

export function grantChanged(): void {
  grantListeners.forEach((cb) => cb());
}

/** The ending a refused refresh's problem `code` stands for. */
export function refusalReason(code: unknown): ExpiryReason {
  if (code === 'session_revoked') return 'revoked';
  if (code === 'refresh_token_reused') return 'reused';
  // refresh_token_expired, invalid_refresh_token, anything else.
  return 'expired';
}

/** Why the last refresh was refused (null: it was granted, or got no definitive answer). */
export function refreshRefusal(): ExpiryReason | null {
  return refusal;
}

async function problemCode(res: Response): Promise<unknown> {
  try {
    const body: unknown = await res.json();
    return typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Exchanges the refresh token for a new pair. Single-flight: concurrent callers share one
 * request, because the refresh token rotates and a second use of the old one would fail.
 */
export function refreshTokens(): Promise<boolean> {
  if (inflight) return inflight;
  const refresh_token = getRefreshToken();
  if (!refresh_token) return Promise.resolve(false);
  inflight = (async () => {
    refusal = null;
    try {
      const res = await fetch(`${API_ORIGIN}${API_PREFIX}/auth/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refresh_token }),
      });
      if (!res.ok) {
        // Only a definitive answer ends the session; a network error or 5xx keeps the tokens.
        if (res.status === 400 || res.status === 401 || res.status === 403) {
          refusal = refusalReason(await problemCode(res));
          clearTokens();
        }
        return false;
      }
      setTokens((await res.json()) as TokenPair);
      return true;
    } catch {
      return false;
    } finally {
      inflight = null;
    }
  })();
  return inflight;
}
