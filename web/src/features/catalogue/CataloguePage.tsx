// Catalogue of measures and the agencies' thresholds (soglie operatori): caps, reserved, spent.
// Editing is what each record allows (`edit`); a record is read again when its edit opens, and
// saved with that read's ETag.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, unwrapVersioned } from '../../api/client';
import { ChangedMeanwhileError, ifMatch, type Versioned } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import {
  CLUSTERS, EMPLOYMENT_STATUSES, MEASURE_KINDS, TARGET_GROUPS, type Cluster, type EmploymentStatus, type Measure, type MeasureKind, type TargetGroup,
  type Threshold,
} from '../../api/types';
import type { components } from '../../api/schema';
import { ENUMS } from '../../api/enums.gen';
import { ActionBar, allows, blockedReason } from '../../components/Actions';
import { BudgetBar } from '../../components/Budget';
import { EditDialogLoader } from '../../components/EditDialogLoader';
import { CheckboxGroup, ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { ListView } from '../../components/ListView';
import { Page } from '../../components/Page';
import { StaleNotice } from '../../components/StaleNotice';
import { useErrorMessage } from '../../components/errors';
import { useEditForm } from '../../components/useEditForm';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';
import { formatCents, formatDate, parseEuroToCents } from '../../lib/format';
import { fetchAllMeasures, fetchAllThresholds, useAgencies, useMeasures } from '../common/workflow';
import { DateField } from '../../components/DateField';

export function CataloguePage() {
  const { t } = useTranslation();
  const measures = useMeasures();
  const [editing, setEditing] = useState<Threshold | 'new' | null>(null);
  const [newMeasure, setNewMeasure] = useState(false);
  const [editingMeasure, setEditingMeasure] = useState<Measure | null>(null);
  return (
    <Page title={t('nav.catalogue')}>
      <section aria-labelledby="measures-title" className="mb-5">
        <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2">
          <h2 id="measures-title" className="h4 mb-0">{t('catalogue.measures')}</h2>
          <Button color="primary" outline onClick={() => setNewMeasure(true)}>{t('catalogue.newMeasure')}</Button>
        </div>
        <MeasuresList onEdit={setEditingMeasure} />
      </section>
      <section aria-labelledby="thresholds-title">
        <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2">
          <h2 id="thresholds-title" className="h4 mb-0">{t('catalogue.thresholds')}</h2>
          <Button color="primary" outline onClick={() => setEditing('new')}>{t('catalogue.newThreshold')}</Button>
        </div>
        <ListView<Threshold>
          resource="thresholds" fetchAll={() => fetchAllThresholds()} caption={t('catalogue.thresholds')} tableClassName="table"
          rowKey={(th) => th.id} empty={t('catalogue.noThresholds')}
          sort={(ths) => [...ths].sort((a, b) => a.agency_name.localeCompare(b.agency_name, 'it') || a.measure_code.localeCompare(b.measure_code))}
          columns={[
            { header: t('cases.agency'), rowHeader: true, cell: (th) => th.agency_name },
            { header: t('catalogue.measure'), cell: (th) => th.measure_code },
            { header: t('catalogue.period'), className: 'nowrap', cell: (th) => `${formatDate(th.period_start)} – ${formatDate(th.period_end)}` },
            { header: t('budget.cap'), className: 'text-end nowrap', cell: (th) => formatCents(th.cap_cents) },
            { header: t('budget.use'), className: 'budget-column', cell: (th) => <BudgetBar cap={th.cap_cents} reserved={th.reserved_cents} spent={th.spent_cents} /> },
            {
              header: t('common.actions'),
              cell: (th) => <ActionBar record={th} size="sm" items={[{
                action: 'edit', label: t('catalogue.editCap'), context: `${th.agency_name} ${th.measure_code}`, outline: true,
                onClick: () => setEditing(th),
              }]} />,
            },
          ]} />
      </section>
      {newMeasure && <MeasureDialog onClose={() => setNewMeasure(false)} />}
      {editingMeasure && <MeasureDialog key={editingMeasure.id} measure={editingMeasure} onClose={() => setEditingMeasure(null)} />}
      {editing && <ThresholdDialog threshold={editing === 'new' ? null : editing} measures={measures.data ?? []} onClose={() => setEditing(null)} />}
    </Page>
  );
}

function MeasuresList({ onEdit }: { onEdit: (m: Measure) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  // The list carries no versions: read the measure, and switch it only if nobody did meanwhile.
  const toggle = useMutation({
    mutationFn: async (m: Measure) => {
      const fresh = await readMeasure(m.id);
      if (fresh.record.active !== m.active) throw new ChangedMeanwhileError();
      return unwrap(api.PATCH('/api/v1/measures/{id}', { params: { path: { id: m.id }, header: ifMatch(fresh.etag) }, body: { active: !m.active } }));
    },
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.all('measures') }),
  });
  const ages = (m: Measure) => m.min_age != null || m.max_age != null ? `${m.min_age ?? '—'}–${m.max_age ?? '—'}` : t('catalogue.anyAge');
  return (
    <ListView<Measure>
      resource="measures" fetchAll={() => fetchAllMeasures()} caption={t('catalogue.measures')} tableClassName="table"
      rowKey={(m) => m.id} empty={t('catalogue.noMeasures')}
      notices={toggle.isError && <div className="alert alert-danger" role="alert">{message(toggle.error)}</div>}
      columns={[
        { header: t('catalogue.code'), rowHeader: true, cell: (m) => m.code },
        {
          // The kind under the name, unless it only repeats it ("Dote Unica Lavoro / Dote Unica Lavoro").
          header: t('catalogue.name'), cell: (m) => {
            const kind = t(`measureKind.${m.kind}`);
            return <>{m.name}{kind.trim().toLowerCase() !== m.name.trim().toLowerCase() && <div className="small text-secondary" data-testid="measure-kind">{kind}</div>}</>;
          },
        },
        {
          // The source as the plan names it, and the fund or call under it.
          header: t('catalogue.funding'), cell: (m) => (
            <>{t(`plans.fundingSource.${m.funding_source}`)}
              {m.funding_note && <div className="small text-secondary" data-testid="funding-note">{m.funding_note}</div>}</>
          ),
        },
        { header: t('catalogue.validity'), className: 'nowrap', cell: (m) => `${formatDate(m.valid_from)} – ${formatDate(m.valid_to)}` },
        { header: t('catalogue.ages'), cell: ages },
        {
          header: t('catalogue.targets'), className: 'small',
          cell: (m) => [...m.employment_statuses.map((s) => t(`employment.${s}`)), ...m.target_groups.map((g) => t(`targetGroup.${g}`)),
            ...m.clusters.map((c) => t(`cluster.${c}`)), ...(m.residence_required ? [t('catalogue.residenceRequired')] : [])].join(', ') || t('catalogue.anyone'),
        },
        { header: t('catalogue.defaultAmount'), className: 'text-end nowrap', cell: (m) => formatCents(m.default_amount_cents) },
        {
          header: t('admin.state'),
          cell: (m) => allows(m, 'edit') || blockedReason(m, 'edit') ? (
            <div className="form-check form-switch mb-0">
              <input id={`active-${m.id}`} type="checkbox" role="switch" className="form-check-input" checked={m.active}
                     disabled={toggle.isPending || !allows(m, 'edit')} onChange={() => toggle.mutate(m)} />
              <label htmlFor={`active-${m.id}`} className="form-check-label">
                {m.active ? t('admin.active') : t('admin.inactive')}<span className="visually-hidden"> {m.code}</span>
              </label>
            </div>
          ) : (m.active ? t('admin.active') : t('admin.inactive')),
        },
        {
          header: t('common.actions'),
          cell: (m) => <ActionBar record={m} size="sm" items={[{
            action: 'edit', label: t('catalogue.editMeasure'), context: m.code, outline: true, onClick: () => onEdit(m),
          }]} />,
        },
      ]} />
  );
}

