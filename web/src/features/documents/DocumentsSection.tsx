// The documents attached to a referral or a case (curriculum, attestati), filed with a network
// (statutes, reports — and its agreements' texts) or with an agreement (its signed text): listed
// with their kind, size, who and when; downloaded with the session's token (the API needs the
// Authorization header, so a plain link would not do); uploaded where the record's
// `allowed_actions` offers `upload_document`; deleted where the document's own offers `delete`.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { authFetch } from '../../api/authFetch';
import { API_ORIGIN } from '../../api/base';
import { api, unwrap } from '../../api/client';
import { ApiError, isApiError } from '../../api/problem';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import i18n from '../../i18n';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useErrorMessage } from '../../components/errors';
import { formatDateTime } from '../../lib/format';

export type DocumentMeta = components['schemas']['DocumentOut'];

/** What the file input offers; the server decides by content anyway. */
export const ACCEPTED = '.pdf,.png,.jpg,.jpeg,.tif,.tiff,.docx,.xlsx,.odt,.ods,' + [
  'application/pdf', 'image/png', 'image/jpeg', 'image/tiff',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet',
].join(',');

const KINDS: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/tiff': 'TIFF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
};

/** 1536 → "1,5 KB", as Italians write it (English with the English UI). */
export function formatSize(bytes: number): string {
  const locale = i18n.language === 'en' ? 'en-GB' : 'it-IT';
  const units = ['B', 'KB', 'MB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

async function send(req: Request): Promise<Response> {
  req.headers.set('Accept-Language', i18n.language === 'en' ? 'en' : 'it');
  let res: Response;
  try {
    res = await authFetch(req);
  } catch (e) {
    throw ApiError.network(e);
  }
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => null);
    throw ApiError.fromResponse(res, body);
  }
  return res;
}

