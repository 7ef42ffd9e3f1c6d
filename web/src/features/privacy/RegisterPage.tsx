// "Registro dei trattamenti" (/privacy/register): the register of processing activities (art. 30)
// the API generates from the product's catalogue, with the district's controller and DPO. The DPO
// adapts each activity (notes, retention, recipients added; saved with the version read) and
// downloads the Italian PDF; the coordinator reads it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys } from '../../api/queryKeys';
import { TextAreaField } from '../../components/Form';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { useErrorMessage } from '../../components/errors';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDateTime } from '../../lib/format';
import { downloadRegisterPdf, registersApi, type ProcessingActivity } from './api';
import { PrivacyNav } from './PrivacyNav';

export function RegisterPage() {
  const { t } = useTranslation();
  const message = useErrorMessage();
  const q = useQuery({ queryKey: queryKeys.list('privacy-register', {}), queryFn: registersApi.register });
  const pdf = useMutation({ mutationFn: downloadRegisterPdf });
  return (
    <Page title={t('privacy.area.title')}>
      <PrivacyNav />
      <section aria-labelledby="register-title" data-testid="privacy-register">
        <h2 id="register-title" className="h4">{t('privacy.register.title')}</h2>
        <p>{t('privacy.register.intro')}</p>
        <Button color="primary" outline type="button" disabled={pdf.isPending} onClick={() => pdf.mutate()} className="mb-3">
          {t('privacy.register.downloadPdf')}
        </Button>
        {pdf.isError && <div className="alert alert-danger" role="alert">{message(pdf.error)}</div>}
        {q.isPending ? <Loading /> : q.isError ? <ErrorState error={q.error} onRetry={() => void q.refetch()} /> : (
          <>
            <dl className="row">
              <dt className="col-md-4">{t('privacy.register.controller')}</dt>
              <dd className="col-md-8" data-testid="register-controller">{q.data.controller}</dd>
              <dt className="col-md-4">{t('privacy.register.dpo')}</dt>
              <dd className="col-md-8">
                {q.data.dpo_contacts.length === 0 ? t('privacy.register.noDpo')
                  : q.data.dpo_contacts.map((d) => `${d.name} <${d.email}>`).join(', ')}
              </dd>
            </dl>
            {q.data.activities.map((a) => <ActivityCard key={a.code} activity={a} />)}
          </>
        )}
      </section>
    </Page>
  );
}

function List({ items }: { items: string[] }) {
  return <ul className="mb-2">{items.map((i) => <li key={i}>{i}</li>)}</ul>;
}

function ActivityCard({ activity: a }: { activity: ProcessingActivity }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const titleId = `activity-${a.code}`;
  return (
    <article className="card card-bg mb-4" aria-labelledby={titleId} data-testid="register-activity">
      <div className="card-body">
        <h3 id={titleId} className="h5">{a.name}</h3>
        <p>{a.purpose}</p>
        <h4 className="h6">{t('privacy.register.legalBasis')}</h4>
        <List items={a.legal_basis} />
        {a.special_categories_basis.length > 0 && (
          <>
            <h4 className="h6">{t('privacy.register.specialBasis')}</h4>
            <List items={a.special_categories_basis} />
          </>
        )}
        <h4 className="h6">{t('privacy.register.dataCategories')}</h4>
        <ul className="mb-2">
          {a.data_categories.map((c) => (
            <li key={c.label}>{c.label} <small className="text-muted d-block">{c.fields.join(', ')}</small></li>
          ))}
        </ul>
        <h4 className="h6">{t('privacy.register.dataSubjects')}</h4>
        <List items={a.data_subjects} />
        <h4 className="h6">{t('privacy.register.recipients')}</h4>
        <List items={a.recipients_extra ? [...a.recipients, a.recipients_extra] : a.recipients} />
        <h4 className="h6">{t('privacy.register.transfers')}</h4>
        <p>{a.transfers}</p>
        <h4 className="h6">{t('privacy.register.retention')}</h4>
        <p data-testid="activity-retention">{a.retention}</p>
        <h4 className="h6">{t('privacy.register.security')}</h4>
        <List items={a.security_measures} />
        {a.notes && (
          <>
            <h4 className="h6">{t('privacy.register.notes')}</h4>
            <p data-testid="activity-notes" className="text-break" style={{ whiteSpace: 'pre-wrap' }}>{a.notes}</p>
          </>
        )}
        {a.updated_at && <p className="small">{t('privacy.register.updated', { when: formatDateTime(a.updated_at) })}</p>}
        {a.allowed_actions.includes('edit') && !editing && (
          <Button color="primary" outline size="sm" type="button" onClick={() => setEditing(true)}>
            {t('privacy.register.edit', { name: a.name })}
          </Button>
        )}
        {editing && <ActivityForm activity={a} onDone={() => setEditing(false)} />}
      </div>
    </article>
  );
}

/** Reads the activity with its version when the form opens: the save sends that version back. */
function ActivityForm({ activity: a, onDone }: { activity: ProcessingActivity; onDone: () => void }) {
  const q = useQuery({
    queryKey: queryKeys.detail('privacy-register', a.code), queryFn: () => registersApi.activity(a.code),
    staleTime: 0, gcTime: 0,
  });
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  return <ActivityNotesForm activity={q.data.record} etag={q.data.etag} onDone={onDone} />;
}

function ActivityNotesForm({ activity: a, etag, onDone }: { activity: ProcessingActivity; etag: string | null; onDone: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const errors = useFormErrors();
  const [notes, setNotes] = useState(a.notes ?? '');
  const [retention, setRetention] = useState(a.retention_override ?? '');
  const [recipients, setRecipients] = useState(a.recipients_extra ?? '');
  const save = useMutation({
    mutationFn: () => registersApi.updateActivity(a.code, etag, {
      notes: notes.trim() || null,
      retention_override: retention.trim() || null,
      recipients_extra: recipients.trim() || null,
    }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: queryKeys.list('privacy-register', {}) });
      onDone();
    },
    onError: (e) => errors.fromError(e),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    save.mutate();
  }
  const id = (f: string) => `${a.code}-${f}`;
  return (
    <form onSubmit={submit} noValidate aria-label={t('privacy.register.edit', { name: a.name })} className="mt-3">
      {errors.general && <div className="alert alert-danger" role="alert">{errors.general}</div>}
      <TextAreaField id={id('notes')} label={t('privacy.register.notes')} value={notes} maxLength={4000}
                     error={errors.fields.notes} onChange={(e) => setNotes(e.target.value)} />
      <TextAreaField id={id('retention')} label={t('privacy.register.retentionOverride')} value={retention} maxLength={2000}
                     hint={t('privacy.register.retentionHint', { value: a.retention_default })}
                     error={errors.fields.retention_override} onChange={(e) => setRetention(e.target.value)} />
      <TextAreaField id={id('recipients')} label={t('privacy.register.recipientsExtra')} value={recipients} maxLength={2000}
                     error={errors.fields.recipients_extra} onChange={(e) => setRecipients(e.target.value)} />
      <div className="d-flex gap-2">
        <Button color="primary" type="submit" disabled={save.isPending}>{t('common.save')}</Button>
        <Button color="secondary" outline type="button" onClick={onDone}>{t('common.cancel')}</Button>
      </div>
    </form>
  );
}
