// One plan: its period and state, what its open actions still lack (the Ufficio di Piano's list
// of decisions to take), its axes and under each its actions as the seed's table — Data, Fonte,
// Budget, Dipartimento — each cell changed in place (ActionCell.tsx), each action's rules met or
// not; a form to add an action; the state moves the API allows (approve with the act, close;
// start, complete, drop an action); and the monitoring of every action (Monitoring.tsx).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ENUMS } from '../../api/enums.gen';
import { isApiError } from '../../api/problem';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import { ActionBar, allows } from '../../components/Actions';
import { DataList } from '../../components/DataList';
import { DateField, isIsoDate } from '../../components/DateField';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { useFormErrors } from '../../components/useFormErrors';
import { formatCents, formatDate, parseEuroToCents, todayISO } from '../../lib/format';
import { all } from '../common/workflow';
import { showProblem } from '../networks/formErrors';
import { ActionCell, type CellKind } from './ActionCell';
import { PlanMonitoringSection } from './Monitoring';
import { PlanEditDialog } from './PlanEditDialog';
import { CompletenessBadge, type Plan, type PlanAction } from './PlansPage';

type Axis = components['schemas']['AxisOut'];
type FundingSource = components['schemas']['FundingSource'];
type AxisCode = components['schemas']['AxisCode'];

export function planActionsKey(id: string) {
  return queryKeys.sub('plans', id, 'actions');
}

function usePlanInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: queryKeys.all('plans') });
}

export function PlanPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<'edit' | 'approve' | 'close' | null>(null);
  const plan = useQuery({
    queryKey: queryKeys.detail('plans', id),
    queryFn: () => unwrap(api.GET('/api/v1/plans/{id}', { params: { path: { id } } })),
  });
  const actions = useQuery({
    queryKey: planActionsKey(id),
    queryFn: () => all<PlanAction>((after) => unwrap(api.GET('/api/v1/plans/{id}/actions', { params: { path: { id }, query: { limit: 200, after } } }))),
  });
  if (plan.isPending) return <Page title={t('plans.title')}><Loading /></Page>;
  if (plan.isError) return <Page title={t('plans.title')}><ErrorState error={plan.error} onRetry={() => void plan.refetch()} /></Page>;
  const p = plan.data;
  return (
    <Page title={p.title} subtitle={`${formatDate(p.period_start)} – ${formatDate(p.period_end)}`}
          crumbs={[{ to: '/plans', label: t('plans.title') }]}>
      <div className="d-flex flex-wrap gap-2 align-items-center mb-3">
        <StatusBadge kind="plan" status={p.status} />
        <CompletenessBadge complete={p.completeness.complete} />
      </div>
      <ActionBar record={p} label={t('plans.actions')} items={[
        { action: 'edit', label: t('plans.edit'), outline: true, onClick: () => setDialog('edit') },
        { action: 'approve', label: t('plans.approve'), onClick: () => setDialog('approve') },
        { action: 'close', label: t('plans.close'), color: 'secondary', outline: true, onClick: () => setDialog('close') },
      ]} />
      <DataList items={[
        [t('plans.period'), `${formatDate(p.period_start)} – ${formatDate(p.period_end)}`],
        [t('plans.budgetTotal'), formatCents(p.budget_total_cents)],
        [t('plans.approvedOn'), p.approved_on ? `${formatDate(p.approved_on)}${p.approval_reference ? ` — ${p.approval_reference}` : ''}` : null],
      ]} />
      <PlanCompleteness plan={p} />
      {actions.isPending && <Loading />}
      {actions.isError && <ErrorState error={actions.error} onRetry={() => void actions.refetch()} />}
      {actions.data && p.axes.map((axis) => (
        <AxisSection key={axis.id} axis={axis} actions={actions.data.filter((a) => a.axis_id === axis.id)} />
      ))}
      {allows(p, 'add_action') && <AddActionForm plan={p} />}
      {allows(p, 'edit') && <AddAxisForm plan={p} />}
      <PlanMonitoringSection planId={id} axes={p.axes} />
      {dialog === 'edit' && <PlanEditDialog id={id} onClose={() => setDialog(null)} />}
      {dialog === 'approve' && <ApproveDialog id={id} onClose={() => setDialog(null)} />}
      {dialog === 'close' && <ReasonDialog title={t('plans.close')} onClose={() => setDialog(null)}
                                           send={(reason) => unwrap(api.POST('/api/v1/plans/{id}/close', { params: { path: { id } }, body: reason ? { reason } : {} }))} />}
    </Page>
  );
}