function readThreshold(id: string): Promise<Versioned<Threshold>> {
  return unwrapVersioned(api.GET('/api/v1/thresholds/{id}', { params: { path: { id } } }));
}

function ThresholdDialog({ threshold, measures, onClose }: { threshold: Threshold | null; measures: Measure[]; onClose: () => void }) {
  const { t } = useTranslation();
  if (!threshold) return <NewThresholdDialog measures={measures} onClose={onClose} />;
  const title = t('catalogue.editCapOf', { agency: threshold.agency_name, measure: threshold.measure_code });
  return (
    <EditDialogLoader queryKey={queryKeys.detail('thresholds', threshold.id)} read={() => readThreshold(threshold.id)} title={title} onClose={onClose}>
      {(read) => <CapDialog read={read} title={title} onClose={onClose} />}
    </EditDialogLoader>
  );
}

const centsInput = (cents: number) => (cents / 100).toFixed(2).replace('.', ',');

/** A new cap for a threshold, at the version read (a 412 keeps what was typed and offers the current one). */
function CapDialog({ read, title, onClose }: { read: Versioned<Threshold>; title: string; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const threshold = read.record;
  const edit = useEditForm({ cap: centsInput(threshold.cap_cents) }, read.etag);
  const errors = useFormErrors();
  const { dialog, bypass } = useUnsavedChanges(edit.dirty);
  const close = () => { bypass(); onClose(); };
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/v1/thresholds/{id}', {
      params: { path: { id: threshold.id }, header: ifMatch(edit.version) }, body: { cap_cents: parseEuroToCents(edit.form.cap) ?? 0 },
    })),
    onSuccess: async () => { await qc.invalidateQueries({ queryKey: queryKeys.all('thresholds') }); close(); },
    onError: (e) => edit.saveFailed(e, errors),
  });
  const reload = useMutation({
    mutationFn: () => readThreshold(threshold.id),
    onSuccess: (fresh) => edit.rebase({ cap: centsInput(fresh.record.cap_cents) }, fresh.etag),
  });
  return (
    <FormDialog isOpen title={title} submitLabel={t('common.save')} pending={save.isPending} general={errors.general} onCancel={close}
                onSubmit={() => {
                  if (parseEuroToCents(edit.form.cap) === null) { errors.setFields({ cap_cents: t('validation.format') }); return; }
                  if (!edit.dirty) { close(); return; }
                  save.mutate();
                }}>
      {dialog}
      <StaleNotice stale={edit.stale} reloading={reload.isPending} onReload={() => reload.mutate()}
                   reloadError={reload.isError ? message(reload.error) : null}
                   conflicts={edit.rebased?.conflicts ?? null} fieldLabel={() => t('budget.capEuro')} />
      <p>{t('catalogue.capHint', { used: formatCents(threshold.reserved_cents + threshold.spent_cents) })}</p>
      <TextField id="cap_cents" inputMode="decimal" label={t('budget.capEuro')} required value={edit.form.cap} error={errors.fields.cap_cents}
                 onChange={(e) => { edit.set('cap', e.target.value); errors.clearField('cap_cents'); }} />
    </FormDialog>
  );
}

