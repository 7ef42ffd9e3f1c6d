// Admin: create or change a user account (role, organization, district, password, enabled).
// A change is saved at the version read (If-Match with its ETag); a 412 keeps what was typed and
// offers the current version.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrap, unwrapVersioned } from '../../api/client';
import { ifMatch, type Versioned } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import { ROLES, type Role } from '../../api/types';
import { ActionBar } from '../../components/Actions';
import { ErrorSummary, SelectField, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { StaleNotice } from '../../components/StaleNotice';
import { ErrorState, Loading } from '../../components/States';
import { useErrorMessage } from '../../components/errors';
import { useEditForm } from '../../components/useEditForm';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';
import { useAllOrganizations, useDistricts, type User } from './queries';

interface Form {
  email: string;
  full_name: string;
  password: string;
  role: Role | '';
  organization_id: string;
  district_id: string;
  active: boolean;
}

const EMPTY: Form = { email: '', full_name: '', password: '', role: '', organization_id: '', district_id: '', active: true };

function fromUser(u: User): Form {
  return {
    email: u.email, full_name: u.full_name, password: '', role: u.role, organization_id: u.organization_id ?? '',
    district_id: u.district_id ?? '', active: u.active,
  };
}

export function UserFormPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const user = useQuery({
    queryKey: queryKeys.detail('users', id ?? ''),
    queryFn: () => readUser(id!),
    enabled: !!id,
    staleTime: 0,
  });
  const title = !id ? t('admin.users.new') : user.data?.record.full_name ?? t('admin.users.edit');
  return (
    <Page title={title} crumbs={[{ label: t('admin.users.title'), to: '/admin/users' }, { label: title }]}>
      {id && user.isPending ? <Loading /> : id && user.isError ? <ErrorState error={user.error} onRetry={() => void user.refetch()} /> :
        <UserForm key={user.data?.record.id ?? 'new'} read={user.data} />}
    </Page>
  );
}

function readUser(id: string): Promise<Versioned<User>> {
  return unwrapVersioned(api.GET('/api/v1/users/{id}', { params: { path: { id } } }));
}

const FIELD_LABELS: Record<string, string> = {
  full_name: 'admin.users.fullName', password: 'admin.users.newPassword', role: 'admin.users.role',
  organization_id: 'admin.users.organization', district_id: 'admin.district', active: 'admin.users.activeLabel',
};

