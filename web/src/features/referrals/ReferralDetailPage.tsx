// One referral: its data, the table's note, the resulting case (status, agency, outcome — no
// diary) and its history; edit, submit or withdraw it while that is allowed.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ifMatch } from '../../api/etag';
import type { Referral } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { canEditPersons } from '../../auth/roles';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataList } from '../../components/DataList';
import { ErrorSummary, TextAreaField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { useErrorMessage } from '../../components/errors';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';
import { entryNote } from '../../lib/changes';
import { formatDate, formatDateTime } from '../../lib/format';
import { personName } from '../common/workflow';
import { ReferralFields, validateReferral, type ReferralForm } from './ReferralFields';

export function ReferralDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const q = useQuery({
    queryKey: ['referrals', id],
    queryFn: () => unwrap(api.GET('/api/v1/referrals/{id}', { params: { path: { id: id! } } })),
  });
  const listLabel = me.role === 'referrer' ? t('nav.myReferrals') : t('nav.referrals');
  const title = q.data ? personName(q.data.person) : t('referrals.detail');
  const saved = (location.state as { saved?: string } | null)?.saved;
  return (
    <Page title={title} subtitle={q.data ? t('referrals.detail') : undefined}
          crumbs={[{ label: listLabel, to: '/referrals' }, { label: title }]}>
      {saved && (
        <div className="alert alert-success" role="status">
          {saved === 'draft' ? t('referrals.savedDraft') : t('referrals.savedSubmitted')}
        </div>
      )}
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> :
        <ReferralView referral={q.data} />}
    </Page>
  );
}

function ReferralView({ referral: r }: { referral: Referral }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const [editing, setEditing] = useState(false);
  const [confirmSubmit, setConfirmSubmit] = useState(false);
  const [withdrawOpen, setWithdrawOpen] = useState(false);
  const [withdrawReason, setWithdrawReason] = useState('');
  const isReferrer = me.role === 'referrer';
  const editable = isReferrer && (r.status === 'draft' || r.status === 'info_requested');
  const withdrawable = isReferrer && (r.status === 'draft' || r.status === 'submitted');

  const refresh = async (next: Referral) => {
    qc.setQueryData(['referrals', r.id], next);
    await qc.invalidateQueries({ queryKey: ['referrals'] });
  };
  const submit = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/referrals/{id}/submit', { params: { path: { id: r.id } }, body: {} })),
    onSuccess: (next) => { setConfirmSubmit(false); void refresh(next); },
    onError: () => setConfirmSubmit(false),
  });
  const withdraw = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/referrals/{id}/withdraw', {
      params: { path: { id: r.id } }, body: { reason: withdrawReason.trim() || null },
    })),
    onSuccess: (next) => { setWithdrawOpen(false); void refresh(next); },
  });

  return (
    <>
      <div className="d-flex flex-wrap align-items-center gap-2 mb-3">
        <span>{t('referrals.status')}:</span> <StatusBadge kind="referral" status={r.status} />
        <span className="ms-3">{t('referrals.urgency')}:</span> <StatusBadge kind="urgency" status={r.urgency} />
      </div>
      {r.status_note && (
        <div className={`alert ${r.status === 'info_requested' ? 'alert-warning' : 'alert-info'}`} role="note">
          <p className="fw-semibold mb-1">{t('referrals.tableNote')}</p>
          <p className="mb-0">{r.status_note}</p>
        </div>
      )}
      {(submit.isError || withdraw.isError) && (
        <div className="alert alert-danger" role="alert">{message(submit.error ?? withdraw.error)}</div>
      )}
      {(editable || withdrawable) && !editing && (
        <div className="d-flex flex-wrap gap-2 mb-4">
          {editable && <Button color="primary" onClick={() => setConfirmSubmit(true)}>{t('referrals.submit')}</Button>}
          {editable && <Button color="primary" outline onClick={() => setEditing(true)}>{t('referrals.edit')}</Button>}
          {withdrawable && <Button color="danger" outline onClick={() => setWithdrawOpen(true)}>{t('referrals.withdraw')}</Button>}
        </div>
      )}

      {editing ? <EditReferral referral={r} onDone={(next) => { setEditing(false); if (next) void refresh(next); }} /> : (
        <section aria-labelledby="ref-data" className="mb-4">
          <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2">
            <h2 id="ref-data" className="h4 mb-0">{t('referrals.data')}</h2>
            {canEditPersons(me.role) && (
              <Link to={`/persons/${r.person.id}/edit?from=${encodeURIComponent(`/referrals/${r.id}`)}`}
                    className="btn btn-outline-primary btn-sm" data-testid="edit-person">
                {t('personEdit.action')}<span className="visually-hidden"> — {personName(r.person)}</span>
              </Link>
            )}
          </div>
          <DataList items={[
            [t('person.taxCode'), <span className="font-monospace">{r.person.tax_code}</span>],
            [t('person.birthDate'), formatDate(r.person.birth_date)],
            [t('referrals.organization'), r.organization.name],
            [t('referrals.source'), t(`source.${r.source}`)],
            [t('referrals.needs'), r.needs.map((n) => t(`need.${n}`)).join(', ')],
            [t('referrals.submittedAt'), formatDateTime(r.submitted_at)],
            ...(me.role === 'coordinator' && r.meeting_id
              ? [[t('meetings.meeting'), <Link to={`/meetings/${r.meeting_id}`}>{t('meetings.openBoard')}</Link>]] as [string, JSX.Element][]
              : []),
          ]} />
          <h3 className="h6">{t('referrals.reason')}</h3>
          <p className="text-pre-line">{r.reason}</p>
        </section>
      )}

      <section aria-labelledby="ref-case" className="mb-4">
        <h2 id="ref-case" className="h4">{t('referrals.caseTitle')}</h2>
        {r.case ? (
          <div className="card card-bg border-start border-4 border-primary" data-testid="referral-case">
            <div className="card-body">
              <DataList items={[
                [t('cases.status'), <StatusBadge kind="case" status={r.case.status} />],
                [t('cases.agency'), r.case.agency.name],
                [t('cases.outcome'), r.case.outcome ? <strong data-testid="referral-outcome">{t(`outcome.${r.case.outcome}`)}</strong> : t('cases.noOutcome')],
                [t('cases.closedAt'), formatDate(r.case.closed_at)],
              ]} />
              {me.role === 'coordinator' && <Link to={`/cases/${r.case.id}`}>{t('cases.openWorkspace')}</Link>}
            </div>
          </div>
        ) : <p>{t('referrals.noCase')}</p>}
      </section>

      {r.history && r.history.length > 0 && (
        <section aria-labelledby="ref-history">
          <h2 id="ref-history" className="h4">{t('referrals.history')}</h2>
          <ol className="timeline-list">
            {r.history.map((h, i) => (
              <li key={i}>
                <time dateTime={h.at} className="small text-secondary d-block">{formatDateTime(h.at)}</time>
                <span className="fw-semibold">{t(`action.${h.action}`, { defaultValue: h.action })}</span>
                {/* An edit leaves the state as it was: what changed is the news. */}
                {h.action !== 'update' && (
                  <>
                    {' — '}
                    {h.from ? `${t(`status.referral.${h.from}`, { defaultValue: h.from })} → ` : ''}
                    {t(`status.referral.${h.to}`, { defaultValue: h.to })}
                  </>
                )}
                {h.reason && <div className="small">{entryNote(h.action, h.reason, t)}</div>}
              </li>
            ))}
          </ol>
        </section>
      )}

      <ConfirmDialog isOpen={confirmSubmit} title={t('referrals.submitTitle')} confirmLabel={t('referrals.submit')}
                     onConfirm={() => submit.mutate()} onCancel={() => setConfirmSubmit(false)}>
        {t('referrals.submitText')}
      </ConfirmDialog>
      <FormDialog isOpen={withdrawOpen} title={t('referrals.withdrawTitle')} submitLabel={t('referrals.withdraw')} danger
                  pending={withdraw.isPending} general={withdraw.isError ? message(withdraw.error) : null}
                  onSubmit={() => withdraw.mutate()} onCancel={() => setWithdrawOpen(false)}>
        <p>{t('referrals.withdrawText')}</p>
        <TextAreaField id="withdraw-reason" label={t('common.reasonOptional')} value={withdrawReason}
                       onChange={(e) => setWithdrawReason(e.target.value)} />
      </FormDialog>
    </>
  );
}

