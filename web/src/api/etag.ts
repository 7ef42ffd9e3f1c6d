// Optimistic concurrency: the API's strong ETag is the quoted Unix time in microseconds of a
// resource's `updated_at`, and every PATCH/PUT must send it back as `If-Match`.

/** The `If-Match` header for the version of a resource that carries this `updated_at`. */
export function ifMatch(updatedAt: string): { 'If-Match': string } {
  return { 'If-Match': etagOf(updatedAt) };
}

/** `"1763805600123456"` for `2025-11-22T10:00:00.123456Z` (microsecond precision kept). */
export function etagOf(updatedAt: string): string {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(updatedAt);
  if (!m) return '*';
  const seconds = Math.floor(Date.parse(`${m[1]}${m[3]}`) / 1000);
  const micros = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return `"${(BigInt(seconds) * 1000000n + BigInt(micros)).toString()}"`;
}
