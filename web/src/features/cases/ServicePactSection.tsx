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
import { ENUMS } from '../../api/enums.gen';
import { ifMatch } from '../../api/etag';
import { ApiError, isApiError } from '../../api/problem';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import type { CaseDetail } from '../../api/types';
import { allows } from '../../components/Actions';
import { DataList } from '../../components/DataList';
import { SelectField, TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { ErrorState, Loading } from '../../components/States';
import { useErrorMessage } from '../../components/errors';
import { useFormErrors } from '../../components/useFormErrors';
import i18n from '../../i18n';
import { formatDate, formatDateTime } from '../../lib/format';
import { downloadDocument } from '../documents/DocumentsSection';

export type ServicePact = components['schemas']['ServicePactOut'];
type PactInput = components['schemas']['ServicePactInput'];
type ActionKind = components['schemas']['PactActionKind'];
type ProfileKind = components['schemas']['PactProfileKind'];
type ProfileValue = components['schemas']['PactProfileValue'];
type Frequency = components['schemas']['MeetingFrequency'];

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

interface ActionRow { id?: string | null; kind: ActionKind; description: string; due_date: string; timing: string }

function ReviseDialog({ c, pact, etag, documents, onClose }: {
  c: CaseDetail;
  pact: ServicePact;
  etag: string | null;
  documents: components['schemas']['DocumentOut'][];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const profile = useProfileLabel();
  const errors = useFormErrors();
  const [summary, setSummary] = useState(pact.summary);
  const [kind, setKind] = useState<ProfileKind | ''>(pact.profile_kind ?? '');
  const [value, setValue] = useState<ProfileValue | ''>(pact.profile_value ?? '');
  const [assessment, setAssessment] = useState(pact.assessment ?? '');
  const [frequency, setFrequency] = useState<Frequency | ''>(pact.meeting_frequency ?? '');
  const [proof, setProof] = useState(pact.job_search_proof ?? '');
  const [signedId, setSignedId] = useState(pact.signed_document_id ?? '');
  const [rows, setRows] = useState<ActionRow[]>(pact.actions.map((a) => ({
    id: a.id, kind: a.kind, description: a.description, due_date: a.due_date ?? '', timing: a.timing ?? '',
  })));
  const save = useMutation({
    mutationFn: () => {
      const body: PactInput = {
        summary: summary.trim(),
        profile_kind: kind || null,
        profile_value: value || null,
        assessment: assessment.trim() || null,
        meeting_frequency: frequency || null,
        job_search_proof: proof.trim() || null,
        signed_document_id: signedId || null,
        actions: rows.map((r) => ({
          id: r.id ?? null, kind: r.kind, description: r.description.trim(),
          due_date: r.due_date || null, timing: r.timing.trim() || null,
        })),
      };
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
  const values = (ENUMS.PactProfileValue as readonly ProfileValue[])
    .filter((v) => (kind === 'dul' ? v.startsWith('band_') : kind === 'gol' ? v.startsWith('pathway_') : false));
  const setRow = (i: number, patch: Partial<ActionRow>) => {
    setRows((rs) => rs.map((r, n) => (n === i ? { ...r, ...patch } : r)));
    errors.clearField(`actions[${i}].description`);
  };
  return (
    <FormDialog isOpen size="lg" title={t('pact.reviseTitle', { version: pact.version + 1 })} submitLabel={t('pact.save')}
                pending={save.isPending} general={errors.general} onCancel={onClose} onSubmit={() => {
                  const missing: Record<string, string> = {};
                  if (summary.trim().length < 3) missing.summary = t('validation.required');
                  if (kind && !value) missing.profile_value = t('validation.required');
                  rows.forEach((r, i) => { if (r.description.trim().length < 3) missing[`actions[${i}].description`] = t('validation.required'); });
                  if (Object.keys(missing).length) { errors.setFields(missing); return; }
                  save.mutate();
                }}>
      <TextAreaField id="pact-summary" label={t('pact.summary')} required value={summary} error={errors.fields.summary}
                     hint={t('pact.summaryHint')} onChange={(e) => { setSummary(e.target.value); errors.clearField('summary'); }} />
      <div className="row">
        <div className="col-12 col-md-6">
          <SelectField id="pact-profile-kind" label={t('pact.programme')} value={kind} error={errors.fields.profile_kind}
                       placeholder={t('pact.noProfile')}
                       options={(ENUMS.PactProfileKind as readonly ProfileKind[]).map((k) => ({ value: k, label: t(`pact.programmes.${k}`) }))}
                       onChange={(e) => { setKind(e.target.value as ProfileKind | ''); setValue(''); errors.clearField('profile_kind'); }} />
        </div>
        <div className="col-12 col-md-6">
          <SelectField id="pact-profile-value" label={t('pact.profileLabel')} value={value} error={errors.fields.profile_value}
                       placeholder={t('pact.choose')} disabled={!kind}
                       options={values.map((v) => ({ value: v, label: profile(v) }))}
                       onChange={(e) => { setValue(e.target.value as ProfileValue | ''); errors.clearField('profile_value'); }} />
        </div>
      </div>
      <TextAreaField id="pact-assessment" label={t('pact.assessment')} value={assessment} error={errors.fields.assessment}
                     onChange={(e) => setAssessment(e.target.value)} />
      <fieldset className="mb-4">
        <legend className="app-label fs-6 fw-semibold">{t('pact.actions')}</legend>
        {rows.map((r, i) => (
          <div key={i} className="border rounded p-3 mb-2" data-testid="pact-action-row">
            <div className="row">
              <div className="col-12 col-md-4">
                <SelectField id={`pact-action-${i}-kind`} label={t('pact.actionKindLabel')} value={r.kind}
                             options={(ENUMS.PactActionKind as readonly ActionKind[]).map((k) => ({ value: k, label: t(`pact.actionKind.${k}`) }))}
                             onChange={(e) => setRow(i, { kind: e.target.value as ActionKind })} />
              </div>
              <div className="col-12 col-md-8">
                <TextField id={`pact-action-${i}-description`} label={t('pact.actionDescription')} required value={r.description}
                           error={errors.fields[`actions[${i}].description`]} onChange={(e) => setRow(i, { description: e.target.value })} />
              </div>
              <div className="col-6">
                <TextField id={`pact-action-${i}-due`} type="date" label={t('pact.actionDue')} value={r.due_date}
                           error={errors.fields[`actions[${i}].due_date`]} onChange={(e) => setRow(i, { due_date: e.target.value })} />
              </div>
              <div className="col-6">
                <TextField id={`pact-action-${i}-timing`} label={t('pact.actionTiming')} value={r.timing}
                           error={errors.fields[`actions[${i}].timing`]} onChange={(e) => setRow(i, { timing: e.target.value })} />
              </div>
            </div>
            <Button color="danger" outline size="sm" type="button" onClick={() => setRows((rs) => rs.filter((_, n) => n !== i))}>
              {t('pact.removeAction')}<span className="visually-hidden"> {i + 1}</span>
            </Button>
          </div>
        ))}
        {errors.fields.actions && <div className="invalid-feedback d-block" role="alert">{errors.fields.actions}</div>}
        <Button color="primary" outline size="sm" type="button" disabled={rows.length >= 30} data-testid="pact-add-action"
                onClick={() => setRows((rs) => [...rs, { kind: 'job_search', description: '', due_date: '', timing: '' }])}>
          {t('pact.addAction')}
        </Button>
      </fieldset>
      <SelectField id="pact-frequency" label={t('pact.frequency')} value={frequency} error={errors.fields.meeting_frequency}
                   placeholder={t('pact.toAgree')}
                   options={(ENUMS.MeetingFrequency as readonly Frequency[]).map((f) => ({ value: f, label: t(`pact.frequencies.${f}`) }))}
                   onChange={(e) => setFrequency(e.target.value as Frequency | '')} />
      <TextAreaField id="pact-proof" label={t('pact.proof')} value={proof} error={errors.fields.job_search_proof}
                     hint={t('pact.proofHint')} onChange={(e) => setProof(e.target.value)} />
      <SelectField id="pact-signed" label={t('pact.signed')} value={signedId} error={errors.fields.signed_document_id}
                   placeholder={t('pact.notSigned')} hint={t('pact.signedHint')}
                   options={documents.map((d) => ({ value: d.id, label: d.file_name }))}
                   onChange={(e) => { setSignedId(e.target.value); errors.clearField('signed_document_id'); }} />
    </FormDialog>
  );
}
