// The case workspace: take charge, activations against the agency's thresholds, follow-ups,
// suspend/resume, close with an outcome, outcome checks, and the whole timeline. Every button is
// what the case, each activation and each check allow now (`allowed_actions`); a blocked one is
// disabled with the API's reason (a state, the person's eligibility, the agency's budget).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import {
  CONTRACT_TYPES, FOLLOW_UP_KINDS, OUTCOMES, type Activation, type CaseDetail, type ContractType, type FollowUpKind,
  type Outcome, type OutcomeCheck, type Threshold,
} from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { canEditPersons } from '../../auth/roles';
import { ActionBar, allows, BlockedNotice } from '../../components/Actions';
import { BudgetBar } from '../../components/Budget';
import { DataList } from '../../components/DataList';
import { CheckboxGroup, RadioGroup, SelectField, TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { useErrorMessage } from '../../components/errors';
import { useFormErrors } from '../../components/useFormErrors';
import { entryNote } from '../../lib/changes';
import { formatCents, formatDate, formatDateTime, parseEuroToCents, todayISO } from '../../lib/format';
import { ActivationEditDialog } from './ActivationEditDialog';
import { CaseContacts, CaseReferral } from './CaseContacts';
import { MoneyConfirmDialog } from './MoneyConfirm';
import { DocumentsSection } from '../documents/DocumentsSection';
import { CaseOpportunities } from '../opportunities/Matching';
import { pactKey, ServicePactSection, usePact } from './ServicePactSection';
import { PactFields, pactMissing, usePactForm } from './PactFields';
import { personName, useMeasures, useThresholds } from '../common/workflow';
import { DateField, isIsoDate } from '../../components/DateField';

type Dialog =
  | { kind: 'take-charge' } | { kind: 'suspend' } | { kind: 'close' } | { kind: 'propose' }
  | { kind: 'edit-activation'; activation: Activation }
  | { kind: 'settle'; activation: Activation; action: 'complete' | 'interrupt' }
  | { kind: 'check'; check: OutcomeCheck };

export function CaseWorkspacePage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const me = useMe();
  const q = useQuery({
    queryKey: queryKeys.detail('cases', id!),
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}', { params: { path: { id: id! } } })),
  });
  const title = q.data ? personName(q.data.person) : t('cases.case');
  const listLabel = me.role === 'coordinator' ? t('nav.cases') : t('nav.myCases');
  return (
    <Page title={title} crumbs={[{ label: listLabel, to: '/cases' }, { label: title }]}
          subtitle={q.data ? <>{t('cases.case')} · {q.data.agency.name} · <StatusBadge kind="case" status={q.data.status} /></> : undefined}>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : <Workspace c={q.data} />}
    </Page>
  );
}

/** After an action: the case (with its timeline and diary), the case lists, the budgets. */
function useCaseInvalidate(caseId: string) {
  const qc = useQueryClient();
  return () => Promise.all([
    qc.invalidateQueries({ queryKey: queryKeys.detail('cases', caseId) }), qc.invalidateQueries({ queryKey: queryKeys.lists('cases') }),
    qc.invalidateQueries({ queryKey: queryKeys.everything('cases') }), qc.invalidateQueries({ queryKey: queryKeys.all('thresholds') }),
  ]);
}

