// "Convenzioni e protocolli": a network's agreements among its members — kind, subject, parties,
// state, validity and expiry, the agreement it renews — with their documents (the signed text)
// to download. Those who manage the network draft and edit an agreement, sign it (on a date,
// attaching the signed text as a PDF), terminate it with a reason and renew it (a new draft
// linked to the previous one), as each agreement's `allowed_actions` say.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap, unwrapVersioned } from '../../api/client';
import { ifMatch, type Versioned } from '../../api/etag';
import { isApiError } from '../../api/problem';
import { queryKeys } from '../../api/queryKeys';
import { AGREEMENT_KINDS, type Agreement, type AgreementKind, type Member, type Network } from '../../api/types';
import { ActionBar, allows } from '../../components/Actions';
import { DataList } from '../../components/DataList';
import { DateField, isIsoDate } from '../../components/DateField';
import { EditDialogLoader } from '../../components/EditDialogLoader';
import { CheckboxGroup, ErrorSummary, RadioGroup, TextAreaField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDate, todayISO } from '../../lib/format';
import { DocumentsSection, uploadDocument } from '../documents/DocumentsSection';
import { listField, showProblem } from './formErrors';
import { useMembers } from './NetworkDialogs';

const PDF = '.pdf,application/pdf';

export function agreementsKey(networkId: string) {
  return queryKeys.sub('networks', networkId, 'agreements');
}

function useAgreementInvalidate() {
  const qc = useQueryClient();
  // The network's lists (agreements, documents) and each agreement's documents.
  return () => Promise.all([qc.invalidateQueries({ queryKey: queryKeys.all('networks') }),
    qc.invalidateQueries({ queryKey: queryKeys.all('agreements') })]);
}

/** An agreement that may be renewed: signed or past its end (the API checks it again). */
function renewable(network: Network, a: Agreement): boolean {
  return allows(network, 'edit') && (a.status === 'signed' || a.status === 'expired');
}

export function Agreements({ networkId, network }: { networkId: string; network: Network }) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<
    | { to: 'create'; renews?: Agreement }
    | { to: 'edit' | 'sign' | 'terminate'; agreement: Agreement }
    | null>(null);
  // Everyone who ever adhered: a party may have withdrawn since the agreement was signed.
  const members = useMembers(networkId, true);
  const list = useQuery({
    queryKey: agreementsKey(networkId),
    queryFn: () => unwrap(api.GET('/api/v1/networks/{id}/agreements', { params: { path: { id: networkId }, query: { limit: 200 } } })),
  });
  const names = new Map((members.data?.items ?? []).map((m) => [m.id, m.organization.name]));
  const items = list.data?.items ?? [];
  return (
    <section className="mb-4" aria-labelledby="agreements-h" data-testid="agreements">
      <h2 className="h4" id="agreements-h">{t('networks.agreements.title')}</h2>
      <ActionBar record={network} items={[
        { action: 'edit', label: t('networks.agreements.new'), onClick: () => setDialog({ to: 'create' }) },
      ]} />
      {list.isPending && <Loading />}
      {list.isError && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && (items.length === 0 ? <p className="mt-2">{t('networks.agreements.none')}</p> : (
        <ul className="list-unstyled mt-2">
          {items.map((a) => (
            <li key={a.id}>
              <AgreementCard a={a} network={network} names={names} previous={items.find((p) => p.id === a.renews_agreement_id)}
                             onAction={(to) => setDialog(to === 'renew' ? { to: 'create', renews: a } : { to, agreement: a })} />
            </li>
          ))}
        </ul>
      ))}
      {dialog?.to === 'create' && members.data && (
        <AgreementForm networkId={networkId} members={members.data.items} renews={dialog.renews} onClose={() => setDialog(null)} />
      )}
      {dialog?.to === 'edit' && members.data && (
        <EditDialogLoader queryKey={queryKeys.detail('agreements', dialog.agreement.id)} title={t('networks.agreements.editTitle')}
                          read={() => unwrapVersioned(api.GET('/api/v1/agreements/{id}', { params: { path: { id: dialog.agreement.id } } }))}
                          onClose={() => setDialog(null)}>
          {(read) => <AgreementForm networkId={networkId} members={members.data.items} read={read} onClose={() => setDialog(null)} />}
        </EditDialogLoader>
      )}
      {dialog?.to === 'sign' && <SignDialog agreement={dialog.agreement} onClose={() => setDialog(null)} />}
      {dialog?.to === 'terminate' && <TerminateDialog agreement={dialog.agreement} onClose={() => setDialog(null)} />}
    </section>
  );
}

