// fetch() for the generated client: adds the bearer token, refreshes it silently on 401
// (once, then retries the request) and ends the session when the refresh is refused.
import {
  accessTokenExpiringSoon,
  endSession,
  getAccessToken,
  getRefreshToken,
  refreshTokens,
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

export async function authFetch(input: Request): Promise<Response> {
  if (isAuthEndpoint(input.url)) return fetch(input);
  const retry = input.clone();
  if (getRefreshToken() && accessTokenExpiringSoon()) await refreshTokens();
  const res = await fetch(withBearer(input));
  if (res.status !== 401 || !getRefreshToken()) {
    if (res.status === 401) endSession('expired');
    return res;
  }
  const refreshed = await refreshTokens();
  if (!refreshed) {
    if (!getRefreshToken()) endSession('expired');
    return res;
  }
  const second = await fetch(withBearer(retry));
  if (second.status === 401) endSession('expired');
  return second;
}
