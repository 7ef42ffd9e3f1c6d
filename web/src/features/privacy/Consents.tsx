// The legal basis of a person in the referral flow and on the person's page: the privacy notice
// (informativa) in force for the services, recorded as given (how: in person, signed paper…)
// before a referral goes to the table; the consents where consent is the basis, with their
// state, recorded and withdrawn.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../api/queryKeys';
import { allows } from '../../components/Actions';
import { DateField } from '../../components/DateField';
import { SelectField, TextAreaField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { ErrorState, Loading } from '../../components/States';
import { useErrorMessage } from '../../components/errors';
import { formatDate, formatDateTime } from '../../lib/format';
import {
  CONSENT_METHODS, CONSENT_PURPOSES, privacyApi, SERVICES_PURPOSE, servicesNotice, type Consent, type ConsentMethod,
  type PrivacyNotice, type PrivacyPurpose,
} from './api';

/**
 * The notice in force for the services' purpose. `undefined` while loading; `null` when the
 * district has none (or the server keeps no notices): then nothing is asked before a referral.
 */
export function useServicesNotice(): PrivacyNotice | null | undefined {
  const q = useQuery({
    queryKey: queryKeys.list('privacy-notices', { current: true }),
    queryFn: () => privacyApi.currentNotices(),
    staleTime: 60_000,
    retry: false,
  });
  if (q.isPending) return undefined;
  if (q.isError) return null;
  return q.data.items.find((n) => n.purpose === SERVICES_PURPOSE) ?? null;
}

export function usePersonConsents(personId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.sub('persons', personId ?? '', 'consents'),
    queryFn: () => privacyApi.consents(personId!),
    enabled: !!personId,
    retry: false,
  });
}

function methodOptions(t: (k: string) => string) {
  return CONSENT_METHODS.map((m) => ({ value: m, label: t(`privacy.method.${m}`) }));
}

/** The notice's title, version and text (collapsed), to read or hand over. */
export function NoticeText({ notice }: { notice: PrivacyNotice }) {
  const { t } = useTranslation();
  return (
    <details className="mb-3">
      <summary>{t('privacy.noticeVersion', { title: notice.title, version: notice.version, from: formatDate(notice.valid_from) })}</summary>
      <div className="mt-2 small" style={{ whiteSpace: 'pre-wrap' }}>{notice.body}</div>
    </details>
  );
}

export interface NoticeChoice {
  method: ConsentMethod | '';
  /** Coordinator only: send without the notice, with this reason. */
  override: boolean;
  reason: string;
}

export const EMPTY_NOTICE_CHOICE: NoticeChoice = { method: '', override: false, reason: '' };

/**
 * "Informativa privacy" on the new-referral page: already given (when, version), or how it is
 * being given now; the coordinator, recording a referral received on behalf of a service, may
 * send it without, saying why (the API audits it).
 */
export function NoticeFieldset({ notice, given, choice, set, errors, canOverride }: {
  notice: PrivacyNotice;
  given: Consent | undefined;
  choice: NoticeChoice;
  set: (next: NoticeChoice) => void;
  errors: Record<string, string>;
  canOverride: boolean;
}) {
  const { t } = useTranslation();
  return (
    <fieldset className="mb-4" id="privacy_notice" data-testid="notice-fieldset">
      <legend className="h5">{t('privacy.noticeLegend')}</legend>
      {given ? (
        <p data-testid="notice-given">
          {t('privacy.noticeGivenOn', { date: formatDateTime(given.given_at), version: given.notice_version ?? '' })}{' '}
          ({t(`privacy.method.${given.method}`)})
        </p>
      ) : (
        <>
          <p className="small">{t('privacy.noticeIntro')}</p>
          <NoticeText notice={notice} />
          <SelectField id="notice_method" label={t('privacy.noticeMethod')} required={!choice.override} className="col-md-6 px-0"
                       value={choice.method} error={errors.notice_method} placeholder={t('common.choose')}
                       disabled={choice.override} options={methodOptions(t)}
                       onChange={(e) => set({ ...choice, method: e.target.value as ConsentMethod })} />
          {choice.method === 'signed_paper' && <p className="small">{t('privacy.signedPaperHint')}</p>}
          {canOverride && (
            <>
              <div className="form-check mb-3">
                <input id="notice_override" type="checkbox" checked={choice.override}
                       onChange={(e) => set({ ...choice, override: e.target.checked, method: e.target.checked ? '' : choice.method })} />
                <label htmlFor="notice_override">{t('privacy.overrideLabel')}</label>
              </div>
              {choice.override && (
                <TextAreaField id="notice_override_reason" label={t('privacy.overrideReason')} required rows={3} maxLength={2000}
                               hint={t('privacy.overrideHint')} value={choice.reason} error={errors.notice_override_reason}
                               onChange={(e) => set({ ...choice, reason: e.target.value })} />
              )}
            </>
          )}
        </>
      )}
    </fieldset>
  );
}