function NewThresholdDialog({ measures, onClose }: { measures: Measure[]; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const agencies = useAgencies();
  const year = new Date().getFullYear();
  const [cap, setCap] = useState('');
  const [agencyId, setAgencyId] = useState('');
  const [measureId, setMeasureId] = useState('');
  const [start, setStart] = useState(`${year}-01-01`);
  const [end, setEnd] = useState(`${year}-12-31`);
  const errors = useFormErrors();
  const save = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/thresholds', {
      body: { agency_id: agencyId, measure_id: measureId, period_start: start, period_end: end, cap_cents: parseEuroToCents(cap) ?? 0 },
    })),
    onSuccess: async () => { await qc.invalidateQueries({ queryKey: queryKeys.all('thresholds') }); onClose(); },
    onError: (e) => errors.fromError(e),
  });
  return (
    <FormDialog isOpen title={t('catalogue.newThreshold')} submitLabel={t('common.save')} pending={save.isPending} general={errors.general}
                onCancel={onClose} onSubmit={() => {
                  const missing: Record<string, string> = {};
                  if (parseEuroToCents(cap) === null) missing.cap_cents = t('validation.format');
                  if (!agencyId) missing.agency_id = t('validation.required');
                  if (!measureId) missing.measure_id = t('validation.required');
                  if (Object.keys(missing).length) { errors.setFields(missing); return; }
                  save.mutate();
                }}>
      <SelectField id="agency_id" label={t('cases.agency')} required value={agencyId} error={errors.fields.agency_id} placeholder={t('admin.choose')}
                   onChange={(e) => setAgencyId(e.target.value)} options={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))} />
      <SelectField id="measure_id" label={t('catalogue.measure')} required value={measureId} error={errors.fields.measure_id} placeholder={t('admin.choose')}
                   onChange={(e) => setMeasureId(e.target.value)} options={measures.map((m) => ({ value: m.id, label: `${m.code} – ${m.name}` }))} />
      <div className="row">
        <div className="col-6"><DateField id="period_start" label={t('catalogue.periodStart')} required value={start}
                                          error={errors.fields.period_start} onChange={(v) => setStart(v)} /></div>
        <div className="col-6"><DateField id="period_end" label={t('catalogue.periodEnd')} required value={end}
                                          error={errors.fields.period_end} onChange={(v) => setEnd(v)} /></div>
      </div>
      <TextField id="cap_cents" inputMode="decimal" label={t('budget.capEuro')} required value={cap} error={errors.fields.cap_cents}
                 onChange={(e) => { setCap(e.target.value); errors.clearField('cap_cents'); }} />
    </FormDialog>
  );
}