function EditReferral({ referral: r, onDone }: { referral: Referral; onDone: (next?: Referral) => void }) {
  const { t } = useTranslation();
  const initial: ReferralForm = { needs: r.needs, reason: r.reason, urgency: r.urgency, source: r.source };
  const [form, setForm] = useState<ReferralForm>(initial);
  const errors = useFormErrors();
  const { dialog, bypass } = useUnsavedChanges(JSON.stringify(form) !== JSON.stringify(initial));
  const set = <K extends keyof ReferralForm>(k: K, v: ReferralForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    errors.clearField(k);
  };
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/v1/referrals/{id}', {
      params: { path: { id: r.id }, header: ifMatch(r.updated_at) },
      body: { needs: form.needs, reason: form.reason.trim(), urgency: form.urgency, source: form.source || null },
    })),
    onSuccess: (next) => { bypass(); onDone(next); },
    onError: (e) => errors.fromError(e),
  });
  return (
    <form noValidate className="col-lg-9 px-0 mb-4" aria-labelledby="edit-title" onSubmit={(e) => {
      e.preventDefault();
      const missing = validateReferral(form, t);
      if (Object.keys(missing).length) { errors.setFields(missing); return; }
      save.mutate();
    }}>
      {dialog}
      <h2 id="edit-title" className="h4">{t('referrals.edit')}</h2>
      <ErrorSummary errors={errors.fields} general={errors.general} />
      <ReferralFields form={form} set={set} errors={errors.fields} />
      <div className="d-flex gap-2">
        <Button color="primary" type="submit" disabled={save.isPending}>{save.isPending ? t('common.saving') : t('common.save')}</Button>
        <Button color="secondary" outline type="button" onClick={() => { bypass(); onDone(); }}>{t('common.cancel')}</Button>
      </div>
    </form>
  );
}
