// Deterministic e2e data: each test file draws its names, dates and codes from its own seeded
// generator (the file's name and E2E_SEED, default 1), so every run creates the same records and
// a file's records never depend on another file's. Against a database kept from an earlier run,
// `E2E_SEED=2` draws others.
import { taxCode } from './taxCode.mjs';

export const SEED = process.env.E2E_SEED ?? '1';

/** 32-bit FNV-1a of a string. */
function hash(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32: a small, good-enough PRNG; `next()` is in [0, 1). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['Carminati', 'Locatelli', 'Pesenti', 'Gritti', 'Cortinovis', 'Bonacina', 'Previtali', 'Mazzoleni', 'Ghisleni', 'Brembilla'];
const MALE = ['Stefano', 'Davide', 'Matteo', 'Paolo', 'Simone', 'Andrea', 'Fabio', 'Marco'];
const FEMALE = ['Chiara', 'Elena', 'Silvia', 'Laura', 'Marta', 'Giulia', 'Paola', 'Sara'];

/** The generator of one test file: `data('30-story')`. */
export function data(file) {
  const next = mulberry32(hash(`${file}:${SEED}`));
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (list) => list[int(0, list.length - 1)];
  return {
    int,
    pick,
    /** A short tag for unique names: `k3f9x2`. */
    tag: () => Array.from({ length: 6 }, () => 'abcdefghijkmnpqrstuvwxyz23456789'[int(0, 31)]).join(''),
    /** A person born in Bergamo with a valid codice fiscale: `{ lastName, firstName, birthDate, gender, belfiore, taxCode }`. */
    person: ({ gender = 'M' } = {}) => {
      const p = {
        lastName: pick(SURNAMES), firstName: pick(gender === 'F' ? FEMALE : MALE), gender, belfiore: 'A794',
        birthDate: `${int(1970, 1999)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
      };
      return { ...p, taxCode: taxCode(p) };
    },
  };
}