/** What the fieldset lacks before a submit (field → message). */
export function validateNotice(choice: NoticeChoice, t: (k: string) => string): Record<string, string> {
  if (choice.override) return choice.reason.trim().length < 3 ? { notice_override_reason: t('privacy.overrideReasonRequired') } : {};
  return choice.method ? {} : { notice_method: t('privacy.noticeMethodRequired') };
}

/**
 * After a `409 notice_missing`: says why the referral did not go, and records the notice here
 * (how it was given), then `onRecorded` (the caller sends again).
 */
export function NoticeMissingPanel({ personId, onRecorded }: { personId: string; onRecorded: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const notice = useServicesNotice();
  const [method, setMethod] = useState<ConsentMethod | ''>('');
  const [error, setError] = useState<string | undefined>();
  const record = useMutation({
    mutationFn: () => privacyApi.recordConsent(personId, { kind: 'notice', notice_id: notice!.id, method: method as ConsentMethod }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: queryKeys.sub('persons', personId, 'consents') });
      onRecorded();
    },
  });
  return (
    <div className="alert alert-warning" role="alert" data-testid="notice-missing">
      <h2 className="h5">{t('privacy.missingTitle')}</h2>
      <p>{t('privacy.missingText')}</p>
      {notice === undefined ? <Loading /> : notice === null ? <p className="mb-0">{t('privacy.noNotice')}</p> : (
        <form noValidate onSubmit={(e) => {
          e.preventDefault();
          if (!method) { setError(t('privacy.noticeMethodRequired')); return; }
          record.mutate();
        }}>
          <NoticeText notice={notice} />
          <SelectField id="missing_notice_method" label={t('privacy.noticeMethod')} required className="col-md-6 px-0"
                       value={method} error={error} placeholder={t('common.choose')} options={methodOptions(t)}
                       onChange={(e) => { setMethod(e.target.value as ConsentMethod); setError(undefined); }} />
          {record.isError && <p className="text-danger">{message(record.error)}</p>}
          <Button color="primary" type="submit" disabled={record.isPending}>{t('privacy.recordAndSend')}</Button>
        </form>
      )}
    </div>
  );
}

