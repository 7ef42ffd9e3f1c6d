import { describe, expect, it } from 'vitest';
import { birthDateFromTaxCode, checkCharacter, checkTaxCode } from './taxCode';

describe('codice fiscale', () => {
  it('accepts a valid code and decodes birth date and gender', () => {
    const info = checkTaxCode('RSSMRA85T10A562S');
    expect(info).toMatchObject({ ok: true, kind: 'personal', gender: 'M', birth: { yy: 85, month: 12, day: 10 } });
    expect(birthDateFromTaxCode(info, new Date('2026-01-01'))).toBe('1985-12-10');
  });

  it('reads day + 40 as a woman', () => {
    const first15 = 'BNCLRA90A41F205';
    const info = checkTaxCode(first15 + checkCharacter(first15));
    expect(info).toMatchObject({ ok: true, gender: 'F', birth: { yy: 90, month: 1, day: 1 } });
  });

  it('tolerates lower case and spaces', () => {
    expect(checkTaxCode(' rssmra85t10a562s ').ok).toBe(true);
  });

  it('names the expected check character', () => {
    expect(checkTaxCode('RSSMRA85T10A562X')).toMatchObject({ ok: false, problem: 'checksum', expected: 'S' });
  });

  it('accepts omocodia substitutions', () => {
    // 1 → M and 0 → L in the day digits.
    const first15 = 'RSSMRA85TMLA562';
    expect(checkTaxCode(first15 + checkCharacter(first15))).toMatchObject({ ok: true, birth: { day: 10 } });
  });

  it('rejects a wrong month letter, day and length', () => {
    const m = 'RSSMRA85Z10A562';
    expect(checkTaxCode(m + checkCharacter(m)).problem).toBe('month');
    const d = 'RSSMRA85B30A562';
    expect(checkTaxCode(d + checkCharacter(d)).problem).toBe('day');
    expect(checkTaxCode('RSSMRA85').problem).toBe('length');
    expect(checkTaxCode('RSSMRA8XT10A562S').problem).toBe('format');
  });

  it('checks the 11-digit temporary code', () => {
    expect(checkTaxCode('12345678903')).toMatchObject({ ok: true, kind: 'temporary' });
    expect(checkTaxCode('12345678901')).toMatchObject({ ok: false, problem: 'checksum' });
  });
});

describe('computing a codice fiscale', () => {
  it('builds the code the API expects', async () => {
    const { computeTaxCode, surnameCode, firstNameCode, taxCodeMismatches } = await import('./taxCode');
    expect(computeTaxCode({ lastName: 'Rossi', firstName: 'Mario', birthDate: '1985-12-10', gender: 'M', belfiore: 'A794' }))
      .toBe('RSSMRA85T10A794D');
    expect(surnameCode('Fo')).toBe('FOX');
    expect(firstNameCode('Gianfranco')).toBe('GFR');
    expect(firstNameCode('Luigi')).toBe('LGU');
    const cf = computeTaxCode({ lastName: 'Bianchi', firstName: 'Laura', birthDate: '1990-01-01', gender: 'F', belfiore: 'F205' });
    expect(checkTaxCode(cf)).toMatchObject({ ok: true, gender: 'F' });
    expect(taxCodeMismatches(cf, { lastName: 'Bianchi', firstName: 'Laura', birthDate: '1990-01-01', gender: 'F' })).toEqual([]);
    expect(taxCodeMismatches(cf, { lastName: 'Verdi', firstName: 'Laura', birthDate: '1990-01-02', gender: 'M' }))
      .toEqual(['last_name', 'birth_date', 'gender']);
  });
});
