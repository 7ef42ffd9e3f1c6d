// Catalogue of measures and the agencies' thresholds (soglie operatori): caps, reserved, spent.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ifMatch } from '../../api/etag';
import {
  CLUSTERS, EMPLOYMENT_STATUSES, MEASURE_KINDS, TARGET_GROUPS, type Cluster, type EmploymentStatus, type Measure, type MeasureKind, type TargetGroup,
  type Threshold,
} from '../../api/types';
import type { components } from '../../api/schema';
import { BudgetBar } from '../../components/Budget';
import { CheckboxGroup, ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { Page } from '../../components/Page';
import { StaleNotice } from '../../components/StaleNotice';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useErrorMessage } from '../../components/errors';
import { useEditForm } from '../../components/useEditForm';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';
import { formatCents, formatDate, parseEuroToCents } from '../../lib/format';
import { useAgencies, useMeasures, useThresholds } from '../common/workflow';

export function CataloguePage() {
  const { t } = useTranslation();
  const measures = useMeasures();
  const thresholds = useThresholds();
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
        {measures.isPending ? <Loading /> : measures.isError ? <ErrorState error={measures.error} onRetry={() => void measures.refetch()} /> :
          measures.data.length === 0 ? <EmptyState title={t('catalogue.noMeasures')} /> : <MeasuresTable measures={measures.data} onEdit={setEditingMeasure} />}
      </section>
      <section aria-labelledby="thresholds-title">
        <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2">
          <h2 id="thresholds-title" className="h4 mb-0">{t('catalogue.thresholds')}</h2>
          <Button color="primary" outline onClick={() => setEditing('new')}>{t('catalogue.newThreshold')}</Button>
        </div>
        {thresholds.isPending ? <Loading /> : thresholds.isError ? <ErrorState error={thresholds.error} onRetry={() => void thresholds.refetch()} /> :
          thresholds.data.length === 0 ? <EmptyState title={t('catalogue.noThresholds')} /> : (
            <div className="table-responsive">
              <table className="table">
                <caption className="visually-hidden">{t('catalogue.thresholds')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('cases.agency')}</th>
                    <th scope="col">{t('catalogue.measure')}</th>
                    <th scope="col">{t('catalogue.period')}</th>
                    <th scope="col" className="text-end">{t('budget.cap')}</th>
                    <th scope="col" style={{ minWidth: '14rem' }}>{t('budget.use')}</th>
                    <th scope="col">{t('common.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...thresholds.data].sort((a, b) => a.agency_name.localeCompare(b.agency_name, 'it') || a.measure_code.localeCompare(b.measure_code))
                    .map((th) => (
                      <tr key={th.id}>
                        <th scope="row">{th.agency_name}</th>
                        <td>{th.measure_code}</td>
                        <td className="nowrap">{formatDate(th.period_start)} – {formatDate(th.period_end)}</td>
                        <td className="text-end nowrap">{formatCents(th.cap_cents)}</td>
                        <td><BudgetBar cap={th.cap_cents} reserved={th.reserved_cents} spent={th.spent_cents} /></td>
                        <td><Button size="sm" color="primary" outline onClick={() => setEditing(th)}>
                          {t('catalogue.editCap')}<span className="visually-hidden"> {th.agency_name} {th.measure_code}</span></Button></td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          )}
      </section>
      {newMeasure && <MeasureDialog onClose={() => setNewMeasure(false)} />}
      {editingMeasure && <MeasureDialog key={editingMeasure.id} measure={editingMeasure} onClose={() => setEditingMeasure(null)} />}
      {editing && <ThresholdDialog threshold={editing === 'new' ? null : editing} measures={measures.data ?? []} onClose={() => setEditing(null)} />}
    </Page>
  );
}

function MeasuresTable({ measures, onEdit }: { measures: Measure[]; onEdit: (m: Measure) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const toggle = useMutation({
    mutationFn: (m: Measure) => unwrap(api.PATCH('/api/v1/measures/{id}', { params: { path: { id: m.id }, header: ifMatch(m.updated_at) }, body: { active: !m.active } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['measures'] }),
  });
  const ages = (m: Measure) => m.min_age != null || m.max_age != null ? `${m.min_age ?? '—'}–${m.max_age ?? '—'}` : t('catalogue.anyAge');
  return (
    <>
      {toggle.isError && <div className="alert alert-danger" role="alert">{message(toggle.error)}</div>}
      <div className="table-responsive">
        <table className="table">
          <caption className="visually-hidden">{t('catalogue.measures')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('catalogue.code')}</th>
              <th scope="col">{t('catalogue.name')}</th>
              <th scope="col">{t('catalogue.funding')}</th>
              <th scope="col">{t('catalogue.validity')}</th>
              <th scope="col">{t('catalogue.ages')}</th>
              <th scope="col">{t('catalogue.targets')}</th>
              <th scope="col" className="text-end">{t('catalogue.defaultAmount')}</th>
              <th scope="col">{t('admin.state')}</th>
              <th scope="col">{t('common.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {measures.map((m) => (
              <tr key={m.id}>
                <th scope="row">{m.code}</th>
                <td>{m.name}<div className="small text-secondary">{t(`measureKind.${m.kind}`)}</div></td>
                <td>{m.funding_source}</td>
                <td className="nowrap">{formatDate(m.valid_from)} – {formatDate(m.valid_to)}</td>
                <td>{ages(m)}</td>
                <td className="small">
                  {[...m.employment_statuses.map((s) => t(`employment.${s}`)), ...m.target_groups.map((g) => t(`targetGroup.${g}`)),
                    ...m.clusters.map((c) => t(`cluster.${c}`)), ...(m.residence_required ? [t('catalogue.residenceRequired')] : [])].join(', ') || t('catalogue.anyone')}
                </td>
                <td className="text-end nowrap">{formatCents(m.default_amount_cents)}</td>
                <td>
                  <div className="form-check form-switch mb-0">
                    <input id={`active-${m.id}`} type="checkbox" role="switch" className="form-check-input" checked={m.active}
                           disabled={toggle.isPending} onChange={() => toggle.mutate(m)} />
                    <label htmlFor={`active-${m.id}`} className="form-check-label">
                      {m.active ? t('admin.active') : t('admin.inactive')}<span className="visually-hidden"> {m.code}</span>
                    </label>
                  </div>
                </td>
                <td>
                  <Button size="sm" color="primary" outline onClick={() => onEdit(m)}>
                    {t('catalogue.editMeasure')}<span className="visually-hidden"> {m.code}</span>
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function ThresholdDialog({ threshold, measures, onClose }: { threshold: Threshold | null; measures: Measure[]; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const agencies = useAgencies(!threshold);
  const year = new Date().getFullYear();
  const [cap, setCap] = useState(threshold ? (threshold.cap_cents / 100).toFixed(2).replace('.', ',') : '');
  const [agencyId, setAgencyId] = useState('');
  const [measureId, setMeasureId] = useState('');
  const [start, setStart] = useState(`${year}-01-01`);
  const [end, setEnd] = useState(`${year}-12-31`);
  const errors = useFormErrors();
  const save = useMutation({
    mutationFn: () => {
      const cap_cents = parseEuroToCents(cap) ?? 0;
      if (threshold) return unwrap(api.PATCH('/api/v1/thresholds/{id}', { params: { path: { id: threshold.id }, header: ifMatch(threshold.updated_at) }, body: { cap_cents } }));
      return unwrap(api.POST('/api/v1/thresholds', { body: { agency_id: agencyId, measure_id: measureId, period_start: start, period_end: end, cap_cents } }));
    },
    onSuccess: async () => { await qc.invalidateQueries({ queryKey: ['thresholds'] }); onClose(); },
    onError: (e) => errors.fromError(e),
  });
  return (
    <FormDialog isOpen title={threshold ? t('catalogue.editCapOf', { agency: threshold.agency_name, measure: threshold.measure_code }) : t('catalogue.newThreshold')}
                submitLabel={t('common.save')} pending={save.isPending} general={errors.general} onCancel={onClose}
                onSubmit={() => {
                  const missing: Record<string, string> = {};
                  if (parseEuroToCents(cap) === null) missing.cap_cents = t('validation.format');
                  if (!threshold) {
                    if (!agencyId) missing.agency_id = t('validation.required');
                    if (!measureId) missing.measure_id = t('validation.required');
                  }
                  if (Object.keys(missing).length) { errors.setFields(missing); return; }
                  save.mutate();
                }}>
      {threshold && <p>{t('catalogue.capHint', { used: formatCents(threshold.reserved_cents + threshold.spent_cents) })}</p>}
      {!threshold && (
        <>
          <SelectField id="agency_id" label={t('cases.agency')} required value={agencyId} error={errors.fields.agency_id} placeholder={t('admin.choose')}
                       onChange={(e) => setAgencyId(e.target.value)} options={(agencies.data ?? []).map((a) => ({ value: a.id, label: a.name }))} />
          <SelectField id="measure_id" label={t('catalogue.measure')} required value={measureId} error={errors.fields.measure_id} placeholder={t('admin.choose')}
                       onChange={(e) => setMeasureId(e.target.value)} options={measures.map((m) => ({ value: m.id, label: `${m.code} – ${m.name}` }))} />
          <div className="row">
            <div className="col-6"><TextField id="period_start" type="date" label={t('catalogue.periodStart')} required value={start}
                                              error={errors.fields.period_start} onChange={(e) => setStart(e.target.value)} /></div>
            <div className="col-6"><TextField id="period_end" type="date" label={t('catalogue.periodEnd')} required value={end}
                                              error={errors.fields.period_end} onChange={(e) => setEnd(e.target.value)} /></div>
          </div>
        </>
      )}
      <TextField id="cap_cents" inputMode="decimal" label={t('budget.capEuro')} required value={cap} error={errors.fields.cap_cents}
                 onChange={(e) => { setCap(e.target.value); errors.clearField('cap_cents'); }} />
    </FormDialog>
  );
}

interface MeasureForm extends Record<string, unknown> {
  code: string;
  name: string;
  kind: MeasureKind;
  funding_source: string;
  description: string;
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

function measureForm(m: Measure): MeasureForm {
  return {
    code: m.code, name: m.name, kind: m.kind, funding_source: m.funding_source, description: m.description,
    valid_from: m.valid_from, valid_to: m.valid_to ?? '', min_age: m.min_age != null ? String(m.min_age) : '',
    max_age: m.max_age != null ? String(m.max_age) : '',
    default_amount: m.default_amount_cents ? (m.default_amount_cents / 100).toFixed(2).replace('.', ',') : '',
    residence_required: m.residence_required, employment_statuses: m.employment_statuses, target_groups: m.target_groups,
    clusters: m.clusters,
  };
}

function emptyMeasureForm(): MeasureForm {
  return {
    code: '', name: '', kind: 'district_project', funding_source: '', description: '', valid_from: `${new Date().getFullYear()}-01-01`,
    valid_to: '', min_age: '', max_age: '', default_amount: '', residence_required: true,
    employment_statuses: [], target_groups: [], clusters: [],
  };
}

/** Form field → the API's field (errors come back under the API's names). */
const apiField = (k: string) => (k === 'default_amount' ? 'default_amount_cents' : k);
type MeasurePatch = components['schemas']['MeasurePatch'];

/** The PATCH body: only what changed, in the API's terms; an emptied end date or age limit is `null` (cleared). */
export function measurePatch(changes: Partial<MeasureForm>, base: MeasureForm): MeasurePatch {
  const out: MeasurePatch = {};
  const c = changes;
  if (c.name !== undefined && c.name.trim() !== base.name) out.name = c.name.trim();
  if (c.funding_source !== undefined && c.funding_source.trim() !== base.funding_source) out.funding_source = c.funding_source.trim();
  if (c.description !== undefined && c.description.trim() !== base.description.trim()) out.description = c.description.trim();
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

/** A new measure, or changes to one (`measure`): code and kind stay as created. */
export function MeasureDialog({ measure, onClose }: { measure?: Measure; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const isEdit = !!measure;
  const edit = useEditForm<MeasureForm>(measure ? measureForm(measure) : emptyMeasureForm(), measure?.updated_at ?? '');
  const f = edit.form;
  const errors = useFormErrors();
  const { dialog, bypass } = useUnsavedChanges(edit.dirty);
  const set = <K extends keyof MeasureForm>(k: K, v: MeasureForm[K]) => { edit.set(k, v); errors.clearField(apiField(k as string)); };
  const close = () => { bypass(); onClose(); };
  const save = useMutation({
    mutationFn: (body?: MeasurePatch) => {
      if (measure && body) {
        return unwrap(api.PATCH('/api/v1/measures/{id}', { params: { path: { id: measure.id }, header: ifMatch(edit.version) }, body }));
      }
      return unwrap(api.POST('/api/v1/measures', {
        body: {
          code: f.code.trim(), name: f.name.trim(), kind: f.kind, funding_source: f.funding_source.trim(), description: f.description.trim(),
          valid_from: f.valid_from, valid_to: f.valid_to || null,
          min_age: f.min_age ? Number(f.min_age) : null, max_age: f.max_age ? Number(f.max_age) : null,
          default_amount_cents: f.default_amount ? parseEuroToCents(f.default_amount) ?? 0 : 0,
          residence_required: f.residence_required, employment_statuses: f.employment_statuses, target_groups: f.target_groups,
          clusters: f.clusters,
        },
      }));
    },
    onSuccess: async () => { await qc.invalidateQueries({ queryKey: ['measures'] }); close(); },
    onError: (e) => edit.saveFailed(e, errors),
  });
  const reload = useMutation({
    mutationFn: () => unwrap(api.GET('/api/v1/measures/{id}', { params: { path: { id: measure!.id } } })),
    onSuccess: (fresh) => edit.rebase(measureForm(fresh), fresh.updated_at),
  });
  const label = (k: string) => t(`catalogue.field.${k}`, { defaultValue: k });
  return (
    <FormDialog isOpen size="lg" title={measure ? t('catalogue.editMeasureOf', { code: measure.code }) : t('catalogue.newMeasure')}
                submitLabel={t('common.save')} pending={save.isPending}
                general={errors.general} onCancel={close} onSubmit={() => {
                  const missing: Record<string, string> = {};
                  for (const k of ['code', 'name', 'funding_source', 'valid_from'] as const) if (!f[k].trim()) missing[k] = t('validation.required');
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
        <div className="col-12 col-md-6"><TextField id="funding_source" label={t('catalogue.funding')} required value={f.funding_source}
                                                    error={errors.fields.funding_source} onChange={(e) => set('funding_source', e.target.value)} /></div>
        <div className="col-6 col-md-3"><TextField id="valid_from" type="date" label={t('catalogue.periodStart')} required value={f.valid_from}
                                                   error={errors.fields.valid_from} onChange={(e) => set('valid_from', e.target.value)} /></div>
        <div className="col-6 col-md-3"><TextField id="valid_to" type="date" label={t('catalogue.periodEnd')} value={f.valid_to}
                                                   error={errors.fields.valid_to} onChange={(e) => set('valid_to', e.target.value)} /></div>
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
    </FormDialog>
  );
}
