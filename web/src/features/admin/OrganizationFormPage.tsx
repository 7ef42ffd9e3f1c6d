// Admin: create or change an organization. A change sends only the changed fields, at the
// version read (If-Match with its ETag); a 412 keeps what was typed and offers the current one.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useEffect, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap, unwrapVersioned } from '../../api/client';
import { ifMatch, type Versioned } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import { ActionBar } from '../../components/Actions';
import { ErrorSummary, SelectField, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { StaleNotice } from '../../components/StaleNotice';
import { ErrorState, Loading } from '../../components/States';
import { useErrorMessage } from '../../components/errors';
import { useEditForm } from '../../components/useEditForm';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';
import { ORGANIZATION_KINDS, useDistricts, type Organization, type OrganizationKind } from './queries';

interface Form {
  district_id: string;
  name: string;
  kind: OrganizationKind | '';
  accreditation_code: string;
  tax_code: string;
  email: string;
  phone: string;
  active: boolean;
}

const EMPTY: Form = { district_id: '', name: '', kind: '', accreditation_code: '', tax_code: '', email: '', phone: '', active: true };

function fromOrg(o: Organization): Form {
  return {
    district_id: o.district_id, name: o.name, kind: o.kind, accreditation_code: o.accreditation_code ?? '',
    tax_code: o.tax_code ?? '', email: o.email ?? '', phone: o.phone ?? '', active: o.active,
  };
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);

const FIELD_LABELS: Record<string, string> = {
  name: 'admin.organizations.name', kind: 'admin.organizations.kind', accreditation_code: 'admin.organizations.accreditation',
  tax_code: 'admin.organizations.taxCode', email: 'admin.email', phone: 'admin.phone', active: 'admin.organizations.activeLabel',
};

export function OrganizationFormPage() {
  const { id } = useParams();
  const isNew = !id;
  const { t } = useTranslation();
  const org = useQuery({
    queryKey: queryKeys.detail('organizations', id ?? ''),
    queryFn: () => readOrganization(id!),
    enabled: !isNew,
    staleTime: 0,
  });
  const title = isNew ? t('admin.organizations.new') : org.data?.record.name ?? t('admin.organizations.edit');
  const crumbs = [{ label: t('admin.organizations.title'), to: '/admin/organizations' }, { label: title }];
  return (
    <Page title={title} crumbs={crumbs}>
      {!isNew && org.isPending ? <Loading /> : !isNew && org.isError ? <ErrorState error={org.error} onRetry={() => void org.refetch()} /> :
        <OrganizationForm key={org.data?.record.id ?? 'new'} read={org.data} />}
    </Page>
  );
}

function readOrganization(id: string): Promise<Versioned<Organization>> {
  return unwrapVersioned(api.GET('/api/v1/organizations/{id}', { params: { path: { id } } }));
}

function OrganizationForm({ read }: { read?: Versioned<Organization> }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const districts = useDistricts();
  const id = read?.record.id;
  const edit = useEditForm<Form>(read ? fromOrg(read.record) : EMPTY, read?.etag ?? null);
  const { form, setForm } = edit;
  const errors = useFormErrors();
  const { dialog, bypass } = useUnsavedChanges(edit.dirty);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    edit.set(k, v);
    errors.clearField(k);
  };
  useEffect(() => {
    if (!id && !form.district_id && districts.data?.length === 1) setForm((f) => ({ ...f, district_id: districts.data![0].id }));
  }, [districts.data, id, form.district_id, setForm]);

  const save = useMutation({
    mutationFn: async () => {
      if (id) {
        const c = edit.changes;
        return unwrap(api.PATCH('/api/v1/organizations/{id}', {
          params: { path: { id }, header: ifMatch(edit.version) },
          body: {
            ...('name' in c ? { name: form.name.trim() } : {}), ...('kind' in c && form.kind ? { kind: form.kind } : {}),
            ...('accreditation_code' in c ? { accreditation_code: orNull(form.accreditation_code) } : {}),
            ...('tax_code' in c ? { tax_code: orNull(form.tax_code) } : {}), ...('email' in c ? { email: orNull(form.email) } : {}),
            ...('phone' in c ? { phone: orNull(form.phone) } : {}), ...('active' in c ? { active: form.active } : {}),
          },
        }));
      }
      return unwrap(api.POST('/api/v1/organizations', {
        body: {
          district_id: form.district_id, name: form.name.trim(), kind: form.kind as OrganizationKind,
          accreditation_code: orNull(form.accreditation_code), tax_code: orNull(form.tax_code),
          email: orNull(form.email), phone: orNull(form.phone),
        },
      }));
    },
    onSuccess: async () => {
      bypass();
      await qc.invalidateQueries({ queryKey: queryKeys.all('organizations') });
      navigate('/admin/organizations');
    },
    onError: (e) => edit.saveFailed(e, errors),
  });
  const reload = useMutation({
    mutationFn: () => readOrganization(id!),
    onSuccess: (fresh) => edit.rebase(fromOrg(fresh.record), fresh.etag),
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!id && !form.district_id) missing.district_id = t('validation.required');
    if (!form.name.trim()) missing.name = t('validation.required');
    if (!form.kind) missing.kind = t('validation.required');
    if (form.kind === 'accredited_agency' && !form.accreditation_code.trim()) missing.accreditation_code = t('admin.organizations.accreditationRequired');
    if (Object.keys(missing).length) {
      errors.setGeneral(null);
      errors.setFields(missing);
      return;
    }
    if (id && !edit.dirty) {
      navigate('/admin/organizations');
      return;
    }
    save.mutate();
  }

  return (
    <form onSubmit={onSubmit} noValidate className="col-lg-8 px-0">
      {dialog}
      <StaleNotice stale={edit.stale} reloading={reload.isPending} onReload={() => reload.mutate()}
                   reloadError={reload.isError ? message(reload.error) : null} conflicts={edit.rebased?.conflicts ?? null}
                   fieldLabel={(f) => t(FIELD_LABELS[f] ?? f)} />
      <ErrorSummary errors={errors.fields} general={errors.general} />
      {!id && (
        <SelectField id="district_id" label={t('admin.district')} required value={form.district_id} error={errors.fields.district_id}
                     placeholder={t('admin.choose')} onChange={(e) => set('district_id', e.target.value)}
                     options={(districts.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
      )}
      <TextField id="name" label={t('admin.organizations.name')} required value={form.name} error={errors.fields.name}
                 onChange={(e) => set('name', e.target.value)} />
      <SelectField id="kind" label={t('admin.organizations.kind')} required value={form.kind} error={errors.fields.kind}
                   placeholder={t('admin.choose')} onChange={(e) => set('kind', e.target.value as OrganizationKind)}
                   options={ORGANIZATION_KINDS.map((k) => ({ value: k, label: t(`orgKind.${k}`) }))} />
      <TextField id="accreditation_code" label={t('admin.organizations.accreditation')} value={form.accreditation_code}
                 required={form.kind === 'accredited_agency'} hint={t('admin.organizations.accreditationHint')}
                 error={errors.fields.accreditation_code} onChange={(e) => set('accreditation_code', e.target.value)} />
      <TextField id="tax_code" label={t('admin.organizations.taxCode')} value={form.tax_code} error={errors.fields.tax_code}
                 onChange={(e) => set('tax_code', e.target.value)} />
      <div className="row">
        <div className="col-md-6">
          <TextField id="email" type="email" label={t('admin.email')} value={form.email} error={errors.fields.email}
                     onChange={(e) => set('email', e.target.value)} autoComplete="off" />
        </div>
        <div className="col-md-6">
          <TextField id="phone" type="tel" label={t('admin.phone')} value={form.phone} error={errors.fields.phone}
                     onChange={(e) => set('phone', e.target.value)} autoComplete="off" />
        </div>
      </div>
      {id && (
        <div className="form-check mb-4">
          <input id="active" type="checkbox" checked={form.active} onChange={(e) => set('active', e.target.checked)} />
          <label htmlFor="active">{t('admin.organizations.activeLabel')}</label>
        </div>
      )}
      {read ? (
        <ActionBar record={read.record} items={[{
          action: 'edit', type: 'submit', label: t('common.save'), pending: save.isPending, pendingLabel: t('common.saving'),
        }]}>
          <Link to="/admin/organizations" className="btn btn-outline-secondary">{t('common.cancel')}</Link>
        </ActionBar>
      ) : (
        <div className="d-flex gap-2">
          <Button color="primary" type="submit" disabled={save.isPending}>{save.isPending ? t('common.saving') : t('common.save')}</Button>
          <Link to="/admin/organizations" className="btn btn-outline-secondary">{t('common.cancel')}</Link>
        </div>
      )}
    </form>
  );
}
