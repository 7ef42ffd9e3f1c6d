// A project's data changed (title, funder, call, source, CUP, amounts in euro, deadlines, the text
// for operators the opportunity board shows): the
// project is read again for its version (`ETag`), only the changed fields are sent with
// `If-Match` (an emptied one as `null`), and a 412 keeps what was typed.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrapVersioned } from '../../api/client';
import { ENUMS } from '../../api/enums.gen';
import { ifMatch, type Versioned } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import { DateField, isIsoDate } from '../../components/DateField';
import { EditDialogLoader } from '../../components/EditDialogLoader';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { StaleNotice } from '../../components/StaleNotice';
import { useEditForm } from '../../components/useEditForm';
import { useFormErrors } from '../../components/useFormErrors';
import { parseEuroToCents } from '../../lib/format';
import { showProblem } from '../networks/formErrors';
import { centsToInput } from '../plans/ActionCell';
import type { Project } from './ProjectsPage';

type Patch = components['schemas']['ProjectPatch'];
type FundingSource = components['schemas']['FundingSource'];

interface Form {
  title: string; funder: string; call_title: string; funding_source: string; cup: string; requested: string; cofinanced: string;
  submission_deadline: string; start_date: string; end_date: string; reporting_deadline: string; for_operators: string;
}
const DATES = ['submission_deadline', 'start_date', 'end_date', 'reporting_deadline'] as const;
const DATE_LABEL: Record<(typeof DATES)[number], string> = {
  submission_deadline: 'projects.submissionDeadline', start_date: 'projects.startDate', end_date: 'projects.endDate',
  reporting_deadline: 'projects.reportingDeadline',
};
const API_FIELD: Record<string, keyof Form> = {
  title: 'title', funder: 'funder', call_title: 'call_title', funding_source: 'funding_source', cup: 'cup', requested_cents: 'requested',
  cofinanced_cents: 'cofinanced', submission_deadline: 'submission_deadline', start_date: 'start_date', end_date: 'end_date',
  reporting_deadline: 'reporting_deadline', for_operators: 'for_operators',
};
const id = (k: keyof Form) => `edit-project-${k}`;

function readProject(projectId: string): Promise<Versioned<Project>> {
  return unwrapVersioned(api.GET('/api/v1/projects/{id}', { params: { path: { id: projectId } } }));
}

const fromProject = (p: Project): Form => ({
  title: p.title, funder: p.funder, call_title: p.call_title ?? '', funding_source: p.funding_source ?? '', cup: p.cup ?? '',
  requested: centsToInput(p.requested_cents), cofinanced: centsToInput(p.cofinanced_cents),
  submission_deadline: p.submission_deadline ?? '', start_date: p.start_date ?? '', end_date: p.end_date ?? '', reporting_deadline: p.reporting_deadline ?? '',
  for_operators: p.for_operators ?? '',
});

export function ProjectEditDialog({ projectId, onClose }: { projectId: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <EditDialogLoader queryKey={[...queryKeys.detail('projects', projectId), 'versioned']} read={() => readProject(projectId)}
                      title={t('projects.edit')} onClose={onClose}>
      {(read) => <ProjectForm read={read} onClose={onClose} />}
    </EditDialogLoader>
  );
}

