// One cell of a plan action's row — its dates, funding source, budget or responsible department —
// changed in place: a click opens the field(s) in the cell, prefilled from the action read again
// (a row of a list carries no version: its `ETag` comes with `GET /plan-actions/{id}`), and
// the save sends only that cell's changed fields with `If-Match`. A 412 keeps what was typed:
// "Carica la versione aggiornata" reads the action again and keeps the user's value on top.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrapVersioned } from '../../api/client';
import { ENUMS } from '../../api/enums.gen';
import { ifMatch, type Versioned } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import { allows } from '../../components/Actions';
import { DateField, isIsoDate } from '../../components/DateField';
import { SelectField, TextField } from '../../components/Form';
import { StaleNotice } from '../../components/StaleNotice';
import { ErrorState, Loading } from '../../components/States';
import { useEditForm } from '../../components/useEditForm';
import { useFormErrors } from '../../components/useFormErrors';
import { formatCents, formatDate, parseEuroToCents } from '../../lib/format';
import { showProblem } from '../networks/formErrors';
import type { PlanAction } from './PlansPage';

type Patch = components['schemas']['PlanActionPatch'];
type FundingSource = components['schemas']['FundingSource'];

export type CellKind = 'dates' | 'funding' | 'budget' | 'department';

/** The completeness rule each cell answers (`completeness.reasons[].rule`). */
export const CELL_RULE: Record<CellKind, string> = { dates: 'dates', funding: 'funding_source', budget: 'budget', department: 'department' };

interface Form {
  start_date: string;
  end_date: string;
  funding_source: string;
  funding_note: string;
  budget: string;
  responsible_department: string;
}

/** Cents → "1234,56" as an Italian types it (no currency sign, no grouping). */
export function centsToInput(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return '';
  return (cents / 100).toFixed(2).replace('.', ',');
}

function fromAction(a: PlanAction): Form {
  return {
    start_date: a.start_date ?? '', end_date: a.end_date ?? '', funding_source: a.funding_source ?? '', funding_note: a.funding_note ?? '',
    budget: centsToInput(a.budget_cents), responsible_department: a.responsible_department ?? '',
  };
}

const FIELDS: Record<CellKind, (keyof Form)[]> = {
  dates: ['start_date', 'end_date'], funding: ['funding_source', 'funding_note'], budget: ['budget'], department: ['responsible_department'],
};

export function readPlanAction(id: string): Promise<Versioned<PlanAction>> {
  return unwrapVersioned(api.GET('/api/v1/plan-actions/{id}', { params: { path: { id } } }));
}

/** What the cell shows when not being edited. */
export function useCellText() {
  const { t } = useTranslation();
  return (kind: CellKind, a: PlanAction): string | null => {
    switch (kind) {
      case 'dates': return a.start_date || a.end_date ? `${formatDate(a.start_date)} – ${formatDate(a.end_date)}` : null;
      case 'funding': return a.funding_source ? [t(`plans.fundingSource.${a.funding_source}`), a.funding_note].filter(Boolean).join(' — ') : null;
      case 'budget': return a.budget_cents != null ? formatCents(a.budget_cents) : null;
      case 'department': return a.responsible_department || a.responsible_organization?.name || null;
    }
  };
}

export function ActionCell({ action, kind, label }: { action: PlanAction; kind: CellKind; label: string }) {
  const { t } = useTranslation();
  const text = useCellText()(kind, action);
  const [editing, setEditing] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const missing = action.completeness.reasons.find((r) => r.rule === CELL_RULE[kind] && !r.met);
  const shown: ReactNode = text ?? <span className={missing ? 'text-danger' : undefined}>{t('plans.cell.missing')}</span>;
  if (!allows(action, 'edit')) return <>{shown}</>;
  if (editing) {
    return <CellEditor action={action} kind={kind} label={label}
                       onDone={() => {
                         setEditing(false);
                         // After a save the row is drawn anew from the list read again: focus its cell.
                         setTimeout(() => (button.current
                           ?? document.querySelector<HTMLElement>(`button[data-plan-action="${action.id}"][data-cell="${kind}"]`))?.focus(), 0);
                       }} />;
  }
  return (
    <button ref={button} type="button" className="btn btn-link p-0 text-start app-cell-edit" data-cell={kind} data-plan-action={action.id} onClick={() => setEditing(true)}>
      {shown}
      <span className="visually-hidden"> — {t('plans.cell.edit', { field: label, title: action.title })}</span>
    </button>
  );
}

function CellEditor({ action, kind, label, onDone }: { action: PlanAction; kind: CellKind; label: string; onDone: () => void }) {
  const q = useQuery({
    queryKey: [...queryKeys.detail('plan-actions', action.id), 'versioned'],
    queryFn: () => readPlanAction(action.id), staleTime: 0, gcTime: 0, retry: false,
  });
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return <CellForm read={q.data} kind={kind} label={label} onDone={onDone} />;
}

