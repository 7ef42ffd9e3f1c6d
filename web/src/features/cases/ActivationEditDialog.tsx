// Changes the amount (and note) of a proposed activation, before it is approved against the
// agency's threshold.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ifMatch } from '../../api/etag';
import type { Activation, Threshold } from '../../api/types';
import type { components } from '../../api/schema';
import { BudgetBar } from '../../components/Budget';
import { TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { StaleNotice } from '../../components/StaleNotice';
import { useErrorMessage } from '../../components/errors';
import { useEditForm } from '../../components/useEditForm';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';
import { formatCents, parseEuroToCents } from '../../lib/format';

type ActivationPatch = components['schemas']['ActivationPatch'];

interface ActivationForm extends Record<string, unknown> {
  amount: string;
  note: string;
}

/** 150000 → "1500,00", as typed in Italian. */
export function centsToInput(cents: number): string {
  return (cents / 100).toFixed(2).replace('.', ',');
}

function activationForm(a: Activation): ActivationForm {
  return { amount: centsToInput(a.amount_cents), note: a.note ?? '' };
}

export function ActivationEditDialog({ caseId, activation, threshold, onClose }: {
  caseId: string; activation: Activation; threshold?: Threshold; onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const edit = useEditForm<ActivationForm>(activationForm(activation), activation.updated_at);
  const errors = useFormErrors();
  const { dialog, bypass } = useUnsavedChanges(edit.dirty);
  const { form } = edit;
  const close = () => {
    bypass();
    onClose();
  };

  const save = useMutation({
    mutationFn: (body: ActivationPatch) => unwrap(api.PATCH('/api/v1/activations/{id}', {
      params: { path: { id: activation.id }, header: ifMatch(edit.version) }, body,
    })),
    onSuccess: async () => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: ['cases'] }), qc.invalidateQueries({ queryKey: ['timeline', caseId] }),
        qc.invalidateQueries({ queryKey: ['thresholds'] }),
      ]);
      close();
    },
    onError: (e) => edit.saveFailed(e, errors),
  });
  const reload = useMutation({
    mutationFn: () => unwrap(api.GET('/api/v1/activations/{id}', { params: { path: { id: activation.id } } })),
    onSuccess: (fresh) => edit.rebase(activationForm(fresh), fresh.updated_at),
  });

  function submit() {
    const cents = parseEuroToCents(form.amount);
    if (cents === null || cents <= 0) {
      errors.setGeneral(null);
      errors.setFields({ amount_cents: form.amount.trim() ? t('validation.format') : t('validation.required') });
      return;
    }
    const body: ActivationPatch = {};
    if (cents !== parseEuroToCents(edit.base.amount)) body.amount_cents = cents;
    // An emptied note is cleared with null.
    if (form.note.trim() !== edit.base.note.trim()) body.note = form.note.trim() || null;
    if (Object.keys(body).length === 0) {
      close();
      return;
    }
    save.mutate(body);
  }

  const label = (f: string) => (f === 'amount' ? t('cases.amountEuro') : t('cases.note'));
  return (
    <FormDialog isOpen title={t('activation.editTitle', { measure: activation.measure_code })} submitLabel={t('common.save')}
                pending={save.isPending} general={errors.general} onCancel={close} onSubmit={submit}>
      {dialog}
      <StaleNotice stale={edit.stale} reloading={reload.isPending} onReload={() => reload.mutate()}
                   reloadError={reload.isError ? message(reload.error) : null}
                   conflicts={edit.rebased?.conflicts ?? null} fieldLabel={label} />
      <p>{t('activation.editText', { measure: `${activation.measure_code} – ${activation.measure_name}` })}</p>
      {threshold ? (
        <div className="mb-3">
          <BudgetBar label={t('budget.remainingAmount', { amount: formatCents(threshold.remaining_cents) })}
                     cap={threshold.cap_cents} reserved={threshold.reserved_cents} spent={threshold.spent_cents} />
        </div>
      ) : <div className="alert alert-warning">{t('meetings.noThreshold')}</div>}
      <TextField id="amount_cents" inputMode="decimal" label={label('amount')} required value={form.amount}
                 error={errors.fields.amount_cents} hint={t('activation.amountHint')}
                 onChange={(e) => { edit.set('amount', e.target.value); errors.clearField('amount_cents'); }} />
      <TextAreaField id="note" label={label('note')} value={form.note} error={errors.fields.note}
                     onChange={(e) => { edit.set('note', e.target.value); errors.clearField('note'); }} />
    </FormDialog>
  );
}
