// Finds the person by codice fiscale (validated live, as typed) or creates them inline.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import { EDUCATION_LEVELS, EMPLOYMENT_STATUSES, type EducationLevel, type EmploymentStatus, type Person, type Place } from '../../api/types';
import { RadioGroup, SelectField, TextField } from '../../components/Form';
import { DataList } from '../../components/DataList';
import { ErrorState, Loading } from '../../components/States';
import { formatDate } from '../../lib/format';
import { birthDateFromTaxCode, checkTaxCode, normalizeTaxCode, taxCodeMismatches, type TaxCodeInfo } from '../../lib/taxCode';
import { DateField } from '../../components/DateField';

export interface NewPersonForm {
  last_name: string;
  first_name: string;
  birth_date: string;
  gender: 'F' | 'M' | '';
  residence_municipality_code: string;
  employment_status: EmploymentStatus | '';
  education_level: EducationLevel | '';
  email: string;
  phone: string;
}

export const EMPTY_PERSON: NewPersonForm = {
  last_name: '', first_name: '', birth_date: '', gender: '', residence_municipality_code: '', employment_status: '',
  education_level: '', email: '', phone: '',
};

/** Live message for a code being typed: nothing while incomplete, the problem once complete. */
export function taxCodeMessage(info: TaxCodeInfo, raw: string, t: (k: string, o?: Record<string, unknown>) => string): string | undefined {
  const code = normalizeTaxCode(raw);
  if (!code || info.ok) return undefined;
  const complete = /^\d+$/.test(code) ? code.length >= 11 : code.length >= 16;
  if (!complete && info.problem === 'length') return undefined;
  if (info.problem === 'checksum') return t('taxCode.checksum', { expected: info.expected });
  return t(`taxCode.${info.problem}`);
}

export function validatePerson(taxCode: string, p: NewPersonForm, t: (k: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!p.last_name.trim()) out.last_name = t('validation.required');
  if (!p.first_name.trim()) out.first_name = t('validation.required');
  if (!p.birth_date) out.birth_date = t('validation.required');
  if (!p.gender) out.gender = t('validation.required');
  for (const f of taxCodeMismatches(taxCode, { lastName: p.last_name, firstName: p.first_name, birthDate: p.birth_date, gender: p.gender })) {
    out[f] ??= t('validation.tax_code_mismatch');
  }
  return out;
}

export function usePersonByTaxCode(taxCode: string) {
  const info = checkTaxCode(taxCode);
  const code = normalizeTaxCode(taxCode);
  return useQuery({
    queryKey: queryKeys.list('persons', { tax_code: code }),
    queryFn: async () => {
      const page = await unwrap(api.GET('/api/v1/persons', { params: { query: { tax_code: code, limit: 1 } } }));
      return (page.items[0] as Person | undefined) ?? null;
    },
    enabled: info.ok,
    staleTime: 0,
  });
}

export function PersonCard({ person }: { person: Person }) {
  const { t } = useTranslation();
  return (
    <div className="card-wrapper card-space mb-4" data-testid="person-found">
      <div className="card card-bg border-start border-4 border-success">
        <div className="card-body">
          <h3 className="h5 card-title">{person.last_name} {person.first_name}</h3>
          {person.restricted && <p className="small mb-2" data-testid="person-restricted">{t('person.restrictedLookup')}</p>}
          <DataList items={[
            [t('person.taxCode'), <span className="font-monospace">{person.tax_code}</span>],
            [t('person.birthDate'), formatDate(person.birth_date)],
            [t('person.residence'), person.residence ? `${person.residence.name} (${person.residence.province ?? ''})` : '—'],
            [t('person.employmentStatus'), person.employment_status ? t(`employment.${person.employment_status}`) : '—'],
          ]} />
        </div>
      </div>
    </div>
  );
}

/** Residence: search by name, then pick; `current` keeps the person's municipality selectable. */
export function MunicipalityPicker({ value, onChange, error, current, ids, labels }: {
  value: string; onChange: (code: string) => void; error?: string; current?: Place | null;
  /** Another form's controls (default: the person's residence). */
  ids?: { search: string; select: string };
  labels?: { search: string; searchHint: string; select: string };
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const id = window.setTimeout(() => setDebounced(q.trim()), 250);
    return () => window.clearTimeout(id);
  }, [q]);
  const results = useQuery({
    queryKey: queryKeys.list('municipalities', { q: debounced }),
    queryFn: () => unwrap(api.GET('/api/v1/municipalities', { params: { query: { q: debounced, limit: 20 } } })),
    enabled: debounced.length >= 2,
    staleTime: 300_000,
  });
  const options = (results.data?.items ?? []).filter((m) => m.istat_code)
    .map((m) => ({ value: m.istat_code as string, label: `${m.name}${m.province ? ` (${m.province})` : ''}` }));
  if (current?.istat_code && !options.some((o) => o.value === current.istat_code)) {
    options.unshift({ value: current.istat_code, label: `${current.name}${current.province ? ` (${current.province})` : ''}` });
  }
  return (
    <div className="row">
      <div className="col-12 col-md-6">
        <TextField id={ids?.search ?? 'residence-search'} type="search" label={labels?.search ?? t('person.residenceSearch')} value={q}
                   hint={labels?.searchHint ?? t('person.residenceSearchHint')} onChange={(e) => setQ(e.target.value)} />
      </div>
      <div className="col-12 col-md-6">
        <SelectField id={ids?.select ?? 'residence_municipality_code'} label={labels?.select ?? t('person.residence')} value={value} error={error}
                     placeholder={debounced.length >= 2 ? (results.isFetching ? t('common.loading') : t('person.chooseMunicipality', { count: options.length })) : t('common.none')}
                     onChange={(e) => onChange(e.target.value)} options={options} />
      </div>
    </div>
  );
}

