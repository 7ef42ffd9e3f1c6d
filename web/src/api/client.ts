// The typed API client, generated from openapi.yaml (see scripts/gen-api.mjs).
import createClient from 'openapi-fetch';
import { API_ORIGIN } from './base';
import { authFetch } from './authFetch';
import { etagOf, isMissingVersion, isStrongETag, MissingVersionError, type Versioned } from './etag';
import { ApiError } from './problem';
import type { paths } from './schema';
import i18n from '../i18n';

export const api = createClient<paths>({
  baseUrl: API_ORIGIN,
  fetch: authFetch,
  headers: { Accept: 'application/json, application/problem+json' },
});

// Every request says the UI's language, so problem titles and field messages come back in it;
// and the last guard of optimistic concurrency: no edit leaves without the version it was read at.
api.use({
  onRequest({ request }) {
    request.headers.set('Accept-Language', i18n.language === 'en' ? 'en' : 'it');
    // Every PATCH is a JSON Merge Patch (RFC 7396), as the contract declares it.
    if (request.method === 'PATCH') request.headers.set('Content-Type', 'application/merge-patch+json');
    if ((request.method === 'PATCH' || request.method === 'PUT') && !isStrongETag(request.headers.get('If-Match'))) {
      throw new MissingVersionError();
    }
    return request;
  },
});

type Result<T> = { data?: T; error?: unknown; response: Response };

async function settle<T>(call: Promise<Result<T>>): Promise<Result<T>> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (e) {
    if (isMissingVersion(e)) throw e;
    throw ApiError.network(e);
  }
  if (!result.response.ok) throw ApiError.fromResponse(result.response, result.error);
  return result;
}

/** Awaits an openapi-fetch call and returns its data, or throws an ApiError with the problem. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  return (await settle(call)).data as T;
}

/** As `unwrap`, keeping the version the response carries (its `ETag`), for a later edit. */
export async function unwrapVersioned<T>(call: Promise<Result<T>>): Promise<Versioned<T>> {
  const result = await settle(call);
  return { record: result.data as T, etag: etagOf(result.response) };
}
