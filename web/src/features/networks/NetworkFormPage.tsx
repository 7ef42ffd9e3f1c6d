// A network, created or changed: kind (at creation), name, purpose, objectives from the
// vocabulary plus free text, promoter and coordinating organization (picked among the district's
// organizations), whether the public may ask to join. A change sends only the changed fields as
// a JSON Merge Patch at the version read (If-Match with its ETag); a 412 keeps what was typed.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api, unwrapVersioned } from '../../api/client';
import { ENUMS } from '../../api/enums.gen';
import { ifMatch, type Versioned } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import { ActionBar } from '../../components/Actions';
import { CheckboxGroup, ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/Form';
import { Page } from '../../components/Page';
import { StaleNotice } from '../../components/StaleNotice';
import { ErrorState, Loading } from '../../components/States';
import { useErrorMessage } from '../../components/errors';
import { useEditForm } from '../../components/useEditForm';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';
import { useAllOrganizations } from '../admin/queries';
import type { Network } from './NetworksPage';

type Kind = components['schemas']['NetworkKind'];
type Objective = components['schemas']['NetworkObjective'];
type NetworkPatch = components['schemas']['NetworkPatch'];

interface Form {
  kind: Kind | '';
  name: string;
  purpose: string;
  objectives: Objective[];
  objectives_other: string;
  promoter_organization_id: string;
  coordinating_organization_id: string;
  accepts_join_requests: boolean;
}

const EMPTY: Form = {
  kind: '', name: '', purpose: '', objectives: [], objectives_other: '', promoter_organization_id: '',
  coordinating_organization_id: '', accepts_join_requests: true,
};

function fromNetwork(n: Network): Form {
  return {
    kind: n.kind, name: n.name, purpose: n.purpose ?? '', objectives: [...n.objectives], objectives_other: n.objectives_other ?? '',
    promoter_organization_id: n.promoter_organization?.id ?? '', coordinating_organization_id: n.coordinating_organization?.id ?? '',
    accepts_join_requests: n.accepts_join_requests,
  };
}

/** Every kind but the district's own table, which is never created. */
export const CREATABLE_KINDS = (ENUMS.NetworkKind as readonly Kind[]).filter((k) => k !== 'coordination_table');

const orNull = (s: string) => (s.trim() ? s.trim() : null);

const FIELD_LABELS: Record<string, string> = {
  kind: 'networks.kindLabel', name: 'networks.nameLabel', purpose: 'networks.purpose', objectives: 'networks.objectives',
  objectives_other: 'networks.objectivesOther', promoter_organization_id: 'networks.promoter',
  coordinating_organization_id: 'networks.coordinator', accepts_join_requests: 'networks.joinRequests',
};

export function readNetwork(id: string): Promise<Versioned<Network>> {
  return unwrapVersioned(api.GET('/api/v1/networks/{id}', { params: { path: { id } } }));
}

/** The body of a change: the changed fields only, emptied ones cleared with null. */
export function networkPatch(base: Form, form: Form): NetworkPatch {
  const body: NetworkPatch = {};
  if (form.name.trim() !== base.name.trim()) body.name = form.name.trim();
  if (form.purpose.trim() !== base.purpose.trim()) body.purpose = orNull(form.purpose);
  if (JSON.stringify([...form.objectives].sort()) !== JSON.stringify([...base.objectives].sort())) body.objectives = form.objectives;
  if (form.objectives_other.trim() !== base.objectives_other.trim()) body.objectives_other = orNull(form.objectives_other);
  if (form.promoter_organization_id !== base.promoter_organization_id) body.promoter_organization_id = form.promoter_organization_id || null;
  if (form.coordinating_organization_id !== base.coordinating_organization_id) {
    body.coordinating_organization_id = form.coordinating_organization_id || null;
  }
  if (form.accepts_join_requests !== base.accepts_join_requests) body.accepts_join_requests = form.accepts_join_requests;
  return body;
}

export function NetworkFormPage() {
  const { id } = useParams();
  const isNew = !id;
  const { t } = useTranslation();
  const network = useQuery({
    queryKey: [...queryKeys.detail('networks', id ?? ''), 'versioned'],
    queryFn: () => readNetwork(id!),
    enabled: !isNew,
    staleTime: 0,
  });
  const title = isNew ? t('networks.new') : t('networks.editTitle', { name: network.data?.record.name ?? '' });
  const crumbs = [{ label: t('networks.title'), to: '/networks' },
    ...(id ? [{ label: network.data?.record.name ?? '…', to: `/networks/${id}` }] : [])];
  return (
    <Page title={title} crumbs={crumbs}>
      {!isNew && network.isPending ? <Loading /> : !isNew && network.isError
        ? <ErrorState error={network.error} onRetry={() => void network.refetch()} />
        : <NetworkForm key={network.data?.record.id ?? 'new'} read={network.data} />}
    </Page>
  );
}

function NetworkForm({ read }: { read?: Versioned<Network> }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const organizations = useAllOrganizations();
  const id = read?.record.id;
  const edit = useEditForm<Form>(read ? fromNetwork(read.record) : EMPTY, read?.etag ?? null);
  const { form } = edit;
  const errors = useFormErrors();
  const { dialog, bypass } = useUnsavedChanges(edit.dirty);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => {
    edit.set(k, v);
    errors.clearField(k);
  };
  const back = id ? `/networks/${id}` : '/networks';

  const save = useMutation({
    mutationFn: async () => {
      if (id) {
        return unwrapVersioned(api.PATCH('/api/v1/networks/{id}', {
          params: { path: { id }, header: ifMatch(edit.version) }, body: networkPatch(edit.base, form),
        }));
      }
      return unwrapVersioned(api.POST('/api/v1/networks', {
        body: {
          kind: form.kind as Kind, name: form.name.trim(), purpose: orNull(form.purpose), objectives: form.objectives,
          objectives_other: orNull(form.objectives_other), promoter_organization_id: form.promoter_organization_id || null,
          coordinating_organization_id: form.coordinating_organization_id || null, accepts_join_requests: form.accepts_join_requests,
        },
      }));
    },
    onSuccess: async (saved) => {
      bypass();
      await qc.invalidateQueries({ queryKey: queryKeys.all('networks') });
      navigate(`/networks/${saved.record.id}`, { state: { flash: id ? 'networkSaved' : 'networkCreated' } });
    },
    onError: (e) => edit.saveFailed(e, errors),
  });
  const reload = useMutation({
    mutationFn: () => readNetwork(id!),
    onSuccess: (fresh) => edit.rebase(fromNetwork(fresh.record), fresh.etag),
  });

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const missing: Record<string, string> = {};
    if (!id && !form.kind) missing.kind = t('validation.required');
    if (form.name.trim().length < 2) missing.name = form.name.trim() ? t('validation.too_short') : t('validation.required');
    if (Object.keys(missing).length) {
      errors.setGeneral(null);
      errors.setFields(missing);
      return;
    }
    if (id && Object.keys(networkPatch(edit.base, form)).length === 0) {
      bypass();
      navigate(back);
      return;
    }
    save.mutate();
  }

  const orgOptions = (organizations.data ?? []).filter((o) => o.active || [form.promoter_organization_id, form.coordinating_organization_id].includes(o.id))
    .map((o) => ({ value: o.id, label: `${o.name} (${t(`orgKind.${o.kind}`)})` }));
  return (
    <form onSubmit={onSubmit} noValidate className="col-lg-8 px-0" data-testid="network-form">
      {dialog}
      <StaleNotice stale={edit.stale} reloading={reload.isPending} onReload={() => reload.mutate()}
                   reloadError={reload.isError ? message(reload.error) : null} conflicts={edit.rebased?.conflicts ?? null}
                   fieldLabel={(f) => t(FIELD_LABELS[f] ?? f)} />
      <ErrorSummary errors={errors.fields} general={errors.general} />
      {id ? (
        <p><strong>{t('networks.kindLabel')}:</strong> {t(`networks.kind.${read!.record.kind}`)}</p>
      ) : (
        <SelectField id="kind" label={t('networks.kindLabel')} required value={form.kind} error={errors.fields.kind}
                     placeholder={t('networks.choose')} onChange={(e) => set('kind', e.target.value as Kind)}
                     options={CREATABLE_KINDS.map((k) => ({ value: k, label: t(`networks.kind.${k}`) }))} />
      )}
      <TextField id="name" label={t('networks.nameLabel')} required value={form.name} error={errors.fields.name} maxLength={200}
                 onChange={(e) => set('name', e.target.value)} />
      <TextAreaField id="purpose" label={t('networks.purpose')} value={form.purpose} error={errors.fields.purpose} maxLength={4000}
                     onChange={(e) => set('purpose', e.target.value)} />
      <CheckboxGroup id="objectives" legend={t('networks.objectives')} value={form.objectives} error={errors.fields.objectives}
                     onChange={(v) => set('objectives', v as Objective[])}
                     options={(ENUMS.NetworkObjective as readonly Objective[]).map((o) => ({ value: o, label: t(`networks.objective.${o}`) }))} />
      <TextAreaField id="objectives_other" label={t('networks.objectivesOther')} value={form.objectives_other} maxLength={2000}
                     error={errors.fields.objectives_other} onChange={(e) => set('objectives_other', e.target.value)} />
      <SelectField id="promoter_organization_id" label={t('networks.promoter')} value={form.promoter_organization_id}
                   error={errors.fields.promoter_organization_id} placeholder={t('networks.noOrganization')}
                   onChange={(e) => set('promoter_organization_id', e.target.value)} options={orgOptions} />
      <SelectField id="coordinating_organization_id" label={t('networks.coordinator')} value={form.coordinating_organization_id}
                   error={errors.fields.coordinating_organization_id} placeholder={t('networks.noOrganization')}
                   hint={t('networks.coordinatorHint')}
                   onChange={(e) => set('coordinating_organization_id', e.target.value)} options={orgOptions} />
      <div className="form-check mb-4">
        <input id="accepts_join_requests" type="checkbox" checked={form.accepts_join_requests}
               onChange={(e) => set('accepts_join_requests', e.target.checked)} />
        <label htmlFor="accepts_join_requests">{t('networks.joinRequests')}</label>
      </div>
      {read ? (
        <ActionBar record={read.record} items={[{
          action: 'edit', type: 'submit', label: t('common.save'), pending: save.isPending, pendingLabel: t('common.saving'),
        }]}>
          <Link to={back} className="btn btn-outline-secondary">{t('common.cancel')}</Link>
        </ActionBar>
      ) : (
        <div className="d-flex flex-wrap gap-2">
          <Button color="primary" type="submit" disabled={save.isPending}>{save.isPending ? t('common.saving') : t('networks.create')}</Button>
          <Link to={back} className="btn btn-outline-secondary">{t('common.cancel')}</Link>
        </div>
      )}
    </form>
  );
}