export function NewPersonFields({ taxCode, form, set, errors }: {
  taxCode: string;
  form: NewPersonForm;
  set: <K extends keyof NewPersonForm>(k: K, v: NewPersonForm[K]) => void;
  errors: Record<string, string>;
}) {
  const { t } = useTranslation();
  const mismatches = taxCodeMismatches(taxCode, { lastName: form.last_name, firstName: form.first_name, birthDate: form.birth_date, gender: form.gender });
  const live = (f: 'last_name' | 'first_name' | 'birth_date' | 'gender') =>
    errors[f] ?? (mismatches.includes(f) ? t('validation.tax_code_mismatch') : undefined);
  return (
    <fieldset className="border rounded p-3 mb-4" data-testid="new-person">
      <legend className="h5 float-none w-auto px-2">{t('person.newTitle')}</legend>
      <p className="small">{t('person.newIntro')}</p>
      <div className="row">
        <div className="col-12 col-md-6">
          <TextField id="last_name" label={t('person.lastName')} required value={form.last_name} error={live('last_name')}
                     autoComplete="off" onChange={(e) => set('last_name', e.target.value)} />
        </div>
        <div className="col-12 col-md-6">
          <TextField id="first_name" label={t('person.firstName')} required value={form.first_name} error={live('first_name')}
                     autoComplete="off" onChange={(e) => set('first_name', e.target.value)} />
        </div>
        <div className="col-12 col-md-6">
          <DateField id="birth_date" label={t('person.birthDate')} required value={form.birth_date} error={live('birth_date')}
                     onChange={(v) => set('birth_date', v)} />
        </div>
        <div className="col-12 col-md-6">
          <RadioGroup id="gender" legend={t('person.gender')} required value={form.gender} error={live('gender')}
                      onChange={(v) => set('gender', v as 'F' | 'M')}
                      options={[{ value: 'F', label: t('person.genderF') }, { value: 'M', label: t('person.genderM') }]} />
        </div>
      </div>
      <MunicipalityPicker value={form.residence_municipality_code} error={errors.residence_municipality_code}
                          onChange={(v) => set('residence_municipality_code', v)} />
      <div className="row">
        <div className="col-12 col-md-6">
          <SelectField id="employment_status" label={t('person.employmentStatus')} value={form.employment_status}
                       error={errors.employment_status} placeholder={t('common.none')}
                       onChange={(e) => set('employment_status', e.target.value as EmploymentStatus)}
                       options={EMPLOYMENT_STATUSES.map((s) => ({ value: s, label: t(`employment.${s}`) }))} />
        </div>
        <div className="col-12 col-md-6">
          <SelectField id="education_level" label={t('person.educationLevel')} value={form.education_level}
                       error={errors.education_level} placeholder={t('common.none')}
                       onChange={(e) => set('education_level', e.target.value as EducationLevel)}
                       options={EDUCATION_LEVELS.map((s) => ({ value: s, label: t(`education.${s}`) }))} />
        </div>
        <div className="col-12 col-md-6">
          <TextField id="email" type="email" label={t('admin.email')} value={form.email} error={errors.email}
                     autoComplete="off" onChange={(e) => set('email', e.target.value)} />
        </div>
        <div className="col-12 col-md-6">
          <TextField id="phone" type="tel" label={t('admin.phone')} value={form.phone} error={errors.phone}
                     autoComplete="off" onChange={(e) => set('phone', e.target.value)} />
        </div>
      </div>
    </fieldset>
  );
}

/** Prefill from the code: birth date and gender are in it. */
export function prefillFromTaxCode(taxCode: string, p: NewPersonForm): NewPersonForm {
  const info = checkTaxCode(taxCode);
  if (!info.ok || info.kind !== 'personal') return p;
  return { ...p, birth_date: p.birth_date || birthDateFromTaxCode(info) || '', gender: p.gender || info.gender || '' };
}

export function LookupStatus({ query }: { query: ReturnType<typeof usePersonByTaxCode> }) {
  const { t } = useTranslation();
  if (query.fetchStatus === 'idle' && query.isPending) return null;
  if (query.isPending) return <Loading label={t('person.searching')} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  return null;
}