function UserForm({ read }: { read?: Versioned<User> }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const orgs = useAllOrganizations();
  const districts = useDistricts();
  const id = read?.record.id;
  const edit = useEditForm<Form>(read ? fromUser(read.record) : EMPTY, read?.etag ?? null);
  const { form } = edit;
  const errors = useFormErrors();
  const { dialog, bypass } = useUnsavedChanges(edit.dirty);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    edit.set(k, v);
    errors.clearField(k);
  };
  const needsOrg = form.role === 'referrer' || form.role === 'agency_operator';
  const needsDistrict = form.role === 'coordinator' || form.role === 'observer';
  const orgOptions = (orgs.data ?? [])
    .filter((o) => form.role !== 'agency_operator' || o.kind === 'accredited_agency')
    .map((o) => ({ value: o.id, label: o.name }));

  const save = useMutation({
    mutationFn: async () => {
      // Empty means "as it is": a merge patch refuses null for what cannot be cleared.
      const placement = {
        ...(form.organization_id ? { organization_id: form.organization_id } : {}),
        ...(form.district_id ? { district_id: form.district_id } : {}),
      };
      if (id) {
        return unwrap(api.PATCH('/api/v1/users/{id}', {
          params: { path: { id }, header: ifMatch(edit.version) },
          body: {
            full_name: form.full_name.trim(), ...(form.role ? { role: form.role } : {}), ...placement, active: form.active,
            ...(form.password ? { password: form.password } : {}),
          },
        }));
      }
      return unwrap(api.POST('/api/v1/users', {
        body: { email: form.email.trim(), full_name: form.full_name.trim(), password: form.password, role: form.role as Role, ...placement },
      }));
    },
    onSuccess: async () => {
      bypass();
      await qc.invalidateQueries({ queryKey: queryKeys.all('users') });
      navigate('/admin/users');
    },
    onError: (e) => edit.saveFailed(e, errors),
  });
  const reload = useMutation({
    mutationFn: () => readUser(id!),
    onSuccess: (fresh) => edit.rebase(fromUser(fresh.record), fresh.etag),
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!id && !form.email.trim()) missing.email = t('validation.required');
    if (!form.full_name.trim()) missing.full_name = t('validation.required');
    if (!id && !form.password) missing.password = t('validation.required');
    if (!form.role) missing.role = t('validation.required');
    if (needsOrg && !form.organization_id) missing.organization_id = t('validation.required');
    if (needsDistrict && !form.district_id) missing.district_id = t('validation.required');
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
      <StaleNotice stale={edit.stale} reloading={reload.isPending} onReload={() => reload.mutate()}
                   reloadError={reload.isError ? message(reload.error) : null} conflicts={edit.rebased?.conflicts ?? null}
                   fieldLabel={(f) => t(FIELD_LABELS[f] ?? f)} />
      <ErrorSummary errors={errors.fields} general={errors.general} />
      <TextField id="email" type="email" label={t('admin.email')} required={!id} disabled={!!id} value={form.email}
                 error={errors.fields.email} autoComplete="off" onChange={(e) => set('email', e.target.value)} />
      <TextField id="full_name" label={t('admin.users.fullName')} required value={form.full_name} error={errors.fields.full_name}
                 autoComplete="off" onChange={(e) => set('full_name', e.target.value)} />
      <TextField id="password" type="password" label={id ? t('admin.users.newPassword') : t('auth.password')} required={!id}
                 value={form.password} error={errors.fields.password} autoComplete="new-password"
                 hint={t('admin.users.passwordHint')} onChange={(e) => set('password', e.target.value)} />
      <SelectField id="role" label={t('admin.users.role')} required value={form.role} error={errors.fields.role}
                   placeholder={t('admin.choose')} onChange={(e) => set('role', e.target.value as Role)}
                   options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
      <SelectField id="organization_id" label={t('admin.users.organization')} required={needsOrg} value={form.organization_id}
                   error={errors.fields.organization_id} placeholder={t('common.none')}
                   hint={form.role === 'agency_operator' ? t('admin.users.agencyHint') : undefined}
                   onChange={(e) => set('organization_id', e.target.value)} options={orgOptions} />
      <SelectField id="district_id" label={t('admin.district')} required={needsDistrict} value={form.district_id}
                   error={errors.fields.district_id} placeholder={t('admin.users.districtFromOrg')}
                   onChange={(e) => set('district_id', e.target.value)}
                   options={(districts.data ?? []).map((d) => ({ value: d.id, label: d.name }))} />
      {id && (
        <div className="form-check mb-4">
          <input id="active" type="checkbox" checked={form.active} onChange={(e) => set('active', e.target.checked)} />
          <label htmlFor="active">{t('admin.users.activeLabel')}</label>
        </div>
      )}
      {read ? (
        <ActionBar record={read.record} items={[{
          action: 'edit', type: 'submit', label: t('common.save'), pending: save.isPending, pendingLabel: t('common.saving'),
        }]}>
          <Link to="/admin/users" className="btn btn-outline-secondary">{t('common.cancel')}</Link>
        </ActionBar>
      ) : (
        <div className="d-flex gap-2">
          <Button color="primary" type="submit" disabled={save.isPending}>{save.isPending ? t('common.saving') : t('common.save')}</Button>
          <Link to="/admin/users" className="btn btn-outline-secondary">{t('common.cancel')}</Link>
        </div>
      )}
    </form>
  );
}