type FundingSource = components['schemas']['FundingSource'];
const FUNDING_SOURCES = ENUMS.FundingSource as readonly FundingSource[];

interface MeasureFields {
  code: string;
  name: string;
  kind: MeasureKind;
  /** The plan's vocabulary; empty until chosen. */
  funding_source: FundingSource | '';
  funding_note: string;
  description: string;
  /** Per gli operatori: who it is for, what it gives, how to refer (the opportunity board shows it). */
  for_operators: string;
  valid_from: string;
  valid_to: string;
  min_age: string;
  max_age: string;
  default_amount: string;
  residence_required: boolean;
  employment_statuses: EmploymentStatus[];
  target_groups: TargetGroup[];
  clusters: Cluster[];
}

function measureForm(m: Measure): MeasureFields {
  return {
    code: m.code, name: m.name, kind: m.kind, funding_source: m.funding_source, funding_note: m.funding_note ?? '', description: m.description,
    for_operators: m.for_operators ?? '',
    valid_from: m.valid_from, valid_to: m.valid_to ?? '', min_age: m.min_age != null ? String(m.min_age) : '',
    max_age: m.max_age != null ? String(m.max_age) : '',
    default_amount: m.default_amount_cents ? (m.default_amount_cents / 100).toFixed(2).replace('.', ',') : '',
    residence_required: m.residence_required, employment_statuses: m.employment_statuses, target_groups: m.target_groups,
    clusters: m.clusters,
  };
}

function emptyMeasureForm(): MeasureFields {
  return {
    code: '', name: '', kind: 'district_project', funding_source: '', funding_note: '', description: '', for_operators: '', valid_from: `${new Date().getFullYear()}-01-01`,
    valid_to: '', min_age: '', max_age: '', default_amount: '', residence_required: true,
    employment_statuses: [], target_groups: [], clusters: [],
  };
}

