// A date typed as Italians write it, whatever the browser's language: `gg/mm/aaaa` shown and
// accepted (also `g/m/aaaa`, `gg-mm-aaaa`, `gg.mm.aaaa`, eight digits, or an ISO date pasted),
// sent to the API as ISO `YYYY-MM-DD`. A native `type="date"` would show `mm/dd/yyyy` in an
// English Chromium.
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from './Form';

const DMY = /^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{4})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const DIGITS = /^(\d{2})(\d{2})(\d{4})$/;

function iso(y: number, m: number, d: number): string | null {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** What was typed → `YYYY-MM-DD`, or null when it is not a real date. */
export function parseDateText(text: string): string | null {
  const s = text.trim();
  let m = ISO.exec(s);
  if (m) return iso(+m[1], +m[2], +m[3]);
  m = DMY.exec(s) ?? DIGITS.exec(s);
  if (m) return iso(+m[3], +m[2], +m[1]);
  return null;
}

/** `YYYY-MM-DD` → `dd/mm/yyyy` (anything else is shown as it is). */
export function isoToDateText(value: string | null | undefined): string {
  if (!value) return '';
  const m = ISO.exec(value);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : value;
}

/** A real ISO date, as the API takes it. */
export function isIsoDate(value: string): boolean {
  return ISO.test(value) && parseDateText(value) === value;
}

/**
 * `value` and `onChange` speak ISO: `onChange` gets `YYYY-MM-DD` for a valid date, `''` for an
 * empty field, and what was typed otherwise (so that a form can tell "missing" from "invalid",
 * see [`isIsoDate`]). An invalid date says so under the field once the user leaves it.
 */
export function DateField({ id, label, value, onChange, error, hint, required, className, disabled }: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  required?: boolean;
  className?: string;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(() => isoToDateText(value));
  const [left, setLeft] = useState(false);
  useEffect(() => {
    // Follow a value set from outside (a reset, a reload), not the echo of what is typed.
    const typed = text.trim() === '' ? '' : (parseDateText(text) ?? text);
    if (typed !== value) setText(isoToDateText(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const invalid = text.trim() !== '' && parseDateText(text) === null;
  return (
    <TextField id={id} label={label} required={required} className={className} disabled={disabled}
               type="text" inputMode="numeric" autoComplete="off" maxLength={10}
               placeholder={t('dateField.placeholder')} hint={hint}
               error={error ?? (left && invalid ? t('dateField.invalid') : undefined)}
               value={text}
               onChange={(e) => {
                 const next = e.target.value;
                 setText(next);
                 const trimmed = next.trim();
                 onChange(trimmed === '' ? '' : (parseDateText(trimmed) ?? trimmed));
               }}
               onBlur={() => {
                 setLeft(true);
                 const parsed = parseDateText(text);
                 if (parsed) setText(isoToDateText(parsed));
               }} />
  );
}
