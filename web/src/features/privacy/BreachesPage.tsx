// "Violazioni dei dati" (/privacy/breaches): the data-breach register (art. 33.5). The list shows
// each breach's 72-hour deadline and, clearly, those still not notified past it (the API computes
// `overdue` and `notified_late` on its clock); the DPO records a breach and updates it (with the
// version read), the coordinator reads.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../api/queryKeys';
import { CheckboxGroup, RadioGroup, TextAreaField, TextField } from '../../components/Form';
import { LoadMore } from '../../components/LoadMore';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { useMe } from '../../auth/AuthContext';
import { formatDateTime } from '../../lib/format';
import {
  BREACH_DATA_CATEGORIES, BREACH_SUBJECT_CATEGORIES, GARANTE_NOTIFICATIONS, registersApi,
  type Breach, type BreachDataCategory, type BreachInput, type BreachSubjectCategory, type GaranteNotification,
} from './api';
import { PrivacyNav } from './PrivacyNav';

/** `2026-12-01T10:00:00Z` → the `datetime-local` value in the browser's time zone. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A `datetime-local` value (browser's time zone) → RFC 3339 UTC, or null when empty or invalid. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

type Editing = { kind: 'new' } | { kind: 'edit'; id: string } | null;

export function BreachesPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [editing, setEditing] = useState<Editing>(null);
  const q = useInfiniteQuery({
    queryKey: queryKeys.list('breaches', {}),
    queryFn: ({ pageParam }) => registersApi.breaches(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  const overdue = rows.filter((b) => b.overdue).length;
  return (
    <Page title={t('privacy.area.title')}>
      <PrivacyNav />
      <section aria-labelledby="breaches-title" data-testid="privacy-breaches">
        <h2 id="breaches-title" className="h4">{t('privacy.breaches.title')}</h2>
        <p>{t('privacy.breaches.intro')}</p>
        {overdue > 0 && (
          <div className="alert alert-danger" role="alert" data-testid="breaches-overdue">
            {t('privacy.breaches.overdueAlert', { count: overdue })}
          </div>
        )}
        {me.role === 'privacy_officer' && editing === null && (
          <Button color="primary" type="button" className="mb-3" onClick={() => setEditing({ kind: 'new' })}>
            {t('privacy.breaches.new')}
          </Button>
        )}
        {editing?.kind === 'new' && <BreachForm onDone={() => setEditing(null)} />}
        {editing?.kind === 'edit' && <EditBreach id={editing.id} onDone={() => setEditing(null)} />}
        {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : rows.length === 0 ? (
          <EmptyState title={t('privacy.breaches.empty')} />
        ) : (
          <>
            <div className="table-responsive">
              <table className="table table-sm" data-testid="breaches-table">
                <caption className="visually-hidden">{t('privacy.breaches.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('privacy.breaches.what')}</th>
                    <th scope="col">{t('privacy.breaches.discovered')}</th>
                    <th scope="col">{t('privacy.breaches.deadline')}</th>
                    <th scope="col">{t('privacy.breaches.garante')}</th>
                    <th scope="col">{t('privacy.breaches.affected')}</th>
                    <th scope="col"><span className="visually-hidden">{t('common.actions')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((b) => <BreachRow key={b.id} breach={b} onEdit={() => setEditing({ kind: 'edit', id: b.id })} />)}
                </tbody>
              </table>
            </div>
            <LoadMore hasNextPage={q.hasNextPage} isFetchingNextPage={q.isFetchingNextPage} fetchNextPage={q.fetchNextPage} />
          </>
        )}
      </section>
    </Page>
  );
}

function BreachRow({ breach: b, onEdit }: { breach: Breach; onEdit: () => void }) {
  const { t } = useTranslation();
  return (
    <tr data-testid="breach-row" className={b.overdue ? 'app-breach-overdue' : undefined}>
      <td className="text-break">
        <strong>{b.title}</strong>
        <small className="d-block">{b.data_categories.map((c) => t(`privacy.breaches.dataCategory.${c}`)).join(', ')}</small>
      </td>
      <td className="text-nowrap">{formatDateTime(b.discovered_at)}</td>
      <td className="text-nowrap">
        {formatDateTime(b.notification_deadline)}
        {b.overdue && <span className="badge bg-danger d-block mt-1" data-testid="breach-overdue">{t('privacy.breaches.overdue')}</span>}
        {b.notified_late && <span className="badge bg-warning text-dark d-block mt-1">{t('privacy.breaches.notifiedLate')}</span>}
      </td>
      <td>
        {t(`privacy.breaches.notification.${b.garante_notification}`)}
        {b.garante_notified_at && <small className="d-block">{formatDateTime(b.garante_notified_at)}</small>}
      </td>
      <td>{t('privacy.breaches.affectedCount', { subjects: b.subjects_affected, records: b.records_affected })}</td>
      <td>
        {b.allowed_actions.includes('edit') && (
          <Button color="primary" outline size="sm" type="button" onClick={onEdit}>
            {t('privacy.breaches.edit', { title: b.title })}
          </Button>
        )}
      </td>
    </tr>
  );
}

function EditBreach({ id, onDone }: { id: string; onDone: () => void }) {
  const q = useQuery({ queryKey: queryKeys.detail('breaches', id), queryFn: () => registersApi.breach(id), staleTime: 0, gcTime: 0 });
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return <BreachForm breach={q.data.record} etag={q.data.etag} onDone={onDone} />;
}

interface Draft {
  title: string;
  description: string;
  occurred_at: string;
  discovered_at: string;
  data_categories: BreachDataCategory[];
  subject_categories: BreachSubjectCategory[];
  subjects_affected: string;
  records_affected: string;
  consequences: string;
  measures_taken: string;
  garante_notification: GaranteNotification;
  garante_notified_at: string;
  notification_reason: string;
  subjects_informed_at: string;
}

function draftOf(b?: Breach): Draft {
  return {
    title: b?.title ?? '',
    description: b?.description ?? '',
    occurred_at: toLocalInput(b?.occurred_at),
    discovered_at: toLocalInput(b?.discovered_at),
    data_categories: b?.data_categories ?? [],
    subject_categories: b?.subject_categories ?? [],
    subjects_affected: b ? String(b.subjects_affected) : '',
    records_affected: b ? String(b.records_affected) : '',
    consequences: b?.consequences ?? '',
    measures_taken: b?.measures_taken ?? '',
    garante_notification: b?.garante_notification ?? 'pending',
    garante_notified_at: toLocalInput(b?.garante_notified_at),
    notification_reason: b?.notification_reason ?? '',
    subjects_informed_at: toLocalInput(b?.subjects_informed_at),
  };
}

function count(v: string): number {
  const n = Number(v);
  return v.trim() === '' || !Number.isInteger(n) ? -1 : n;
}

/** The body the API takes, from the form (a count left empty is sent as -1: the API names it). */
function bodyOf(d: Draft): BreachInput {
  return {
    title: d.title.trim(),
    description: d.description.trim(),
    occurred_at: fromLocalInput(d.occurred_at) ?? '',
    discovered_at: fromLocalInput(d.discovered_at) ?? '',
    data_categories: d.data_categories,
    subject_categories: d.subject_categories,
    subjects_affected: count(d.subjects_affected),
    records_affected: count(d.records_affected),
    consequences: d.consequences.trim(),
    measures_taken: d.measures_taken.trim(),
    garante_notification: d.garante_notification,
    garante_notified_at: d.garante_notification === 'notified' ? fromLocalInput(d.garante_notified_at) : null,
    notification_reason: d.notification_reason.trim() || null,
    subjects_informed_at: fromLocalInput(d.subjects_informed_at),
  };
}

