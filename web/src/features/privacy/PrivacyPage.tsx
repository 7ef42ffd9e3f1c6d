// "Protezione dei dati" (/privacy), the data protection officer's area: the audit log (search,
// page after page, export CSV/XLSX with the same filters), the anonymisation requests to approve
// or decline (never one's own), what retention will anonymise next (preview), the register of
// processing activities (art. 30, printable) and the data-breach register (art. 33). The
// coordinator reads the audit log of their district at /audit.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../api/queryKeys';
import { useMe } from '../../auth/AuthContext';
import { DateField } from '../../components/DateField';
import { TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { LoadMore } from '../../components/LoadMore';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useErrorMessage } from '../../components/errors';
import { formatDate, formatDateTime } from '../../lib/format';
import { MinutesView } from '../meetings/MinutesView';
import { downloadAudit, privacyApi, type AnonymisationRequest, type BreachInput } from './api';

const SECTIONS = ['audit', 'anonymisation', 'retention', 'register', 'breaches'] as const;

export function PrivacyPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('privacy.area.title')}>
      <p>{t('privacy.area.intro')}</p>
      <nav aria-label={t('privacy.area.sections')} className="mb-4">
        <ul className="list-inline">
          {SECTIONS.map((s) => (
            <li key={s} className="list-inline-item me-3"><a href={`#${s}`}>{t(`privacy.area.${s}`)}</a></li>
          ))}
        </ul>
      </nav>
      <AuditSection />
      <AnonymisationSection />
      <RetentionSection />
      <RegisterSection />
      <BreachSection />
    </Page>
  );
}

/** The coordinator's view of the audit log: their district's entries (the API filters them). */
export function AuditPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('privacy.area.audit')}>
      <AuditSection />
    </Page>
  );
}

function Section({ id, children }: { id: (typeof SECTIONS)[number]; children: React.ReactNode }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={`${id}-title`} className="mb-5" id={id} data-testid={`privacy-${id}`}>
      <h2 id={`${id}-title`} className="h4">{t(`privacy.area.${id}`)}</h2>
      {children}
    </section>
  );
}

interface AuditFilters {
  from: string;
  to: string;
  actor: string;
  entity_id: string;
  action: string;
}

const NO_FILTERS: AuditFilters = { from: '', to: '', actor: '', entity_id: '', action: '' };

function AuditSection() {
  const { t } = useTranslation();
  const message = useErrorMessage();
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const query = { ...filters } as Record<string, string | undefined>;
  const q = useInfiniteQuery({
    queryKey: queryKeys.list('audit', query),
    queryFn: ({ pageParam }) => privacyApi.audit({ ...query, after: pageParam, limit: '50' }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    retry: false,
  });
  const exportLog = useMutation({ mutationFn: (format: 'csv' | 'xlsx') => downloadAudit(query, format) });
  const set = (k: keyof AuditFilters, v: string) => setDraft((d) => ({ ...d, [k]: v }));
  function apply(e: FormEvent) {
    e.preventDefault();
    setFilters(draft);
  }
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Section id="audit">
      <form onSubmit={apply} noValidate aria-label={t('common.filters')} className="mb-3">
        <div className="row">
          <DateField id="audit_from" label={t('privacy.audit.from')} value={draft.from} onChange={(v) => set('from', v)} className="col-md-3" />
          <DateField id="audit_to" label={t('privacy.audit.to')} value={draft.to} onChange={(v) => set('to', v)} className="col-md-3" />
          <TextField id="audit_actor" label={t('privacy.audit.actor')} value={draft.actor} className="col-md-6"
                     hint={t('privacy.audit.actorHint')} onChange={(e) => set('actor', e.target.value)} />
          <TextField id="audit_entity" label={t('privacy.audit.entity')} value={draft.entity_id} className="col-md-6"
                     hint={t('privacy.audit.entityHint')} onChange={(e) => set('entity_id', e.target.value)} />
          <TextField id="audit_action" label={t('privacy.audit.action')} value={draft.action} className="col-md-6"
                     hint={t('privacy.audit.actionHint')} onChange={(e) => set('action', e.target.value)} />
        </div>
        <div className="d-flex flex-wrap gap-2">
          <Button color="primary" type="submit">{t('common.applyFilters')}</Button>
          <Button color="secondary" outline type="button" onClick={() => { setDraft(NO_FILTERS); setFilters(NO_FILTERS); }}>
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
    </Section>
  );
}

function requestLabel(r: AnonymisationRequest): string {
  const p = r.person;
  if (p && (p.last_name || p.first_name)) return `${p.last_name ?? ''} ${p.first_name ?? ''}`.trim() + (p.tax_code ? ` · ${p.tax_code}` : '');
  return r.person_id;
}

