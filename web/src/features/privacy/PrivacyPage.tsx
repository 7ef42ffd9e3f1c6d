// "Protezione dei dati" (/privacy), the data protection officer's page: the anonymisation
// requests waiting for her, the retention preview ("Conservazione") and the audit log (search by
// period, actor, person, record and action, page after page, export CSV/XLSX with the same
// filters). The coordinator reads the audit log of their district at /audit (the API filters it).
// The registers of processing and of breaches are its other sections (RegisterPage, BreachesPage).
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../api/queryKeys';
import { DateField } from '../../components/DateField';
import { TextField } from '../../components/Form';
import { LoadMore } from '../../components/LoadMore';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useErrorMessage } from '../../components/errors';
import { formatDateTime } from '../../lib/format';
import { downloadAudit, privacyApi, type AuditFilters } from './api';
import { PrivacyNav } from './PrivacyNav';
import { AnonymisationRequestsSection, RetentionSection } from './Erasure';

export function PrivacyPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('privacy.area.title')}>
      <PrivacyNav />
      <p>{t('privacy.area.intro')}</p>
      <AnonymisationRequestsSection />
      <RetentionSection />
      <VerifySection />
      <AuditSection />
    </Page>
  );
}

/** The coordinator's view of the audit log: their district's entries (the API filters them). */
export function AuditPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('privacy.area.audit')}>
      <PrivacyNav />
      <AuditSection />
    </Page>
  );
}

/** The DPO checks the audit log's hash chain (what `verify-audit` checks). */
function VerifySection() {
  const { t } = useTranslation();
  const message = useErrorMessage();
  const verify = useMutation({ mutationFn: () => privacyApi.verifyAudit() });
  const v = verify.data;
  return (
    <section aria-labelledby="verify-title" className="mb-5" data-testid="audit-verification">
      <h2 id="verify-title" className="h4">{t('privacy.verify.title')}</h2>
      <p>{t('privacy.verify.intro')}</p>
      <Button color="primary" outline type="button" disabled={verify.isPending} onClick={() => verify.mutate()}>
        {t('privacy.verify.run')}
      </Button>
      <div aria-live="polite" className="mt-3">
        {verify.isError && <div className="alert alert-danger" role="alert">{message(verify.error)}</div>}
        {v && (v.holds ? (
          <div className="alert alert-success" data-testid="verify-holds">
            {t('privacy.verify.holds', { seals: v.seals, rows: v.rows, unsealed: v.unsealed, when: formatDateTime(v.checked_at) })}
            <div className="small text-break mt-1">{t('privacy.verify.head', { head: v.head })}</div>
          </div>
        ) : (
          <div className="alert alert-danger" data-testid="verify-broken">
            {t('privacy.verify.broken')}
            <ul className="mb-0">{v.problems.map((p) => <li key={p}>{p}</li>)}</ul>
          </div>
        ))}
      </div>
    </section>
  );
}

interface AuditDraft {
  from: string;
  to: string;
  actor: string;
  person_id: string;
  entity_id: string;
  action: string;
}

const NO_FILTERS: AuditDraft = { from: '', to: '', actor: '', person_id: '', entity_id: '', action: '' };

/** The filters the API takes: the fields filled in, trimmed. */
function toFilters(d: AuditDraft): AuditFilters {
  const f: AuditFilters = {};
  for (const [k, v] of Object.entries(d) as [keyof AuditDraft, string][]) if (v.trim()) f[k] = v.trim();
  return f;
}