function BreachForm({ breach, etag, onDone }: { breach?: Breach; etag?: string | null; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const errors = useFormErrors();
  const [d, setD] = useState<Draft>(() => draftOf(breach));
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setD((x) => ({ ...x, [k]: v }));
    errors.clearField(k);
  };
  const save = useMutation({
    mutationFn: async () => {
      const body = bodyOf(d);
      if (!breach) return registersApi.createBreach(body);
      const { garante_notification, ...rest } = body;
      return registersApi.updateBreach(breach.id, etag ?? null, { ...rest, garante_notification: garante_notification ?? 'pending' });
    },
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: queryKeys.all('breaches') });
      onDone();
    },
    onError: (e) => errors.fromError(e),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    if (!fromLocalInput(d.occurred_at) || !fromLocalInput(d.discovered_at)) {
      errors.setFields({
        ...(fromLocalInput(d.occurred_at) ? {} : { occurred_at: t('privacy.breaches.timeRequired') }),
        ...(fromLocalInput(d.discovered_at) ? {} : { discovered_at: t('privacy.breaches.timeRequired') }),
      });
      return;
    }
    save.mutate();
  }
  const f = errors.fields;
  const label = breach ? t('privacy.breaches.edit', { title: breach.title }) : t('privacy.breaches.new');
  return (
    <form onSubmit={submit} noValidate aria-label={label} className="card card-bg mb-4" data-testid="breach-form">
      <div className="card-body">
        <h3 className="h5">{label}</h3>
        {errors.general && <div className="alert alert-danger" role="alert">{errors.general}</div>}
        <TextField id="breach_title" label={t('privacy.breaches.fields.title')} required value={d.title} maxLength={200}
                   error={f.title} onChange={(e) => set('title', e.target.value)} />
        <TextAreaField id="breach_description" label={t('privacy.breaches.fields.description')} required value={d.description}
                       maxLength={4000} error={f.description} onChange={(e) => set('description', e.target.value)} />
        <div className="row">
          <TextField id="breach_occurred" type="datetime-local" label={t('privacy.breaches.fields.occurred_at')} required
                     className="col-md-6" value={d.occurred_at} error={f.occurred_at} onChange={(e) => set('occurred_at', e.target.value)} />
          <TextField id="breach_discovered" type="datetime-local" label={t('privacy.breaches.fields.discovered_at')} required
                     className="col-md-6" hint={t('privacy.breaches.fields.discoveredHint')}
                     value={d.discovered_at} error={f.discovered_at} onChange={(e) => set('discovered_at', e.target.value)} />
        </div>
        <CheckboxGroup id="breach_data" legend={t('privacy.breaches.fields.data_categories')} required
                       options={BREACH_DATA_CATEGORIES.map((c) => ({ value: c, label: t(`privacy.breaches.dataCategory.${c}`) }))}
                       value={d.data_categories} error={f.data_categories}
                       onChange={(v) => set('data_categories', v as BreachDataCategory[])} />
        <CheckboxGroup id="breach_subjects" legend={t('privacy.breaches.fields.subject_categories')} required
                       options={BREACH_SUBJECT_CATEGORIES.map((c) => ({ value: c, label: t(`privacy.breaches.subjectCategory.${c}`) }))}
                       value={d.subject_categories} error={f.subject_categories}
                       onChange={(v) => set('subject_categories', v as BreachSubjectCategory[])} />
        <div className="row">
          <TextField id="breach_subjects_count" type="number" min={0} inputMode="numeric" required className="col-md-6"
                     label={t('privacy.breaches.fields.subjects_affected')} value={d.subjects_affected}
                     error={f.subjects_affected} onChange={(e) => set('subjects_affected', e.target.value)} />
          <TextField id="breach_records_count" type="number" min={0} inputMode="numeric" required className="col-md-6"
                     label={t('privacy.breaches.fields.records_affected')} value={d.records_affected}
                     error={f.records_affected} onChange={(e) => set('records_affected', e.target.value)} />
        </div>
        <TextAreaField id="breach_consequences" label={t('privacy.breaches.fields.consequences')} required value={d.consequences}
                       maxLength={4000} error={f.consequences} onChange={(e) => set('consequences', e.target.value)} />
        <TextAreaField id="breach_measures" label={t('privacy.breaches.fields.measures_taken')} required value={d.measures_taken}
                       maxLength={4000} error={f.measures_taken} onChange={(e) => set('measures_taken', e.target.value)} />
        <RadioGroup id="breach_notification" legend={t('privacy.breaches.fields.garante_notification')}
                    options={GARANTE_NOTIFICATIONS.map((n) => ({ value: n, label: t(`privacy.breaches.notification.${n}`) }))}
                    value={d.garante_notification} error={f.garante_notification}
                    onChange={(v) => set('garante_notification', v as GaranteNotification)} />
        {d.garante_notification === 'notified' && (
          <TextField id="breach_notified_at" type="datetime-local" label={t('privacy.breaches.fields.garante_notified_at')} required
                     value={d.garante_notified_at} error={f.garante_notified_at} onChange={(e) => set('garante_notified_at', e.target.value)} />
        )}
        <TextAreaField id="breach_reason" label={t('privacy.breaches.fields.notification_reason')} value={d.notification_reason}
                       hint={t('privacy.breaches.fields.reasonHint')} maxLength={4000}
                       error={f.notification_reason} onChange={(e) => set('notification_reason', e.target.value)} />
        <TextField id="breach_informed_at" type="datetime-local" label={t('privacy.breaches.fields.subjects_informed_at')}
                   hint={t('privacy.breaches.fields.informedHint')}
                   value={d.subjects_informed_at} error={f.subjects_informed_at} onChange={(e) => set('subjects_informed_at', e.target.value)} />
        <div className="d-flex gap-2">
          <Button color="primary" type="submit" disabled={save.isPending}>{t('common.save')}</Button>
          <Button color="secondary" outline type="button" onClick={onDone}>{t('common.cancel')}</Button>
        </div>
      </div>
    </form>
  );
}
