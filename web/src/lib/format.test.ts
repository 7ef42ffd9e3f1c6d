import { describe, expect, it } from 'vitest';
import { formatCents, formatDate, parseEuroToCents, todayISO } from './format';

describe('format', () => {
  it('shows dates the Italian way without shifting them', () => {
    expect(formatDate('1985-12-10')).toBe('10/12/1985');
    expect(formatDate(null)).toBe('—');
  });
  it('shows cents as euro', () => {
    expect(formatCents(123456).replace(/\s/g, ' ')).toMatch(/1\.234,56/);
  });
  it('parses euro amounts typed either way', () => {
    expect(parseEuroToCents('1.234,56')).toBe(123456);
    expect(parseEuroToCents('1234.5')).toBe(123450);
    expect(parseEuroToCents('€ 800')).toBe(80000);
    expect(parseEuroToCents('120.000')).toBe(12000000);
    expect(parseEuroToCents('1.500.000')).toBe(150000000);
    expect(parseEuroToCents('1.50')).toBe(150);
    expect(parseEuroToCents('12.0000')).toBeNull();
    expect(parseEuroToCents('abc')).toBeNull();
    expect(parseEuroToCents('1,234')).toBeNull();
  });
  it('knows today in Rome', () => {
    expect(todayISO(new Date('2026-03-31T23:30:00Z'))).toBe('2026-04-01');
  });
});