function CellForm({ read, kind, label, onDone }: { read: Versioned<PlanAction>; kind: CellKind; label: string; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const base = useId();
  const edit = useEditForm<Form>(fromAction(read.record), read.etag);
  const errors = useFormErrors();
  const [reloading, setReloading] = useState(false);
  const [reloadError, setReloadError] = useState<string | null>(null);
  const first = useRef<HTMLDivElement>(null);
  const id = (f: keyof Form) => `${base}-${f}`;
  const title = read.record.title;
  useEffect(() => { first.current?.querySelector<HTMLElement>('input, select')?.focus(); }, []);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => { edit.set(k, v); errors.clearField(id(k)); };

  function patch(): Patch | null {
    const f = edit.form;
    const body: Patch = {};
    const bad: Record<string, string> = {};
    for (const k of FIELDS[kind]) {
      if (!(k in edit.changes)) continue;
      const v = f[k].trim();
      if (k === 'budget') {
        const cents = v ? parseEuroToCents(v) : null;
        if (v && cents === null) bad[id(k)] = t('plans.invalidAmount');
        else body.budget_cents = cents;
      } else if (k === 'start_date' || k === 'end_date') {
        if (v && !isIsoDate(v)) bad[id(k)] = t('validation.invalid_date');
        else body[k] = v || null;
      } else if (k === 'funding_source') body.funding_source = (v || null) as FundingSource | null;
      else body[k] = v || null;
    }
    if (Object.keys(bad).length) { errors.setGeneral(null); errors.setFields(bad); return null; }
    return body;
  }

  const save = useMutation({
    mutationFn: (body: Patch) => unwrapVersioned(api.PATCH('/api/v1/plan-actions/{id}', {
      params: { path: { id: read.record.id }, header: ifMatch(edit.version) }, body,
    })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: queryKeys.all('plans') });
      onDone();
    },
    onError: (e) => edit.saveFailed(e, {
      clear: errors.clear,
      fromError: (err) => { showProblem(t, errors, err, (field) => (field === 'budget_cents' ? id('budget') : field in edit.form ? id(field as keyof Form) : null)); return true; },
    }),
  });

  async function reload() {
    setReloading(true);
    setReloadError(null);
    try {
      const r = await readPlanAction(read.record.id);
      edit.rebase(fromAction(r.record), r.etag);
    } catch (e) {
      setReloadError(e instanceof Error ? e.message : String(e));
    } finally {
      setReloading(false);
    }
  }

  const fundingOptions = (ENUMS.FundingSource as readonly FundingSource[]).map((v) => ({ value: v, label: t(`plans.fundingSource.${v}`) }));
  return (
    <form noValidate aria-label={t('plans.cell.edit', { field: label, title })} data-testid={`cell-editor-${kind}`}
          onSubmit={(e) => {
            e.preventDefault();
            if (!edit.dirty) { onDone(); return; }
            const body = patch();
            if (body && Object.keys(body).length) save.mutate(body);
            else if (body) onDone();
          }}>
      <StaleNotice stale={edit.stale} reloading={reloading} reloadError={reloadError} onReload={() => void reload()}
                   conflicts={edit.rebased ? edit.rebased.conflicts : null} fieldLabel={() => label} />
      {errors.general && <div className="alert alert-danger small" role="alert">{errors.general}</div>}
      <div ref={first}>
        {kind === 'dates' && (
          <>
            <DateField id={id('start_date')} label={t('plans.action.startDate')} value={edit.form.start_date} error={errors.fields[id('start_date')]}
                       className="mb-2" onChange={(v) => set('start_date', v)} />
            <DateField id={id('end_date')} label={t('plans.action.endDate')} value={edit.form.end_date} error={errors.fields[id('end_date')]}
                       className="mb-2" onChange={(v) => set('end_date', v)} />
          </>
        )}
        {kind === 'funding' && (
          <>
            <SelectField id={id('funding_source')} label={t('plans.action.fundingSource')} value={edit.form.funding_source}
                         placeholder={t('plans.cell.none')} options={fundingOptions} error={errors.fields[id('funding_source')]}
                         className="mb-2" onChange={(e) => set('funding_source', e.target.value)} />
            <TextField id={id('funding_note')} label={t('plans.action.fundingNote')} value={edit.form.funding_note} maxLength={500}
                       error={errors.fields[id('funding_note')]} className="mb-2" onChange={(e) => set('funding_note', e.target.value)} />
          </>
        )}
        {kind === 'budget' && (
          <TextField id={id('budget')} label={t('plans.action.budgetEuro')} value={edit.form.budget} inputMode="decimal"
                     error={errors.fields[id('budget')]} className="mb-2" onChange={(e) => set('budget', e.target.value)} />
        )}
        {kind === 'department' && (
          <TextField id={id('responsible_department')} label={t('plans.action.department')} value={edit.form.responsible_department}
                     maxLength={200} error={errors.fields[id('responsible_department')]} className="mb-2"
                     onChange={(e) => set('responsible_department', e.target.value)} />
        )}
      </div>
      <div className="d-flex gap-2">
        <Button color="primary" size="sm" type="submit" disabled={save.isPending || edit.stale}>
          {save.isPending ? t('common.saving') : t('common.save')}
        </Button>
        <Button color="secondary" outline size="sm" type="button" onClick={onDone}>{t('common.cancel')}</Button>
      </div>
    </form>
  );
}
