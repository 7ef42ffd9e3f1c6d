// One funded project: its call, funder, amounts, CUP, dates and what falls due; the moves the
// API allows — submit, grant (date, amount, CUP), reject (date, why), start, report, close —;
// the plan actions it funds, the catalogue measures it made, and its budget execution (spent
// and reserved against grant plus co-financing, and by month) as charts with their tables.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { isApiError } from '../../api/problem';
import { queryKeys } from '../../api/queryKeys';
import { ActionBar } from '../../components/Actions';
import { DataList } from '../../components/DataList';
import { DateField, isIsoDate } from '../../components/DateField';
import { ErrorSummary, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { useFormErrors } from '../../components/useFormErrors';
import { formatCents, formatDate, parseEuroToCents, todayISO } from '../../lib/format';
import { showProblem } from '../networks/formErrors';
import { BudgetChart, MonthlyChart } from '../plans/Charts';
import { FiguresList, LateBadge } from '../plans/Monitoring';
import { ReasonDialog } from '../plans/PlanPage';
import { ProjectEditDialog } from './ProjectEditDialog';
import { DueList, type Project } from './ProjectsPage';

type Move = 'start' | 'report' | 'close';

function useProjectInvalidate() {
  const qc = useQueryClient();
  return async () => {
    await qc.invalidateQueries({ queryKey: queryKeys.all('projects') });
    await qc.invalidateQueries({ queryKey: queryKeys.all('plans') });
  };
}

export function ProjectPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<'edit' | 'grant' | 'reject' | Move | null>(null);
  const invalidate = useProjectInvalidate();
  const project = useQuery({
    queryKey: queryKeys.detail('projects', id),
    queryFn: () => unwrap(api.GET('/api/v1/projects/{id}', { params: { path: { id } } })),
  });
  const submit = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/projects/{id}/submit', { params: { path: { id } }, body: {} })),
    onSuccess: invalidate,
  });
  if (project.isPending) return <Page title={t('projects.title')}><Loading /></Page>;
  if (project.isError) return <Page title={t('projects.title')}><ErrorState error={project.error} onRetry={() => void project.refetch()} /></Page>;
  const p = project.data;
  const refused = submit.error && isApiError(submit.error) ? submit.error : null;
  const moveTo = (to: Move) => (reason: string | null) => {
    const body = reason ? { reason } : {};
    const params = { path: { id } };
    return unwrap(to === 'start' ? api.POST('/api/v1/projects/{id}/start', { params, body })
      : to === 'report' ? api.POST('/api/v1/projects/{id}/report', { params, body })
        : api.POST('/api/v1/projects/{id}/close', { params, body }));
  };
  return (
    <Page title={p.title} subtitle={p.funder} crumbs={[{ to: '/projects', label: t('projects.title') }]}>
      <div className="d-flex flex-wrap gap-2 align-items-center mb-3">
        <StatusBadge kind="project" status={p.status} />
      </div>
      <ActionBar record={p} label={t('projects.actions')} items={[
        { action: 'edit', label: t('projects.edit'), outline: true, onClick: () => setDialog('edit') },
        { action: 'submit', label: t('projects.submit'), pending: submit.isPending, onClick: () => submit.mutate() },
        { action: 'grant', label: t('projects.grant'), onClick: () => setDialog('grant') },
        { action: 'reject', label: t('projects.reject'), color: 'danger', outline: true, onClick: () => setDialog('reject') },
        { action: 'start', label: t('projects.start'), onClick: () => setDialog('start') },
        { action: 'report', label: t('projects.report'), onClick: () => setDialog('report') },
        { action: 'close', label: t('projects.close'), color: 'secondary', outline: true, onClick: () => setDialog('close') },
      ]} />
      {refused && <div className="alert alert-danger mt-2" role="alert">{refused.problem?.detail ?? refused.message}</div>}
      <DueList due={p.due} />
      <DataList items={[
        [t('projects.funder'), p.funder],
        [t('projects.call'), p.call_title],
        [t('projects.fundingSource'), p.funding_source ? t(`plans.fundingSource.${p.funding_source}`) : null],
        [t('projects.cup'), p.cup],
        [t('projects.requested'), formatCents(p.requested_cents)],
        [t('projects.granted'), formatCents(p.granted_cents)],
        [t('projects.cofinanced'), formatCents(p.cofinanced_cents)],
        [t('projects.grantByYear'), p.granted_by_year.length ? p.granted_by_year.map((y) => `${y.year}: ${formatCents(y.cents)}`).join('; ') : null],
        [t('projects.submissionDeadline'), p.submission_deadline ? formatDate(p.submission_deadline) : null],
        [t('projects.startDate'), p.start_date ? formatDate(p.start_date) : null],
        [t('projects.endDate'), p.end_date ? formatDate(p.end_date) : null],
        [t('projects.reportingDeadline'), p.reporting_deadline ? formatDate(p.reporting_deadline) : null],
        [t('projects.submittedOn'), p.submitted_on ? formatDate(p.submitted_on) : null],
        [t('projects.decidedOn'), p.decided_on ? formatDate(p.decided_on) : null],
        [t('projects.decisionNote'), p.decision_note],
        [t('projects.lead'), p.lead_organization?.name ?? p.lead_network?.name],
        [t('projects.partners'), [...p.partner_organizations, ...p.partner_networks].map((x) => x.name).join(', ') || null],
      ]} />
      {p.description && <p>{p.description}</p>}
      <section className="mb-4" aria-labelledby="funded-actions-h" data-testid="funded-actions">
        <h2 className="h4" id="funded-actions-h">{t('projects.planActions')}</h2>
        {p.plan_actions.length === 0 ? <p>{t('projects.noPlanActions')}</p> : (
          <ul>{p.plan_actions.map((a) => <li key={a.id}><Link to={`/plans/${a.plan_id}`}>{a.title}</Link></li>)}</ul>
        )}
      </section>
      <section className="mb-4" aria-labelledby="project-measures-h" data-testid="project-measures">
        <h2 className="h4" id="project-measures-h">{t('projects.measures')}</h2>
        {p.measures.length === 0 ? <p>{t('projects.noMeasures')}</p> : (
          <ul>{p.measures.map((m) => <li key={m.id}>{m.code} — {m.name}{m.active ? '' : ` (${t('projects.measureInactive')})`}</li>)}</ul>
        )}
      </section>
      <ProjectMonitoring project={p} />
      {dialog === 'edit' && <ProjectEditDialog projectId={id} onClose={() => setDialog(null)} />}
      {dialog === 'grant' && <GrantDialog project={p} onClose={() => setDialog(null)} />}
      {dialog === 'reject' && <RejectDialog id={id} onClose={() => setDialog(null)} />}
      {(dialog === 'start' || dialog === 'report' || dialog === 'close') && (
        <ReasonDialog title={t(`projects.${dialog}`)} send={moveTo(dialog)} onClose={() => setDialog(null)} />
      )}
    </Page>
  );
}

