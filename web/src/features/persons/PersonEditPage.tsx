// Correcting a person's record (anagrafica): identity checked against the codice fiscale as
// typed, residence, contacts, employment, education, cluster, target groups and — for those who
// may see them — the special-category data. Reached from the referral and the case workspace;
// goes back there after saving. Only changed fields are sent, with the version read (If-Match);
// an emptied contact, residence, profile value or note is sent as `null`, which clears it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, unwrapVersioned } from '../../api/client';
import { ifMatch, type Versioned } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import {
  CLUSTERS, EDUCATION_LEVELS, EMPLOYMENT_STATUSES, SPECIAL_TARGET_GROUPS, TARGET_GROUPS, type Cluster, type EducationLevel,
  type EmploymentStatus, type Person, type TargetGroup,
} from '../../api/types';
import type { components } from '../../api/schema';
import { useMe } from '../../auth/AuthContext';
import { homeFor } from '../../auth/roles';
import { allows, BlockedNotice } from '../../components/Actions';
import { CheckboxGroup, ErrorSummary, RadioGroup, SelectField, TextAreaField, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { StaleNotice } from '../../components/StaleNotice';
import { ErrorState, Loading } from '../../components/States';
import { useErrorMessage } from '../../components/errors';
import { useEditForm } from '../../components/useEditForm';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';
import { checkTaxCode, normalizeTaxCode, taxCodeMismatches } from '../../lib/taxCode';
import { personName } from '../common/workflow';
import { MunicipalityPicker, taxCodeMessage } from '../referrals/PersonLookup';
import { DateField } from '../../components/DateField';
import { PersonConsentsSection } from '../privacy/Consents';
import { PersonRightsSection } from '../privacy/PersonRights';

type PersonPatch = components['schemas']['PersonPatch'];

export interface PersonForm extends Record<string, unknown> {
  tax_code: string;
  last_name: string;
  first_name: string;
  birth_date: string;
  gender: 'F' | 'M';
  birth_place_code: string;
  citizenship: string;
  residence_municipality_code: string;
  address: string;
  email: string;
  phone: string;
  employment_status: EmploymentStatus | '';
  education_level: EducationLevel | '';
  cluster: Cluster | '';
  target_groups: TargetGroup[];
  has_disability: boolean;
  disability_notes: string;
  criminal_justice: boolean;
  criminal_justice_notes: string;
}

export function personForm(p: Person): PersonForm {
  return {
    tax_code: p.tax_code, last_name: p.last_name, first_name: p.first_name, birth_date: p.birth_date, gender: p.gender,
    birth_place_code: p.birth_place?.belfiore ?? '', citizenship: p.citizenship ?? '',
    residence_municipality_code: p.residence?.istat_code ?? '', address: p.address ?? '',
    email: p.email ?? '', phone: p.phone ?? '',
    employment_status: p.employment_status ?? '', education_level: p.education_level ?? '', cluster: p.cluster ?? '',
    target_groups: p.target_groups,
    has_disability: p.sensitive?.has_disability ?? false, disability_notes: p.sensitive?.disability_notes ?? '',
    criminal_justice: p.sensitive?.criminal_justice ?? false, criminal_justice_notes: p.sensitive?.criminal_justice_notes ?? '',
  };
}

/**
 * Fields that may be emptied: `null` clears them (PersonPatch). The others are required — for
 * them, as for any field, an absent value or `null` would leave the stored value as it is.
 * An emptied birth place is derived from the codice fiscale again.
 */
const CLEARABLE = new Set([
  'birth_place_code', 'residence_municipality_code', 'citizenship', 'email', 'phone', 'address', 'education_level',
  'employment_status', 'cluster', 'disability_notes', 'criminal_justice_notes',
]);
const SENSITIVE = new Set(['has_disability', 'disability_notes', 'criminal_justice', 'criminal_justice_notes']);

/** The PATCH body: only what changed, normalised as the API expects; an emptied field is `null`. */
export function personPatch(changes: Partial<PersonForm>, base: PersonForm): PersonPatch {
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(changes)) {
    let v = raw;
    if (typeof v === 'string') v = k === 'tax_code' ? normalizeTaxCode(v) : k === 'birth_place_code' ? v.trim().toUpperCase() : v.trim();
    if (JSON.stringify(v) === JSON.stringify(base[k])) continue;
    out[k] = v === '' && CLEARABLE.has(k) ? null : v;
  }
  return out as PersonPatch;
}

