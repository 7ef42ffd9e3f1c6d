// The case's service pact (patto di servizio personalizzato): the version in force — operator,
// employability profile, actions with their timing and done marks, meeting frequency, proof of
// job search, the signed copy —, its history, the printable PDF, and the form that revises it
// (a new version, sent with the ETag it was read at) where the pact offers `edit_service_pact`.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authFetch } from '../../api/authFetch';
import { API_ORIGIN } from '../../api/base';
import { api, unwrap, unwrapVersioned } from '../../api/client';
import { ifMatch } from '../../api/etag';
import { ApiError, isApiError } from '../../api/problem';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import type { CaseDetail } from '../../api/types';
import { allows } from '../../components/Actions';
import { DataList } from '../../components/DataList';
import { SelectField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { ErrorState, Loading } from '../../components/States';
import { useErrorMessage } from '../../components/errors';
import { useFormErrors } from '../../components/useFormErrors';
import i18n from '../../i18n';
import { formatDate, formatDateTime } from '../../lib/format';
import { downloadDocument } from '../documents/DocumentsSection';
import { PactFields, pactMissing, usePactForm } from './PactFields';

export type ServicePact = components['schemas']['ServicePactOut'];
type PactInput = components['schemas']['ServicePactInput'];
type ProfileValue = components['schemas']['PactProfileValue'];

export function pactKey(caseId: string) {
  return queryKeys.sub('cases', caseId, 'service-pact');
}

/** The pact in force with its ETag; a 404 (before take-charge) is not retried. */
export function usePact(caseId: string) {
  return useQuery({
    queryKey: pactKey(caseId),
    queryFn: () => unwrapVersioned(api.GET('/api/v1/cases/{id}/service-pact', { params: { path: { id: caseId } } })),
    retry: (n, e) => !(isApiError(e) && e.status === 404) && n < 2,
  });
}

/** "Fascia 1 di aiuto DUL", "Percorso GOL 1 – reinserimento lavorativo". */
export function useProfileLabel() {
  const { t } = useTranslation();
  return (v: ProfileValue | null | undefined) => (v ? t(`pact.profile.${v}`) : t('pact.noProfile'));
}

async function downloadPdf(caseId: string, version: number): Promise<void> {
  const req = new Request(`${API_ORIGIN}/api/v1/cases/${encodeURIComponent(caseId)}/service-pact.pdf`);
  req.headers.set('Accept-Language', i18n.language === 'en' ? 'en' : 'it');
  let res: Response;
  try {
    res = await authFetch(req);
  } catch (e) {
    throw ApiError.network(e);
  }
  if (!res.ok) throw ApiError.fromResponse(res, await res.json().catch(() => null));
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = `patto-di-servizio-v${version}.pdf`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function ServicePactSection({ c }: { c: CaseDetail }) {
  const { t } = useTranslation();
  const message = useErrorMessage();
  const profile = useProfileLabel();
  const [editing, setEditing] = useState(false);
  const [history, setHistory] = useState(false);
  const q = usePact(c.id);
  const docs = useQuery({
    queryKey: queryKeys.sub('cases', c.id, 'documents'),
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/documents', { params: { path: { id: c.id }, query: { limit: 200 } } })),
  });
  const versions = useQuery({
    queryKey: [...pactKey(c.id), 'versions'],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/service-pact/versions', { params: { path: { id: c.id }, query: { limit: 50 } } })),
    enabled: history,
  });
  const pdf = useMutation({ mutationFn: (v: number) => downloadPdf(c.id, v) });
  const signed = useMutation({ mutationFn: downloadDocument });
  const notYet = q.isError && isApiError(q.error) && q.error.status === 404;
  return (
    <section aria-labelledby="pact-title" className="mb-4" data-testid="service-pact">
      <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2">
        <h2 id="pact-title" className="h4 mb-0">{t('pact.title')}</h2>
        {q.data && (
          <div className="d-flex flex-wrap gap-2">
            <Button color="primary" outline size="sm" type="button" disabled={pdf.isPending}
                    onClick={() => pdf.mutate(q.data.record.version)} data-testid="pact-pdf">
              {t('pact.downloadPdf')}
            </Button>
            {allows(q.data.record, 'edit_service_pact') && (
              <Button color="primary" size="sm" type="button" onClick={() => setEditing(true)} data-testid="pact-edit">
                {t('pact.revise')}
              </Button>
            )}
          </div>
        )}
      </div>
      {(pdf.isError || signed.isError) && <div className="alert alert-danger" role="alert">{message(pdf.error ?? signed.error)}</div>}
      {q.isPending ? <Loading /> : notYet ? <p>{t('pact.notYet')}</p> : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (() => {
        const p = q.data.record;
        const doc = docs.data?.items.find((d) => d.id === p.signed_document_id);
        return (
          <>
            <p className="small text-secondary" data-testid="pact-version">
              {t('pact.versionOf', { version: p.version, date: formatDateTime(p.created_at) })}
            </p>
            <DataList items={[
              [t('pact.responsible'), p.responsible?.full_name ?? '—'],
              [t('pact.profileLabel'), <span data-testid="pact-profile">{profile(p.profile_value)}</span>],
              ...(p.assessment ? [[t('pact.assessment'), p.assessment]] as [string, string][] : []),
              [t('pact.frequency'), p.meeting_frequency ? t(`pact.frequencies.${p.meeting_frequency}`) : t('pact.toAgree')],
              [t('pact.proof'), p.job_search_proof ?? '—'],
              [t('pact.signed'), p.signed_document_id ? (
                <Button color="link" className="p-0" type="button" onClick={() => doc && signed.mutate(doc)} disabled={!doc}>
                  {doc?.file_name ?? t('pact.signedMissing')}
                </Button>
              ) : t('pact.notSigned')],
            ]} />
            <h3 className="h6">{t('pact.summary')}</h3>
            <p className="text-pre-line">{p.summary}</p>
            <h3 className="h6">{t('pact.actions')}</h3>
            {p.actions.length === 0 ? <p>{t('pact.noActions')}</p> : (
              <ul className="list-group mb-3" data-testid="pact-actions">
                {p.actions.map((a) => (
                  <li key={a.id} className="list-group-item d-flex flex-wrap justify-content-between gap-2">
                    <div>
                      <strong>{t(`pact.actionKind.${a.kind}`)}</strong> · {a.description}
                      {(a.due_date || a.timing) && (
                        <div className="small">
                          {a.due_date && t('pact.dueBy', { date: formatDate(a.due_date) })}
                          {a.due_date && a.timing && ' · '}
                          {a.timing}
                        </div>
                      )}
                    </div>
                    {a.done_at
                      ? <span className="badge bg-success">{t('pact.done', { date: formatDate(a.done_at) })}</span>
                      : <span className="badge bg-light text-dark border">{t('pact.toDo')}</span>}
                  </li>
                ))}
              </ul>
            )}
            <Button color="link" className="p-0" type="button" aria-expanded={history}
                    aria-controls="pact-history" onClick={() => setHistory((h) => !h)}>
              {history ? t('pact.hideHistory') : t('pact.showHistory')}
            </Button>
            {history && (
              <div id="pact-history" className="mt-2">
                {versions.isPending ? <Loading /> : versions.isError ? <ErrorState error={versions.error} onRetry={() => void versions.refetch()} /> : (
                  <ol className="small" reversed data-testid="pact-history">
                    {versions.data.items.map((v) => (
                      <li key={v.version}>
                        {t('pact.versionOf', { version: v.version, date: formatDateTime(v.created_at) })}
                        {v.current && <> · <strong>{t('pact.current')}</strong></>}
                        {' — '}{v.summary}
                      </li>
                    ))}
                  </ol>
                )}
              </div>
            )}
            {editing && <ReviseDialog c={c} pact={p} etag={q.data.etag}
                                      documents={docs.data?.items ?? []} onClose={() => setEditing(false)} />}
          </>
        );
      })()}
    </section>
  );
}

function ReviseDialog({ c, pact, etag, documents, onClose }: {
  c: CaseDetail;
  pact: ServicePact;
  etag: string | null;
  documents: components['schemas']['DocumentOut'][];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const errors = useFormErrors();
  const form = usePactForm(pact);
  const [signedId, setSignedId] = useState(pact.signed_document_id ?? '');
  const save = useMutation({
    mutationFn: () => {
      const body: PactInput = { ...form.body(), signed_document_id: signedId || null };
      return unwrap(api.PUT('/api/v1/cases/{id}/service-pact', {
        params: { path: { id: c.id }, header: ifMatch(etag) }, body,
      }));
    },
    onSuccess: async () => {
      await Promise.all([
        qc.invalidateQueries({ queryKey: pactKey(c.id) }),
        qc.invalidateQueries({ queryKey: queryKeys.detail('cases', c.id) }),
        qc.invalidateQueries({ queryKey: queryKeys.sub('cases', c.id, 'timeline') }),
      ]);
      onClose();
    },
    onError: (e) => errors.fromError(e),
  });
  return (
    <FormDialog isOpen size="lg" title={t('pact.reviseTitle', { version: pact.version + 1 })} submitLabel={t('pact.save')}
                pending={save.isPending} general={errors.general} onCancel={onClose} onSubmit={() => {
                  const missing = pactMissing(form, '', t('validation.required'), t('dateField.invalid'));
                  if (Object.keys(missing).length) { errors.setFields(missing); return; }
                  save.mutate();
                }}>
      <PactFields caseId={c.id} form={form} errors={errors} />
      <SelectField id="pact-signed" label={t('pact.signed')} value={signedId} error={errors.fields.signed_document_id}
                   placeholder={t('pact.notSigned')} hint={t('pact.signedHint')}
                   options={documents.map((d) => ({ value: d.id, label: d.file_name }))}
                   onChange={(e) => { setSignedId(e.target.value); errors.clearField('signed_document_id'); }} />
    </FormDialog>
  );
}
