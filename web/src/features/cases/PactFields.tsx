// The fields of a service pact version — summary, employability profile, assessment, actions
// with their timing, meeting frequency, proof of job search —, shared by the take-charge form
// (the pact signed at the first meeting) and the revision form. `prefix` is where the API names
// them: `service_pact.` inside a take-charge, nothing in a revision.
import { useQuery } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ENUMS } from '../../api/enums.gen';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import { DateField, isIsoDate } from '../../components/DateField';
import { SelectField, TextAreaField, TextField } from '../../components/Form';

type PactInput = components['schemas']['ServicePactInput'];
type PactOut = components['schemas']['ServicePactOut'];
type ActionKind = components['schemas']['PactActionKind'];
type ProfileKind = components['schemas']['PactProfileKind'];
type ProfileValue = components['schemas']['PactProfileValue'];
type Frequency = components['schemas']['MeetingFrequency'];

interface ActionRow { id?: string | null; kind: ActionKind; description: string; due_date: string; timing: string }

interface FieldErrors {
  fields: Record<string, string | undefined>;
  clearField: (name: string) => void;
}

/** The form's state, from the version in force (a revision) or empty (a take-charge). */
export function usePactForm(from?: PactOut) {
  const [summary, setSummary] = useState(from?.summary ?? '');
  const [responsible, setResponsible] = useState(from?.responsible?.id ?? '');
  const [kind, setKind] = useState<ProfileKind | ''>(from?.profile_kind ?? '');
  const [value, setValue] = useState<ProfileValue | ''>(from?.profile_value ?? '');
  const [assessment, setAssessment] = useState(from?.assessment ?? '');
  const [frequency, setFrequency] = useState<Frequency | ''>(from?.meeting_frequency ?? '');
  const [proof, setProof] = useState(from?.job_search_proof ?? '');
  const [rows, setRows] = useState<ActionRow[]>((from?.actions ?? []).map((a) => ({
    id: a.id, kind: a.kind, description: a.description, due_date: a.due_date ?? '', timing: a.timing ?? '',
  })));
  return {
    summary, setSummary, responsible, setResponsible, kind, setKind, value, setValue, assessment, setAssessment,
    frequency, setFrequency, proof, setProof, rows, setRows,
    /** The body's pact fields (the signed copy is the revision form's own). */
    body(): Omit<PactInput, 'signed_document_id'> {
      return {
        summary: summary.trim(),
        responsible_user_id: responsible || null,
        profile_kind: kind || null,
        profile_value: value || null,
        assessment: assessment.trim() || null,
        meeting_frequency: frequency || null,
        job_search_proof: proof.trim() || null,
        actions: rows.map((r) => ({
          id: r.id ?? null, kind: r.kind, description: r.description.trim(),
          due_date: r.due_date || null, timing: r.timing.trim() || null,
        })),
      };
    },
  };
}

export type PactForm = ReturnType<typeof usePactForm>;

/** What the server would refuse and the browser can tell, keyed as the API names the fields. */
export function pactMissing(form: PactForm, prefix: string, required: string, invalidDate: string): Record<string, string> {
  const missing: Record<string, string> = {};
  if (form.summary.trim().length < 3) missing[`${prefix}summary`] = required;
  if (form.kind && !form.value) missing[`${prefix}profile_value`] = required;
  form.rows.forEach((r, i) => {
    if (r.description.trim().length < 3) missing[`${prefix}actions[${i}].description`] = required;
    if (r.due_date && !isIsoDate(r.due_date)) missing[`${prefix}actions[${i}].due_date`] = invalidDate;
  });
  return missing;
}

