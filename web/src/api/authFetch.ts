// fetch() for the generated client: adds the bearer token, refreshes it silently on 401
// (once, then retries the request) and ends the session when the refresh is refused.
// A `401 token_revoked` (account disabled, role or password changed) is handled the same way.
// The sign-in page then says why: "revoked" when the request's token was revoked or the refresh
// answers `session_revoked` (signed out elsewhere, account disabled or changed), "reused" for
// `refresh_token_reused` (a replay: the server ended the session), "expired" otherwise.
import {
  accessTokenExpiringSoon,
  endSession,
  getAccessToken,
  getRefreshToken,
  grantChanged,
  refreshRefusal,
  refreshTokens,
  type ExpiryReason,
} from '../auth/session';

const AUTH_PATHS = ['/auth/login', '/auth/refresh', '/auth/logout'];

function isAuthEndpoint(url: string): boolean {
  const path = new URL(url, 'http://x').pathname;
  return AUTH_PATHS.some((p) => path.endsWith(p));
}

function withBearer(req: Request): Request {
  const token = getAccessToken();
  if (token) req.headers.set('Authorization', `Bearer ${token}`);
  return req;
}

/** Why a 401 ends the session: its problem+json `code` (the body stays readable). */
async function reasonOf(res: Response): Promise<ExpiryReason> {
  try {
    const body: unknown = await res.clone().json();
    const code = typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined;
    return code === 'token_revoked' ? 'revoked' : 'expired';
  } catch {
    return 'expired';
  }
}

/** Why the session ends when the refresh after a 401 (or before the request) was refused. */
function ending(reason: ExpiryReason): ExpiryReason {
  return reason === 'revoked' ? reason : refreshRefusal() ?? reason;
}

export async function authFetch(input: Request): Promise<Response> {
  if (isAuthEndpoint(input.url)) return fetch(input);
  const retry = input.clone();
  if (getRefreshToken() && accessTokenExpiringSoon()) await refreshTokens();
  const res = await fetch(withBearer(input));
  if (res.status !== 401) return res;
  const reason = await reasonOf(res);
  if (!getRefreshToken()) {
    endSession(ending(reason));
    return res;
  }
  // One refresh, one retry: never a loop.
  const refreshed = await refreshTokens();
  if (!refreshed) {
    // A refused refresh cleared the tokens; a network error or 5xx keeps them (retry later).
    if (!getRefreshToken()) endSession(ending(reason));
    return res;
  }
  if (reason === 'revoked') grantChanged();
  const second = await fetch(withBearer(retry));
  if (second.status === 401) endSession(reason === 'revoked' ? reason : await reasonOf(second));
  return second;
}
