import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import i18n from '../i18n';
import { entryNote } from '../lib/changes';
import { DateField, isIsoDate, isoToDateText, parseDateText } from './DateField';

function Harness({ initial = '', onValue }: { initial?: string; onValue: (v: string) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <DateField id="d" label="Data" value={value} onChange={(v) => { setValue(v); onValue(v); }} />
      <button type="button" onClick={() => setValue('2026-01-31')}>reset</button>
    </>
  );
}

describe('a date typed as gg/mm/aaaa, whatever the browser', () => {
  it('parses what Italians type and refuses dates that do not exist', () => {
    expect(parseDateText('05/03/2026')).toBe('2026-03-05');
    expect(parseDateText('5/3/2026')).toBe('2026-03-05');
    expect(parseDateText('05-03-2026')).toBe('2026-03-05');
    expect(parseDateText('05032026')).toBe('2026-03-05');
    expect(parseDateText('2026-03-05')).toBe('2026-03-05');
    expect(parseDateText('31/02/2026')).toBeNull();
    expect(parseDateText('13/13/2026')).toBeNull();
    expect(parseDateText('03/05')).toBeNull();
    expect(isoToDateText('2026-03-05')).toBe('05/03/2026');
    expect(isIsoDate('2026-02-30')).toBe(false);
  });

  it('is a text field with gg/mm/aaaa, shows the ISO value as gg/mm/aaaa and sends ISO', async () => {
    const onValue = vi.fn();
    render(<Harness initial="2026-12-01" onValue={onValue} />);
    const input = screen.getByLabelText('Data');
    expect(input).toHaveAttribute('type', 'text');
    expect(input).toHaveAttribute('inputmode', 'numeric');
    expect(input).toHaveAttribute('placeholder', 'gg/mm/aaaa');
    expect(input).toHaveValue('01/12/2026');
    await userEvent.clear(input);
    await userEvent.type(input, '7/3/2026');
    expect(onValue).toHaveBeenLastCalledWith('2026-03-07');
    await userEvent.tab();
    expect(input).toHaveValue('07/03/2026');
    // A value set from outside is shown.
    await userEvent.click(screen.getByRole('button', { name: 'reset' }));
    expect(input).toHaveValue('31/01/2026');
  });

  it('says in Italian when the date is not valid, once the field is left', async () => {
    const onValue = vi.fn();
    render(<Harness onValue={onValue} />);
    const input = screen.getByLabelText('Data');
    await userEvent.type(input, '31/02/2026');
    expect(onValue).toHaveBeenLastCalledWith('31/02/2026');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await userEvent.tab();
    expect(screen.getByRole('alert')).toHaveTextContent('Data non valida: scrivi giorno, mese e anno come gg/mm/aaaa');
    expect(input).toHaveAttribute('aria-invalid', 'true');
  });
});

describe('dates in running text', () => {
  it('never shows an ISO date in a timeline note', async () => {
    expect(entryNote('meeting', '2026-12-01: Colloquio di verifica')).toBe('01/12/2026: Colloquio di verifica');
    expect(entryNote('update', 'valid_from 2026-01-01 → 2026-02-01', (k, o) => (k === 'changes.changed' ? `Dati modificati: ${o.fields}` : o.defaultValue)))
      .toBe('Dati modificati: valid_from: 01/01/2026 → 01/02/2026');
    await i18n.changeLanguage('en');
    expect(entryNote('meeting', '2026-12-01: Call')).toBe('01/12/2026: Call');
    await i18n.changeLanguage('it');
  });
});
