// Optimistic concurrency. Every single-resource response carries the resource's version as a
// strong `ETag` header; an edit (PATCH/PUT) must send that header back as `If-Match` (the API
// answers 428 without it, 412 when someone else saved first). The SPA never makes a version up
// (not from `updated_at`, never `*`): a form without the ETag it read refuses to send.

/** A record together with the version (`ETag` header) it was read at. */
export interface Versioned<T> {
  record: T;
  /** The response's `ETag`, or null when it had none (such a record cannot be edited). */
  etag: string | null;
}

/** Thrown instead of sending an edit without the version it was read at. */
export class MissingVersionError extends Error {
  constructor() {
    super('edit refused: the version (ETag) of the record read is unknown');
    this.name = 'MissingVersionError';
  }
}

export function isMissingVersion(e: unknown): e is MissingVersionError {
  return e instanceof MissingVersionError;
}

/** A strong entity tag (`"…"`): not weak (`W/"…"`), not the wildcard `*`. */
export function isStrongETag(value: string | null | undefined): value is string {
  return typeof value === 'string' && /^"[^"]*"$/.test(value);
}

/** The `ETag` a response carries, if it is a strong one. */
export function etagOf(res: Response): string | null {
  const etag = res.headers.get('ETag');
  return isStrongETag(etag) ? etag : null;
}

/** The `If-Match` header for the version read; throws MissingVersionError without one. */
export function ifMatch(etag: string | null | undefined): { 'If-Match': string } {
  if (!isStrongETag(etag)) throw new MissingVersionError();
  return { 'If-Match': etag };
}

/**
 * The record read for an edit is not the version the user saw (e.g. a row of a list): someone
 * else changed it meanwhile. Nothing is sent; the screen reloads what it shows.
 */
export class ChangedMeanwhileError extends Error {
  constructor() {
    super('the record changed since it was shown');
    this.name = 'ChangedMeanwhileError';
  }
}

export function isChangedMeanwhile(e: unknown): e is ChangedMeanwhileError {
  return e instanceof ChangedMeanwhileError;
}