function ProjectForm({ read, onClose }: { read: Versioned<Project>; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const edit = useEditForm<Form>(fromProject(read.record), read.etag);
  const errors = useFormErrors();
  const [reloading, setReloading] = useState(false);
  const f = edit.form;
  const set = <K extends keyof Form>(k: K, v: Form[K]) => { edit.set(k, v); errors.clearField(id(k)); };
  const m = useMutation({
    mutationFn: (body: Patch) => unwrapVersioned(api.PATCH('/api/v1/projects/{id}', {
      params: { path: { id: read.record.id }, header: ifMatch(edit.version) }, body,
    })),
    onSuccess: async () => { await qc.invalidateQueries({ queryKey: queryKeys.all('projects') }); onClose(); },
    onError: (e) => edit.saveFailed(e, {
      clear: errors.clear,
      fromError: (err) => { showProblem(t, errors, err, (field) => (API_FIELD[field] ? id(API_FIELD[field]) : null)); return true; },
    }),
  });
  const labels: Record<keyof Form, string> = {
    title: t('projects.titleLabel'), funder: t('projects.funder'), call_title: t('projects.call'), funding_source: t('projects.fundingSource'),
    cup: t('projects.cup'), requested: t('projects.requestedEuro'), cofinanced: t('projects.cofinancedEuro'),
    submission_deadline: t(DATE_LABEL.submission_deadline), start_date: t(DATE_LABEL.start_date), end_date: t(DATE_LABEL.end_date),
    reporting_deadline: t(DATE_LABEL.reporting_deadline), for_operators: t('catalogue.forOperators'),
  };
  function submit() {
    const bad: Record<string, string> = {};
    for (const k of ['title', 'funder'] as const) {
      if (f[k].trim().length < 2) bad[id(k)] = f[k].trim() ? t('validation.too_short') : t('validation.required');
    }
    for (const k of ['requested', 'cofinanced'] as const) if (f[k].trim() && parseEuroToCents(f[k]) === null) bad[id(k)] = t('plans.invalidAmount');
    for (const k of DATES) if (f[k] && !isIsoDate(f[k])) bad[id(k)] = t('validation.invalid_date');
    if (Object.keys(bad).length) { errors.setGeneral(null); errors.setFields(bad); return; }
    const c = edit.changes;
    const body: Patch = {};
    if ('title' in c) body.title = f.title.trim();
    if ('funder' in c) body.funder = f.funder.trim();
    if ('call_title' in c) body.call_title = f.call_title.trim() || null;
    if ('funding_source' in c) body.funding_source = (f.funding_source || null) as FundingSource | null;
    if ('cup' in c) body.cup = f.cup.trim() || null;
    if ('requested' in c) body.requested_cents = f.requested.trim() ? parseEuroToCents(f.requested) : null;
    if ('cofinanced' in c) body.cofinanced_cents = f.cofinanced.trim() ? parseEuroToCents(f.cofinanced) : null;
    for (const k of DATES) if (k in c) body[k] = f[k] || null;
    if ('for_operators' in c) body.for_operators = f.for_operators.trim() || null;
    if (Object.keys(body).length === 0) { onClose(); return; }
    m.mutate(body);
  }
  const text = (k: keyof Form, extra: { required?: boolean; maxLength?: number; inputMode?: 'decimal' } = {}) => (
    <TextField id={id(k)} label={labels[k]} value={f[k]} error={errors.fields[id(k)]} {...extra} onChange={(e) => set(k, e.target.value)} />
  );
  return (
    <FormDialog isOpen size="lg" title={t('projects.edit')} submitLabel={t('common.save')} pending={m.isPending} general={errors.general}
                onCancel={onClose} onSubmit={submit}>
      <StaleNotice stale={edit.stale} reloading={reloading} onReload={() => {
        setReloading(true);
        readProject(read.record.id).then((r) => edit.rebase(fromProject(r.record), r.etag)).catch((e) => errors.fromError(e)).finally(() => setReloading(false));
      }} conflicts={edit.rebased ? edit.rebased.conflicts : null} fieldLabel={(k) => labels[k as keyof Form] ?? k} />
      <ErrorSummary errors={errors.fields} />
      {text('title', { required: true, maxLength: 200 })}
      {text('funder', { required: true, maxLength: 200 })}
      {text('call_title', { maxLength: 300 })}
      <SelectField id={id('funding_source')} label={labels.funding_source} value={f.funding_source} placeholder={t('plans.cell.none')}
                   error={errors.fields[id('funding_source')]}
                   options={(ENUMS.FundingSource as readonly FundingSource[]).map((v) => ({ value: v, label: t(`plans.fundingSource.${v}`) }))}
                   onChange={(e) => set('funding_source', e.target.value)} />
      {text('cup', { maxLength: 40 })}
      <div className="row">
        <div className="col-12 col-sm-6">{text('requested', { inputMode: 'decimal' })}</div>
        <div className="col-12 col-sm-6">{text('cofinanced', { inputMode: 'decimal' })}</div>
        {DATES.map((k) => (
          <div className="col-12 col-sm-6" key={k}>
            <DateField id={id(k)} label={labels[k]} value={f[k]} error={errors.fields[id(k)]} onChange={(v) => set(k, v)} />
          </div>
        ))}
      </div>
      <TextAreaField id={id('for_operators')} label={labels.for_operators} hint={t('catalogue.forOperatorsHint')}
                     value={f.for_operators} maxLength={2000} error={errors.fields[id('for_operators')]}
                     onChange={(e) => set('for_operators', e.target.value)} />
    </FormDialog>
  );
}
