// A new project, recorded as an idea: title and funder (required), the call, the funding source,
// the amount requested and the co-financing in euros, and its deadlines. Missing or wrong fields
// are said at the field before anything is sent; the API's refusals too.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ENUMS } from '../../api/enums.gen';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import { DateField, isIsoDate } from '../../components/DateField';
import { CheckboxGroup, ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';
import { parseEuroToCents } from '../../lib/format';
import { all } from '../common/workflow';
import { showProblem } from '../networks/formErrors';
import { fetchAllPlans, type PlanAction } from '../plans/PlansPage';

type FundingSource = components['schemas']['FundingSource'];

/** The open actions of the plans not closed: what a new project may fund. */
async function fetchFundableActions(): Promise<{ plan: string; action: PlanAction }[]> {
  const plans = (await fetchAllPlans()).filter((p) => p.status !== 'closed');
  const lists = await Promise.all(plans.map(async (p) => {
    const actions = await all<PlanAction>((after) => unwrap(api.GET('/api/v1/plans/{id}/actions', { params: { path: { id: p.id }, query: { limit: 200, after } } })));
    return actions.filter((a) => a.status === 'planned' || a.status === 'running').map((action) => ({ plan: p.title, action }));
  }));
  return lists.flat();
}

const EMPTY = {
  title: '', funder: '', call_title: '', funding_source: '', requested: '', cofinanced: '', description: '',
  submission_deadline: '', start_date: '', end_date: '', reporting_deadline: '',
};
type Form = typeof EMPTY;
const DATES = ['submission_deadline', 'start_date', 'end_date', 'reporting_deadline'] as const;

/** The API's field → the form's control. */
const FIELD: Record<string, string> = {
  title: 'title', funder: 'funder', call_title: 'call_title', funding_source: 'funding_source', requested_cents: 'requested',
  cofinanced_cents: 'cofinanced', description: 'description', plan_action_ids: 'plan_action_ids', submission_deadline: 'submission_deadline', start_date: 'start_date',
  end_date: 'end_date', reporting_deadline: 'reporting_deadline',
};

export function ProjectFormPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const errors = useFormErrors();
  const [f, setF] = useState<Form>(EMPTY);
  const [actionIds, setActionIds] = useState<string[]>([]);
  const fundable = useQuery({ queryKey: [...queryKeys.everything('plans'), 'fundable-actions'], queryFn: fetchFundableActions });
  const dirty = JSON.stringify(f) !== JSON.stringify(EMPTY) || actionIds.length > 0;
  const { dialog, bypass } = useUnsavedChanges(dirty);
  const set = (k: keyof Form, v: string) => { setF((x) => ({ ...x, [k]: v })); errors.clearField(`project-${k}`); };
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/projects', {
      body: {
        title: f.title.trim(), funder: f.funder.trim(), call_title: f.call_title.trim() || null, description: f.description.trim() || null,
        funding_source: (f.funding_source || null) as FundingSource | null,
        requested_cents: f.requested.trim() ? parseEuroToCents(f.requested) : null,
        cofinanced_cents: f.cofinanced.trim() ? parseEuroToCents(f.cofinanced) : null,
        submission_deadline: f.submission_deadline || null, start_date: f.start_date || null, end_date: f.end_date || null,
        reporting_deadline: f.reporting_deadline || null,
        ...(actionIds.length ? { plan_action_ids: actionIds } : {}),
      },
    })),
    onSuccess: async (p) => {
      await qc.invalidateQueries({ queryKey: queryKeys.all('projects') });
      bypass();
      navigate(`/projects/${p.id}`, { state: { flash: 'projectCreated' } });
    },
    onError: (e) => showProblem(t, errors, e, (field) => (FIELD[field] ? `project-${FIELD[field]}` : null)),
  });
  function submit() {
    const bad: Record<string, string> = {};
    for (const k of ['title', 'funder'] as const) {
      if (f[k].trim().length < 2) bad[`project-${k}`] = f[k].trim() ? t('validation.too_short') : t('validation.required');
    }
    for (const k of ['requested', 'cofinanced'] as const) {
      if (f[k].trim() && parseEuroToCents(f[k]) === null) bad[`project-${k}`] = t('plans.invalidAmount');
    }
    for (const k of DATES) if (f[k] && !isIsoDate(f[k])) bad[`project-${k}`] = t('validation.invalid_date');
    if (Object.keys(bad).length) { errors.setGeneral(null); errors.setFields(bad); return; }
    m.mutate();
  }
  const text = (k: keyof Form, label: string, extra: { required?: boolean; maxLength?: number; inputMode?: 'decimal'; hint?: string } = {}) => (
    <TextField id={`project-${k}`} label={label} value={f[k]} error={errors.fields[`project-${k}`]} {...extra}
               onChange={(e) => set(k, e.target.value)} />
  );
  return (
    <Page title={t('projects.new')} crumbs={[{ to: '/projects', label: t('projects.title') }, { label: t('projects.new') }]}>
      <form noValidate onSubmit={(e) => { e.preventDefault(); submit(); }} style={{ maxWidth: 760 }}>
        <ErrorSummary errors={errors.fields} general={errors.general} />
        {text('title', t('projects.titleLabel'), { required: true, maxLength: 200 })}
        {text('funder', t('projects.funder'), { required: true, maxLength: 200, hint: t('projects.funderHint') })}
        {text('call_title', t('projects.call'), { maxLength: 300 })}
        <SelectField id="project-funding_source" label={t('projects.fundingSource')} value={f.funding_source} placeholder={t('plans.cell.none')}
                     error={errors.fields['project-funding_source']}
                     options={(ENUMS.FundingSource as readonly FundingSource[]).map((v) => ({ value: v, label: t(`plans.fundingSource.${v}`) }))}
                     onChange={(e) => set('funding_source', e.target.value)} />
        <div className="row">
          <div className="col-12 col-sm-6">{text('requested', t('projects.requestedEuro'), { inputMode: 'decimal' })}</div>
          <div className="col-12 col-sm-6">{text('cofinanced', t('projects.cofinancedEuro'), { inputMode: 'decimal' })}</div>
        </div>
        <div className="row">
          {DATES.map((k) => (
            <div className="col-12 col-sm-6" key={k}>
              <DateField id={`project-${k}`} label={t(`projects.${k === 'submission_deadline' ? 'submissionDeadline' : k === 'start_date' ? 'startDate'
                : k === 'end_date' ? 'endDate' : 'reportingDeadline'}`)} value={f[k]} error={errors.fields[`project-${k}`]}
                         onChange={(v) => set(k, v)} />
            </div>
          ))}
        </div>
        {fundable.data && fundable.data.length > 0 && (
          <CheckboxGroup id="project-plan_action_ids" legend={t('projects.planActionsPick')} value={actionIds}
                         error={errors.fields['project-plan_action_ids']}
                         options={fundable.data.map(({ plan, action }) => ({ value: action.id, label: action.title, hint: plan }))}
                         onChange={(v) => { setActionIds(v); errors.clearField('project-plan_action_ids'); }} />
        )}
        <TextAreaField id="project-description" label={t('projects.description')} value={f.description} maxLength={4000}
                       error={errors.fields['project-description']} onChange={(e) => set('description', e.target.value)} />
        <div className="d-flex gap-2">
          <Button color="primary" type="submit" disabled={m.isPending}>{m.isPending ? t('common.saving') : t('projects.create')}</Button>
          <Link to="/projects" className="btn btn-outline-secondary">{t('common.cancel')}</Link>
        </div>
      </form>
      {dialog}
    </Page>
  );
}
