// What decides which measures fit a person, in the referral form itself (new and existing
// person): cluster, target groups, citizenship and — for those who may see them — disability and
// criminal justice; beside them, the district's active measures as the person would fit them
// today (POST /eligibility-preview: nothing is stored until the referral is saved).
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import {
  CLUSTERS, SPECIAL_TARGET_GROUPS, TARGET_GROUPS, type Cluster, type EmploymentStatus, type Person, type TargetGroup,
} from '../../api/types';
import { CheckboxGroup, SelectField, TextField } from '../../components/Form';

export interface EligibilityForm {
  citizenship: string;
  cluster: Cluster | '';
  target_groups: TargetGroup[];
  has_disability: boolean;
  criminal_justice: boolean;
}

export const EMPTY_ELIGIBILITY: EligibilityForm = {
  citizenship: '', cluster: '', target_groups: [], has_disability: false, criminal_justice: false,
};

/** The form's values for a person on record (special categories only when the caller sees them). */
export function eligibilityOf(p: Person): EligibilityForm {
  return {
    citizenship: p.citizenship ?? '', cluster: p.cluster ?? '', target_groups: [...p.target_groups],
    has_disability: p.sensitive?.has_disability ?? false, criminal_justice: p.sensitive?.criminal_justice ?? false,
  };
}

/** What changed against the person on record, as a merge patch (empty: nothing to send). */
export function eligibilityPatch(p: Person, f: EligibilityForm, seesSensitive: boolean): Record<string, unknown> {
  const was = eligibilityOf(p);
  const out: Record<string, unknown> = {};
  if (f.citizenship.trim() !== was.citizenship) out.citizenship = f.citizenship.trim() || null;
  if (f.cluster !== was.cluster) out.cluster = f.cluster || null;
  const visible = (gs: TargetGroup[]) => [...gs].filter((g) => seesSensitive || !SPECIAL_TARGET_GROUPS.includes(g)).sort();
  if (JSON.stringify(visible(f.target_groups)) !== JSON.stringify(visible(was.target_groups))) out.target_groups = visible(f.target_groups);
  if (seesSensitive && f.has_disability !== was.has_disability) out.has_disability = f.has_disability;
  if (seesSensitive && f.criminal_justice !== was.criminal_justice) out.criminal_justice = f.criminal_justice;
  return out;
}

export function EligibilityFields({ form, set, errors, seesSensitive }: {
  form: EligibilityForm;
  set: <K extends keyof EligibilityForm>(k: K, v: EligibilityForm[K]) => void;
  errors: Record<string, string>;
  seesSensitive: boolean;
}) {
  const { t } = useTranslation();
  // Disability and criminal justice are the two flags below, shown only to those who may see them.
  const groups = TARGET_GROUPS.filter((g) => !SPECIAL_TARGET_GROUPS.includes(g));
  return (
    <fieldset className="border rounded p-3 mb-4" data-testid="eligibility-fields" aria-describedby="eligibility-intro">
      <legend className="h5 float-none w-auto px-2">{t('eligibilityForm.title')}</legend>
      <p id="eligibility-intro" className="small">{t('eligibilityForm.intro')}</p>
      <div className="row">
        <div className="col-12 col-md-6">
          <SelectField id="cluster" label={t('personEdit.field.cluster')} value={form.cluster} error={errors.cluster}
                       placeholder={t('common.none')} hint={t('personEdit.clusterHint')}
                       onChange={(e) => set('cluster', e.target.value as Cluster)}
                       options={CLUSTERS.map((c) => ({ value: c, label: t(`cluster.${c}`) }))} />
        </div>
        <div className="col-12 col-md-6">
          <TextField id="citizenship" label={t('personEdit.field.citizenship')} value={form.citizenship}
                     error={errors.citizenship} maxLength={100} onChange={(e) => set('citizenship', e.target.value)} />
        </div>
      </div>
      <CheckboxGroup id="target_groups" legend={t('personEdit.field.target_groups')} value={form.target_groups}
                     error={errors.target_groups} onChange={(v) => set('target_groups', v as TargetGroup[])}
                     options={groups.map((g) => ({ value: g, label: t(`targetGroup.${g}`) }))} />
      {seesSensitive && (
        <div className="mt-2" data-testid="eligibility-sensitive">
          <p className="small mb-2">{t('eligibilityForm.sensitiveHint')}</p>
          <div className="form-check">
            <input id="has_disability" type="checkbox" checked={form.has_disability}
                   onChange={(e) => set('has_disability', e.target.checked)} />
            <label htmlFor="has_disability">{t('personEdit.field.has_disability')}</label>
          </div>
          <div className="form-check">
            <input id="criminal_justice" type="checkbox" checked={form.criminal_justice}
                   onChange={(e) => set('criminal_justice', e.target.checked)} />
            <label htmlFor="criminal_justice">{t('personEdit.field.criminal_justice')}</label>
          </div>
        </div>
      )}
    </fieldset>
  );
}

export interface EligibilityDraft {
  birth_date: string;
  employment_status: EmploymentStatus | '' | null;
  residence_municipality_code: string | null;
  form: EligibilityForm;
}

/** The district's active measures as this person would fit them, refreshed as the form changes. */
export function EligibilityPreview({ draft }: { draft: EligibilityDraft | null }) {
  const { t } = useTranslation();
  const body = draft && /^\d{4}-\d{2}-\d{2}$/.test(draft.birth_date) ? {
    birth_date: draft.birth_date,
    employment_status: draft.employment_status || null,
    residence_municipality_code: draft.residence_municipality_code || null,
    cluster: draft.form.cluster || null,
    target_groups: draft.form.target_groups,
    has_disability: draft.form.has_disability,
    criminal_justice: draft.form.criminal_justice,
  } : null;
  // Asked once the typing pauses, not at every key.
  const [asked, setAsked] = useState(body);
  const key = JSON.stringify(body);
  useEffect(() => {
    const id = window.setTimeout(() => setAsked(body), 300);
    return () => window.clearTimeout(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const preview = useQuery({
    queryKey: ['eligibility-preview', asked],
    queryFn: () => unwrap(api.POST('/api/v1/eligibility-preview', { body: asked! })),
    enabled: asked !== null,
    staleTime: 30_000,
  });
  return (
    <section aria-labelledby="eligibility-preview" className="mb-4" data-testid="eligibility-preview">
      <h3 id="eligibility-preview" className="h5">{t('eligibilityForm.previewTitle')}</h3>
      <div aria-live="polite">
        {!body ? <p className="small text-secondary">{t('eligibilityForm.previewNeedsBirthDate')}</p>
          : preview.isPending ? <p className="small">{t('common.loading')}</p>
          : preview.isError ? <p className="small text-danger">{t('eligibilityForm.previewFailed')}</p>
          : preview.data.items.length === 0 ? <p className="small">{t('eligibilityForm.noMeasures')}</p> : (
            <ul className="list-unstyled mb-0">
              {preview.data.items.map((m) => (
                <li key={m.measure_id} className="mb-2" data-testid="eligibility-measure" data-eligible={m.eligible}>
                  <span className={`badge ${m.eligible ? 'bg-success' : 'bg-secondary'} me-2`}>
                    {m.eligible ? t('eligibilityForm.eligible') : t('eligibilityForm.notEligible')}
                  </span>
                  <span className="fw-semibold">{m.name}</span> <span className="small text-secondary">({m.code})</span>
                  {!m.eligible && (
                    <ul className="small mb-0">
                      {m.reasons.filter((r) => !r.met).map((r) => <li key={r.rule}>{r.message}</li>)}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          )}
      </div>
    </section>
  );
}