/** Fetches the bytes with the bearer token and hands them to the browser as a download. */
export async function downloadDocument(d: DocumentMeta): Promise<void> {
  const res = await send(new Request(`${API_ORIGIN}/api/v1/documents/${encodeURIComponent(d.id)}`));
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = d.file_name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export type DocumentOwner = 'referral' | 'case' | 'network' | 'agreement';

const RESOURCE = { referral: 'referrals', case: 'cases', network: 'networks', agreement: 'agreements' } as const;

function listOf(owner: DocumentOwner, id: string) {
  const params = { params: { path: { id }, query: { limit: 200 } } };
  switch (owner) {
    case 'referral': return unwrap(api.GET('/api/v1/referrals/{id}/documents', params));
    case 'case': return unwrap(api.GET('/api/v1/cases/{id}/documents', params));
    case 'network': return unwrap(api.GET('/api/v1/networks/{id}/documents', params));
    case 'agreement': return unwrap(api.GET('/api/v1/agreements/{id}/documents', params));
  }
}

/** The upload: a referral's or a case's through `POST /documents` (its id in the form), a network's or an agreement's under it. */
function uploadRequest(owner: DocumentOwner, id: string, f: File): Request {
  const form = new FormData();
  if (owner === 'referral' || owner === 'case') form.append(owner === 'referral' ? 'referral_id' : 'case_id', id);
  form.append('file', f, f.name);
  const url = owner === 'network' ? `/api/v1/networks/${encodeURIComponent(id)}/documents`
    : owner === 'agreement' ? `/api/v1/agreements/${encodeURIComponent(id)}/documents` : '/api/v1/documents';
  return new Request(`${API_ORIGIN}${url}`, { method: 'POST', body: form });
}

/** Sends one file to where `owner` keeps its documents; the metadata the API answers. */
export async function uploadDocument(owner: DocumentOwner, id: string, f: File): Promise<DocumentMeta> {
  const res = await send(uploadRequest(owner, id, f));
  return (await res.json()) as DocumentMeta;
}

export function DocumentsSection({ owner, id, canUpload, title, level = 2, accept = ACCEPTED, fileLabel, hint }: {
  owner: DocumentOwner;
  id: string;
  canUpload: boolean;
  /** The section's heading (default "Documenti"). */
  title?: string;
  /** The heading's level, where the section sits inside another. */
  level?: 2 | 3 | 4;
  /** What the file input offers. */
  accept?: string;
  /** The file input's label and hint (default: a referral's or a case's). */
  fileLabel?: string;
  hint?: string;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const headingId = useId();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [deleting, setDeleting] = useState<DocumentMeta | null>(null);
  const key = queryKeys.sub(RESOURCE[owner], id, 'documents');
  // An agreement's text is listed with its network's documents too.
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: key }),
    owner === 'agreement' ? qc.invalidateQueries({ queryKey: queryKeys.all('networks') }) : null]);
  const list = useQuery({ queryKey: key, queryFn: () => listOf(owner, id) });
  const upload = useMutation({
    mutationFn: (f: File) => uploadDocument(owner, id, f),
    onSuccess: () => {
      setFile(null);
      if (input.current) input.current.value = '';
      void refresh();
    },
  });
  const download = useMutation({ mutationFn: downloadDocument });
  const remove = useMutation({
    mutationFn: (d: DocumentMeta) => unwrap(api.DELETE('/api/v1/documents/{id}', { params: { path: { id: d.id } } })),
    onSuccess: () => { setDeleting(null); void refresh(); },
    onError: () => setDeleting(null),
  });
  const uploadError = (e: unknown) => {
    if (isApiError(e) && e.status === 415) return t('documents.errors.unsupported');
    if (isApiError(e) && e.status === 413) return t('documents.errors.tooLarge');
    return message(e);
  };
  const items = list.data?.items ?? [];
  const Heading = `h${level}` as const;
  return (
    <section aria-labelledby={headingId} className="mb-4" data-testid={owner === 'agreement' ? 'agreement-documents' : 'documents'}>
      <Heading id={headingId} className={level === 2 ? 'h4' : 'h6'}>{title ?? t('documents.title')}</Heading>
      {list.isError && <div className="alert alert-danger" role="alert">{message(list.error)}</div>}
      {(download.isError || remove.isError) && (
        <div className="alert alert-danger" role="alert">{message(download.error ?? remove.error)}</div>
      )}
      {list.isPending ? <p>{t('common.loading')}</p> : items.length === 0 ? <p>{t('documents.none')}</p> : (
        <div className="table-responsive">
          <table className="table table-sm align-middle">
            <caption className="visually-hidden">{t('documents.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('documents.name')}</th>
                <th scope="col">{t('documents.kind')}</th>
                <th scope="col">{t('documents.size')}</th>
                <th scope="col">{t('documents.uploaded')}</th>
                <th scope="col"><span className="visually-hidden">{t('common.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id}>
                  <td className="text-break">{d.file_name}</td>
                  <td>{KINDS[d.media_type] ?? d.media_type}</td>
                  <td>{formatSize(d.size_bytes)}</td>
                  <td>{d.uploaded_by_name ?? d.uploaded_by}, {formatDateTime(d.uploaded_at)}</td>
                  <td className="text-end text-nowrap">
                    <Button color="primary" outline size="sm" className="me-2" disabled={download.isPending}
                            onClick={() => download.mutate(d)}>
                      {t('documents.download')}<span className="visually-hidden"> — {d.file_name}</span>
                    </Button>
                    {d.allowed_actions.includes('delete') && (
                      <Button color="danger" outline size="sm" onClick={() => setDeleting(d)}>
                        {t('documents.delete')}<span className="visually-hidden"> — {d.file_name}</span>
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canUpload && (
        <form className="mt-3" onSubmit={(e) => { e.preventDefault(); if (file) upload.mutate(file); }}>
          <div className="mb-2">
            <label htmlFor={inputId} className="form-label d-block">{fileLabel ?? t('documents.file')}</label>
            <input id={inputId} ref={input} type="file" className="form-control" accept={accept}
                   aria-describedby={`${inputId}-hint`}
                   onChange={(e) => { setFile(e.target.files?.[0] ?? null); upload.reset(); }} />
            <small id={`${inputId}-hint`} className="form-text">{hint ?? t('documents.hint')}</small>
          </div>
          {upload.isError && <div className="alert alert-danger" role="alert">{uploadError(upload.error)}</div>}
          {upload.isSuccess && <div className="alert alert-success" role="status">{t('documents.uploaded_ok')}</div>}
          <Button color="primary" type="submit" disabled={!file || upload.isPending}>
            {upload.isPending ? t('documents.uploading') : t('documents.upload')}
          </Button>
        </form>
      )}
      <ConfirmDialog isOpen={deleting !== null} title={t('documents.deleteTitle')} confirmLabel={t('documents.delete')} danger
                     onConfirm={() => { if (deleting) remove.mutate(deleting); }} onCancel={() => setDeleting(null)}>
        {t('documents.deleteText', { name: deleting?.file_name ?? '' })}
      </ConfirmDialog>
    </section>
  );
}