/** Form field → the API's field (errors come back under the API's names). */
const apiField = (k: string) => (k === 'default_amount' ? 'default_amount_cents' : k);
type MeasurePatch = components['schemas']['MeasurePatch'];

/** The PATCH body: only what changed, in the API's terms; an emptied end date, age limit or funding note is `null` (cleared). */
export function measurePatch(changes: Partial<MeasureFields>, base: MeasureFields): MeasurePatch {
  const out: MeasurePatch = {};
  const c = changes;
  if (c.name !== undefined && c.name.trim() !== base.name) out.name = c.name.trim();
  if (c.funding_source && c.funding_source !== base.funding_source) out.funding_source = c.funding_source;
  if (c.funding_note !== undefined && c.funding_note.trim() !== base.funding_note.trim()) out.funding_note = c.funding_note.trim() || null;
  if (c.description !== undefined && c.description.trim() !== base.description.trim()) out.description = c.description.trim();
  if (c.for_operators !== undefined && c.for_operators.trim() !== base.for_operators.trim()) out.for_operators = c.for_operators.trim() || null;
  if (c.valid_from !== undefined) out.valid_from = c.valid_from;
  if (c.valid_to !== undefined && c.valid_to !== base.valid_to) out.valid_to = c.valid_to || null;
  for (const k of ['min_age', 'max_age'] as const) {
    const v = c[k]?.trim();
    if (v !== undefined && v !== base[k]) out[k] = v ? Number(v) : null;
  }
  if (c.default_amount !== undefined) {
    const cents = c.default_amount.trim() ? parseEuroToCents(c.default_amount) ?? 0 : 0;
    if (cents !== (base.default_amount.trim() ? parseEuroToCents(base.default_amount) ?? 0 : 0)) out.default_amount_cents = cents;
  }
  if (c.residence_required !== undefined) out.residence_required = c.residence_required;
  if (c.employment_statuses !== undefined) out.employment_statuses = c.employment_statuses;
  if (c.target_groups !== undefined) out.target_groups = c.target_groups;
  if (c.clusters !== undefined) out.clusters = c.clusters;
  return out;
}

function readMeasure(id: string): Promise<Versioned<Measure>> {
  return unwrapVersioned(api.GET('/api/v1/measures/{id}', { params: { path: { id } } }));
}

/** A new measure, or changes to one (`measure`, read again when the dialog opens): code and kind stay as created. */
export function MeasureDialog({ measure, onClose }: { measure?: Measure; onClose: () => void }) {
  const { t } = useTranslation();
  if (!measure) return <MeasureForm onClose={onClose} />;
  return (
    <EditDialogLoader queryKey={queryKeys.detail('measures', measure.id)} read={() => readMeasure(measure.id)}
                      title={t('catalogue.editMeasureOf', { code: measure.code })} onClose={onClose}>
      {(read) => <MeasureForm read={read} onClose={onClose} />}
    </EditDialogLoader>
  );
}

