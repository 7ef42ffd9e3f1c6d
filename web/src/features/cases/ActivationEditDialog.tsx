// Changes the amount (and note) of a proposed activation, before it is approved against the
// agency's threshold. The case shows its activations without their versions: the activation
// itself is read when the dialog opens, and saved with that read's ETag.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrapVersioned } from '../../api/client';
import { ifMatch, type Versioned } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import type { Activation, Threshold } from '../../api/types';
import type { components } from '../../api/schema';
import { BudgetBar } from '../../components/Budget';
import { EditDialogLoader } from '../../components/EditDialogLoader';
import { TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { StaleNotice } from '../../components/StaleNotice';
import { useErrorMessage } from '../../components/errors';
import { useEditForm } from '../../components/useEditForm';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';
import { formatCents, parseEuroToCents } from '../../lib/format';

type ActivationPatch = components['schemas']['ActivationPatch'];

interface ActivationFields {
  amount: string;
  note: string;
}

/** 150000 → "1500,00", as typed in Italian. */
export function centsToInput(cents: number): string {
  return (cents / 100).toFixed(2).replace('.', ',');
}

function activationForm(a: Activation): ActivationFields {
  return { amount: centsToInput(a.amount_cents), note: a.note ?? '' };
}

function readActivation(id: string): Promise<Versioned<Activation>> {
  return unwrapVersioned(api.GET('/api/v1/activations/{id}', { params: { path: { id } } }));
}

/** `activation`: as the case shows it (what to read: its id; its code for the title meanwhile). */
export function ActivationEditDialog({ caseId, activation, threshold, onClose }: {
  caseId: string; activation: Activation; threshold?: Threshold; onClose: () => void;
}) {
  const { t } = useTranslation();
  return (
    <EditDialogLoader queryKey={queryKeys.detail('activations', activation.id)} read={() => readActivation(activation.id)}
                      title={t('activation.editTitle', { measure: activation.measure_code })} onClose={onClose}>
      {(read) => <ActivationForm caseId={caseId} read={read} threshold={threshold} onClose={onClose} />}
    </EditDialogLoader>
  );
}

function ActivationForm({ caseId, read, threshold, onClose }: {
  caseId: string; read: Versioned<Activation>; threshold?: Threshold; onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const activation = read.record;
  const edit = useEditForm<ActivationFields>(activationForm(activation), read.etag);
  const errors = useFormErrors();
  const { dialog, bypass } = useUnsavedChanges(edit.dirty);
  const { form } = edit;
  const close = () => {
    bypass();
    onClose();
  };

  const save = useMutation({
    mutationFn: (body: ActivationPatch) => unwrapVersioned(api.PATCH('/api/v1/activations/{id}', {
      params: { path: { id: activation.id }, header: ifMatch(edit.version) }, body,
    })),
    onSuccess: async () => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: queryKeys.detail('cases', caseId) }), qc.invalidateQueries({ queryKey: queryKeys.lists('cases') }),
        qc.invalidateQueries({ queryKey: queryKeys.all('thresholds') }),
      ]);
      close();
    },
    onError: (e) => edit.saveFailed(e, errors),
  });
  const reload = useMutation({
    mutationFn: () => readActivation(activation.id),
    onSuccess: (fresh) => edit.rebase(activationForm(fresh.record), fresh.etag),
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
