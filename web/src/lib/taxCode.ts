// Codice fiscale checks for live feedback while typing. The API validates again (and decides);
// this only spares the user a round trip. Covers omocodia and the 11-digit temporary code.

export type TaxCodeProblem = 'empty' | 'length' | 'format' | 'month' | 'day' | 'checksum';

export interface TaxCodeInfo {
  ok: boolean;
  problem?: TaxCodeProblem;
  /** Expected check character when `problem` is `checksum`. */
  expected?: string;
  kind?: 'personal' | 'temporary';
  gender?: 'F' | 'M';
  /** Two-digit year, month 1-12, day 1-31, decoded from the code. */
  birth?: { yy: number; month: number; day: number };
}

const ODD: Record<string, number> = {
  '0': 1, '1': 0, '2': 5, '3': 7, '4': 9, '5': 13, '6': 15, '7': 17, '8': 19, '9': 21,
  A: 1, B: 0, C: 5, D: 7, E: 9, F: 13, G: 15, H: 17, I: 19, J: 21, K: 2, L: 4, M: 18, N: 20,
  O: 11, P: 3, Q: 6, R: 8, S: 12, T: 14, U: 16, V: 10, W: 22, X: 25, Y: 24, Z: 23,
};
const MONTHS = 'ABCDEHLMPRST';
const OMOCODIA = 'LMNPQRSTUV';

function evenValue(c: string): number {
  return c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 65;
}

export function checkCharacter(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = first15[i];
    sum += i % 2 === 0 ? ODD[c] : evenValue(c);
  }
  return String.fromCharCode(65 + (sum % 26));
}

function digitOf(c: string): number {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 48;
  return OMOCODIA.indexOf(c);
}

function checkTemporary(code: string): TaxCodeInfo {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    let d = code.charCodeAt(i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  const check = (10 - (sum % 10)) % 10;
  if (check !== code.charCodeAt(10) - 48) return { ok: false, problem: 'checksum', expected: String(check), kind: 'temporary' };
  return { ok: true, kind: 'temporary' };
}

export function normalizeTaxCode(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

export function checkTaxCode(raw: string): TaxCodeInfo {
  const code = normalizeTaxCode(raw);
  if (!code) return { ok: false, problem: 'empty' };
  if (/^\d+$/.test(code)) {
    if (code.length !== 11) return { ok: false, problem: 'length' };
    return checkTemporary(code);
  }
  if (code.length !== 16) return { ok: false, problem: 'length' };
  // Digits at 6,7,9,10,12,13,14 may be replaced by LMNPQRSTUV (omocodia).
  if (!/^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/.test(code)) {
    return { ok: false, problem: 'format' };
  }
  const monthIdx = MONTHS.indexOf(code[8]);
  if (monthIdx < 0) return { ok: false, problem: 'month' };
  const dayRaw = digitOf(code[9]) * 10 + digitOf(code[10]);
  const gender: 'F' | 'M' = dayRaw > 40 ? 'F' : 'M';
  const day = dayRaw > 40 ? dayRaw - 40 : dayRaw;
  const yy = digitOf(code[6]) * 10 + digitOf(code[7]);
  const month = monthIdx + 1;
  const maxDay = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][monthIdx];
  if (day < 1 || day > maxDay) return { ok: false, problem: 'day' };
  const expected = checkCharacter(code.slice(0, 15));
  if (expected !== code[15]) return { ok: false, problem: 'checksum', expected, kind: 'personal' };
  return { ok: true, kind: 'personal', gender, birth: { yy, month, day } };
}

/** A full birth date from the code's two-digit year: the most recent past century that fits. */
export function birthDateFromTaxCode(info: TaxCodeInfo, today = new Date()): string | null {
  if (!info.birth) return null;
  const { yy, month, day } = info.birth;
  const currentYY = today.getFullYear() % 100;
  const century = yy > currentYY ? 1900 : 2000;
  const y = century + yy;
  return `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function letters(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z]/g, '');
}
const isVowel = (c: string) => 'AEIOU'.includes(c);

/** The three letters a surname gives in the code (consonants, then vowels, then X). */
export function surnameCode(lastName: string): string {
  const l = letters(lastName);
  const cons = [...l].filter((c) => !isVowel(c)).join('');
  const vow = [...l].filter(isVowel).join('');
  return (cons + vow + 'XXX').slice(0, 3);
}

/** The three letters a first name gives (1st, 3rd and 4th consonant when there are four or more). */
export function firstNameCode(firstName: string): string {
  const l = letters(firstName);
  const cons = [...l].filter((c) => !isVowel(c)).join('');
  if (cons.length >= 4) return cons[0] + cons[2] + cons[3];
  const vow = [...l].filter(isVowel).join('');
  return (cons + vow + 'XXX').slice(0, 3);
}

/**
 * Computes a codice fiscale from the person's data and the birth place's cadastral (Belfiore)
 * code. Used to compare with what the user typed (name/date/gender mismatches) and in tests.
 */
export function computeTaxCode(p: { lastName: string; firstName: string; birthDate: string; gender: 'F' | 'M'; belfiore: string }): string {
  const [y, m, d] = p.birthDate.split('-').map(Number);
  const day = p.gender === 'F' ? d + 40 : d;
  const first15 = surnameCode(p.lastName) + firstNameCode(p.firstName) + String(y % 100).padStart(2, '0') +
    MONTHS[m - 1] + String(day).padStart(2, '0') + p.belfiore.toUpperCase();
  return first15 + checkCharacter(first15);
}

/** Fields of the person that disagree with a valid personal code (client-side hint; the API decides). */
export function taxCodeMismatches(code: string, p: { lastName?: string; firstName?: string; birthDate?: string; gender?: string }):
  ('last_name' | 'first_name' | 'birth_date' | 'gender')[] {
  const info = checkTaxCode(code);
  if (!info.ok || info.kind !== 'personal') return [];
  const c = normalizeTaxCode(code);
  const out: ('last_name' | 'first_name' | 'birth_date' | 'gender')[] = [];
  if (p.lastName && letters(p.lastName) && surnameCode(p.lastName) !== c.slice(0, 3)) out.push('last_name');
  if (p.firstName && letters(p.firstName) && firstNameCode(p.firstName) !== c.slice(3, 6)) out.push('first_name');
  if (p.birthDate && /^\d{4}-\d{2}-\d{2}$/.test(p.birthDate) && info.birth) {
    const [y, m, d] = p.birthDate.split('-').map(Number);
    if (y % 100 !== info.birth.yy || m !== info.birth.month || d !== info.birth.day) out.push('birth_date');
  }
  if (p.gender && info.gender && p.gender !== info.gender) out.push('gender');
  return out;
}
