// A plan's title and period, changed: the plan is read again for its version (`ETag`), only the
// changed fields are sent with `If-Match`, and a 412 keeps what was typed ("Carica la versione
// aggiornata" merges the current version under the user's changes).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrapVersioned } from '../../api/client';
import { ifMatch, type Versioned } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import { DateField, isIsoDate } from '../../components/DateField';
import { EditDialogLoader } from '../../components/EditDialogLoader';
import { ErrorSummary, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { StaleNotice } from '../../components/StaleNotice';
import { useEditForm } from '../../components/useEditForm';
import { useFormErrors } from '../../components/useFormErrors';
import { showProblem } from '../networks/formErrors';
import type { Plan } from './PlansPage';

type Patch = components['schemas']['PlanPatch'];
interface Form { title: string; period_start: string; period_end: string }

const ID: Record<keyof Form, string> = { title: 'edit-plan-title', period_start: 'edit-plan-start', period_end: 'edit-plan-end' };

function readPlan(id: string): Promise<Versioned<Plan>> {
  return unwrapVersioned(api.GET('/api/v1/plans/{id}', { params: { path: { id } } }));
}

const fromPlan = (p: Plan): Form => ({ title: p.title, period_start: p.period_start, period_end: p.period_end });

export function PlanEditDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <EditDialogLoader queryKey={[...queryKeys.detail('plans', id), 'versioned']} read={() => readPlan(id)} title={t('plans.edit')} onClose={onClose}>
      {(read) => <PlanForm read={read} onClose={onClose} />}
    </EditDialogLoader>
  );
}

function PlanForm({ read, onClose }: { read: Versioned<Plan>; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const edit = useEditForm<Form>(fromPlan(read.record), read.etag);
  const errors = useFormErrors();
  const [reloading, setReloading] = useState(false);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => { edit.set(k, v); errors.clearField(ID[k]); };
  const m = useMutation({
    mutationFn: (body: Patch) => unwrapVersioned(api.PATCH('/api/v1/plans/{id}', { params: { path: { id: read.record.id }, header: ifMatch(edit.version) }, body })),
    onSuccess: async () => { await qc.invalidateQueries({ queryKey: queryKeys.all('plans') }); onClose(); },
    onError: (e) => edit.saveFailed(e, {
      clear: errors.clear,
      fromError: (err) => { showProblem(t, errors, err, (f) => (f in ID ? ID[f as keyof Form] : null)); return true; },
    }),
  });
  const labels: Record<string, string> = { title: t('plans.titleLabel'), period_start: t('plans.periodStart'), period_end: t('plans.periodEnd') };
  return (
    <FormDialog isOpen title={t('plans.edit')} submitLabel={t('common.save')} pending={m.isPending} general={errors.general} onCancel={onClose}
                onSubmit={() => {
                  const f = edit.form;
                  const bad: Record<string, string> = {};
                  if (f.title.trim().length < 2) bad[ID.title] = f.title.trim() ? t('validation.too_short') : t('validation.required');
                  if (!isIsoDate(f.period_start)) bad[ID.period_start] = f.period_start ? t('validation.invalid_date') : t('validation.required');
                  if (!isIsoDate(f.period_end)) bad[ID.period_end] = f.period_end ? t('validation.invalid_date') : t('validation.required');
                  if (Object.keys(bad).length) { errors.setGeneral(null); errors.setFields(bad); return; }
                  const body: Patch = {};
                  if ('title' in edit.changes) body.title = f.title.trim();
                  if ('period_start' in edit.changes) body.period_start = f.period_start;
                  if ('period_end' in edit.changes) body.period_end = f.period_end;
                  if (Object.keys(body).length === 0) { onClose(); return; }
                  m.mutate(body);
                }}>
      <StaleNotice stale={edit.stale} reloading={reloading} onReload={() => {
        setReloading(true);
        readPlan(read.record.id).then((r) => edit.rebase(fromPlan(r.record), r.etag)).catch((e) => errors.fromError(e)).finally(() => setReloading(false));
      }} conflicts={edit.rebased ? edit.rebased.conflicts : null} fieldLabel={(f) => labels[f] ?? f} />
      <ErrorSummary errors={errors.fields} />
      <TextField id={ID.title} label={labels.title} required value={edit.form.title} maxLength={200} error={errors.fields[ID.title]}
                 onChange={(e) => set('title', e.target.value)} />
      <DateField id={ID.period_start} label={labels.period_start} required value={edit.form.period_start} error={errors.fields[ID.period_start]}
                 onChange={(v) => set('period_start', v)} />
      <DateField id={ID.period_end} label={labels.period_end} required value={edit.form.period_end} error={errors.fields[ID.period_end]}
                 onChange={(v) => set('period_end', v)} />
    </FormDialog>
  );
}