export function PactFields({ caseId, form, errors, prefix = '', summaryLabel }: {
  caseId: string;
  form: PactForm;
  errors: FieldErrors;
  prefix?: string;
  summaryLabel?: string;
}) {
  const { t } = useTranslation();
  // Who may be named responsible: the agency's active operators (the API's own list).
  const operators = useQuery({
    queryKey: queryKeys.sub('cases', caseId, 'pact-operators'),
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/service-pact/operators', { params: { path: { id: caseId } } })),
  });
  const f = (name: string) => errors.fields[`${prefix}${name}`];
  const values = (ENUMS.PactProfileValue as readonly ProfileValue[])
    .filter((v) => (form.kind === 'dul' ? v.startsWith('band_') : form.kind === 'gol' ? v.startsWith('pathway_') : false));
  const setRow = (i: number, patch: Partial<ActionRow>) => {
    form.setRows((rs) => rs.map((r, n) => (n === i ? { ...r, ...patch } : r)));
    for (const k of Object.keys(patch)) errors.clearField(`${prefix}actions[${i}].${k}`);
  };
  return (
    <>
      <TextAreaField id="pact-summary" label={summaryLabel ?? t('pact.summary')} required value={form.summary} error={f('summary')}
                     hint={t('pact.summaryHint')} onChange={(e) => { form.setSummary(e.target.value); errors.clearField(`${prefix}summary`); }} />
      {operators.data && operators.data.items.length > 0 && (
        <SelectField id="pact-responsible" label={t('pact.responsible')} value={form.responsible} error={f('responsible_user_id')}
                     placeholder={t('pact.responsibleDefault')}
                     options={operators.data.items.map((u) => ({ value: u.id, label: u.full_name }))}
                     onChange={(e) => { form.setResponsible(e.target.value); errors.clearField(`${prefix}responsible_user_id`); }} />
      )}
      <div className="row">
        <div className="col-12 col-md-6">
          <SelectField id="pact-profile-kind" label={t('pact.programme')} value={form.kind} error={f('profile_kind')}
                       placeholder={t('pact.noProfile')}
                       options={(ENUMS.PactProfileKind as readonly ProfileKind[]).map((k) => ({ value: k, label: t(`pact.programmes.${k}`) }))}
                       onChange={(e) => { form.setKind(e.target.value as ProfileKind | ''); form.setValue(''); errors.clearField(`${prefix}profile_kind`); }} />
        </div>
        <div className="col-12 col-md-6">
          <SelectField id="pact-profile-value" label={t('pact.profileLabel')} value={form.value} error={f('profile_value')}
                       placeholder={t('pact.choose')} disabled={!form.kind}
                       options={values.map((v) => ({ value: v, label: t(`pact.profile.${v}`) }))}
                       onChange={(e) => { form.setValue(e.target.value as ProfileValue | ''); errors.clearField(`${prefix}profile_value`); }} />
        </div>
      </div>
      <TextAreaField id="pact-assessment" label={t('pact.assessment')} value={form.assessment} error={f('assessment')}
                     onChange={(e) => form.setAssessment(e.target.value)} />
      <fieldset className="mb-4">
        <legend className="app-label fs-6 fw-semibold">{t('pact.actions')}</legend>
        {form.rows.map((r, i) => (
          <div key={i} className="border rounded p-3 mb-2" data-testid="pact-action-row">
            <div className="row">
              <div className="col-12 col-md-4">
                <SelectField id={`pact-action-${i}-kind`} label={t('pact.actionKindLabel')} value={r.kind}
                             options={(ENUMS.PactActionKind as readonly ActionKind[]).map((k) => ({ value: k, label: t(`pact.actionKind.${k}`) }))}
                             onChange={(e) => setRow(i, { kind: e.target.value as ActionKind })} />
              </div>
              <div className="col-12 col-md-8">
                <TextField id={`pact-action-${i}-description`} label={t('pact.actionDescription')} required value={r.description}
                           error={f(`actions[${i}].description`)} onChange={(e) => setRow(i, { description: e.target.value })} />
              </div>
              <div className="col-12 col-sm-6">
                <DateField id={`pact-action-${i}-due`} label={t('pact.actionDue')} value={r.due_date}
                           error={f(`actions[${i}].due_date`)} onChange={(v) => setRow(i, { due_date: v })} />
              </div>
              <div className="col-12 col-sm-6">
                <TextField id={`pact-action-${i}-timing`} label={t('pact.actionTiming')} value={r.timing}
                           error={f(`actions[${i}].timing`)} onChange={(e) => setRow(i, { timing: e.target.value })} />
              </div>
            </div>
            <Button color="danger" outline size="sm" type="button" onClick={() => form.setRows((rs) => rs.filter((_, n) => n !== i))}>
              {t('pact.removeAction')}<span className="visually-hidden"> {i + 1}</span>
            </Button>
          </div>
        ))}
        {f('actions') && <div className="invalid-feedback d-block" role="alert">{f('actions')}</div>}
        <Button color="primary" outline size="sm" type="button" disabled={form.rows.length >= 30} data-testid="pact-add-action"
                onClick={() => form.setRows((rs) => [...rs, { kind: 'job_search', description: '', due_date: '', timing: '' }])}>
          {t('pact.addAction')}
        </Button>
      </fieldset>
      <SelectField id="pact-frequency" label={t('pact.frequency')} value={form.frequency} error={f('meeting_frequency')}
                   placeholder={t('pact.toAgree')}
                   options={(ENUMS.MeetingFrequency as readonly Frequency[]).map((v) => ({ value: v, label: t(`pact.frequencies.${v}`) }))}
                   onChange={(e) => form.setFrequency(e.target.value as Frequency | '')} />
      <TextAreaField id="pact-proof" label={t('pact.proof')} value={form.proof} error={f('job_search_proof')}
                     hint={t('pact.proofHint')} onChange={(e) => form.setProof(e.target.value)} />
    </>
  );
}
