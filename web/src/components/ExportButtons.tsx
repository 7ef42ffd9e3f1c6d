// "Esporta": the list on screen, with its filters, taken into Excel (XLSX) or CSV. The export
// runs on the server (POST /exports → 202); this polls its progress and, once the server sends
// the file (the 303 it answers when done), offers it to save.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client';
import { authFetch } from '../api/authFetch';
import { API_ORIGIN } from '../api/base';
import { ApiError } from '../api/problem';
import type { components } from '../api/schema';
import { useErrorMessage } from './errors';

type Schemas = components['schemas'];
export type ExportList = Schemas['ExportList'];
type ExportFormat = Schemas['ExportFormat'];
type ExportOut = Schemas['ExportOut'];

type Status =
  | { kind: 'idle' }
  | { kind: 'running'; format: ExportFormat; rows: number }
  | { kind: 'done'; url: string; name: string; rows: number }
  | { kind: 'error'; message: string };

/** The file name a `Content-Disposition` header gives (`filename*` first). */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      /* fall through */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : fallback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function ExportButtons({ list, filters, pollMs = 700 }: {
  list: ExportList;
  /** The list's filters as its GET route takes them (empty values are left out). */
  filters?: Record<string, string | number | boolean | undefined | null>;
  pollMs?: number;
}) {
  const { t, i18n } = useTranslation();
  const message = useErrorMessage();
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);
  useEffect(() => () => {
    if (status.kind === 'done') URL.revokeObjectURL(status.url);
  }, [status]);

  async function start(format: ExportFormat) {
    const clean = Object.fromEntries(Object.entries(filters ?? {}).filter(([, v]) => v !== '' && v !== undefined && v !== null));
    setStatus({ kind: 'running', format, rows: 0 });
    try {
      const { data, error, response } = await api.POST('/api/v1/exports', { body: { list, format, filters: clean } });
      if (!data) throw ApiError.fromResponse(response, error);
      let rows = 0;
      for (;;) {
        if (!alive.current) return;
        const req = new Request(`${API_ORIGIN}/api/v1/exports/${encodeURIComponent(data.id)}`);
        req.headers.set('Accept-Language', i18n.language === 'en' ? 'en' : 'it');
        let res: Response;
        try {
          res = await authFetch(req);
        } catch (e) {
          throw ApiError.network(e);
        }
        const type = res.headers.get('content-type') ?? '';
        if (!res.ok) throw ApiError.fromResponse(res, await res.json().catch(() => null));
        if (type.includes('json')) {
          const body = (await res.json()) as ExportOut;
          if (body.state === 'failed') throw new ApiError(500, null, body.error ?? 'failed');
          rows = body.rows_done;
          setStatus({ kind: 'running', format, rows });
          await sleep(pollMs);
          continue;
        }
        // Done: the server answered 303 and the browser followed it to the file.
        const name = fileNameOf(res.headers.get('content-disposition'), `${list}.${format}`);
        const url = URL.createObjectURL(await res.blob());
        if (alive.current) setStatus({ kind: 'done', url, name, rows });
        return;
      }
    } catch (e) {
      if (alive.current) setStatus({ kind: 'error', message: message(e) });
    }
  }

  const running = status.kind === 'running';
  return (
    <div className="export-buttons d-flex flex-wrap align-items-center gap-2" role="group" aria-label={t('exports.group')}>
      <button type="button" className="btn btn-outline-primary btn-sm" disabled={running} onClick={() => void start('xlsx')}>
        {t('exports.xlsx')}
      </button>
      <button type="button" className="btn btn-outline-primary btn-sm" disabled={running} onClick={() => void start('csv')}>
        {t('exports.csv')}
      </button>
      <div aria-live="polite" className="d-flex align-items-center gap-2">
        {running && (
          <>
            <div className="progress export-progress" role="progressbar" aria-label={t('exports.running')} aria-valuetext={t('exports.rows', { count: status.rows })}>
              <div className="progress-bar progress-bar-striped progress-bar-animated" style={{ width: '100%' }} />
            </div>
            <span className="small">{t('exports.rows', { count: status.rows })}</span>
          </>
        )}
        {status.kind === 'done' && (
          <a className="btn btn-success btn-sm" href={status.url} download={status.name}>
            {t('exports.download', { name: status.name })}
          </a>
        )}
        {status.kind === 'error' && <span className="text-danger small" role="alert">{status.message}</span>}
      </div>
    </div>
  );
}