function Workspace({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const me = useMe();
  const message = useErrorMessage();
  const invalidate = useCaseInvalidate(c.id);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const thresholds = useThresholds({ agency_id: c.agency.id });
  const resume = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/cases/{id}/resume', { params: { path: { id: c.id } }, body: {} })),
    onSuccess: () => invalidate(),
  });
  const dueChecks = c.outcome_checks.filter((o) => o.status === 'due');
  return (
    <>
      {c.overdue && <div className="alert alert-warning" role="alert">{t('cases.overdueAlert', { date: formatDate(c.next_due_date) })}</div>}
      {resume.isError && <div className="alert alert-danger" role="alert">{message(resume.error)}</div>}
      <ActionBar record={c} label={t('common.actions')} className="mb-4" items={[
        { action: 'take_charge', label: t('cases.takeCharge'), onClick: () => setDialog({ kind: 'take-charge' }) },
        { action: 'add_activation', label: t('cases.proposeActivation'), outline: true, onClick: () => setDialog({ kind: 'propose' }) },
        { action: 'resume', label: t('cases.resume'), onClick: () => resume.mutate(), pending: resume.isPending },
        { action: 'suspend', label: t('cases.suspend'), color: 'secondary', outline: true, onClick: () => setDialog({ kind: 'suspend' }) },
        { action: 'close', label: t('cases.close'), color: 'danger', outline: true, onClick: () => setDialog({ kind: 'close' }) },
      ]} />
      <div className="row">
        <div className="col-12 col-xl-8">
          <section aria-labelledby="case-data" className="mb-4">
            <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2">
              <h2 id="case-data" className="h4 mb-0">{t('cases.data')}</h2>
              {canEditPersons(me.role) && (
                <Link to={`/persons/${c.person.id}/edit?from=${encodeURIComponent(`/cases/${c.id}`)}`}
                      className="btn btn-outline-primary btn-sm" data-testid="edit-person">
                  {t('personEdit.action')}<span className="visually-hidden"> — {personName(c.person)}</span>
                </Link>
              )}
            </div>
            <DataList items={[
              [t('person.taxCode'), <span className="font-monospace">{c.person.tax_code}</span>],
              [t('person.birthDate'), formatDate(c.person.birth_date)],
              [t('cases.agency'), c.agency.name],
              [t('cases.firstMeeting'), formatDate(c.first_meeting_date)],
              [t('cases.nextDue'), formatDate(c.next_due_date)],
              [t('cases.outcome'), c.outcome ? <strong data-testid="case-outcome">{t(`outcome.${c.outcome}`)}</strong> : '—'],
              ...(c.hired ? [[t('cases.hiredDetails'), `${c.hired.employer} · ${t(`contract.${c.hired.contract_type}`)} · ${t('cases.hoursWeek', { hours: c.hired.hours_per_week })}`]] as [string, string][] : []),
              ...(c.suspended_from ? [[t('cases.suspendedFrom'), t(`status.case.${c.suspended_from}`)]] as [string, string][] : []),
            ]} />
          </section>
          <CaseContacts c={c} />
          <CaseReferral c={c} />
          <ServicePactSection c={c} />
          <Activations c={c} thresholds={thresholds.data ?? []} onSettle={(a, action) => setDialog({ kind: 'settle', activation: a, action })}
                       onEdit={(a) => setDialog({ kind: 'edit-activation', activation: a })} />
          <CaseOpportunities c={c} />
          <FollowUps c={c} />
          <DocumentsSection owner="case" id={c.id} canUpload={allows(c, 'upload_document')} />
          {c.outcome_checks.length > 0 && (
            <section aria-labelledby="checks-title" className="mb-4">
              <h2 id="checks-title" className="h4">{t('cases.outcomeChecks')}</h2>
              <ul className="list-group">
                {c.outcome_checks.map((o) => (
                  <li key={o.id} className="list-group-item d-flex flex-wrap justify-content-between gap-2 align-items-center">
                    <div>
                      <strong>{t('cases.checkMonths', { count: o.months })}</strong> · {t('cases.dueOn', { date: formatDate(o.due_date) })}
                      {o.status === 'done' && <> · {o.employed ? t('cases.stillEmployed') : t('cases.notEmployed')}{o.note ? ` — ${o.note}` : ''}</>}
                    </div>
                    {allows(o, 'record') ? (
                      <ActionBar record={o} size="sm" items={[{
                        action: 'record', label: t('cases.recordCheck'), context: `— ${t('cases.checkMonths', { count: o.months })}`, outline: true,
                        onClick: () => setDialog({ kind: 'check', check: o }),
                      }]} />
                    ) : o.status === 'done' ? <span className="badge bg-success">{t('cases.checkDone')}</span>
                      : <span className="badge bg-warning text-dark">{t('cases.checkDue')}</span>}
                  </li>
                ))}
              </ul>
              {dueChecks.length > 0 && <p className="small mt-2">{t('cases.checksDue', { count: dueChecks.length })}</p>}
            </section>
          )}
        </div>
        <div className="col-12 col-xl-4">
          <section aria-labelledby="budget-title" className="card card-bg mb-4">
            <div className="card-body">
              <h2 id="budget-title" className="h5">{t('cases.agencyBudget')}</h2>
              {thresholds.isPending ? <Loading /> : thresholds.isError ? <ErrorState error={thresholds.error} /> :
                (thresholds.data ?? []).map((th) => (
                  <div key={th.id} className="mb-3">
                    <BudgetBar label={`${th.measure_code} · ${t('budget.remainingAmount', { amount: formatCents(th.remaining_cents) })}`}
                               cap={th.cap_cents} reserved={th.reserved_cents} spent={th.spent_cents} />
                  </div>
                ))}
            </div>
          </section>
          <Timeline caseId={c.id} />
        </div>
      </div>
      {dialog?.kind === 'take-charge' && <TakeChargeDialog c={c} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'suspend' && <SuspendDialog c={c} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'close' && <CloseDialog c={c} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'propose' && <ProposeDialog c={c} thresholds={thresholds.data ?? []} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'settle' && <SettleDialog c={c} activation={dialog.activation} action={dialog.action} onClose={() => setDialog(null)}
                                                  threshold={thresholds.data?.find((x) => x.measure_id === dialog.activation.measure_id)} />}
      {dialog?.kind === 'check' && <CheckDialog c={c} check={dialog.check} onClose={() => setDialog(null)} />}
      {dialog?.kind === 'edit-activation' && (
        <ActivationEditDialog caseId={c.id} activation={dialog.activation} threshold={thresholds.data?.find((x) => x.measure_id === dialog.activation.measure_id)}
                              onClose={() => setDialog(null)} />
      )}
    </>
  );
}