function PlanCompleteness({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const c = plan.completeness;
  return (
    <section className="mb-4" aria-labelledby="plan-completeness-h" data-testid="plan-completeness">
      <h2 className="h4" id="plan-completeness-h">{t('plans.completenessTitle')}</h2>
      <p className="mb-1">{t('plans.actionsComplete', { done: c.actions_complete, count: c.actions_open })}</p>
      {c.missing.length > 0 && (
        <ul className="mb-0">
          {c.missing.map((m) => <li key={m.rule} className="text-danger" data-rule={m.rule}>{m.message}</li>)}
        </ul>
      )}
    </section>
  );
}

const CELLS: CellKind[] = ['dates', 'funding', 'budget', 'department'];

function AxisSection({ axis, actions }: { axis: Axis; actions: PlanAction[] }) {
  const { t } = useTranslation();
  const hid = `axis-${axis.id}-h`;
  const label = (k: CellKind) => t(`plans.cell.${k}`);
  return (
    <section className="mb-4" aria-labelledby={hid} data-testid="axis" data-axis={axis.code ?? axis.id}>
      <h2 className="h4" id={hid}>{t('plans.axisN', { n: axis.position })}: {axis.title}</h2>
      {axis.expected_results && <p className="small"><span className="fw-semibold">{t('plans.expectedResults')}:</span> {axis.expected_results}</p>}
      {actions.length === 0 ? <p>{t('plans.noActions')}</p> : (
        <div className="table-responsive">
          <table className="table app-stack-table align-top">
            <caption className="visually-hidden">{t('plans.actionsOf', { axis: axis.title })}</caption>
            <thead><tr>
              <th scope="col">{t('plans.action.title')}</th>
              {CELLS.map((k) => <th scope="col" key={k}>{label(k)}</th>)}
              <th scope="col">{t('referrals.status')}</th>
            </tr></thead>
            <tbody>
              {actions.map((a) => <ActionRow key={`${a.id}-${a.updated_at}`} action={a} label={label} />)}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ActionRow({ action, label }: { action: PlanAction; label: (k: CellKind) => string }) {
  const { t } = useTranslation();
  const invalidate = usePlanInvalidate();
  const [dropping, setDropping] = useState(false);
  const move = useMutation({
    mutationFn: (to: 'start' | 'complete') => unwrap(to === 'start'
      ? api.POST('/api/v1/plan-actions/{id}/start', { params: { path: { id: action.id } }, body: {} })
      : api.POST('/api/v1/plan-actions/{id}/complete', { params: { path: { id: action.id } }, body: {} })),
    onSuccess: invalidate,
  });
  const refused = move.error && isApiError(move.error) ? move.error : null;
  return (
    <tr data-testid="plan-action" data-complete={action.completeness.complete}>
      <th scope="row" data-label={t('plans.action.title')}>
        {action.title}
        {action.late && <>{' '}<span className="badge bg-danger badge-status">{t('plans.late')}</span></>}
        <ul className="list-unstyled small fw-normal mb-1 mt-1" data-testid="action-completeness">
          {action.completeness.reasons.map((r) => (
            <li key={r.rule} data-met={r.met} data-rule={r.rule} className={r.met ? 'text-success' : 'text-danger fw-semibold'}>
              <span aria-hidden="true">{r.met ? '✓' : '✗'}</span> {r.message}
            </li>
          ))}
        </ul>
        <ActionBar record={action} size="sm" label={t('plans.actionActions', { title: action.title })} items={[
          { action: 'start', label: t('plans.action.start'), context: action.title, outline: true, pending: move.isPending, onClick: () => move.mutate('start') },
          { action: 'complete', label: t('plans.action.complete'), context: action.title, outline: true, pending: move.isPending, onClick: () => move.mutate('complete') },
          { action: 'drop', label: t('plans.action.drop'), context: action.title, color: 'danger', outline: true, onClick: () => setDropping(true) },
        ]} />
        {refused && <div className="alert alert-danger small mt-1" role="alert">{refused.problem?.detail ?? refused.message}</div>}
        {dropping && <ReasonDialog title={`${t('plans.action.drop')}: ${action.title}`} onClose={() => setDropping(false)}
                                   send={(reason) => unwrap(api.POST('/api/v1/plan-actions/{id}/drop', { params: { path: { id: action.id } }, body: reason ? { reason } : {} }))} />}
      </th>
      {CELLS.map((k) => <td key={k} data-label={label(k)}><ActionCell action={action} kind={k} label={label(k)} /></td>)}
      <td data-label={t('referrals.status')}><StatusBadge kind="planAction" status={action.status} /></td>
    </tr>
  );
}

/** A new action under an axis: the title, and what of the seed's four fields is known already. */
function AddActionForm({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const invalidate = usePlanInvalidate();
  const errors = useFormErrors();
  const empty = { axis: plan.axes[0]?.id ?? '', title: '', start: '', end: '', source: '', budget: '', department: '' };
  const [f, setF] = useState(empty);
  const set = (k: keyof typeof empty, v: string) => { setF((x) => ({ ...x, [k]: v })); errors.clearField(`new-${k}`); };
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/plans/{id}/actions', {
      params: { path: { id: plan.id } },
      body: {
        axis_id: f.axis, title: f.title.trim(), start_date: f.start || null, end_date: f.end || null,
        funding_source: (f.source || null) as FundingSource | null, budget_cents: f.budget.trim() ? parseEuroToCents(f.budget) : null,
        responsible_department: f.department.trim() || null,
      },
    })),
    onSuccess: async () => { setF({ ...empty, axis: f.axis }); errors.clear(); await invalidate(); },
    onError: (e) => showProblem(t, errors, e, (field) => ({
      axis_id: 'new-axis', title: 'new-title', start_date: 'new-start', end_date: 'new-end', funding_source: 'new-source',
      budget_cents: 'new-budget', responsible_department: 'new-department',
    } as Record<string, string>)[field] ?? null),
  });
  function submit() {
    const bad: Record<string, string> = {};
    if (!f.axis) bad['new-axis'] = t('validation.required');
    if (f.title.trim().length < 2) bad['new-title'] = f.title.trim() ? t('validation.too_short') : t('validation.required');
    if (f.start && !isIsoDate(f.start)) bad['new-start'] = t('validation.invalid_date');
    if (f.end && !isIsoDate(f.end)) bad['new-end'] = t('validation.invalid_date');
    if (f.budget.trim() && parseEuroToCents(f.budget) === null) bad['new-budget'] = t('plans.invalidAmount');
    if (Object.keys(bad).length) { errors.setGeneral(null); errors.setFields(bad); return; }
    m.mutate();
  }
  return (
    <form className="border rounded p-3 mb-4" noValidate aria-labelledby="add-action-h" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <h2 className="h4" id="add-action-h">{t('plans.addAction')}</h2>
      <ErrorSummary errors={errors.fields} general={errors.general} />
      <div className="row">
        <div className="col-12 col-md-6">
          <SelectField id="new-axis" label={t('plans.axis')} required value={f.axis} error={errors.fields['new-axis']}
                       options={plan.axes.map((a) => ({ value: a.id, label: `${a.position}. ${a.title}` }))}
                       onChange={(e) => set('axis', e.target.value)} />
        </div>
        <div className="col-12 col-md-6">
          <TextField id="new-title" label={t('plans.action.title')} required value={f.title} maxLength={200} error={errors.fields['new-title']}
                     onChange={(e) => set('title', e.target.value)} />
        </div>
        <div className="col-12 col-sm-6 col-lg-3">
          <DateField id="new-start" label={t('plans.action.startDate')} value={f.start} error={errors.fields['new-start']} onChange={(v) => set('start', v)} />
        </div>
        <div className="col-12 col-sm-6 col-lg-3">
          <DateField id="new-end" label={t('plans.action.endDate')} value={f.end} error={errors.fields['new-end']} onChange={(v) => set('end', v)} />
        </div>
        <div className="col-12 col-sm-6 col-lg-3">
          <SelectField id="new-source" label={t('plans.action.fundingSource')} value={f.source} error={errors.fields['new-source']}
                       placeholder={t('plans.cell.none')}
                       options={(ENUMS.FundingSource as readonly FundingSource[]).map((v) => ({ value: v, label: t(`plans.fundingSource.${v}`) }))}
                       onChange={(e) => set('source', e.target.value)} />
        </div>
        <div className="col-12 col-sm-6 col-lg-3">
          <TextField id="new-budget" label={t('plans.action.budgetEuro')} value={f.budget} inputMode="decimal" error={errors.fields['new-budget']}
                     onChange={(e) => set('budget', e.target.value)} />
        </div>
        <div className="col-12 col-md-6">
          <TextField id="new-department" label={t('plans.action.department')} value={f.department} maxLength={200}
                     error={errors.fields['new-department']} onChange={(e) => set('department', e.target.value)} />
        </div>
      </div>
      <Button color="primary" type="submit" disabled={m.isPending}>{m.isPending ? t('common.saving') : t('plans.addAction')}</Button>
    </form>
  );
}

/** An axis at the end of the plan: one of the seed's four not yet in it, or a new one with its title. */
function AddAxisForm({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  const invalidate = usePlanInvalidate();
  const errors = useFormErrors();
  const missing = (ENUMS.AxisCode as readonly AxisCode[]).filter((c) => !plan.axes.some((a) => a.code === c));
  const [code, setCode] = useState('');
  const [title, setTitle] = useState('');
  const [results, setResults] = useState('');
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/plans/{id}/axes', {
      params: { path: { id: plan.id } },
      body: { code: (code || null) as AxisCode | null, title: title.trim() || null, expected_results: results.trim() || null },
    })),
    onSuccess: async () => { setCode(''); setTitle(''); setResults(''); errors.clear(); await invalidate(); },
    onError: (e) => showProblem(t, errors, e, (f) => (f === 'title' ? 'axis-title' : f === 'code' ? 'axis-code' : f === 'expected_results' ? 'axis-results' : null)),
  });
  return (
    <form className="border rounded p-3 mb-4" noValidate aria-labelledby="add-axis-h" onSubmit={(e) => {
      e.preventDefault();
      if (!code && title.trim().length < 2) {
        errors.setGeneral(null);
        errors.setFields({ 'axis-title': title.trim() ? t('validation.too_short') : t('validation.required') });
        return;
      }
      m.mutate();
    }}>
      <h2 className="h4" id="add-axis-h">{t('plans.addAxis')}</h2>
      <ErrorSummary errors={errors.fields} general={errors.general} />
      <div className="row">
        {missing.length > 0 && (
          <div className="col-12 col-md-6">
            <SelectField id="axis-code" label={t('plans.axisFromSeed')} value={code} placeholder={t('plans.axisNew')} error={errors.fields['axis-code']}
                         options={missing.map((c) => ({ value: c, label: t(`plans.axisCode.${c}`) }))}
                         onChange={(e) => { setCode(e.target.value); errors.clearField('axis-code'); errors.clearField('axis-title'); }} />
          </div>
        )}
        <div className="col-12 col-md-6">
          <TextField id="axis-title" label={t('plans.axisTitle')} required={!code} value={title} maxLength={200} error={errors.fields['axis-title']}
                     hint={code ? t('plans.axisTitleHint') : undefined}
                     onChange={(e) => { setTitle(e.target.value); errors.clearField('axis-title'); }} />
        </div>
      </div>
      <TextAreaField id="axis-results" label={t('plans.expectedResults')} value={results} maxLength={4000} error={errors.fields['axis-results']}
                     onChange={(e) => { setResults(e.target.value); errors.clearField('axis-results'); }} />
      <Button color="primary" outline type="submit" disabled={m.isPending}>{m.isPending ? t('common.saving') : t('plans.addAxis')}</Button>
    </form>
  );
}

function ApproveDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = usePlanInvalidate();
  const errors = useFormErrors();
  const [on, setOn] = useState(todayISO());
  const [reference, setReference] = useState('');
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/plans/{id}/approve', { params: { path: { id } }, body: { approved_on: on, reference: reference.trim() } })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => showProblem(t, errors, e, (f) => (f === 'approved_on' ? 'approve-on' : f === 'reference' ? 'approve-ref' : null)),
  });
  return (
    <FormDialog isOpen title={t('plans.approve')} submitLabel={t('plans.approve')} pending={m.isPending} general={errors.general}
                onCancel={onClose} onSubmit={() => {
                  const bad: Record<string, string> = {};
                  if (!isIsoDate(on)) bad['approve-on'] = on ? t('validation.invalid_date') : t('validation.required');
                  if (reference.trim().length < 2) bad['approve-ref'] = reference.trim() ? t('validation.too_short') : t('validation.required');
                  if (Object.keys(bad).length) { errors.setGeneral(null); errors.setFields(bad); return; }
                  m.mutate();
                }}>
      <ErrorSummary errors={errors.fields} />
      <DateField id="approve-on" label={t('plans.approvedOnLabel')} required value={on} error={errors.fields['approve-on']}
                 onChange={(v) => { setOn(v); errors.clearField('approve-on'); }} />
      <TextField id="approve-ref" label={t('plans.approvalReference')} required value={reference} maxLength={200}
                 hint={t('plans.approvalReferenceHint')} error={errors.fields['approve-ref']}
                 onChange={(e) => { setReference(e.target.value); errors.clearField('approve-ref'); }} />
    </FormDialog>
  );
}

/** A move whose reason is optional (close a plan, drop an action). */
export function ReasonDialog({ title, send, onClose }: { title: string; send: (reason: string | null) => Promise<unknown>; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = usePlanInvalidate();
  const qc = useQueryClient();
  const errors = useFormErrors();
  const [reason, setReason] = useState('');
  const m = useMutation({
    mutationFn: () => send(reason.trim() || null),
    onSuccess: async () => { await invalidate(); await qc.invalidateQueries({ queryKey: queryKeys.all('projects') }); onClose(); },
    onError: (e) => showProblem(t, errors, e, (f) => (f === 'reason' ? 'move-reason' : null)),
  });
  return (
    <FormDialog isOpen title={title} submitLabel={title} pending={m.isPending} general={errors.general} onCancel={onClose} onSubmit={() => m.mutate()}>
      <TextAreaField id="move-reason" label={t('common.reasonOptional')} value={reason} maxLength={2000} error={errors.fields['move-reason']}
                     onChange={(e) => { setReason(e.target.value); errors.clearField('move-reason'); }} />
    </FormDialog>
  );
}
