// Admin: a new integration client for one organization, with its scopes. The API returns the
// secret in this response only: the form gives way to the credentials panel.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import { SCOPES, type IntegrationClientWithSecret, type Scope } from '../../api/types';
import { CheckboxGroup, ErrorSummary, SelectField, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';
import { useAllOrganizations } from '../admin/queries';
import { ClientSecretPanel } from './ClientSecretPanel';
import { scopeLabel } from './labels';

interface Form {
  organization_id: string;
  name: string;
  scopes: Scope[];
}

const EMPTY: Form = { organization_id: '', name: '', scopes: [] };

export function IntegrationClientFormPage() {
  const { t } = useTranslation();
  const [created, setCreated] = useState<IntegrationClientWithSecret | null>(null);
  const title = t('integrations.new');
  return (
    <Page title={title} crumbs={[{ label: t('integrations.title'), to: '/admin/integrations' }, { label: title }]}>
      {created ? (
        <div className="col-lg-10 px-0">
          <ClientSecretPanel client={created} title={t('integrations.createdTitle')} />
          <Link to="/admin/integrations" className="btn btn-primary">{t('integrations.backToList')}</Link>
        </div>
      ) : (
        <ClientForm onCreated={setCreated} />
      )}
    </Page>
  );
}

function ClientForm({ onCreated }: { onCreated: (c: IntegrationClientWithSecret) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const orgs = useAllOrganizations();
  const [form, setForm] = useState<Form>(EMPTY);
  const errors = useFormErrors();
  const { dialog, bypass } = useUnsavedChanges(JSON.stringify(form) !== JSON.stringify(EMPTY));
  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    errors.clearField(k);
  };

  const save = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/integration-clients', {
      body: { organization_id: form.organization_id, name: form.name.trim(), scopes: form.scopes },
    })),
    onSuccess: async (client) => {
      bypass();
      onCreated(client);
      await qc.invalidateQueries({ queryKey: queryKeys.all('integration-clients') });
    },
    onError: (e) => errors.fromError(e),
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!form.organization_id) missing.organization_id = t('validation.required');
    if (!form.name.trim()) missing.name = t('validation.required');
    if (form.scopes.length === 0) missing.scopes = t('validation.chooseOne');
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
      <SelectField id="organization_id" label={t('integrations.organization')} required value={form.organization_id}
                   error={errors.fields.organization_id} placeholder={t('admin.choose')} hint={t('integrations.organizationHint')}
                   onChange={(e) => set('organization_id', e.target.value)}
                   options={(orgs.data ?? []).filter((o) => o.active).map((o) => ({ value: o.id, label: o.name }))} />
      <TextField id="name" label={t('integrations.name')} required value={form.name} error={errors.fields.name}
                 hint={t('integrations.nameHint')} autoComplete="off" maxLength={200}
                 onChange={(e) => set('name', e.target.value)} />
      <CheckboxGroup id="scopes" legend={t('integrations.scopes')} required hint={t('integrations.scopesHint')}
                     value={form.scopes} error={errors.fields.scopes}
                     onChange={(v) => set('scopes', v as Scope[])}
                     options={SCOPES.map((s) => ({ value: s, label: s, hint: scopeLabel(t, s) }))} />
      <div className="d-flex gap-2">
        <Button color="primary" type="submit" disabled={save.isPending}>{save.isPending ? t('common.saving') : t('common.save')}</Button>
        <Link to="/admin/integrations" className="btn btn-outline-secondary">{t('common.cancel')}</Link>
      </div>
    </form>
  );
}
