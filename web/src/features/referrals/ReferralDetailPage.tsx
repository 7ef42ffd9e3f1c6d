// One referral: its data, the table's note, the resulting case (status, agency, outcome — no
// diary) and its history; edit, submit or withdraw it as the API allows (`allowed_actions`), a
// blocked one disabled with the API's reason.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { api, unwrapVersioned } from '../../api/client';
import { ifMatch, type Versioned } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import type { Referral } from '../../api/types';
import { useMe } from '../../auth/AuthContext';
import { canEditPersons } from '../../auth/roles';
import { ActionBar, allows } from '../../components/Actions';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataList } from '../../components/DataList';
import { ErrorSummary, TextAreaField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { StaleNotice } from '../../components/StaleNotice';
import { useErrorMessage } from '../../components/errors';
import { isApiError } from '../../api/problem';
import { NoticeMissingPanel } from '../privacy/Consents';
import { useEditForm } from '../../components/useEditForm';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';
import { entryNote } from '../../lib/changes';
import { formatDate, formatDateTime } from '../../lib/format';
import { personName } from '../common/workflow';
import { DocumentsSection } from '../documents/DocumentsSection';
import { ReferralOpportunities } from '../opportunities/Matching';
import { ReferralFields, validateReferral, type ReferralForm } from './ReferralFields';

export function ReferralDetailPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  const q = useQuery({
    queryKey: queryKeys.detail('referrals', id!),
    queryFn: () => readReferral(id!),
  });
  const listLabel = me.role === 'referrer' ? t('nav.myReferrals') : t('nav.referrals');
  const title = q.data ? personName(q.data.record.person) : t('referrals.detail');
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

function readReferral(id: string): Promise<Versioned<Referral>> {
  return unwrapVersioned(api.GET('/api/v1/referrals/{id}', { params: { path: { id } } }));
}

function ReferralView({ referral }: { referral: Versioned<Referral> }) {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const r = referral.record;
  const [editing, setEditing] = useState(false);
  const [confirmSubmit, setConfirmSubmit] = useState(false);
  const [withdrawOpen, setWithdrawOpen] = useState(false);
  const [withdrawReason, setWithdrawReason] = useState('');

  // The response is the new version (with its ETag); the single read adds the history.
  const refresh = async (next: Versioned<Referral>) => {
    qc.setQueryData(queryKeys.detail('referrals', r.id), (old?: Versioned<Referral>) =>
      ({ ...next, record: { ...next.record, history: next.record.history ?? old?.record.history } }));
    await qc.invalidateQueries({ queryKey: queryKeys.all('referrals') });
  };
  const submit = useMutation({
    mutationFn: () => unwrapVersioned(api.POST('/api/v1/referrals/{id}/submit', { params: { path: { id: r.id } }, body: {} })),
    onSuccess: (next) => { setConfirmSubmit(false); void refresh(next); },
    onError: () => setConfirmSubmit(false),
  });
  const withdraw = useMutation({
    mutationFn: () => unwrapVersioned(api.POST('/api/v1/referrals/{id}/withdraw', {
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
      {isApiError(submit.error) && submit.error.code === 'notice_missing' ? (
        // The person's privacy notice is not recorded: record it here, then the referral goes.
        <NoticeMissingPanel personId={r.person.id} onRecorded={() => submit.mutate()} />
      ) : (submit.isError || withdraw.isError) && (
        <div className="alert alert-danger" role="alert">{message(submit.error ?? withdraw.error)}</div>
      )}
      {!editing && (
        <ActionBar record={r} label={t('common.actions')} className="mb-4" items={[
          { action: 'submit', label: t('referrals.submit'), onClick: () => setConfirmSubmit(true), pending: submit.isPending },
          { action: 'edit', label: t('referrals.edit'), outline: true, onClick: () => setEditing(true) },
          { action: 'withdraw', label: t('referrals.withdraw'), color: 'danger', outline: true, onClick: () => setWithdrawOpen(true) },
        ]} />
      )}

      {editing ? <EditReferral referral={referral} onDone={(next) => { setEditing(false); if (next) void refresh(next); }} /> : (
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
            ...(r.received_via ? [[t('referrals.receivedViaLabel'), t(`receivedVia.${r.received_via}`)]] as [string, string][] : []),
            ...(r.duplicate_reason ? [[t('referrals.duplicateReasonLabel'), r.duplicate_reason]] as [string, string][] : []),
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
        ) : <p>{t(`referrals.noCaseBy.${r.status}`, { defaultValue: t('referrals.noCase') })}</p>}
      </section>

      <ReferralOpportunities referralId={r.id} />

      <DocumentsSection owner="referral" id={r.id} canUpload={allows(r, 'upload_document')} />

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

const referralForm = (r: Referral): ReferralForm => ({ needs: r.needs, reason: r.reason, urgency: r.urgency, source: r.source });

/** Edits the referral at the version read (its ETag); a 412 keeps what was typed and offers the current version. */
function EditReferral({ referral, onDone }: { referral: Versioned<Referral>; onDone: (next?: Versioned<Referral>) => void }) {
  const { t } = useTranslation();
  const message = useErrorMessage();
  const r = referral.record;
  const edit = useEditForm<ReferralForm>(referralForm(r), referral.etag);
  const { form } = edit;
  const errors = useFormErrors();
  const { dialog, bypass } = useUnsavedChanges(edit.dirty);
  const set = <K extends keyof ReferralForm>(k: K, v: ReferralForm[K]) => {
    edit.set(k, v);
    errors.clearField(k);
  };
  const save = useMutation({
    mutationFn: () => {
      const c = edit.changes;
      return unwrapVersioned(api.PATCH('/api/v1/referrals/{id}', {
        params: { path: { id: r.id }, header: ifMatch(edit.version) },
        body: {
          ...(c.needs ? { needs: form.needs } : {}), ...(c.reason !== undefined ? { reason: form.reason.trim() } : {}),
          ...(c.urgency ? { urgency: form.urgency } : {}), ...(c.source !== undefined && form.source ? { source: form.source } : {}),
        },
      }));
    },
    onSuccess: (next) => { bypass(); onDone(next); },
    onError: (e) => edit.saveFailed(e, errors),
  });
  const reload = useMutation({
    mutationFn: () => readReferral(r.id),
    onSuccess: (fresh) => edit.rebase(referralForm(fresh.record), fresh.etag),
  });
  const label = (f: string) => t(`referrals.${f}`, { defaultValue: f });
  return (
    <form noValidate className="col-lg-9 px-0 mb-4" aria-labelledby="edit-title" onSubmit={(e) => {
      e.preventDefault();
      const missing = validateReferral(form, t);
      if (Object.keys(missing).length) { errors.setGeneral(null); errors.setFields(missing); return; }
      if (!edit.dirty) { bypass(); onDone(); return; }
      save.mutate();
    }}>
      {dialog}
      <h2 id="edit-title" className="h4">{t('referrals.edit')}</h2>
      <StaleNotice stale={edit.stale} reloading={reload.isPending} onReload={() => reload.mutate()}
                   reloadError={reload.isError ? message(reload.error) : null}
                   conflicts={edit.rebased?.conflicts ?? null} fieldLabel={label} />
      <ErrorSummary errors={errors.fields} general={errors.general} />
      <ReferralFields form={form} set={set} errors={errors.fields} />
      <div className="d-flex gap-2">
        <Button color="primary" type="submit" disabled={save.isPending}>{save.isPending ? t('common.saving') : t('common.save')}</Button>
        <Button color="secondary" outline type="button" onClick={() => { bypass(); onDone(); }}>{t('common.cancel')}</Button>
      </div>
    </form>
  );
}