function AnonymisationSection() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const q = useQuery({ queryKey: queryKeys.list('anonymisation-requests', { status: 'pending' }), queryFn: () => privacyApi.anonymisationRequests('pending'), retry: false });
  const [deciding, setDeciding] = useState<{ request: AnonymisationRequest; decision: 'approve' | 'decline' } | null>(null);
  const [note, setNote] = useState('');
  const decide = useMutation({
    mutationFn: () => privacyApi.decideAnonymisation(deciding!.request.id, deciding!.decision, note),
    onSuccess: async () => {
      setDeciding(null);
      setNote('');
      await qc.invalidateQueries({ queryKey: queryKeys.all('anonymisation-requests') });
      await qc.invalidateQueries({ queryKey: queryKeys.all('retention') });
    },
  });
  const items = q.data?.items ?? [];
  return (
    <Section id="anonymisation">
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : items.length === 0 ? (
        <EmptyState title={t('privacy.anon.empty')} />
      ) : (
        <ul className="list-unstyled">
          {items.map((r) => {
            const own = r.requested_by === me.id;
            const allowed = r.allowed_actions;
            const mayApprove = !own && (allowed ? allowed.includes('approve') : true);
            const mayDecline = !own && (allowed ? allowed.includes('decline') : true);
            return (
              <li key={r.id} className="border-bottom py-3" data-testid="anonymisation-request">
                <p className="fw-semibold mb-1">{requestLabel(r)}</p>
                <p className="mb-1 small">
                  {t('privacy.anon.requestedBy', { who: r.requested_by_name ?? r.requested_by, when: formatDateTime(r.requested_at) })}
                </p>
                <p className="mb-2">{r.reason}</p>
                {own ? <p className="small fst-italic" data-testid="own-request">{t('privacy.anon.own')}</p> : (
                  <div className="d-flex flex-wrap gap-2">
                    {mayApprove && (
                      <Button color="danger" size="sm" type="button" onClick={() => { setDeciding({ request: r, decision: 'approve' }); decide.reset(); }}>
                        {t('privacy.anon.approve')}<span className="visually-hidden"> — {requestLabel(r)}</span>
                      </Button>
                    )}
                    {mayDecline && (
                      <Button color="secondary" outline size="sm" type="button" onClick={() => { setDeciding({ request: r, decision: 'decline' }); decide.reset(); }}>
                        {t('privacy.anon.decline')}<span className="visually-hidden"> — {requestLabel(r)}</span>
                      </Button>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <FormDialog isOpen={!!deciding} danger={deciding?.decision === 'approve'}
                  title={deciding?.decision === 'approve' ? t('privacy.anon.approveTitle') : t('privacy.anon.declineTitle')}
                  submitLabel={deciding?.decision === 'approve' ? t('privacy.anon.approve') : t('privacy.anon.decline')}
                  pending={decide.isPending} general={decide.isError ? message(decide.error) : null}
                  onCancel={() => setDeciding(null)} onSubmit={() => decide.mutate()}>
        {deciding?.decision === 'approve' && <p>{t('privacy.anon.approveText')}</p>}
        <TextAreaField id="anon_note" label={t('common.reasonOptional')} rows={3} maxLength={2000} value={note}
                       onChange={(e) => setNote(e.target.value)} />
      </FormDialog>
    </Section>
  );
}

function RetentionSection() {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: queryKeys.list('retention', {}), queryFn: () => privacyApi.retentionPreview(), retry: false });
  const items = q.data?.items ?? [];
  return (
    <Section id="retention">
      <p className="small">{t('privacy.retention.intro')}</p>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : items.length === 0 ? (
        <EmptyState title={t('privacy.retention.empty')} />
      ) : (
        <div className="table-responsive">
          <table className="table table-sm" data-testid="retention-table">
            <caption className="visually-hidden">{t('privacy.area.retention')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('privacy.retention.person')}</th>
                <th scope="col">{t('privacy.retention.closed')}</th>
                <th scope="col">{t('privacy.retention.due')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.person_id}>
                  <td className="text-break">{r.label ?? r.person_id}</td>
                  <td>{formatDate(r.closed_at)}</td>
                  <td>{formatDate(r.due_on)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}

function RegisterSection() {
  const { t } = useTranslation();
  const [shown, setShown] = useState(false);
  const q = useQuery({ queryKey: queryKeys.sub('privacy-notices', 'register', 'html'), queryFn: () => privacyApi.register(), enabled: shown, retry: false });
  return (
    <Section id="register">
      <p className="small">{t('privacy.register.intro')}</p>
      {!shown ? (
        <Button color="primary" outline type="button" onClick={() => setShown(true)}>{t('privacy.register.show')}</Button>
      ) : q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : (
        <>
          <Button color="primary" outline type="button" className="mb-3 d-print-none" onClick={() => window.print()}>{t('privacy.register.print')}</Button>
          <MinutesView html={q.data} label={t('privacy.area.register')} />
        </>
      )}
    </Section>
  );
}

const EMPTY_BREACH = { discovered_at: '', occurred_at: '', description: '', affected: '', measures: '', garante_notified_at: '' };

function BreachSection() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const q = useQuery({ queryKey: queryKeys.list('breaches', {}), queryFn: () => privacyApi.breaches(), retry: false });
  const [adding, setAdding] = useState(false);
  const [form, setForm] = useState(EMPTY_BREACH);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const add = useMutation({
    mutationFn: () => {
      const body: BreachInput = { discovered_at: form.discovered_at, description: form.description.trim() };
      if (form.occurred_at) body.occurred_at = form.occurred_at;
      if (form.affected.trim()) body.affected = form.affected.trim();
      if (form.measures.trim()) body.measures = form.measures.trim();
      if (form.garante_notified_at) body.garante_notified_at = form.garante_notified_at;
      return privacyApi.addBreach(body);
    },
    onSuccess: async () => {
      setAdding(false);
      setForm(EMPTY_BREACH);
      await qc.invalidateQueries({ queryKey: queryKeys.all('breaches') });
    },
  });
  const set = (k: keyof typeof EMPTY_BREACH, v: string) => { setForm((f) => ({ ...f, [k]: v })); setErrors((e) => ({ ...e, [k]: '' })); };
  function submit() {
    const missing: Record<string, string> = {};
    if (!form.discovered_at) missing.discovered_at = t('validation.required');
    if (form.description.trim().length < 3) missing.description = t('validation.required');
    setErrors(missing);
    if (Object.keys(missing).length === 0) add.mutate();
  }
  const items = q.data?.items ?? [];
  return (
    <Section id="breaches">
      <Button color="primary" outline size="sm" type="button" className="mb-3" onClick={() => { setAdding(true); add.reset(); }}>
        {t('privacy.breach.add')}
      </Button>
      {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : items.length === 0 ? (
        <EmptyState title={t('privacy.breach.empty')} />
      ) : (
        <ul className="list-unstyled">
          {items.map((b) => (
            <li key={b.id} className="border-bottom py-2" data-testid="breach">
              <p className="fw-semibold mb-1">{t('privacy.breach.discovered', { date: formatDateTime(b.discovered_at) })}</p>
              <p className="mb-1">{b.description}</p>
              {b.affected && <p className="mb-1 small">{t('privacy.breach.affected')}: {b.affected}</p>}
              {b.measures && <p className="mb-1 small">{t('privacy.breach.measures')}: {b.measures}</p>}
              <p className="mb-0 small">
                {b.garante_notified_at ? t('privacy.breach.notifiedOn', { date: formatDateTime(b.garante_notified_at) }) : t('privacy.breach.notNotified')}
              </p>
            </li>
          ))}
        </ul>
      )}
      <FormDialog isOpen={adding} title={t('privacy.breach.add')} submitLabel={t('privacy.record')} size="lg" pending={add.isPending}
                  general={add.isError ? message(add.error) : null} onCancel={() => setAdding(false)} onSubmit={submit}>
        <DateField id="discovered_at" label={t('privacy.breach.discoveredAt')} required value={form.discovered_at}
                   error={errors.discovered_at || undefined} onChange={(v) => set('discovered_at', v)} />
        <DateField id="occurred_at" label={t('privacy.breach.occurredAt')} value={form.occurred_at} onChange={(v) => set('occurred_at', v)} />
        <TextAreaField id="description" label={t('privacy.breach.description')} required rows={3} maxLength={4000} value={form.description}
                       error={errors.description || undefined} onChange={(e) => set('description', e.target.value)} />
        <TextAreaField id="affected" label={t('privacy.breach.affected')} rows={2} maxLength={2000} value={form.affected}
                       onChange={(e) => set('affected', e.target.value)} />
        <TextAreaField id="measures" label={t('privacy.breach.measures')} rows={2} maxLength={4000} value={form.measures}
                       onChange={(e) => set('measures', e.target.value)} />
        <DateField id="garante_notified_at" label={t('privacy.breach.notifiedAt')} hint={t('privacy.breach.notifiedHint')}
                   value={form.garante_notified_at} onChange={(v) => set('garante_notified_at', v)} />
      </FormDialog>
    </Section>
  );
}