function AgreementCard({ a, network, names, previous, onAction }: {
  a: Agreement;
  network: Network;
  names: Map<string, string>;
  previous?: Agreement;
  onAction: (to: 'edit' | 'sign' | 'terminate' | 'renew') => void;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const parties = a.party_member_ids.map((id) => names.get(id) ?? '…');
  const validity = a.valid_from || a.valid_until
    ? `${a.valid_from ? formatDate(a.valid_from) : '…'} – ${a.valid_until ? formatDate(a.valid_until) : '…'}` : null;
  return (
    <article className="card card-bg mb-3" aria-labelledby={headingId} data-testid="agreement">
      <div className="card-body">
        <div className="d-flex flex-wrap justify-content-between gap-2">
          <h3 className="h5 mb-1" id={headingId}>{a.subject}</h3>
          <StatusBadge kind="agreement" status={a.status} />
        </div>
        <p className="small text-secondary mb-2">{t(`networks.agreementKind.${a.kind}`)}</p>
        <DataList items={[
          [t('networks.agreements.parties'), parties.length ? parties.join(', ') : null],
          [t('networks.agreements.signedOn'), a.signed_on ? formatDate(a.signed_on) : null],
          [t('networks.agreements.validity'), validity],
          [t('networks.agreements.expiry'), a.valid_until ? formatDate(a.valid_until) : t('networks.agreements.noExpiry')],
          ...(a.renews_agreement_id ? [[t('networks.agreements.renews'), previous?.subject ?? '—'] as [string, string]] : []),
          ...(a.termination_reason ? [[t('networks.agreements.terminationReason'), a.termination_reason] as [string, string]] : []),
        ]} />
        <ActionBar record={a} size="sm" label={t('networks.agreements.actionsOf', { subject: a.subject })} items={[
          { action: 'sign', label: t('networks.agreements.sign'), context: a.subject, onClick: () => onAction('sign') },
          { action: 'edit', label: t('networks.agreements.edit'), context: a.subject, outline: true, onClick: () => onAction('edit') },
          { action: 'terminate', label: t('networks.agreements.terminate'), context: a.subject, color: 'danger', outline: true,
            onClick: () => onAction('terminate') },
        ]}>
          {renewable(network, a) && (
            <Button color="primary" outline size="sm" onClick={() => onAction('renew')}>
              {t('networks.agreements.renew')}<span className="visually-hidden"> {a.subject}</span>
            </Button>
          )}
        </ActionBar>
        <div className="mt-3">
          <DocumentsSection owner="agreement" id={a.id} canUpload={allows(a, 'upload_document')} level={4}
                            title={t('networks.agreements.documents')} fileLabel={t('networks.agreements.file')}
                            hint={t('networks.agreements.fileHint')} accept={PDF} />
        </div>
      </div>
    </article>
  );
}

interface AgreementFields {
  kind: AgreementKind;
  subject: string;
  parties: string[];
  validFrom: string;
  validUntil: string;
}

/** The day after `iso` (a renewal starts when the previous agreement ends). */
function dayAfter(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Drafts an agreement (or its renewal), or edits a draft at the version read. */
function AgreementForm({ networkId, members, renews, read, onClose }: {
  networkId: string;
  members: Member[];
  renews?: Agreement;
  read?: Versioned<Agreement>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const invalidate = useAgreementInvalidate();
  const errors = useFormErrors();
  const active = members.filter((m) => m.active);
  const from = read?.record ?? renews;
  const [form, setForm] = useState<AgreementFields>({
    kind: from?.kind ?? 'convention',
    subject: from?.subject ?? '',
    // A renewal keeps the parties still members.
    parties: (from?.party_member_ids ?? []).filter((id) => read || active.some((m) => m.id === id)),
    validFrom: read ? (read.record.valid_from ?? '') : renews?.valid_until ? dayAfter(renews.valid_until) : '',
    validUntil: read ? (read.record.valid_until ?? '') : '',
  });
  const set = <K extends keyof AgreementFields>(k: K, v: AgreementFields[K], field: string) => {
    setForm((f) => ({ ...f, [k]: v }));
    errors.clearField(field);
  };
  const rename = (field: string) => {
    const f = listField(field);
    return ['kind', 'subject', 'party_member_ids', 'valid_from', 'valid_until'].includes(f) ? f : null;
  };
  const m = useMutation({
    mutationFn: () => {
      const body = {
        kind: form.kind, subject: form.subject.trim(), party_member_ids: form.parties,
        valid_from: form.validFrom || null, valid_until: form.validUntil || null,
      };
      return read
        ? unwrap(api.PATCH('/api/v1/agreements/{id}', { params: { path: { id: read.record.id }, header: ifMatch(read.etag) }, body }))
        : unwrap(api.POST('/api/v1/networks/{id}/agreements', {
          params: { path: { id: networkId } }, body: { ...body, renews_agreement_id: renews?.id ?? null },
        }));
    },
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => showProblem(t, errors, e, rename),
  });
  function submit() {
    const missing: Record<string, string> = {};
    const subject = form.subject.trim();
    if (!subject) missing.subject = t('validation.required');
    else if (subject.length < 2) missing.subject = t('validation.too_short');
    if (form.validFrom && !isIsoDate(form.validFrom)) missing.valid_from = t('validation.invalid_date');
    if (form.validUntil && !isIsoDate(form.validUntil)) missing.valid_until = t('validation.invalid_date');
    else if (form.validFrom && form.validUntil && isIsoDate(form.validFrom) && form.validUntil < form.validFrom) {
      missing.valid_until = t('networks.periodOrder');
    }
    if (Object.keys(missing).length) {
      errors.setGeneral(null);
      errors.setFields(missing);
      return;
    }
    m.mutate();
  }
  const title = read ? t('networks.agreements.editTitle') : renews ? t('networks.agreements.renewTitle', { subject: renews.subject })
    : t('networks.agreements.new');
  return (
    <FormDialog isOpen size="lg" title={title} submitLabel={read ? t('common.save') : t('networks.agreements.saveDraft')}
                pending={m.isPending} general={null} onCancel={onClose} onSubmit={submit}>
      <ErrorSummary errors={errors.fields} general={errors.general} fieldIds={{ kind: 'agreement-kind', subject: 'agreement-subject' }} />
      {renews && <p>{t('networks.agreements.renewText', { subject: renews.subject })}</p>}
      <RadioGroup id="agreement-kind" legend={t('networks.agreements.kind')} value={form.kind} error={errors.fields.kind}
                  options={AGREEMENT_KINDS.map((k) => ({ value: k, label: t(`networks.agreementKind.${k}`) }))}
                  onChange={(v) => set('kind', v as AgreementKind, 'kind')} />
      <TextAreaField id="agreement-subject" label={t('networks.agreements.subject')} required value={form.subject} maxLength={2000}
                     rows={3} error={errors.fields.subject} onChange={(e) => set('subject', e.target.value, 'subject')} />
      <CheckboxGroup id="party_member_ids" legend={t('networks.agreements.parties')} hint={t('networks.agreements.partiesHint')}
                     value={form.parties} error={errors.fields.party_member_ids}
                     options={active.map((x) => ({ value: x.id, label: x.organization.name }))}
                     onChange={(v) => set('parties', v, 'party_member_ids')} />
      <div className="row">
        <div className="col-12 col-sm-6">
          <DateField id="valid_from" label={t('networks.agreements.validFrom')} value={form.validFrom} error={errors.fields.valid_from}
                     onChange={(v) => set('validFrom', v, 'valid_from')} />
        </div>
        <div className="col-12 col-sm-6">
          <DateField id="valid_until" label={t('networks.agreements.validUntil')} value={form.validUntil} error={errors.fields.valid_until}
                     hint={t('networks.agreements.validUntilHint')} onChange={(v) => set('validUntil', v, 'valid_until')} />
        </div>
      </div>
    </FormDialog>
  );
}

function isPdf(f: File): boolean {
  return f.type === 'application/pdf' || /\.pdf$/i.test(f.name);
}

/**
 * Signs a draft on a date (today unless told), with the signed text as a PDF: the file is
 * uploaded first (the API recognises it by its content), then the agreement is signed. A file
 * already uploaded is not sent again when the signature is retried.
 */
function SignDialog({ agreement, onClose }: { agreement: Agreement; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useAgreementInvalidate();
  const errors = useFormErrors();
  const fileId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [on, setOn] = useState(todayISO());
  const [file, setFile] = useState<File | null>(null);
  const [uploaded, setUploaded] = useState<File | null>(null);
  const hasText = agreement.document_ids.length > 0;
  const m = useMutation({
    mutationFn: async () => {
      if (file && uploaded !== file) {
        try {
          await uploadDocument('agreement', agreement.id, file);
        } catch (e) {
          throw Object.assign(new Error('upload'), { upload: e });
        }
        setUploaded(file);
      }
      return unwrap(api.POST('/api/v1/agreements/{id}/sign', { params: { path: { id: agreement.id } }, body: { signed_on: on || null } }));
    },
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => {
      const upload = (e as { upload?: unknown }).upload;
      if (upload !== undefined) {
        errors.setGeneral(null);
        errors.setFields({
          file: isApiError(upload) && upload.status === 415 ? t('networks.agreements.notPdf')
            : isApiError(upload) && upload.status === 413 ? t('documents.errors.tooLarge')
              : isApiError(upload) ? (upload.problem?.detail ?? t('errors.unexpected')) : t('errors.network'),
        });
        return;
      }
      showProblem(t, errors, e, (f) => (f === 'signed_on' ? 'signed_on' : null));
    },
  });
  function submit() {
    const missing: Record<string, string> = {};
    if (on && !isIsoDate(on)) missing.signed_on = t('validation.invalid_date');
    else if (on && on > todayISO()) missing.signed_on = t('networks.agreements.notFuture');
    if (!file && !hasText) missing.file = t('networks.agreements.fileRequired');
    else if (file && !isPdf(file)) missing.file = t('networks.agreements.notPdf');
    if (Object.keys(missing).length) {
      errors.setGeneral(null);
      errors.setFields(missing);
      return;
    }
    m.mutate();
  }
  const fileError = errors.fields.file;
  return (
    <FormDialog isOpen title={t('networks.agreements.signTitle', { subject: agreement.subject })} submitLabel={t('networks.agreements.sign')}
                pending={m.isPending} general={null} onCancel={onClose} onSubmit={submit}>
      <ErrorSummary errors={errors.fields} general={errors.general} fieldIds={{ file: fileId }} />
      <DateField id="signed_on" label={t('networks.agreements.signedOnLabel')} value={on} error={errors.fields.signed_on}
                 hint={t('networks.joinedOnHint')} onChange={(v) => { setOn(v); errors.clearField('signed_on'); }} />
      <div className="app-field mb-4">
        <label htmlFor={fileId} className="app-label">
          {t('networks.agreements.signedText')}
          {!hasText && <><span className="text-danger ms-1" aria-hidden="true">*</span><span className="visually-hidden"> ({t('form.required')})</span></>}
        </label>
        <input id={fileId} ref={input} type="file" className={`form-control${fileError ? ' is-invalid' : ''}`} accept={PDF}
               aria-invalid={fileError ? true : undefined} aria-describedby={`${fileId}-hint${fileError ? ` ${fileId}-error` : ''}`}
               onChange={(e) => { setFile(e.target.files?.[0] ?? null); errors.clearField('file'); }} />
        <small id={`${fileId}-hint`} className="form-text d-block">
          {hasText ? t('networks.agreements.signedTextHasOne') : t('networks.agreements.signedTextHint')}
        </small>
        {fileError && <div id={`${fileId}-error`} className="invalid-feedback d-block" role="alert">{fileError}</div>}
      </div>
    </FormDialog>
  );
}

/** Ends a signed agreement before its term, for a reason. */
function TerminateDialog({ agreement, onClose }: { agreement: Agreement; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useAgreementInvalidate();
  const errors = useFormErrors();
  const [reason, setReason] = useState('');
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/agreements/{id}/terminate', {
      params: { path: { id: agreement.id } }, body: { reason: reason.trim() },
    })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => showProblem(t, errors, e, (f) => (f === 'reason' ? 'reason' : null)),
  });
  return (
    <FormDialog isOpen danger title={t('networks.agreements.terminateTitle', { subject: agreement.subject })}
                submitLabel={t('networks.agreements.terminate')} pending={m.isPending} general={null} onCancel={onClose}
                onSubmit={() => {
                  if (!reason.trim()) { errors.setGeneral(null); errors.setFields({ reason: t('validation.required') }); return; }
                  m.mutate();
                }}>
      <ErrorSummary errors={errors.fields} general={errors.general} />
      <p>{t('networks.agreements.terminateText')}</p>
      <TextAreaField id="reason" label={t('networks.reason')} required value={reason} error={errors.fields.reason} maxLength={2000}
                     onChange={(e) => { setReason(e.target.value); errors.clearField('reason'); }} />
    </FormDialog>
  );
}