function Activations({ c, thresholds, onSettle, onEdit }: {
  c: CaseDetail; thresholds: Threshold[]; onSettle: (a: Activation, action: 'complete' | 'interrupt') => void;
  onEdit: (a: Activation) => void;
}) {
  const { t } = useTranslation();
  const message = useErrorMessage();
  const invalidate = useCaseInvalidate(c.id);
  const act = useMutation({
    mutationFn: ({ a, action }: { a: Activation; action: 'approve' | 'start' | 'cancel' }) => {
      const path = { params: { path: { id: a.id } } };
      if (action === 'approve') return unwrap(api.POST('/api/v1/activations/{id}/approve', path));
      if (action === 'start') return unwrap(api.POST('/api/v1/activations/{id}/start', path));
      return unwrap(api.POST('/api/v1/activations/{id}/cancel', { ...path, body: {} }));
    },
    onSettled: () => invalidate(),
  });
  const th = (a: Activation) => thresholds.find((x) => x.measure_id === a.measure_id);
  const [confirm, setConfirm] = useState<{ a: Activation; action: 'approve' | 'cancel' } | null>(null);
  return (
    <section aria-labelledby="activations-title" className="mb-4">
      <h2 id="activations-title" className="h4">{t('cases.activations')}</h2>
      {act.isError && <div className="alert alert-danger" role="alert">{message(act.error)}</div>}
      {c.activations.length === 0 ? <EmptyState title={t('cases.noActivations')} /> : (
        <div className="table-responsive">
          <table className="table app-stack-table">
            <caption className="visually-hidden">{t('cases.activations')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('catalogue.measure')}</th>
                <th scope="col" className="text-end">{t('cases.amount')}</th>
                <th scope="col" className="text-end">{t('cases.spent')}</th>
                <th scope="col">{t('cases.status')}</th>
                <th scope="col">{t('budget.remaining')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {c.activations.map((a) => {
                const threshold = th(a);
                const label = `${a.measure_code}`;
                return (
                  <tr key={a.id} data-testid="activation-row" data-status={a.status}>
                    <th scope="row">{a.measure_code}<div className="small fw-normal">{a.measure_name}</div>
                      {a.note && <div className="small fw-normal text-secondary text-pre-line" data-testid="activation-note">{a.note}</div>}</th>
                    <td className="text-end nowrap" data-label={t('cases.amount')}>{formatCents(a.amount_cents)}</td>
                    <td className="text-end nowrap" data-label={t('cases.spent')}>{formatCents(a.spent_cents)}</td>
                    <td data-label={t('cases.status')}><StatusBadge kind="activation" status={a.status} /></td>
                    <td className="nowrap small" data-label={t('budget.remaining')}>{threshold ? formatCents(threshold.remaining_cents) : t('meetings.noThreshold')}</td>
                    <td data-label={t('common.actions')}>
                      <ActionBar record={a} size="sm" items={[
                        { action: 'approve', label: t('activation.approve'), context: label, onClick: () => setConfirm({ a, action: 'approve' }), pending: act.isPending },
                        { action: 'edit', label: t('activation.edit'), context: label, outline: true, onClick: () => onEdit(a) },
                        { action: 'start', label: t('activation.start'), context: label, onClick: () => act.mutate({ a, action: 'start' }), pending: act.isPending },
                        { action: 'complete', label: t('activation.complete'), context: label, onClick: () => onSettle(a, 'complete') },
                        { action: 'interrupt', label: t('activation.interrupt'), context: label, color: 'secondary', outline: true, onClick: () => onSettle(a, 'interrupt') },
                        { action: 'cancel', label: t('activation.cancel'), context: label, color: 'danger', outline: true, onClick: () => setConfirm({ a, action: 'cancel' }), pending: act.isPending },
                      ]} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {confirm && (
        <MoneyConfirmDialog action={confirm.action} activation={confirm.a} threshold={th(confirm.a)} pending={act.isPending}
                            error={act.isError ? message(act.error) : null} onCancel={() => { setConfirm(null); act.reset(); }}
                            onConfirm={() => act.mutate(confirm, { onSuccess: () => setConfirm(null) })} />
      )}
    </section>
  );
}

function FollowUps({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const invalidate = useCaseInvalidate(c.id);
  const list = useQuery({
    queryKey: queryKeys.sub('cases', c.id, 'follow-ups'),
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/follow-ups', { params: { path: { id: c.id }, query: { limit: 200 } } })),
  });
  const qc = useQueryClient();
  const empty = { kind: 'meeting' as FollowUpKind, date: todayISO(), note: '', next_due_date: '' };
  const [form, setForm] = useState(empty);
  const [ticked, setTicked] = useState<string[]>([]);
  // The pact's actions still to do: the same query as the pact section's (one request).
  const pact = usePact(c.id);
  const open = pact.data?.record.actions.filter((a) => !a.done_at) ?? [];
  const errors = useFormErrors();
  const add = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/cases/{id}/follow-ups', {
      params: { path: { id: c.id } },
      body: {
        kind: form.kind, date: form.date, note: form.note.trim(), next_due_date: form.next_due_date || null,
        pact_action_ids: ticked.length ? ticked : null,
      },
    })),
    onSuccess: () => {
      setForm(empty); setTicked([]); errors.clear(); void invalidate();
      void qc.invalidateQueries({ queryKey: pactKey(c.id) });
    },
    onError: (e) => errors.fromError(e),
  });
  const set = <K extends keyof typeof form>(k: K, v: (typeof form)[K]) => { setForm((f) => ({ ...f, [k]: v })); errors.clearField(k); };
  return (
    <section aria-labelledby="followups-title" className="mb-4">
      <h2 id="followups-title" className="h4">{t('cases.followUps')}</h2>
      <BlockedNotice record={c} action="add_follow_up" label={t('cases.newFollowUp')} />
      {allows(c, 'add_follow_up') && (
        <form noValidate className="card card-bg mb-3" aria-labelledby="followup-new" onSubmit={(e) => {
          e.preventDefault();
          const missing: Record<string, string> = {};
          if (!form.date) missing.date = t('validation.required');
          else if (!isIsoDate(form.date)) missing.date = t('dateField.invalid');
          if (form.next_due_date && !isIsoDate(form.next_due_date)) missing.next_due_date = t('dateField.invalid');
          if (!form.note.trim()) missing.note = t('validation.required');
          if (Object.keys(missing).length) { errors.setFields(missing); return; }
          add.mutate();
        }}>
          <div className="card-body">
            <h3 id="followup-new" className="h6">{t('cases.newFollowUp')}</h3>
            {errors.general && <div className="alert alert-danger" role="alert">{errors.general}</div>}
            <div className="row">
              <div className="col-12 col-md-4">
                <SelectField id="fu-kind" label={t('cases.followUpKind')} required value={form.kind} error={errors.fields.kind}
                             onChange={(e) => set('kind', e.target.value as FollowUpKind)}
                             options={FOLLOW_UP_KINDS.map((k) => ({ value: k, label: t(`followUp.${k}`) }))} />
              </div>
              <div className="col-6 col-md-4">
                <DateField id="fu-date" label={t('cases.date')} required value={form.date} error={errors.fields.date}
                           onChange={(v) => set('date', v)} />
              </div>
              <div className="col-6 col-md-4">
                <DateField id="fu-next" label={t('cases.nextDue')} value={form.next_due_date} error={errors.fields.next_due_date}
                           onChange={(v) => set('next_due_date', v)} />
              </div>
            </div>
            <TextAreaField id="fu-note" label={t('cases.note')} required value={form.note} error={errors.fields.note}
                           onChange={(e) => set('note', e.target.value)} />
            {open.length > 0 && (
              <CheckboxGroup id="fu-pact" legend={t('pact.tickLegend')} value={ticked} onChange={setTicked}
                             error={errors.fields['pact_action_ids[0]']}
                             options={open.map((a) => ({ value: a.id, label: `${t(`pact.actionKind.${a.kind}`)}: ${a.description}` }))} />
            )}
            <Button color="primary" type="submit" disabled={add.isPending}>{add.isPending ? t('common.saving') : t('cases.addFollowUp')}</Button>
          </div>
        </form>
      )}
      {list.isPending ? <Loading /> : list.isError ? <ErrorState error={list.error} onRetry={() => void list.refetch()} /> :
        list.data.items.length === 0 ? <EmptyState title={t('cases.noFollowUps')} /> : (
          <ul className="list-group">
            {list.data.items.map((f) => (
              <li key={f.id} className="list-group-item" data-testid="follow-up">
                <div className="d-flex flex-wrap justify-content-between">
                  <strong>{t(`followUp.${f.kind}`)} · {formatDate(f.date)}</strong>
                  {f.next_due_date && <span className="small">{t('cases.nextDue')}: {formatDate(f.next_due_date)}</span>}
                </div>
                <p className="mb-0 text-pre-line">{f.note}</p>
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}

function Timeline({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: queryKeys.sub('cases', caseId, 'timeline'),
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/timeline', { params: { path: { id: caseId } } })),
  });
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title" className="h5">{t('cases.timeline')}</h2>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> :
        q.data.items.length === 0 ? <EmptyState title={t('cases.timelineEmpty')} /> : (
          <ol className="timeline-list small">
            {[...q.data.items].reverse().map((e, i) => (
              <li key={`${e.ref_id}-${i}`}>
                <time dateTime={e.at} className="text-secondary d-block">{formatDateTime(e.at)}</time>
                <span className="fw-semibold">{t(`timelineKind.${e.kind}`, { defaultValue: e.kind })}: {t(`action.${e.action}`, { defaultValue: e.action })}</span>
                {e.to && e.action !== 'update' && e.action !== 'service_pact' && <> — {e.from ? `${t(`status.any.${e.from}`, { defaultValue: e.from })} → ` : ''}{t(`status.any.${e.to}`, { defaultValue: e.to })}</>}
                {e.note && <div>{entryNote(e.action, e.note, t)}</div>}
              </li>
            ))}
          </ol>
        )}
    </section>
  );
}

function useAction<T>(caseId: string, fn: () => Promise<T>, onClose: () => void) {
  const errors = useFormErrors();
  const invalidate = useCaseInvalidate(caseId);
  const m = useMutation({
    mutationFn: fn,
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => errors.fromError(e),
  });
  return { m, errors };
}

function TakeChargeDialog({ c, onClose }: { c: CaseDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [date, setDate] = useState(todayISO());
  const pact = usePactForm();
  // The pact signed at the first meeting is the case's first version: sent with the take-charge.
  const { m, errors } = useAction(c.id, async () => {
    const r = await unwrap(api.POST('/api/v1/cases/{id}/take-charge', {
      params: { path: { id: c.id } }, body: { first_meeting_date: date, service_pact: pact.body() },
    }));
    await qc.invalidateQueries({ queryKey: pactKey(c.id) });
    return r;
  }, onClose);
  return (
    <FormDialog isOpen size="lg" title={t('cases.takeCharge')} submitLabel={t('cases.takeCharge')} pending={m.isPending} general={errors.general}
                onCancel={onClose} onSubmit={() => {
                  const missing = pactMissing(pact, 'service_pact.', t('validation.required'), t('dateField.invalid'));
                  if (!date) missing.first_meeting_date = t('validation.required');
                  else if (!isIsoDate(date)) missing.first_meeting_date = t('dateField.invalid');
                  if (Object.keys(missing).length) { errors.setFields(missing); return; }
                  m.mutate();
                }}>
      <p>{t('cases.takeChargeText')}</p>
      <DateField id="first_meeting_date" label={t('cases.firstMeeting')} required value={date} error={errors.fields.first_meeting_date}
                 onChange={(v) => { setDate(v); errors.clearField('first_meeting_date'); }} />
      <h3 className="h5 mt-3">{t('pact.title')}</h3>
      <PactFields caseId={c.id} form={pact} errors={errors} prefix="service_pact." summaryLabel={t('cases.planGoals')} />
    </FormDialog>
  );
}

function SuspendDialog({ c, onClose }: { c: CaseDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const { m, errors } = useAction(c.id, () => unwrap(api.POST('/api/v1/cases/{id}/suspend', {
    params: { path: { id: c.id } }, body: { reason: reason.trim() },
  })), onClose);
  return (
    <FormDialog isOpen title={t('cases.suspend')} submitLabel={t('cases.suspend')} pending={m.isPending} general={errors.general}
                onCancel={onClose} onSubmit={() => {
                  if (!reason.trim()) { errors.setFields({ reason: t('validation.required') }); return; }
                  m.mutate();
                }}>
      <TextAreaField id="reason" label={t('meetings.reason')} required value={reason} error={errors.fields.reason}
                     onChange={(e) => { setReason(e.target.value); errors.clearField('reason'); }} />
    </FormDialog>
  );
}

function CloseDialog({ c, onClose }: { c: CaseDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const [contract, setContract] = useState<ContractType | ''>('');
  const [hours, setHours] = useState('');
  const [employer, setEmployer] = useState('');
  const [note, setNote] = useState('');
  const { m, errors } = useAction(c.id, () => unwrap(api.POST('/api/v1/cases/{id}/close', {
    params: { path: { id: c.id } },
    body: {
      outcome: outcome as Outcome, note: note.trim() || null,
      hired: outcome === 'hired' ? { contract_type: contract as ContractType, hours_per_week: Number(hours), employer: employer.trim() } : null,
    },
  })), onClose);
  const f = (k: string) => errors.fields[k] ?? errors.fields[`hired.${k}`];
  return (
    <FormDialog isOpen title={t('cases.close')} submitLabel={t('cases.close')} pending={m.isPending} general={errors.general} danger
                onCancel={onClose} onSubmit={() => {
                  const missing: Record<string, string> = {};
                  if (!outcome) missing.outcome = t('validation.required');
                  if (outcome === 'hired') {
                    if (!contract) missing.contract_type = t('validation.required');
                    if (!hours || !(Number(hours) > 0) || Number(hours) > 60) missing.hours_per_week = t('validation.out_of_range');
                    if (!employer.trim()) missing.employer = t('validation.required');
                  }
                  if (Object.keys(missing).length) { errors.setFields(missing); return; }
                  m.mutate();
                }}>
      <SelectField id="outcome" label={t('cases.outcome')} required value={outcome} error={f('outcome')} placeholder={t('admin.choose')}
                   onChange={(e) => { setOutcome(e.target.value as Outcome); errors.clearField('outcome'); }}
                   options={OUTCOMES.map((o) => ({ value: o, label: t(`outcome.${o}`) }))} />
      {outcome === 'hired' && (
        <fieldset className="border rounded p-3 mb-3">
          <legend className="h6 float-none w-auto px-2">{t('cases.hiredDetails')}</legend>
          <SelectField id="contract_type" label={t('cases.contractType')} required value={contract} error={f('contract_type')}
                       placeholder={t('admin.choose')} onChange={(e) => { setContract(e.target.value as ContractType); errors.clearField('contract_type'); }}
                       options={CONTRACT_TYPES.map((o) => ({ value: o, label: t(`contract.${o}`) }))} />
          <TextField id="hours_per_week" type="number" min={1} max={60} label={t('cases.hoursPerWeek')} required value={hours}
                     error={f('hours_per_week')} onChange={(e) => { setHours(e.target.value); errors.clearField('hours_per_week'); }} />
          <TextField id="employer" label={t('cases.employer')} required value={employer} error={f('employer')}
                     onChange={(e) => { setEmployer(e.target.value); errors.clearField('employer'); }} />
        </fieldset>
      )}
      <TextAreaField id="close-note" label={t('cases.note')} value={note} error={f('note')} onChange={(e) => setNote(e.target.value)} />
    </FormDialog>
  );
}

function ProposeDialog({ c, thresholds, onClose }: { c: CaseDetail; thresholds: Threshold[]; onClose: () => void }) {
  const { t } = useTranslation();
  const measures = useMeasures({ activeOnly: true });
  const [measureId, setMeasureId] = useState('');
  const [amount, setAmount] = useState('');
  const measure = measures.data?.find((m) => m.id === measureId);
  const th = thresholds.find((x) => x.measure_id === measureId);
  const { m, errors } = useAction(c.id, () => unwrap(api.POST('/api/v1/cases/{id}/activations', {
    params: { path: { id: c.id } },
    body: { measure_id: measureId, amount_cents: amount ? parseEuroToCents(amount) : null },
  })), onClose);
  return (
    <FormDialog isOpen title={t('cases.proposeActivation')} submitLabel={t('cases.propose')} pending={m.isPending} general={errors.general}
                onCancel={onClose} onSubmit={() => {
                  const missing: Record<string, string> = {};
                  if (!measureId) missing.measure_id = t('validation.required');
                  if (amount && parseEuroToCents(amount) === null) missing.amount_cents = t('validation.format');
                  if (Object.keys(missing).length) { errors.setFields(missing); return; }
                  m.mutate();
                }}>
      <SelectField id="measure_id" label={t('catalogue.measure')} required value={measureId} error={errors.fields.measure_id}
                   placeholder={t('admin.choose')} onChange={(e) => { setMeasureId(e.target.value); errors.clearField('measure_id'); }}
                   options={(measures.data ?? []).map((x) => ({ value: x.id, label: `${x.code} – ${x.name}` }))} />
      {measure && (
        th ? <div className="mb-3"><BudgetBar label={t('budget.remainingAmount', { amount: formatCents(th.remaining_cents) })}
                                              cap={th.cap_cents} reserved={th.reserved_cents} spent={th.spent_cents} /></div>
          : <div className="alert alert-warning">{t('meetings.noThreshold')}</div>
      )}
      <TextField id="amount_cents" inputMode="decimal" label={t('cases.amountEuro')} value={amount} error={errors.fields.amount_cents}
                 hint={measure ? t('cases.amountDefault', { amount: formatCents(measure.default_amount_cents) }) : undefined}
                 onChange={(e) => { setAmount(e.target.value); errors.clearField('amount_cents'); }} />
    </FormDialog>
  );
}

function SettleDialog({ c, activation, action, threshold, onClose }: {
  c: CaseDetail; activation: Activation; action: 'complete' | 'interrupt'; threshold?: Threshold; onClose: () => void;
}) {
  const { t } = useTranslation();
  const [spent, setSpent] = useState((activation.amount_cents / 100).toFixed(2).replace('.', ','));
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const { m, errors } = useAction(c.id, () => {
    const body = { spent_cents: parseEuroToCents(spent) ?? 0, reason: reason.trim() || null };
    const path = { params: { path: { id: activation.id } }, body };
    return action === 'complete' ? unwrap(api.POST('/api/v1/activations/{id}/complete', path)) : unwrap(api.POST('/api/v1/activations/{id}/interrupt', path));
  }, onClose);
  if (confirming) {
    return (
      <MoneyConfirmDialog action="complete" activation={activation} threshold={threshold} spentCents={parseEuroToCents(spent) ?? 0}
                          pending={m.isPending} error={errors.general} onCancel={() => setConfirming(false)}
                          onConfirm={() => m.mutate(undefined, { onError: () => setConfirming(false) })} />
    );
  }
  return (
    <FormDialog isOpen title={`${t(`activation.${action}`)} — ${activation.measure_code}`} submitLabel={t(`activation.${action}`)}
                pending={m.isPending} general={errors.general} onCancel={onClose} onSubmit={() => {
                  const cents = parseEuroToCents(spent);
                  if (cents === null) { errors.setFields({ spent_cents: t('validation.format') }); return; }
                  if (cents > activation.amount_cents) { errors.setFields({ spent_cents: t('cases.spentAboveReserved') }); return; }
                  if (action === 'complete') { setConfirming(true); return; }
                  m.mutate();
                }}>
      <p>{t('cases.settleText', { amount: formatCents(activation.amount_cents) })}</p>
      <TextField id="spent_cents" inputMode="decimal" label={t('cases.spentEuro')} required value={spent} error={errors.fields.spent_cents}
                 onChange={(e) => { setSpent(e.target.value); errors.clearField('spent_cents'); }} />
      <TextAreaField id="settle-reason" label={t('common.reasonOptional')} value={reason} onChange={(e) => setReason(e.target.value)} />
    </FormDialog>
  );
}

function CheckDialog({ c, check, onClose }: { c: CaseDetail; check: OutcomeCheck; onClose: () => void }) {
  const { t } = useTranslation();
  const [employed, setEmployed] = useState('');
  const [note, setNote] = useState('');
  const { m, errors } = useAction(c.id, () => unwrap(api.POST('/api/v1/cases/{id}/outcome-checks/{check_id}', {
    params: { path: { id: c.id, check_id: check.id } }, body: { employed: employed === 'yes', note: note.trim() || null },
  })), onClose);
  return (
    <FormDialog isOpen title={t('cases.recordCheckTitle', { count: check.months })} submitLabel={t('common.save')} pending={m.isPending}
                general={errors.general} onCancel={onClose} onSubmit={() => {
                  if (!employed) { errors.setFields({ employed: t('validation.required') }); return; }
                  m.mutate();
                }}>
      <RadioGroup id="employed" legend={t('cases.isEmployed')} required value={employed} error={errors.fields.employed}
                  onChange={(v) => { setEmployed(v); errors.clearField('employed'); }}
                  options={[{ value: 'yes', label: t('common.yes') }, { value: 'no', label: t('common.no') }]} />
      <TextAreaField id="check-note" label={t('cases.note')} value={note} onChange={(e) => setNote(e.target.value)} />
    </FormDialog>
  );
}
