import { describe, expect, it } from 'vitest';
import { etagOf, ifMatch } from './etag';

describe('etagOf', () => {
  it('keeps microseconds, as the API does', () => {
    expect(etagOf('2026-11-22T06:08:19.593240Z')).toBe('"1795327699593240"');
    expect(etagOf('2026-11-22T06:08:19Z')).toBe('"1795327699000000"');
    expect(etagOf('2026-11-22T06:08:19.5Z')).toBe('"1795327699500000"');
  });
  it('falls back to any version for an unexpected format', () => {
    expect(ifMatch('yesterday')).toEqual({ 'If-Match': '*' });
  });
});
