// "Nuova opportunità" and its correction: kind, area, title, description, who it is for (ages,
// employment statuses, groups, residence), the municipality (searched by name, sent as its ISTAT
// code), place, dates, how to apply and a contact. A new one is kept as a draft ("Salva bozza")
// or published at once ("Pubblica"); a correction sends only the changed fields at the version
// read (`If-Match`). What is wrong is said at the field, before sending and after (the API's 422).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap, unwrapVersioned } from '../../api/client';
import { ifMatch, type Versioned } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import { EMPLOYMENT_STATUSES, TARGET_GROUPS, type EmploymentStatus, type TargetGroup } from '../../api/types';
import { DateField, isIsoDate } from '../../components/DateField';
import { CheckboxGroup, ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { StaleNotice } from '../../components/StaleNotice';
import { ErrorState, Loading } from '../../components/States';
import { useEditForm } from '../../components/useEditForm';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';
import { listField, showProblem } from '../networks/formErrors';
import { useMe } from '../../auth/AuthContext';
import { all } from '../common/workflow';
import { MunicipalityPicker } from '../referrals/PersonLookup';
import {
  AREAS, KINDS, readOpportunity, type Opportunity, type OpportunityInput, type OpportunityKind, type OpportunityPatch, type ResponseArea,
} from './data';
import '../networks/responses.messages';

export interface OpportunityForm {
  kind: string; area: string; title: string; description: string; min_age: string; max_age: string;
  employment_statuses: string[]; target_groups: string[]; residence_required: boolean; municipality_code: string;
  place_note: string; starts_on: string; ends_on: string; apply_by: string; how_to_apply: string; contact: string;
  organization_id: string; shared_response_id: string;
}

export const EMPTY_FORM: OpportunityForm = {
  kind: '', area: '', title: '', description: '', min_age: '', max_age: '', employment_statuses: [], target_groups: [],
  residence_required: false, municipality_code: '', place_note: '', starts_on: '', ends_on: '', apply_by: '', how_to_apply: '', contact: '',
  organization_id: '', shared_response_id: '',
};

const fromOpportunity = (o: Opportunity): OpportunityForm => ({
  kind: o.kind ?? '', area: o.area, title: o.title, description: o.description,
  min_age: o.target.min_age != null ? String(o.target.min_age) : '', max_age: o.target.max_age != null ? String(o.target.max_age) : '',
  employment_statuses: [...o.target.employment_statuses], target_groups: [...o.target.target_groups],
  residence_required: o.target.residence_required, municipality_code: o.municipality?.code ?? '', place_note: o.place_note ?? '',
  starts_on: o.starts_on ?? '', ends_on: o.ends_on ?? '', apply_by: o.apply_by ?? '', how_to_apply: o.how_to_apply ?? '', contact: o.contact ?? '',
  organization_id: o.organization_id ?? '', shared_response_id: o.shared_response_id ?? '',
});

/** Each field's label (under `opportunities.form.`), to name it when it changed meanwhile. */
const LABEL: Record<keyof OpportunityForm, string> = {
  kind: 'kind', area: 'area', title: 'titleLabel', description: 'description', min_age: 'minAge', max_age: 'maxAge',
  employment_statuses: 'employmentStatuses', target_groups: 'targetGroups', residence_required: 'residence', municipality_code: 'municipality',
  place_note: 'placeNote', starts_on: 'startsOn', ends_on: 'endsOn', apply_by: 'applyBy', how_to_apply: 'howToApply', contact: 'contact',
  organization_id: 'organization', shared_response_id: 'sharedResponse',
};

/** The form's control for each field (`opp-…`). */
const fid = (k: keyof OpportunityForm) => `opp-${k}`;
const FIELDS = Object.keys(EMPTY_FORM) as (keyof OpportunityForm)[];
/** The API's field (`employment_statuses[1]`) → the control showing it, or null (said above the form). */
const control = (field: string): string | null => {
  const f = listField(field) as keyof OpportunityForm;
  return FIELDS.includes(f) ? fid(f) : null;
};

function age(v: string): number | null {
  return v.trim() ? Number(v.trim()) : null;
}

/** What is wrong before sending; `publishing` also asks for how to apply and a contact. */
function check(t: (k: string) => string, f: OpportunityForm, { creating, publishing }: { creating: boolean; publishing: boolean }) {
  const bad: Record<string, string> = {};
  if (creating && !f.kind) bad[fid('kind')] = t('validation.required');
  if (!f.area) bad[fid('area')] = t('validation.required');
  if (f.title.trim().length < 2) bad[fid('title')] = f.title.trim() ? t('validation.too_short') : t('validation.required');
  if (f.description.trim().length < 2) bad[fid('description')] = f.description.trim() ? t('validation.too_short') : t('validation.required');
  for (const k of ['min_age', 'max_age'] as const) {
    const v = f[k].trim();
    if (v && !(/^\d+$/.test(v) && Number(v) >= 14 && Number(v) <= 100)) bad[fid(k)] = t('opportunities.form.invalidAge');
  }
  const min = age(f.min_age), max = age(f.max_age);
  if (!bad[fid('min_age')] && !bad[fid('max_age')] && min !== null && max !== null && max < min) bad[fid('max_age')] = t('opportunities.form.ageOrder');
  for (const k of ['starts_on', 'ends_on', 'apply_by'] as const) if (f[k] && !isIsoDate(f[k])) bad[fid(k)] = t('validation.invalid_date');
  if (!bad[fid('ends_on')] && f.starts_on && f.ends_on && isIsoDate(f.starts_on) && f.ends_on < f.starts_on) bad[fid('ends_on')] = t('opportunities.form.dateOrder');
  if (!bad[fid('apply_by')] && f.apply_by && f.ends_on && isIsoDate(f.ends_on) && f.apply_by > f.ends_on) bad[fid('apply_by')] = t('opportunities.form.applyAfterEnd');
  if (publishing) {
    for (const k of ['how_to_apply', 'contact'] as const) if (!f[k].trim()) bad[fid(k)] = t('opportunities.form.requiredToPublish');
  }
  return bad;
}

function inputOf(f: OpportunityForm, publish: boolean): OpportunityInput {
  return {
    kind: f.kind as OpportunityKind, area: f.area as ResponseArea, title: f.title.trim(), description: f.description.trim(),
    min_age: age(f.min_age), max_age: age(f.max_age), employment_statuses: f.employment_statuses as EmploymentStatus[],
    target_groups: f.target_groups as TargetGroup[], residence_required: f.residence_required, municipality_code: f.municipality_code || null,
    place_note: f.place_note.trim() || null, starts_on: f.starts_on || null, ends_on: f.ends_on || null, apply_by: f.apply_by || null,
    how_to_apply: f.how_to_apply.trim() || null, contact: f.contact.trim() || null,
    ...(f.organization_id ? { organization_id: f.organization_id } : {}),
    shared_response_id: f.kind === 'service' ? f.shared_response_id || null : null, publish,
  };
}

function patchOf(f: OpportunityForm, changes: Partial<OpportunityForm>): OpportunityPatch {
  const all = inputOf(f, false);
  const body: OpportunityPatch = {};
  for (const k of Object.keys(changes) as (keyof OpportunityForm)[]) {
    if (k === 'kind' || k === 'organization_id') continue;
    (body as Record<string, unknown>)[k] = all[k];
  }
  return body;
}

/** The shared responses available today in the networks the caller reads: what a service may tell about. */
async function fetchAvailableResponses(): Promise<{ id: string; label: string }[]> {
  const networks = await all((after) => unwrap(api.GET('/api/v1/networks', { params: { query: { limit: 200, after } } })));
  const lists = await Promise.all(networks.map(async (n) => {
    const page = await unwrap(api.GET('/api/v1/networks/{id}/shared-responses', { params: { path: { id: n.id }, query: { limit: 200, status: 'available' } } }))
      .catch(() => ({ items: [] as { id: string; title: string }[] }));
    return page.items.map((r) => ({ id: r.id, label: `${r.title} — ${n.name}` }));
  }));
  return lists.flat();
}

/** The form's controls, shared by the new and the edit page. */
function Fields({ f, set, errors, creating, current }: {
  f: OpportunityForm; set: <K extends keyof OpportunityForm>(k: K, v: OpportunityForm[K]) => void; errors: Record<string, string>;
  creating: boolean; current?: Opportunity['municipality'];
}) {
  const { t } = useTranslation();
  const me = useMe();
  const organizations = useQuery({
    queryKey: queryKeys.everything('organizations', { active: true }),
    queryFn: async () => (await all((after) => unwrap(api.GET('/api/v1/organizations', { params: { query: { limit: 200, after } } }))))
      .filter((o) => o.active).sort((a, b) => a.name.localeCompare(b.name, 'it')),
    enabled: creating && me.role === 'coordinator', staleTime: 60_000,
  });
  const responses = useQuery({ queryKey: queryKeys.everything('networks', { sharedResponses: 'available' }), queryFn: fetchAvailableResponses,
    enabled: f.kind === 'service', staleTime: 60_000 });
  const text = (k: keyof OpportunityForm, label: string, extra: { required?: boolean; maxLength?: number; hint?: string } = {}) => (
    <TextField id={fid(k)} label={label} value={f[k] as string} error={errors[fid(k)]} {...extra} onChange={(e) => set(k, e.target.value)} />
  );
  return (
    <>
      <div className="row">
        {creating && (
          <div className="col-12 col-sm-6">
            <SelectField id={fid('kind')} label={t('opportunities.form.kind')} required value={f.kind} error={errors[fid('kind')]}
                         placeholder={t('opportunities.form.choose')} options={KINDS.map((k) => ({ value: k, label: t(`opportunities.kindOf.${k}`) }))}
                         onChange={(e) => set('kind', e.target.value)} />
          </div>
        )}
        <div className="col-12 col-sm-6">
          <SelectField id={fid('area')} label={t('opportunities.form.area')} required value={f.area} error={errors[fid('area')]}
                       placeholder={t('opportunities.form.choose')} options={AREAS.map((a) => ({ value: a, label: t(`responses.area.${a}`) }))}
                       onChange={(e) => set('area', e.target.value)} />
        </div>
      </div>
      {creating && me.role === 'coordinator' && (
        <SelectField id={fid('organization_id')} label={t('opportunities.form.organization')} hint={t('opportunities.form.organizationHint')}
                     value={f.organization_id} error={errors[fid('organization_id')]} placeholder={t('opportunities.form.ownOrganization')}
                     options={(organizations.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
                     onChange={(e) => set('organization_id', e.target.value)} />
      )}
      {text('title', t('opportunities.form.titleLabel'), { required: true, maxLength: 200 })}
      <TextAreaField id={fid('description')} label={t('opportunities.form.description')} required value={f.description} maxLength={4000}
                     hint={t('opportunities.form.descriptionHint')} error={errors[fid('description')]} onChange={(e) => set('description', e.target.value)} />
      <div className="row">
        <div className="col-6">
          <TextField id={fid('min_age')} type="number" min={14} max={100} inputMode="numeric" label={t('opportunities.form.minAge')}
                     value={f.min_age} error={errors[fid('min_age')]} onChange={(e) => set('min_age', e.target.value)} />
        </div>
        <div className="col-6">
          <TextField id={fid('max_age')} type="number" min={14} max={100} inputMode="numeric" label={t('opportunities.form.maxAge')}
                     value={f.max_age} error={errors[fid('max_age')]} onChange={(e) => set('max_age', e.target.value)} />
        </div>
      </div>
      <CheckboxGroup id={fid('employment_statuses')} legend={t('opportunities.form.employmentStatuses')} hint={t('opportunities.form.employmentHint')}
                     value={f.employment_statuses} error={errors[fid('employment_statuses')]}
                     options={EMPLOYMENT_STATUSES.map((s) => ({ value: s, label: t(`employment.${s}`) }))} onChange={(v) => set('employment_statuses', v)} />
      <CheckboxGroup id={fid('target_groups')} legend={t('opportunities.form.targetGroups')} hint={t('opportunities.form.targetHint')}
                     value={f.target_groups} error={errors[fid('target_groups')]}
                     options={TARGET_GROUPS.map((g) => ({ value: g, label: t(`targetGroup.${g}`) }))} onChange={(v) => set('target_groups', v)} />
      <div className="form-check mb-4">
        <input id={fid('residence_required')} type="checkbox" checked={f.residence_required} onChange={(e) => set('residence_required', e.target.checked)} />
        <label htmlFor={fid('residence_required')}>{t('opportunities.form.residence')}</label>
      </div>
      <MunicipalityPicker value={f.municipality_code} error={errors[fid('municipality_code')]} onChange={(v) => set('municipality_code', v)}
                          current={current ? { istat_code: current.code, belfiore: '', name: current.name, province: current.province } : null}
                          ids={{ search: 'opp-municipality-search', select: fid('municipality_code') }}
                          labels={{ search: t('opportunities.form.municipalitySearch'), searchHint: t('opportunities.form.municipalitySearchHint'),
                            select: t('opportunities.form.municipality') }} />
      {text('place_note', t('opportunities.form.placeNote'), { maxLength: 300, hint: t('opportunities.form.placeHint') })}
      <div className="row">
        {(['starts_on', 'ends_on', 'apply_by'] as const).map((k) => (
          <div className="col-12 col-md-4" key={k}>
            <DateField id={fid(k)} label={t(`opportunities.form.${k === 'starts_on' ? 'startsOn' : k === 'ends_on' ? 'endsOn' : 'applyBy'}`)}
                       value={f[k]} error={errors[fid(k)]} onChange={(v) => set(k, v)} />
          </div>
        ))}
      </div>
      <TextAreaField id={fid('how_to_apply')} label={t('opportunities.form.howToApply')} value={f.how_to_apply} maxLength={2000} rows={3}
                     hint={t('opportunities.form.howToApplyHint')} error={errors[fid('how_to_apply')]} onChange={(e) => set('how_to_apply', e.target.value)} />
      {text('contact', t('opportunities.form.contact'), { maxLength: 300, hint: t('opportunities.form.contactHint') })}
      {f.kind === 'service' && (
        <SelectField id={fid('shared_response_id')} label={t('opportunities.form.sharedResponse')} hint={t('opportunities.form.sharedResponseHint')}
                     value={f.shared_response_id} error={errors[fid('shared_response_id')]} placeholder={t('opportunities.form.noSharedResponse')}
                     options={(responses.data ?? []).map((r) => ({ value: r.id, label: r.label }))}
                     onChange={(e) => set('shared_response_id', e.target.value)} />
      )}
    </>
  );
}

export function OpportunityFormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const errors = useFormErrors();
  const [f, setF] = useState<OpportunityForm>(EMPTY_FORM);
  const dirty = JSON.stringify(f) !== JSON.stringify(EMPTY_FORM);
  const { dialog, bypass } = useUnsavedChanges(dirty);
  const set = <K extends keyof OpportunityForm>(k: K, v: OpportunityForm[K]) => { setF((x) => ({ ...x, [k]: v })); errors.clearField(fid(k)); };
  const m = useMutation({
    mutationFn: (publish: boolean) => unwrapVersioned(api.POST('/api/v1/opportunities', { body: inputOf(f, publish) })),
    onSuccess: async (created, publish) => {
      await qc.invalidateQueries({ queryKey: queryKeys.all('opportunities') });
      qc.setQueryData(queryKeys.detail('opportunities', created.record.id), created);
      bypass();
      navigate(`/opportunities/${encodeURIComponent(created.record.id)}`, { state: { flash: publish ? 'opportunityPublished' : 'opportunityDraft' } });
    },
    onError: (e) => showProblem(t, errors, e, control),
  });
  function save(publish: boolean) {
    const bad = check(t, f, { creating: true, publishing: publish });
    if (Object.keys(bad).length) { errors.setGeneral(null); errors.setFields(bad); return; }
    m.mutate(publish);
  }
  return (
    <Page title={t('opportunities.new')} crumbs={[{ to: '/opportunities', label: t('opportunities.title') }, { label: t('opportunities.new') }]}>
      <form noValidate onSubmit={(e) => { e.preventDefault(); save(true); }} style={{ maxWidth: 760 }} data-testid="opportunity-form">
        <ErrorSummary errors={errors.fields} general={errors.general} />
        <p className="small">{t('opportunities.form.draftNote')}</p>
        <Fields f={f} set={set} errors={errors.fields} creating />
        <div className="d-flex flex-wrap gap-2">
          <Button color="primary" type="submit" disabled={m.isPending}>{m.isPending && m.variables ? t('common.saving') : t('opportunities.form.publishNow')}</Button>
          <Button color="primary" outline type="button" disabled={m.isPending} onClick={() => save(false)}>
            {m.isPending && !m.variables ? t('common.saving') : t('opportunities.form.saveDraft')}
          </Button>
          <Link to="/opportunities" className="btn btn-outline-secondary">{t('common.cancel')}</Link>
        </div>
      </form>
      {dialog}
    </Page>
  );
}

export function OpportunityEditPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const q = useQuery({ queryKey: [...queryKeys.detail('opportunities', id), 'versioned'], queryFn: () => readOpportunity(id), staleTime: 0, gcTime: 0 });
  const crumbs = [{ to: '/opportunities', label: t('opportunities.title') }];
  if (q.isPending) return <Page title={t('opportunities.edit')} crumbs={crumbs}><Loading /></Page>;
  if (q.isError) return <Page title={t('opportunities.edit')} crumbs={crumbs}><ErrorState error={q.error} onRetry={() => void q.refetch()} /></Page>;
  return <EditForm read={q.data} />;
}

function EditForm({ read }: { read: Versioned<Opportunity> }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const o = read.record;
  const edit = useEditForm<OpportunityForm>(fromOpportunity(o), read.etag);
  const errors = useFormErrors();
  const [reloading, setReloading] = useState(false);
  const { dialog, bypass } = useUnsavedChanges(edit.dirty);
  const back = `/opportunities/${encodeURIComponent(o.id)}`;
  const set = <K extends keyof OpportunityForm>(k: K, v: OpportunityForm[K]) => { edit.set(k, v); errors.clearField(fid(k)); };
  const m = useMutation({
    mutationFn: (body: OpportunityPatch) => unwrapVersioned(api.PATCH('/api/v1/opportunities/{id}', {
      params: { path: { id: o.id }, header: ifMatch(edit.version) }, body,
    })),
    onSuccess: async (next) => {
      qc.setQueryData(queryKeys.detail('opportunities', o.id), next);
      await qc.invalidateQueries({ queryKey: queryKeys.everything('opportunities') });
      bypass();
      navigate(back, { state: { flash: 'opportunitySaved' } });
    },
    onError: (e) => edit.saveFailed(e, {
      clear: errors.clear,
      fromError: (err) => { showProblem(t, errors, err, control); return true; },
    }),
  });
  function submit() {
    const bad = check(t, edit.form, { creating: false, publishing: o.status === 'published' });
    if (Object.keys(bad).length) { errors.setGeneral(null); errors.setFields(bad); return; }
    const body = patchOf(edit.form, edit.changes);
    if (Object.keys(body).length === 0) { bypass(); navigate(back); return; }
    m.mutate(body);
  }
  return (
    <Page title={t('opportunities.form.editTitle', { title: o.title })}
          crumbs={[{ to: '/opportunities', label: t('opportunities.title') }, { to: back, label: o.title }, { label: t('opportunities.edit') }]}>
      <form noValidate onSubmit={(e) => { e.preventDefault(); submit(); }} style={{ maxWidth: 760 }} data-testid="opportunity-form">
        <StaleNotice stale={edit.stale} reloading={reloading} onReload={() => {
          setReloading(true);
          readOpportunity(o.id).then((r) => edit.rebase(fromOpportunity(r.record), r.etag)).catch((e) => errors.fromError(e)).finally(() => setReloading(false));
        }} conflicts={edit.rebased ? edit.rebased.conflicts : null} fieldLabel={(k) => (k in LABEL ? t(`opportunities.form.${LABEL[k as keyof OpportunityForm]}`) : k)} />
        <ErrorSummary errors={errors.fields} general={errors.general} />
        <p className="small">{o.kind_label}</p>
        <Fields f={edit.form} set={set} errors={errors.fields} creating={false} current={o.municipality} />
        <div className="d-flex flex-wrap gap-2">
          <Button color="primary" type="submit" disabled={m.isPending}>{m.isPending ? t('common.saving') : t('common.save')}</Button>
          <Link to={back} className="btn btn-outline-secondary">{t('common.cancel')}</Link>
        </div>
      </form>
      {dialog}
    </Page>
  );
}
