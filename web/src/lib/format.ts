// Dates, times and money as Italians read them (the district's time zone is Europe/Rome).
import i18n from '../i18n';

const TZ = 'Europe/Rome';

function locale(): string {
  return i18n.language === 'en' ? 'en-GB' : 'it-IT';
}

/** `YYYY-MM-DD` → 10/12/1985 (no time zone shift: a date is a date). */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (m) {
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return new Intl.DateTimeFormat(locale(), { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
  }
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(locale(), { timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
}

/** RFC 3339 timestamp → 10/12/2026, 14:30 in Europe/Rome. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return new Intl.DateTimeFormat(locale(), {
    timeZone: TZ, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
  }).format(d);
}

/** Euro cents (integer) → "€ 1.234,56". */
export function formatCents(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '—';
  // 'always': Italian CLDR data would otherwise write 1234,56 but 12.345,67.
  const opts = { style: 'currency', currency: 'EUR', useGrouping: 'always' } as Intl.NumberFormatOptions;
  return new Intl.NumberFormat(locale(), opts).format(cents / 100);
}

/**
 * "1.234,56" / "120.000" / "1234.56" / "1234" (euro) → cents, or null when not a number.
 * Dots grouping digits by three ("120.000", "1.500.000") are Italian thousands separators.
 */
export function parseEuroToCents(input: string): number | null {
  const s = input.trim().replace(/\s|€/g, '');
  if (!s) return null;
  let normalized = s;
  if (s.includes(',')) normalized = s.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(\.\d{3})+$/.test(s)) normalized = s.replace(/\./g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(normalized)) return null;
  return Math.round(parseFloat(normalized) * 100);
}

/** Today in Europe/Rome as YYYY-MM-DD. */
export function todayISO(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