function MeasureForm({ read, onClose }: { read?: Versioned<Measure>; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const measure = read?.record;
  const isEdit = !!measure;
  const edit = useEditForm<MeasureFields>(measure ? measureForm(measure) : emptyMeasureForm(), read?.etag ?? null);
  const f = edit.form;
  const errors = useFormErrors();
  const { dialog, bypass } = useUnsavedChanges(edit.dirty);
  const set = <K extends keyof MeasureFields>(k: K, v: MeasureFields[K]) => { edit.set(k, v); errors.clearField(apiField(k as string)); };
  const close = () => { bypass(); onClose(); };
  const save = useMutation({
    mutationFn: (body?: MeasurePatch) => {
      if (measure && body) {
        return unwrap(api.PATCH('/api/v1/measures/{id}', { params: { path: { id: measure.id }, header: ifMatch(edit.version) }, body }));
      }
      return unwrap(api.POST('/api/v1/measures', {
        body: {
          code: f.code.trim(), name: f.name.trim(), kind: f.kind, funding_source: f.funding_source as FundingSource,
          funding_note: f.funding_note.trim() || null, description: f.description.trim(),
          for_operators: f.for_operators.trim() || null,
          valid_from: f.valid_from, valid_to: f.valid_to || null,
          min_age: f.min_age ? Number(f.min_age) : null, max_age: f.max_age ? Number(f.max_age) : null,
          default_amount_cents: f.default_amount ? parseEuroToCents(f.default_amount) ?? 0 : 0,
          residence_required: f.residence_required, employment_statuses: f.employment_statuses, target_groups: f.target_groups,
          clusters: f.clusters,
        },
      }));
    },
    onSuccess: async () => { await qc.invalidateQueries({ queryKey: queryKeys.all('measures') }); close(); },
    onError: (e) => edit.saveFailed(e, errors),
  });
  const reload = useMutation({
    mutationFn: () => readMeasure(measure!.id),
    onSuccess: (fresh) => edit.rebase(measureForm(fresh.record), fresh.etag),
  });
  const label = (k: string) => t(`catalogue.field.${k}`, { defaultValue: k });
  return (
    <FormDialog isOpen size="lg" title={measure ? t('catalogue.editMeasureOf', { code: measure.code }) : t('catalogue.newMeasure')}
                submitLabel={t('common.save')} pending={save.isPending}
                general={errors.general} onCancel={close} onSubmit={() => {
                  const missing: Record<string, string> = {};
                  for (const k of ['code', 'name', 'funding_source', 'valid_from'] as const) if (!f[k].trim()) missing[k] = t('validation.required');
                  // "Altra fonte" says which in the note (the API asks the same).
                  if (f.funding_source === 'other' && !f.funding_note.trim()) missing.funding_note = t('catalogue.fundingNoteForOther');
                  if (f.default_amount && parseEuroToCents(f.default_amount) === null) missing.default_amount_cents = t('validation.format');
                  if (Object.keys(missing).length) { errors.setGeneral(null); errors.setFields(missing); return; }
                  if (!isEdit) { save.mutate(undefined); return; }
                  const body = measurePatch(edit.changes, edit.base);
                  if (Object.keys(body).length === 0) { close(); return; }
                  save.mutate(body);
                }}>
      {dialog}
      <ErrorSummary errors={errors.fields} />
      {isEdit && (
        <StaleNotice stale={edit.stale} reloading={reload.isPending} onReload={() => reload.mutate()}
                     reloadError={reload.isError ? message(reload.error) : null}
                     conflicts={edit.rebased?.conflicts ?? null} fieldLabel={label} />
      )}
      <div className="row">
        <div className="col-12 col-md-4"><TextField id="code" label={t('catalogue.code')} required={!isEdit} value={f.code} error={errors.fields.code}
                                                    disabled={isEdit} hint={isEdit ? t('catalogue.codeFixed') : undefined}
                                                    onChange={(e) => set('code', e.target.value.toUpperCase())} /></div>
        <div className="col-12 col-md-8"><TextField id="name" label={t('catalogue.name')} required value={f.name} error={errors.fields.name}
                                                    onChange={(e) => set('name', e.target.value)} /></div>
        <div className="col-12 col-md-6">
          <SelectField id="kind" label={t('catalogue.kind')} required={!isEdit} value={f.kind} error={errors.fields.kind} disabled={isEdit}
                       onChange={(e) => set('kind', e.target.value as MeasureKind)}
                       options={MEASURE_KINDS.map((k) => ({ value: k, label: t(`measureKind.${k}`) }))} />
        </div>
        <div className="col-12 col-md-6">
          <SelectField id="funding_source" label={t('catalogue.funding')} required value={f.funding_source} placeholder={t('admin.choose')}
                       error={errors.fields.funding_source} onChange={(e) => set('funding_source', e.target.value as FundingSource | '')}
                       options={FUNDING_SOURCES.map((v) => ({ value: v, label: t(`plans.fundingSource.${v}`) }))} />
        </div>
        <div className="col-12 col-md-6"><TextField id="funding_note" label={t('catalogue.fundingNote')} value={f.funding_note} maxLength={300}
                                                    hint={t('catalogue.fundingNoteHint')} required={f.funding_source === 'other'}
                                                    error={errors.fields.funding_note} onChange={(e) => set('funding_note', e.target.value)} /></div>
        <div className="col-6 col-md-3"><DateField id="valid_from" label={t('catalogue.periodStart')} required value={f.valid_from}
                                                   error={errors.fields.valid_from} onChange={(v) => set('valid_from', v)} /></div>
        <div className="col-6 col-md-3"><DateField id="valid_to" label={t('catalogue.periodEnd')} value={f.valid_to}
                                                   error={errors.fields.valid_to} onChange={(v) => set('valid_to', v)} /></div>
        <div className="col-6 col-md-3"><TextField id="min_age" type="number" min={14} max={100} label={t('catalogue.minAge')} value={f.min_age}
                                                   error={errors.fields.min_age} onChange={(e) => set('min_age', e.target.value)} /></div>
        <div className="col-6 col-md-3"><TextField id="max_age" type="number" min={14} max={100} label={t('catalogue.maxAge')} value={f.max_age}
                                                   error={errors.fields.max_age} onChange={(e) => set('max_age', e.target.value)} /></div>
        <div className="col-12 col-md-6"><TextField id="default_amount_cents" inputMode="decimal" label={t('catalogue.defaultAmountEuro')}
                                                    value={f.default_amount} error={errors.fields.default_amount_cents}
                                                    onChange={(e) => set('default_amount', e.target.value)} /></div>
        <div className="col-12 col-md-6 d-flex align-items-end">
          <div className="form-check mb-4">
            <input id="residence_required" type="checkbox" checked={f.residence_required} onChange={(e) => set('residence_required', e.target.checked)} />
            <label htmlFor="residence_required">{t('catalogue.residenceRequiredLabel')}</label>
          </div>
        </div>
      </div>
      <CheckboxGroup id="employment_statuses" legend={t('catalogue.employmentStatuses')} hint={t('catalogue.emptyMeansAny')}
                     value={f.employment_statuses} error={errors.fields.employment_statuses}
                     onChange={(v) => set('employment_statuses', v as EmploymentStatus[])}
                     options={EMPLOYMENT_STATUSES.map((s) => ({ value: s, label: t(`employment.${s}`) }))} />
      <CheckboxGroup id="target_groups" legend={t('catalogue.targetGroups')} hint={t('catalogue.emptyMeansAny')}
                     value={f.target_groups} error={errors.fields.target_groups}
                     onChange={(v) => set('target_groups', v as TargetGroup[])}
                     options={TARGET_GROUPS.map((s) => ({ value: s, label: t(`targetGroup.${s}`) }))} />
      <CheckboxGroup id="clusters" legend={t('catalogue.clusters')} hint={t('catalogue.emptyMeansAny')}
                     value={f.clusters} error={errors.fields.clusters}
                     onChange={(v) => set('clusters', v as Cluster[])}
                     options={CLUSTERS.map((c) => ({ value: c, label: t(`cluster.${c}`) }))} />
      <TextAreaField id="description" label={t('catalogue.description')} value={f.description} error={errors.fields.description}
                     onChange={(e) => set('description', e.target.value)} />
      <TextAreaField id="for_operators" label={t('catalogue.forOperators')} hint={t('catalogue.forOperatorsHint')}
                     value={f.for_operators} maxLength={2000} error={errors.fields.for_operators}
                     onChange={(e) => set('for_operators', e.target.value)} />
    </FormDialog>
  );
}