/** "Informativa e consensi" on the person's page: the notices given, the consents and their state. */
export function PersonConsentsSection({ personId, canWrite }: { personId: string; canWrite: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const q = usePersonConsents(personId);
  const notice = useServicesNotice();
  const [adding, setAdding] = useState(false);
  const [kind, setKind] = useState<'notice' | PrivacyPurpose>('notice');
  const [method, setMethod] = useState<ConsentMethod | ''>('');
  const [expires, setExpires] = useState('');
  const [formError, setFormError] = useState<string | undefined>();
  const [withdrawing, setWithdrawing] = useState<Consent | null>(null);
  const [reason, setReason] = useState('');
  const refresh = () => qc.invalidateQueries({ queryKey: queryKeys.sub('persons', personId, 'consents') });
  const add = useMutation({
    mutationFn: () => privacyApi.recordConsent(personId, kind === 'notice'
      ? { kind: 'notice', notice_id: notice!.id, method: method as ConsentMethod }
      : { kind: 'consent', purpose: kind, method: method as ConsentMethod, ...(expires ? { expires_on: expires } : {}) }),
    onSuccess: async () => { setAdding(false); setMethod(''); setExpires(''); await refresh(); },
  });
  const withdraw = useMutation({
    mutationFn: (c: Consent) => privacyApi.withdrawConsent(personId, c.id, reason),
    onSuccess: async () => { setWithdrawing(null); setReason(''); await refresh(); },
  });
  const items = q.data?.items ?? [];
  const kinds = [...(notice ? ['notice' as const] : []), ...CONSENT_PURPOSES];
  return (
    <section aria-labelledby="consents-title" className="mt-5" data-testid="consents">
      <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2">
        <h2 id="consents-title" className="h4 mb-0">{t('privacy.consentsTitle')}</h2>
        {canWrite && q.isSuccess && (
          <Button color="primary" outline size="sm" type="button" onClick={() => { setAdding(true); add.reset(); }}>
            {t('privacy.recordConsent')}
          </Button>
        )}
      </div>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : (
        <>
          {!servicesNotice(items) && <p className="text-danger fw-semibold" data-testid="no-services-notice">{t('privacy.noServicesNotice')}</p>}
          {items.length === 0 ? <p>{t('privacy.noConsents')}</p> : (
            <ul className="list-unstyled">
              {items.map((c) => (
                <li key={c.id} className="border-bottom py-2 d-flex flex-wrap justify-content-between gap-2" data-testid="consent">
                  <div>
                    <span className="fw-semibold">{c.kind === 'notice' ? t('privacy.noticeOf', { purpose: c.purpose_label }) : c.purpose_label}</span>
                    {c.notice_version != null && <> · {t('privacy.version', { version: c.notice_version })}</>}
                    <br />
                    <small>
                      <span className={`badge me-2 ${c.status === 'given' ? 'bg-success' : 'bg-secondary'}`} data-status={c.status}>
                        {t(`privacy.consentStatus.${c.status}`)}
                      </span>
                      {t(`privacy.method.${c.method}`)} · {formatDateTime(c.given_at)}
                      {c.expires_on && <> · {t('privacy.expiresOn', { date: formatDate(c.expires_on) })}</>}
                      {c.withdrawn_at && <> · {t('privacy.withdrawnOn', { date: formatDateTime(c.withdrawn_at) })}</>}
                      {c.withdrawal_reason && <> — {c.withdrawal_reason}</>}
                    </small>
                  </div>
                  {canWrite && allows(c, 'withdraw') && (
                    <Button color="danger" outline size="sm" type="button" onClick={() => { setWithdrawing(c); withdraw.reset(); }}>
                      {t('privacy.withdraw')}<span className="visually-hidden"> — {c.purpose_label}</span>
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <FormDialog isOpen={adding} title={t('privacy.recordConsent')} submitLabel={t('privacy.record')} pending={add.isPending}
                  general={add.isError ? message(add.error) : null} onCancel={() => setAdding(false)}
                  onSubmit={() => {
                    if (!method) { setFormError(t('privacy.noticeMethodRequired')); return; }
                    add.mutate();
                  }}>
        <SelectField id="consent_kind" label={t('privacy.what')} required value={kind}
                     options={kinds.map((k) => ({ value: k, label: k === 'notice' ? t('privacy.kindNotice') : t(`privacy.purpose.${k}`) }))}
                     onChange={(e) => setKind(e.target.value as 'notice' | PrivacyPurpose)} />
        {kind === 'notice' && notice && <NoticeText notice={notice} />}
        <SelectField id="consent_method" label={t('privacy.noticeMethod')} required value={method} error={formError}
                     placeholder={t('common.choose')} options={methodOptions(t)}
                     onChange={(e) => { setMethod(e.target.value as ConsentMethod); setFormError(undefined); }} />
        {kind !== 'notice' && (
          <DateField id="consent_expires" label={t('privacy.expiresLabel')} value={expires} onChange={setExpires} />
        )}
      </FormDialog>
      <FormDialog isOpen={!!withdrawing} title={t('privacy.withdrawTitle')} submitLabel={t('privacy.withdraw')} danger
                  pending={withdraw.isPending} general={withdraw.isError ? message(withdraw.error) : null}
                  onCancel={() => setWithdrawing(null)} onSubmit={() => withdrawing && withdraw.mutate(withdrawing)}>
        <p>{t('privacy.withdrawText', { purpose: withdrawing?.purpose_label ?? '' })}</p>
        <TextAreaField id="withdraw_reason" label={t('common.reasonOptional')} rows={3} maxLength={2000} value={reason}
                       onChange={(e) => setReason(e.target.value)} />
      </FormDialog>
    </section>
  );
}
