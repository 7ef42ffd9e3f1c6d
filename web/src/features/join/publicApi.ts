// The public side of the networks (no sign-in): the networks that accept requests to join, and
// the request itself (GET /api/v1/public/networks, POST /api/v1/public/networks/{id}/join-requests),
// typed by the contract (api/types.ts). It goes through plain `fetch`, never the signed-in
// client, so no token is ever sent from this page.
import { API_ORIGIN, API_PREFIX } from '../../api/base';
import { ApiError } from '../../api/problem';
import { JOIN_CAPACITIES, type JoinCapacity, type JoinReceived, type JoinRequestInput, type PublicNetworkList } from '../../api/types';
import i18n from '../../i18n';

export type { JoinRequestInput, PrivacyNotice, PublicNetwork } from '../../api/types';
export type Capacity = JoinCapacity;
export const CAPACITIES: readonly Capacity[] = JOIN_CAPACITIES;
export type PublicNetworks = PublicNetworkList;

async function call<T>(path: string, init: RequestInit = {}): Promise<{ data: T; response: Response }> {
  let response: Response;
  try {
    response = await fetch(`${API_ORIGIN}${API_PREFIX}${path}`, {
      ...init,
      credentials: 'omit',
      headers: {
        Accept: 'application/json, application/problem+json',
        'Accept-Language': i18n.language === 'en' ? 'en' : 'it',
        ...(init.body ? { 'Content-Type': 'application/json' } : {}),
      },
    });
  } catch (e) {
    throw ApiError.network(e);
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const error = ApiError.fromResponse(response, body);
    (error as ApiError & { retryAfter?: number }).retryAfter = retryAfterSeconds(response.headers.get('Retry-After'));
    throw error;
  }
  return { data: body as T, response };
}

/** `Retry-After` in seconds (a number, or an HTTP date), or undefined. */
export function retryAfterSeconds(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

export function retryAfterOf(e: unknown): number | undefined {
  return (e as { retryAfter?: number } | null)?.retryAfter;
}

/** A public read (no sign-in, no token): the JSON body. */
export async function getPublic<T>(path: string): Promise<T> {
  return (await call<T>(path)).data;
}

export async function listPublicNetworks(): Promise<PublicNetworks> {
  return (await call<PublicNetworks>('/public/networks')).data;
}

export async function sendJoinRequest(networkId: string, body: JoinRequestInput): Promise<JoinReceived> {
  return (await call<JoinReceived>(`/public/networks/${encodeURIComponent(networkId)}/join-requests`, {
    method: 'POST', body: JSON.stringify(body),
  })).data;
}
