// Money moves only after a confirmation: approving a measure (the amount is reserved on the
// agency's threshold), completing it (what was spent is recorded, the rest released) and
// cancelling it (a reservation is released) first show the amount and what will remain on the
// threshold afterwards. Nothing is sent before "Conferma".
import { Button, Modal, ModalBody, ModalFooter, ModalHeader } from 'design-react-kit';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Activation, Threshold } from '../../api/types';
import { DataList } from '../../components/DataList';

export type MoneyAction = 'approve' | 'complete' | 'cancel';

// Grouping always: Italian CLDR data would otherwise write 1200,00 € but 12.000,00 €.
const EUR = new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR', useGrouping: 'always' } as Intl.NumberFormatOptions);

/** Euro cents → "1.234,56 €", as the confirmation states it. */
export function euro(cents: number): string {
  return EUR.format(cents / 100);
}

/**
 * What remains on the threshold after the action, from what remains now: approving reserves
 * the amount; completing releases the reservation and spends `spent`; cancelling releases the
 * reservation if there was one (a proposed measure reserved nothing).
 */
export function remainingAfter(action: MoneyAction, a: Activation, remainingNow: number, spent = 0): number {
  const reserved = a.status === 'approved' || a.status === 'running' ? a.amount_cents : 0;
  switch (action) {
    case 'approve': return remainingNow - a.amount_cents;
    case 'complete': return remainingNow + reserved - spent;
    case 'cancel': return remainingNow + reserved;
  }
}

export function MoneyConfirmDialog({ action, activation, threshold, spentCents, pending, error, onConfirm, onCancel }: {
  action: MoneyAction;
  activation: Activation;
  /** The agency's threshold for the measure, if the caller sees it. */
  threshold: Threshold | undefined;
  /** Completion only: the amount actually spent. */
  spentCents?: number;
  pending?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const a = activation;
  const spent = spentCents ?? 0;
  const reserved = a.status === 'approved' || a.status === 'running' ? a.amount_cents : 0;
  const rows: [string, string][] = [[t('confirmMoney.amount'), euro(a.amount_cents)]];
  if (action === 'approve') rows.push([t('confirmMoney.reserved'), euro(a.amount_cents)]);
  if (action === 'complete') rows.push([t('confirmMoney.spent'), euro(spent)], [t('confirmMoney.released'), euro(Math.max(0, reserved - spent))]);
  if (action === 'cancel') rows.push([t('confirmMoney.released'), euro(reserved)]);
  if (threshold) {
    rows.push(
      [t('confirmMoney.remainingNow'), euro(threshold.remaining_cents)],
      [t('confirmMoney.remainingAfter'), euro(remainingAfter(action, a, threshold.remaining_cents, spent))],
    );
  }
  return (
    <Modal isOpen toggle={onCancel} labelledBy={titleId} centered returnFocusAfterClose>
      <ModalHeader toggle={onCancel} id={titleId} closeAriaLabel={t('common.close')}>
        {t(`confirmMoney.title_${action}`, { measure: a.measure_code })}
      </ModalHeader>
      <ModalBody>
        <p>{t(`confirmMoney.intro_${action}`)}</p>
        <div data-testid="money-summary"><DataList items={rows} /></div>
        {!threshold && <div className="alert alert-warning" role="status">{t('confirmMoney.noThreshold')}</div>}
        {error && <div className="alert alert-danger" role="alert">{error}</div>}
      </ModalBody>
      <ModalFooter>
        <Button color="secondary" outline onClick={onCancel}>{t('confirmMoney.back')}</Button>
        <Button color={action === 'cancel' ? 'danger' : 'primary'} onClick={onConfirm} disabled={pending}>
          {pending ? t('common.saving') : t('confirmMoney.confirm')}
        </Button>
      </ModalFooter>
    </Modal>
  );
}
