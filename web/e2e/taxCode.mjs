// Builds a valid codice fiscale for test persons (same algorithm as src/lib/taxCode.ts, which
// Node cannot import without a TypeScript loader; the unit tests pin the two to the API's rules).
const ODD = {
  0: 1, 1: 0, 2: 5, 3: 7, 4: 9, 5: 13, 6: 15, 7: 17, 8: 19, 9: 21,
  A: 1, B: 0, C: 5, D: 7, E: 9, F: 13, G: 15, H: 17, I: 19, J: 21, K: 2, L: 4, M: 18, N: 20,
  O: 11, P: 3, Q: 6, R: 8, S: 12, T: 14, U: 16, V: 10, W: 22, X: 25, Y: 24, Z: 23,
};
const MONTHS = 'ABCDEHLMPRST';
const letters = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z]/g, '');
const vowel = (c) => 'AEIOU'.includes(c);
function surname(s) {
  const l = [...letters(s)];
  return (l.filter((c) => !vowel(c)).join('') + l.filter(vowel).join('') + 'XXX').slice(0, 3);
}
function firstName(s) {
  const l = [...letters(s)];
  const cons = l.filter((c) => !vowel(c));
  if (cons.length >= 4) return cons[0] + cons[2] + cons[3];
  return (cons.join('') + l.filter(vowel).join('') + 'XXX').slice(0, 3);
}
function check(first15) {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = first15[i];
    sum += i % 2 === 0 ? ODD[c] : (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 65);
  }
  return String.fromCharCode(65 + (sum % 26));
}
export function taxCode({ lastName, firstName: name, birthDate, gender, belfiore }) {
  const [y, m, d] = birthDate.split('-').map(Number);
  const first15 = surname(lastName) + firstName(name) + String(y % 100).padStart(2, '0') + MONTHS[m - 1] +
    String(gender === 'F' ? d + 40 : d).padStart(2, '0') + belfiore;
  return first15 + check(first15);
}