/** The target groups a user may choose: the special-category ones only for those who see `sensitive`. */
export function targetGroupOptions(seesSensitive: boolean): readonly TargetGroup[] {
  return seesSensitive ? TARGET_GROUPS : TARGET_GROUPS.filter((g) => !SPECIAL_TARGET_GROUPS.includes(g));
}

/** A same-app path to go back to (never an open redirect). */
function safeReturn(from: string | null): string | null {
  return from && from.startsWith('/') && !from.startsWith('//') ? from : null;
}

export function PersonEditPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const me = useMe();
  const [params] = useSearchParams();
  const from = safeReturn(params.get('from'));
  const back = from ?? homeFor(me.role);
  const backLabel = from?.startsWith('/referrals/') ? t('referrals.detail') : from?.startsWith('/cases/') ? t('cases.case') : t('common.back');
  const q = useQuery({
    queryKey: queryKeys.detail('persons', id!),
    queryFn: () => readPerson(id!),
    // The form starts from what is read now: a cached copy could be an old version.
    staleTime: 0,
    gcTime: 0,
  });
  const p = q.data?.record;
  const name = p ? personName(p) : '';
  return (
    <Page title={t('personEdit.title')} subtitle={name ? <>{name} · <span className="font-monospace">{p?.tax_code}</span></> : undefined}
          crumbs={[{ label: backLabel, to: back }, { label: t('personEdit.title') }]}>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> :
        allows(q.data.record, 'edit') ? <PersonEditForm key={q.data.record.id} person={q.data} back={back} /> : (
          <>
            <BlockedNotice record={q.data.record} action="edit" label={t('personEdit.title')} />
            <Link to={back} className="btn btn-outline-secondary">{t('common.back')}</Link>
          </>
        )}
      {q.isSuccess && (
        <>
          <PersonConsentsSection personId={q.data.record.id} canWrite={allows(q.data.record, 'edit')} />
          {(me.role === 'coordinator' || me.role === 'privacy_officer') && <PersonRightsSection person={q.data.record} />}
        </>
      )}
    </Page>
  );
}

function readPerson(id: string): Promise<Versioned<Person>> {
  return unwrapVersioned(api.GET('/api/v1/persons/{id}', { params: { path: { id } } }));
}