function AuditSection() {
  const { t } = useTranslation();
  const message = useErrorMessage();
  const [draft, setDraft] = useState<AuditDraft>(NO_FILTERS);
  const [filters, setFilters] = useState<AuditFilters>({});
  const q = useInfiniteQuery({
    queryKey: queryKeys.list('audit', filters),
    queryFn: ({ pageParam }) => privacyApi.audit(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    retry: false,
  });
  const exportLog = useMutation({ mutationFn: (format: 'csv' | 'xlsx') => downloadAudit(filters, format) });
  const set = (k: keyof AuditDraft, v: string) => setDraft((d) => ({ ...d, [k]: v }));
  function apply(e: FormEvent) {
    e.preventDefault();
    setFilters(toFilters(draft));
  }
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section aria-labelledby="audit-title" className="mb-5" id="audit" data-testid="privacy-audit">
      <h2 id="audit-title" className="h4">{t('privacy.area.audit')}</h2>
      <form onSubmit={apply} noValidate aria-label={t('common.filters')} className="mb-3">
        <div className="row">
          <DateField id="audit_from" label={t('privacy.audit.from')} value={draft.from} onChange={(v) => set('from', v)} className="col-md-3" />
          <DateField id="audit_to" label={t('privacy.audit.to')} value={draft.to} onChange={(v) => set('to', v)} className="col-md-3" />
          <TextField id="audit_actor" label={t('privacy.audit.actor')} value={draft.actor} className="col-md-6"
                     hint={t('privacy.audit.actorHint')} onChange={(e) => set('actor', e.target.value)} />
          <TextField id="audit_person" label={t('privacy.audit.person')} value={draft.person_id} className="col-md-6"
                     hint={t('privacy.audit.personHint')} onChange={(e) => set('person_id', e.target.value)} />
          <TextField id="audit_entity" label={t('privacy.audit.entity')} value={draft.entity_id} className="col-md-6"
                     hint={t('privacy.audit.entityHint')} onChange={(e) => set('entity_id', e.target.value)} />
          <TextField id="audit_action" label={t('privacy.audit.action')} value={draft.action} className="col-md-6"
                     hint={t('privacy.audit.actionHint')} onChange={(e) => set('action', e.target.value)} />
        </div>
        <div className="d-flex flex-wrap gap-2">
          <Button color="primary" type="submit">{t('common.applyFilters')}</Button>
          <Button color="secondary" outline type="button" onClick={() => { setDraft(NO_FILTERS); setFilters({}); }}>
            {t('common.resetFilters')}
          </Button>
          <Button color="primary" outline type="button" disabled={exportLog.isPending} onClick={() => exportLog.mutate('csv')}>
            {t('privacy.audit.exportCsv')}
          </Button>
          <Button color="primary" outline type="button" disabled={exportLog.isPending} onClick={() => exportLog.mutate('xlsx')}>
            {t('privacy.audit.exportXlsx')}
          </Button>
        </div>
      </form>
      {exportLog.isError && <div className="alert alert-danger" role="alert">{message(exportLog.error)}</div>}
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : rows.length === 0 ? (
        <EmptyState title={t('privacy.audit.empty')} />
      ) : (
        <>
          <div className="table-responsive">
            <table className="table table-sm" data-testid="audit-table">
              <caption className="visually-hidden">{t('privacy.area.audit')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('privacy.audit.when')}</th>
                  <th scope="col">{t('privacy.audit.who')}</th>
                  <th scope="col">{t('privacy.audit.action')}</th>
                  <th scope="col">{t('privacy.audit.what')}</th>
                  <th scope="col">{t('privacy.audit.client')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id} data-testid="audit-row">
                    <td className="text-nowrap">{formatDateTime(r.at)}</td>
                    <td className="text-break">{r.actor_id ?? t('privacy.audit.anonymous')}{r.actor_role && <small className="d-block">{t(`roles.${r.actor_role}`, { defaultValue: r.actor_role })}</small>}</td>
                    <td>{r.action}{r.detail && <small className="d-block">{r.detail}</small>}</td>
                    <td className="text-break">{[r.entity_type, r.entity_id].filter(Boolean).join(' ')}</td>
                    <td className="text-break"><small>{r.client_address}{r.request_id && <span className="d-block">{r.request_id}</span>}</small></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LoadMore hasNextPage={q.hasNextPage} isFetchingNextPage={q.isFetchingNextPage} fetchNextPage={q.fetchNextPage} />
        </>
      )}
    </section>
  );
}
