// What an edit changed, as the referral's history and the case's timeline record it (entries
// with action `update`): the API lists the changed fields in its own (English) terms,
// comma-separated — `needs, reason`, `note` — and an amount with both figures,
// `amount_cents 600000 → 200000`. Shown with the forms' labels and amounts in euro:
// "Bisogni, Motivazione", "Importo: 6.000,00 € → 2.000,00 €". Unknown fields keep their name.
import i18n from '../i18n';
import { formatCents, formatDate } from './format';

/** `field` or `field <before> → <after>`. */
const PART = /^([a-z][a-z0-9_]*)(?:\s+(\S+)\s+→\s+(\S+))?$/;

/** `t` of react-i18next, or i18next's own (the current language). */
type Translate = (key: string, options: Record<string, string>) => string;

const current: Translate = (key, options) => i18n.t(key, options);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function value(field: string, v: string): string {
  if (ISO_DATE.test(v)) return formatDate(v);
  return field.endsWith('_cents') && /^-?\d+$/.test(v) ? formatCents(Number(v)) : v;
}

/** One readable item per changed field, in the order the API lists them. */
export function describeChanges(note: string, t: Translate = current): string[] {
  return note.split(',').map((p) => p.trim()).filter(Boolean).map((part) => {
    const m = PART.exec(part);
    if (!m) return part;
    const [, field, before, after] = m;
    const label = String(t(`changes.field.${field}`, { defaultValue: field }));
    return before === undefined ? label : `${label}: ${value(field, before)} → ${value(field, after)}`;
  });
}

/** "Dati modificati: Bisogni, Motivazione" for an `update` entry's note. */
export function formatChanges(note: string, t: Translate = current): string {
  return String(t('changes.changed', { fields: describeChanges(note, t).join(', ') }));
}

/** What a history or timeline entry shows under its action: an edit's fields, else its note. */
export function entryNote(action: string, note: string | null | undefined, t: Translate = current): string | null {
  if (!note) return null;
  if (action === 'update') return formatChanges(note, t);
  // A diary entry's note starts with the day it happened (`2026-12-01: …`): in the reader's format.
  return note.replace(/^(\d{4}-\d{2}-\d{2}):/, (_, d: string) => `${formatDate(d)}:`);
}