function PersonEditForm({ person: read, back }: { person: Versioned<Person>; back: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const person = read.record;
  const edit = useEditForm<PersonForm>(personForm(person), read.etag);
  const [current, setCurrent] = useState<Person>(person);
  const errors = useFormErrors();
  const { dialog, bypass } = useUnsavedChanges(edit.dirty);
  const { form } = edit;
  const canSeeSensitive = !!current.sensitive;
  const set = <K extends keyof PersonForm>(k: K, v: PersonForm[K]) => {
    edit.set(k, v);
    errors.clearField(k as string);
  };

  const info = checkTaxCode(form.tax_code);
  const liveTaxCode = taxCodeMessage(info, form.tax_code, t);
  const mismatches = taxCodeMismatches(form.tax_code, {
    lastName: form.last_name, firstName: form.first_name, birthDate: form.birth_date, gender: form.gender,
  });
  const fieldError = (f: keyof PersonForm & string) =>
    errors.fields[f] ?? ((mismatches as string[]).includes(f) ? t('validation.tax_code_mismatch') : undefined);

  const save = useMutation({
    mutationFn: (body: PersonPatch) => unwrapVersioned(api.PATCH('/api/v1/persons/{id}', {
      params: { path: { id: person.id }, header: ifMatch(edit.version) }, body,
    })),
    onSuccess: async (saved) => {
      bypass();
      qc.setQueryData(queryKeys.detail('persons', person.id), saved);
      // The person shows (with the eligibility of every measure) in referrals, cases and agendas.
      await Promise.all((['persons', 'referrals', 'cases', 'meetings'] as const).map((r) =>
        qc.invalidateQueries({ queryKey: queryKeys.all(r) })));
      navigate(back, { state: { flash: 'personSaved' } });
    },
    onError: (e) => edit.saveFailed(e, errors),
  });
  const reload = useMutation({
    mutationFn: () => readPerson(person.id),
    onSuccess: (fresh) => {
      setCurrent(fresh.record);
      edit.rebase(personForm(fresh.record), fresh.etag);
    },
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!info.ok) missing.tax_code = liveTaxCode ?? t(info.problem === 'empty' ? 'validation.required' : `taxCode.${info.problem}`);
    for (const f of ['last_name', 'first_name', 'birth_date'] as const) if (!form[f].trim()) missing[f] = t('validation.required');
    for (const f of mismatches) missing[f] ??= t('validation.tax_code_mismatch');
    // Only the fields `null` clears may be emptied; the others are required.
    for (const [k, v] of Object.entries(edit.changes)) {
      if (typeof v === 'string' && !v.trim() && !CLEARABLE.has(k)) missing[k] ??= t('validation.required');
    }
    if (Object.keys(missing).length) {
      errors.setGeneral(null);
      errors.setFields(missing);
      return;
    }
    const body = personPatch(edit.changes, edit.base);
    if (!canSeeSensitive) {
      // Special-category data is neither shown to nor sent by those who do not see it (the API
      // refuses it with 403, and keeps the hidden target groups as they are).
      for (const k of SENSITIVE) delete (body as Record<string, unknown>)[k];
      if (body.target_groups) body.target_groups = body.target_groups.filter((g) => !SPECIAL_TARGET_GROUPS.includes(g));
    }
    if (Object.keys(body).length === 0) {
      bypass();
      navigate(back);
      return;
    }
    save.mutate(body);
  }

  const label = (f: string) => t(`personEdit.field.${f}`, { defaultValue: f });
  return (
    <form onSubmit={onSubmit} noValidate className="col-lg-9 px-0" aria-label={t('personEdit.title')}>
      {dialog}
      <StaleNotice stale={edit.stale} reloading={reload.isPending} onReload={() => reload.mutate()}
                   reloadError={reload.isError ? message(reload.error) : null}
                   conflicts={edit.rebased?.conflicts ?? null} fieldLabel={label} />
      <ErrorSummary errors={errors.fields} general={errors.general} />
      <p className="small">{t('personEdit.intro')}</p>

      <fieldset className="mb-4">
        <legend className="h4">{t('personEdit.identity')}</legend>
        <TextField id="tax_code" label={label('tax_code')} required value={form.tax_code} maxLength={20} autoComplete="off"
                   spellCheck={false} className="col-md-6 px-0" error={errors.fields.tax_code ?? liveTaxCode}
                   hint={info.ok ? t('taxCode.valid') : t('taxCode.hint')}
                   onChange={(e) => set('tax_code', e.target.value.toUpperCase())} />
        <div className="row">
          <div className="col-12 col-md-6">
            <TextField id="last_name" label={label('last_name')} required value={form.last_name} error={fieldError('last_name')}
                       autoComplete="off" onChange={(e) => set('last_name', e.target.value)} />
          </div>
          <div className="col-12 col-md-6">
            <TextField id="first_name" label={label('first_name')} required value={form.first_name} error={fieldError('first_name')}
                       autoComplete="off" onChange={(e) => set('first_name', e.target.value)} />
          </div>
          <div className="col-12 col-md-6">
            <DateField id="birth_date" label={label('birth_date')} required value={form.birth_date}
                       error={fieldError('birth_date')} onChange={(v) => set('birth_date', v)} />
          </div>
          <div className="col-12 col-md-6">
            <RadioGroup id="gender" legend={label('gender')} required value={form.gender} error={fieldError('gender')}
                        onChange={(v) => set('gender', v as 'F' | 'M')}
                        options={[{ value: 'F', label: t('person.genderF') }, { value: 'M', label: t('person.genderM') }]} />
          </div>
          <div className="col-12 col-md-6">
            <TextField id="birth_place_code" label={label('birth_place_code')} value={form.birth_place_code} maxLength={4}
                       autoComplete="off" spellCheck={false} error={errors.fields.birth_place_code}
                       hint={current.birth_place ? t('personEdit.birthPlaceHint', { place: `${current.birth_place.name}${current.birth_place.province ? ` (${current.birth_place.province})` : ''}` }) : t('personEdit.birthPlaceFromCode')}
                       onChange={(e) => set('birth_place_code', e.target.value.toUpperCase())} />
          </div>
          <div className="col-12 col-md-6">
            <TextField id="citizenship" label={label('citizenship')} value={form.citizenship} error={errors.fields.citizenship}
                       onChange={(e) => set('citizenship', e.target.value)} />
          </div>
        </div>
      </fieldset>

      <fieldset className="mb-4">
        <legend className="h4">{t('personEdit.residenceContacts')}</legend>
        <MunicipalityPicker value={form.residence_municipality_code} current={current.residence}
                            error={errors.fields.residence_municipality_code}
                            onChange={(v) => set('residence_municipality_code', v)} />
        <TextField id="address" label={label('address')} value={form.address} error={errors.fields.address} autoComplete="off"
                   onChange={(e) => set('address', e.target.value)} />
        <div className="row">
          <div className="col-12 col-md-6">
            <TextField id="email" type="email" label={label('email')} value={form.email} error={errors.fields.email} autoComplete="off"
                       onChange={(e) => set('email', e.target.value)} />
          </div>
          <div className="col-12 col-md-6">
            <TextField id="phone" type="tel" label={label('phone')} value={form.phone} error={errors.fields.phone} autoComplete="off"
                       onChange={(e) => set('phone', e.target.value)} />
          </div>
        </div>
      </fieldset>

      <fieldset className="mb-4">
        <legend className="h4">{t('personEdit.profile')}</legend>
        <div className="row">
          <div className="col-12 col-md-4">
            <SelectField id="employment_status" label={label('employment_status')} value={form.employment_status}
                         error={errors.fields.employment_status} placeholder={t('common.none')}
                         onChange={(e) => set('employment_status', e.target.value as EmploymentStatus)}
                         options={EMPLOYMENT_STATUSES.map((s) => ({ value: s, label: t(`employment.${s}`) }))} />
          </div>
          <div className="col-12 col-md-4">
            <SelectField id="education_level" label={label('education_level')} value={form.education_level}
                         error={errors.fields.education_level} placeholder={t('common.none')}
                         onChange={(e) => set('education_level', e.target.value as EducationLevel)}
                         options={EDUCATION_LEVELS.map((s) => ({ value: s, label: t(`education.${s}`) }))} />
          </div>
          <div className="col-12 col-md-4">
            <SelectField id="cluster" label={label('cluster')} value={form.cluster} error={errors.fields.cluster}
                         placeholder={t('common.none')} hint={t('personEdit.clusterHint')}
                         onChange={(e) => set('cluster', e.target.value as Cluster)}
                         options={CLUSTERS.map((c) => ({ value: c, label: t(`cluster.${c}`) }))} />
          </div>
        </div>
        <CheckboxGroup id="target_groups" legend={label('target_groups')} value={form.target_groups} error={errors.fields.target_groups}
                       onChange={(v) => set('target_groups', v as TargetGroup[])}
                       options={targetGroupOptions(canSeeSensitive).map((g) => ({ value: g, label: t(`targetGroup.${g}`) }))} />
      </fieldset>

      {canSeeSensitive ? (
        <fieldset className="mb-4 border rounded p-3" aria-describedby="sensitive-hint">
          <legend className="h4 float-none w-auto px-2">{t('personEdit.sensitive')}</legend>
          <p id="sensitive-hint" className="small">{t('personEdit.sensitiveHint')}</p>
          <div className="form-check mb-3">
            <input id="has_disability" type="checkbox" checked={form.has_disability}
                   onChange={(e) => set('has_disability', e.target.checked)} />
            <label htmlFor="has_disability">{label('has_disability')}</label>
          </div>
          <TextAreaField id="disability_notes" label={label('disability_notes')} value={form.disability_notes}
                         error={errors.fields.disability_notes} onChange={(e) => set('disability_notes', e.target.value)} />
          <div className="form-check mb-3">
            <input id="criminal_justice" type="checkbox" checked={form.criminal_justice}
                   onChange={(e) => set('criminal_justice', e.target.checked)} />
            <label htmlFor="criminal_justice">{label('criminal_justice')}</label>
          </div>
          <TextAreaField id="criminal_justice_notes" label={label('criminal_justice_notes')} value={form.criminal_justice_notes}
                         error={errors.fields.criminal_justice_notes} onChange={(e) => set('criminal_justice_notes', e.target.value)} />
        </fieldset>
      ) : (
        <p className="small text-secondary" data-testid="sensitive-hidden">{t('personEdit.sensitiveNotVisible')}</p>
      )}

      <div className="d-flex flex-wrap gap-2">
        <Button color="primary" type="submit" disabled={save.isPending}>{save.isPending ? t('common.saving') : t('common.save')}</Button>
        <Link to={back} className="btn btn-outline-secondary">{t('common.cancel')}</Link>
      </div>
    </form>
  );
}
