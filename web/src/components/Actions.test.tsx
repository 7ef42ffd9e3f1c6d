import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ActionBar, allows, blockedReason, offers } from './Actions';

const record = {
  allowed_actions: ['submit' as const],
  blocked_actions: [
    { action: 'edit' as const, code: 'state' as const, reason: 'La segnalazione è inviata' },
    { action: 'withdraw' as const, code: 'state' as const, reason: 'La segnalazione è inviata' },
    { action: 'close' as const, code: 'measures_open' as const, reason: 'una misura è ancora in corso' },
  ],
};

describe('actions from the API', () => {
  it('tells allowed, blocked (with the reason) and absent actions apart', () => {
    expect(allows(record, 'submit')).toBe(true);
    expect(allows(record, 'edit')).toBe(false);
    expect(blockedReason(record, 'edit')).toBe('La segnalazione è inviata');
    expect(blockedReason(record, 'submit')).toBeUndefined();
    expect(offers(record, 'cancel')).toBe(false);
    expect(offers(undefined, 'submit')).toBe(false);
  });

  it('renders allowed buttons enabled, blocked ones disabled with their reason shown once per reason, others not at all', async () => {
    const onSubmit = vi.fn();
    const onEdit = vi.fn();
    render(<ActionBar record={record} label="Azioni" items={[
      { action: 'submit', label: 'Invia', onClick: onSubmit },
      { action: 'edit', label: 'Modifica', context: 'Rossi', onClick: onEdit },
      { action: 'withdraw', label: 'Ritira' },
      { action: 'cancel', label: 'Annulla' },
      { action: 'close', label: 'Chiudi' },
    ]} />);
    const group = screen.getByRole('group', { name: 'Azioni' });
    expect(group).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Invia' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
    const edit = screen.getByRole('button', { name: 'Modifica Rossi' });
    expect(edit).toHaveAttribute('aria-disabled', 'true');
    expect(edit).toHaveAccessibleDescription('Modifica, Ritira: La segnalazione è inviata');
    // Still reachable with the keyboard (its reason is read), but it does nothing.
    edit.focus();
    expect(edit).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    await userEvent.click(edit);
    expect(onEdit).not.toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Annulla' })).not.toBeInTheDocument();
    expect(screen.getAllByTestId('blocked-reason').map((li) => li.textContent)).toEqual([
      'Modifica, Ritira: La segnalazione è inviata', 'Chiudi: una misura è ancora in corso',
    ]);
  });

  it('renders nothing when the API gives no action', () => {
    const { container } = render(<ActionBar record={{ allowed_actions: [], blocked_actions: [] }} items={[{ action: 'edit', label: 'Modifica' }]} />);
    expect(container).toBeEmptyDOMElement();
  });
});
