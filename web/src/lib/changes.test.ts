import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { describeChanges, entryNote, formatChanges } from './changes';

/** Intl writes a no-break space between the figure and the euro sign. */
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('what an edit changed, as histories record it', () => {
  afterEach(async () => { await i18n.changeLanguage('it'); });

  it("names the changed fields with the forms' Italian labels", () => {
    expect(describeChanges('needs, reason')).toEqual(['Bisogni', 'Motivazione']);
    expect(describeChanges('note')).toEqual(['Nota']);
    expect(describeChanges('source, urgency')).toEqual(['Canale di invio', 'Urgenza']);
    expect(describeChanges('email, residence_municipality_code')).toEqual(['Email', 'Comune di residenza']);
    expect(formatChanges('needs, reason')).toBe('Dati modificati: Bisogni, Motivazione');
  });

  it('shows an amount change in euro, both figures', () => {
    expect(describeChanges('amount_cents 600000 → 200000').map(plain)).toEqual(['Importo: 6.000,00 € → 2.000,00 €']);
    expect(plain(formatChanges('amount_cents 120000 → 135050, note'))).toBe('Dati modificati: Importo: 1.200,00 € → 1.350,50 €, Nota');
  });

  it('keeps a field it does not know by its API name, and text it cannot read as it is', () => {
    expect(describeChanges('needs, shoe_size')).toEqual(['Bisogni', 'shoe_size']);
    expect(describeChanges('shoe_size 42 → 43')).toEqual(['shoe_size: 42 → 43']);
    expect(describeChanges('Cambiato il motivo')).toEqual(['Cambiato il motivo']);
    expect(describeChanges('')).toEqual([]);
  });

  it('speaks English when English is chosen', async () => {
    await i18n.changeLanguage('en');
    expect(formatChanges('needs, reason')).toBe('Changed: Needs, Reason');
    expect(plain(describeChanges('amount_cents 600000 → 200000')[0])).toMatch(/^Amount: €6,000\.00 → €2,000\.00$/);
  });

  it('formats only the notes of edits; other entries keep their note', () => {
    expect(entryNote('update', 'reason')).toBe('Dati modificati: Motivazione');
    expect(entryNote('request_info', 'reason')).toBe('reason');
    expect(entryNote('update', null)).toBeNull();
  });
});
