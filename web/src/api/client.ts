// The typed API client, generated from openapi.yaml (see scripts/gen-api.mjs).
import createClient from 'openapi-fetch';
import { API_ORIGIN } from './base';
import { authFetch } from './authFetch';
import { ApiError } from './problem';
import type { paths } from './schema';

export const api = createClient<paths>({
  baseUrl: API_ORIGIN,
  fetch: authFetch,
  headers: { Accept: 'application/json, application/problem+json' },
});

type Result<T> = { data?: T; error?: unknown; response: Response };

/** Awaits an openapi-fetch call and returns its data, or throws an ApiError with the problem. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (e) {
    throw ApiError.network(e);
  }
  if (!result.response.ok) throw ApiError.fromResponse(result.response, result.error);
  return result.data as T;
}