function ProjectMonitoring({ project }: { project: Project }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: queryKeys.sub('projects', project.id, 'monitoring'),
    queryFn: () => unwrap(api.GET('/api/v1/projects/{id}/monitoring', { params: { path: { id: project.id } } })),
  });
  return (
    <section className="mb-4" aria-labelledby="project-monitoring-h" data-testid="project-monitoring">
      <h2 className="h4" id="project-monitoring-h">{t('projects.execution')}</h2>
      {q.isPending && <Loading />}
      {q.isError && <ErrorState error={q.error} onRetry={() => void q.refetch()} />}
      {q.data && (
        <>
          <p className="small">{t('plans.monitoring.asOf', { date: formatDate(q.data.as_of) })}{q.data.figures.late && <>{' '}<LateBadge /></>}</p>
          <FiguresList figures={q.data.figures} />
          <BudgetChart budget={q.data.figures.budget_cents} reserved={q.data.figures.reserved_cents} spent={q.data.figures.spent_cents}
                       caption={t('projects.executionOf', { title: project.title })} />
          <MonthlyChart byMonth={q.data.figures.by_month} caption={t('plans.monitoring.byMonthOf', { title: project.title })} />
        </>
      )}
    </section>
  );
}

function GrantDialog({ project, onClose }: { project: Project; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useProjectInvalidate();
  const errors = useFormErrors();
  const [on, setOn] = useState(todayISO());
  const [amount, setAmount] = useState('');
  const [cup, setCup] = useState(project.cup ?? '');
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/projects/{id}/grant', {
      params: { path: { id: project.id } },
      body: { decided_on: on, granted_cents: parseEuroToCents(amount) ?? 0, cup: cup.trim() || null },
    })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => showProblem(t, errors, e, (f) => (f === 'decided_on' ? 'grant-on' : f === 'granted_cents' ? 'grant-amount' : f === 'cup' ? 'grant-cup' : null)),
  });
  return (
    <FormDialog isOpen title={t('projects.grant')} submitLabel={t('projects.grant')} pending={m.isPending} general={errors.general}
                onCancel={onClose} onSubmit={() => {
                  const bad: Record<string, string> = {};
                  if (!isIsoDate(on)) bad['grant-on'] = on ? t('validation.invalid_date') : t('validation.required');
                  const cents = parseEuroToCents(amount);
                  if (!amount.trim()) bad['grant-amount'] = t('validation.required');
                  else if (cents === null || cents < 1) bad['grant-amount'] = t('plans.invalidAmount');
                  if (Object.keys(bad).length) { errors.setGeneral(null); errors.setFields(bad); return; }
                  m.mutate();
                }}>
      <ErrorSummary errors={errors.fields} />
      <DateField id="grant-on" label={t('projects.decidedOn')} required value={on} error={errors.fields['grant-on']}
                 onChange={(v) => { setOn(v); errors.clearField('grant-on'); }} />
      <TextField id="grant-amount" label={t('projects.grantedEuro')} required value={amount} inputMode="decimal" error={errors.fields['grant-amount']}
                 onChange={(e) => { setAmount(e.target.value); errors.clearField('grant-amount'); }} />
      <TextField id="grant-cup" label={t('projects.cup')} value={cup} maxLength={40} hint={t('projects.cupHint')} error={errors.fields['grant-cup']}
                 onChange={(e) => { setCup(e.target.value); errors.clearField('grant-cup'); }} />
    </FormDialog>
  );
}

function RejectDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useProjectInvalidate();
  const errors = useFormErrors();
  const [on, setOn] = useState(todayISO());
  const [reason, setReason] = useState('');
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/projects/{id}/reject', { params: { path: { id } }, body: { decided_on: on, reason: reason.trim() } })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => showProblem(t, errors, e, (f) => (f === 'decided_on' ? 'reject-on' : f === 'reason' ? 'reject-reason' : null)),
  });
  return (
    <FormDialog isOpen danger title={t('projects.reject')} submitLabel={t('projects.reject')} pending={m.isPending} general={errors.general}
                onCancel={onClose} onSubmit={() => {
                  const bad: Record<string, string> = {};
                  if (!isIsoDate(on)) bad['reject-on'] = on ? t('validation.invalid_date') : t('validation.required');
                  if (reason.trim().length < 2) bad['reject-reason'] = reason.trim() ? t('validation.too_short') : t('validation.required');
                  if (Object.keys(bad).length) { errors.setGeneral(null); errors.setFields(bad); return; }
                  m.mutate();
                }}>
      <ErrorSummary errors={errors.fields} />
      <DateField id="reject-on" label={t('projects.decidedOn')} required value={on} error={errors.fields['reject-on']}
                 onChange={(v) => { setOn(v); errors.clearField('reject-on'); }} />
      <TextField id="reject-reason" label={t('projects.rejectReason')} required value={reason} maxLength={500} error={errors.fields['reject-reason']}
                 onChange={(e) => { setReason(e.target.value); errors.clearField('reject-reason'); }} />
    </FormDialog>
  );
}
