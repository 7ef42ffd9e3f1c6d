// A new webhook subscription: https URL and event types (the admin also picks the
// organization). The signing secret is in the API's response only: the form gives way to it,
// with how to verify X-Signature.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import { EVENT_TYPES, type EventType, type WebhookSubscriptionWithSecret } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import { CheckboxGroup, ErrorSummary, SelectField, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { SecretPanel } from '../../components/SecretPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';
import { useAllOrganizations } from '../admin/queries';
import { eventLabel } from './labels';

interface Form {
  organization_id: string;
  url: string;
  event_types: EventType[];
}

const EMPTY: Form = { organization_id: '', url: '', event_types: [] };

export function WebhookFormPage() {
  const { t } = useTranslation();
  const [created, setCreated] = useState<WebhookSubscriptionWithSecret | null>(null);
  const title = t('webhooks.new');
  return (
    <Page title={title} crumbs={[{ label: t('webhooks.title'), to: '/webhooks' }, { label: title }]}>
      {created ? (
        <div className="col-lg-10 px-0">
          <SecretPanel title={t('webhooks.createdTitle')} items={[
            { id: 'webhook-url', label: t('webhooks.url'), value: created.url },
            { id: 'webhook-secret', label: t('webhooks.secret'), value: created.secret },
          ]}>
            <h3 className="h5">{t('webhooks.verifyTitle')}</h3>
            <p>{t('webhooks.verifyText')}</p>
          </SecretPanel>
          <div className="d-flex flex-wrap gap-2">
            <Link to="/webhooks" className="btn btn-primary">{t('webhooks.backToList')}</Link>
            <Link to={`/webhooks/${created.id}`} className="btn btn-outline-primary">{t('webhooks.deliveries')}</Link>
          </div>
        </div>
      ) : (
        <WebhookForm onCreated={setCreated} />
      )}
    </Page>
  );
}

function WebhookForm({ onCreated }: { onCreated: (w: WebhookSubscriptionWithSecret) => void }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const isAdmin = me?.role === 'admin';
  const qc = useQueryClient();
  const orgs = useAllOrganizations({}, isAdmin);
  const [form, setForm] = useState<Form>(EMPTY);
  const errors = useFormErrors();
  const { dialog, bypass } = useUnsavedChanges(JSON.stringify(form) !== JSON.stringify(EMPTY));
  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    errors.clearField(k);
  };

  const save = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/webhooks', {
      body: {
        url: form.url.trim(), event_types: form.event_types,
        ...(isAdmin ? { organization_id: form.organization_id } : {}),
      },
    })),
    onSuccess: async (w) => {
      bypass();
      onCreated(w);
      await qc.invalidateQueries({ queryKey: queryKeys.all('webhooks') });
    },
    onError: (e) => errors.fromError(e),
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (isAdmin && !form.organization_id) missing.organization_id = t('validation.required');
    if (!form.url.trim()) missing.url = t('validation.required');
    if (form.event_types.length === 0) missing.event_types = t('validation.chooseOne');
    if (Object.keys(missing).length) {
      errors.setGeneral(null);
      errors.setFields(missing);
      return;
    }
    save.mutate();
  }

  return (
    <form onSubmit={onSubmit} noValidate className="col-lg-8 px-0">
      {dialog}
      <ErrorSummary errors={errors.fields} general={errors.general} />
      {isAdmin ? (
        <SelectField id="organization_id" label={t('webhooks.organization')} required value={form.organization_id}
                     error={errors.fields.organization_id} placeholder={t('admin.choose')} hint={t('webhooks.organizationHint')}
                     onChange={(e) => set('organization_id', e.target.value)}
                     options={(orgs.data ?? []).filter((o) => o.active).map((o) => ({ value: o.id, label: o.name }))} />
      ) : me?.organization ? (
        <p>{t('webhooks.ownOrganization', { name: me.organization.name })}</p>
      ) : null}
      <TextField id="url" type="url" label={t('webhooks.url')} required value={form.url} error={errors.fields.url}
                 hint={t('webhooks.urlHint')} placeholder="https://" autoComplete="off" inputMode="url" maxLength={2000}
                 onChange={(e) => set('url', e.target.value)} />
      <CheckboxGroup id="event_types" legend={t('webhooks.events')} required hint={t('webhooks.eventsHint')}
                     value={form.event_types} error={errors.fields.event_types}
                     onChange={(v) => set('event_types', v as EventType[])}
                     options={EVENT_TYPES.map((e) => ({ value: e, label: eventLabel(t, e), hint: e }))} />
      <div className="d-flex gap-2">
        <Button color="primary" type="submit" disabled={save.isPending}>{save.isPending ? t('common.saving') : t('common.save')}</Button>
        <Link to="/webhooks" className="btn btn-outline-secondary">{t('common.cancel')}</Link>
      </div>
    </form>
  );
}
