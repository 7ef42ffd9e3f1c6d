// "Piano": the district's integrated local plans (Piano Locale Integrato) with their period,
// state, total budget and how complete their open actions are; the Ufficio di Piano starts a
// new one (title and period: the seed's four axes come with it).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import { useMe } from '../../auth/AuthContext';
import { PLAN_MANAGERS } from '../../auth/roles';
import { DateField, isIsoDate } from '../../components/DateField';
import { ErrorSummary, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { ListPage } from '../../components/ListView';
import { StatusBadge } from '../../components/StatusBadge';
import { useFormErrors } from '../../components/useFormErrors';
import { formatCents, formatDate } from '../../lib/format';
import { all } from '../common/workflow';
import { showProblem } from '../networks/formErrors';

export type Plan = components['schemas']['PlanOut'];
export type PlanAction = components['schemas']['PlanActionOut'];


export function fetchAllPlans(): Promise<Plan[]> {
  return all<Plan>((after) => unwrap(api.GET('/api/v1/plans', { params: { query: { limit: 200, after } } })));
}

export function CompletenessBadge({ complete }: { complete: boolean }) {
  const { t } = useTranslation();
  return (
    <span className={`badge badge-status ${complete ? 'bg-success' : 'bg-warning text-dark'}`} data-complete={complete}>
      {complete ? t('plans.complete') : t('plans.incomplete')}
    </span>
  );
}

export function PlansPage() {
  const { t } = useTranslation();
  const manages = PLAN_MANAGERS.includes(useMe().role);
  const [creating, setCreating] = useState(false);
  return (
    <ListPage<Plan>
      title={t('plans.title')} subtitle={t('plans.subtitle')}
      actions={manages && <Button color="primary" onClick={() => setCreating(true)}>{t('plans.new')}</Button>}
      resource="plans" fetchAll={fetchAllPlans}
      caption={t('plans.title')} rowKey={(p) => p.id} empty={t('plans.empty')}
      columns={[
        { header: t('plans.titleLabel'), rowHeader: true, cell: (p) => <Link to={`/plans/${p.id}`}>{p.title}</Link> },
        { header: t('plans.period'), cell: (p) => `${formatDate(p.period_start)} – ${formatDate(p.period_end)}` },
        { header: t('plans.budgetTotal'), cell: (p) => formatCents(p.budget_total_cents) },
        {
          header: t('plans.completeness'),
          cell: (p) => <><CompletenessBadge complete={p.completeness.complete} />{' '}
            <span className="small">{t('plans.actionsComplete', { done: p.completeness.actions_complete, count: p.completeness.actions_open })}</span></>,
        },
        { header: t('referrals.status'), cell: (p) => <StatusBadge kind="plan" status={p.status} /> },
      ]}>
      {creating && <NewPlanDialog onClose={() => setCreating(false)} />}
    </ListPage>
  );
}

function NewPlanDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const errors = useFormErrors();
  const [title, setTitle] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/plans', { body: { title: title.trim(), period_start: start, period_end: end } })),
    onSuccess: async (plan) => {
      await qc.invalidateQueries({ queryKey: queryKeys.all('plans') });
      onClose();
      navigate(`/plans/${plan.id}`, { state: { flash: 'planCreated' } });
    },
    onError: (e) => showProblem(t, errors, e, (f) => (f === 'title' ? 'plan-title' : f === 'period_start' ? 'plan-start' : f === 'period_end' ? 'plan-end' : null)),
  });
  return (
    <FormDialog isOpen title={t('plans.new')} submitLabel={t('plans.create')} pending={m.isPending} general={errors.general}
                onCancel={onClose} onSubmit={() => {
                  const missing: Record<string, string> = {};
                  if (title.trim().length < 2) missing['plan-title'] = title.trim() ? t('validation.too_short') : t('validation.required');
                  if (!isIsoDate(start)) missing['plan-start'] = start ? t('validation.invalid_date') : t('validation.required');
                  if (!isIsoDate(end)) missing['plan-end'] = end ? t('validation.invalid_date') : t('validation.required');
                  if (Object.keys(missing).length) { errors.setGeneral(null); errors.setFields(missing); return; }
                  m.mutate();
                }}>
      <ErrorSummary errors={errors.fields} />
      <TextField id="plan-title" label={t('plans.titleLabel')} required value={title} maxLength={200} error={errors.fields['plan-title']}
                 hint={t('plans.titleHint')}
                 onChange={(e) => { setTitle(e.target.value); errors.clearField('plan-title'); }} />
      <DateField id="plan-start" label={t('plans.periodStart')} required value={start} error={errors.fields['plan-start']}
                 onChange={(v) => { setStart(v); errors.clearField('plan-start'); }} />
      <DateField id="plan-end" label={t('plans.periodEnd')} required value={end} error={errors.fields['plan-end']}
                 onChange={(v) => { setEnd(v); errors.clearField('plan-end'); }} />
    </FormDialog>
  );
}
