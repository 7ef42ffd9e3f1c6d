// A partnership's collective actions (seed 001), on its network page: each action with its kind,
// state, dates, the members taking part, the target employers and its results — counts computed
// by the API from the beneficiaries' cases, never typed —, and, where the API's
// `allowed_actions` offer them, the forms: plan or edit an action (edit at the version read),
// start / complete / cancel it (cancel with a reason), add and remove participants (active
// members of the network) and target employers (organizations of kind employer), add
// beneficiaries (an agency's operator picks among its cases) and, for those who may read them,
// the list of beneficiaries (case and agency, no names: each row a logged read on the server).
import './collective.messages';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap, unwrapVersioned } from '../../api/client';
import { ENUMS } from '../../api/enums.gen';
import { ifMatch, type Versioned } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import { ActionBar, allows, offers } from '../../components/Actions';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DateField, isIsoDate } from '../../components/DateField';
import { EditDialogLoader } from '../../components/EditDialogLoader';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { useErrorMessage } from '../../components/errors';
import { ErrorState, Loading } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDate, formatDateTime } from '../../lib/format';
import { useAllOrganizations } from '../admin/queries';

type S = components['schemas'];
type Network = S['NetworkOut'];
type Action = S['CollectiveActionOut'];
type Kind = S['CollectiveActionKind'];
type Status = S['CollectiveActionStatus'];
type Results = S['CollectiveResults'];
type Move = 'start' | 'complete' | 'cancel';

const STATUS_COLOR: Record<Status, string> = {
  planned: 'bg-info text-dark', running: 'bg-success', completed: 'bg-secondary', cancelled: 'bg-secondary',
};
const RESULTS: (keyof Results)[] = [
  'beneficiaries', 'hired', 'employed_at_6_months', 'not_employed_at_6_months', 'six_month_check_pending', 'six_month_check_overdue',
];

const actionsKey = (networkId: string) => queryKeys.sub('networks', networkId, 'collective-actions');

function useInvalidate() {
  const qc = useQueryClient();
  // ['networks'] covers the network, its actions and the beneficiaries read under it.
  return () => qc.invalidateQueries({ queryKey: queryKeys.all('networks') });
}

export function CollectiveActions({ network }: { network: Network }) {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const actions = useQuery({
    queryKey: actionsKey(network.id),
    queryFn: () => unwrap(api.GET('/api/v1/networks/{id}/collective-actions', { params: { path: { id: network.id }, query: { limit: 200 } } })),
  });
  return (
    <section className="mb-4" aria-labelledby="collective-h" data-testid="collective-actions">
      <h2 className="h4" id="collective-h">{t('collective.title')}</h2>
      <p className="text-secondary">{t('collective.intro')}</p>
      {/* Those who manage the partnership (who may edit it) plan its actions. */}
      <ActionBar record={network} items={[
        { action: 'edit', label: t('collective.new'), onClick: () => setCreating(true) },
      ]} />
      {actions.isPending && <Loading />}
      {actions.isError && <ErrorState error={actions.error} onRetry={() => void actions.refetch()} />}
      {actions.data && (actions.data.items.length === 0
        ? <p className="mt-2">{t('collective.empty')}</p>
        : actions.data.items.map((a) => <ActionCard key={a.id} action={a} network={network} />))}
      {creating && <ActionFormDialog networkId={network.id} onClose={() => setCreating(false)} />}
    </section>
  );
}

function StatusTag({ status }: { status: Status }) {
  const { t } = useTranslation();
  return <span className={`badge ${STATUS_COLOR[status]} badge-status`} data-status={status}>{t(`collective.status.${status}`)}</span>;
}

function ActionCard({ action: a, network }: { action: Action; network: Network }) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<'edit' | Move | 'participant' | 'employer' | 'beneficiary' | null>(null);
  const [removing, setRemoving] = useState<Removal | null>(null);
  const [showBeneficiaries, setShowBeneficiaries] = useState(false);
  const headingId = `collective-${a.id}`;
  const period = a.starts_on || a.ends_on
    ? [a.starts_on, a.ends_on].map((d) => (d ? formatDate(d) : '…')).join(' – ') : t('collective.noDates');
  // Who manages the action or adds beneficiaries to it may read who they are.
  const readsBeneficiaries = offers(a, 'edit') || allows(a, 'add_beneficiary');
  return (
    <article className="card card-bg shadow-sm mt-3" aria-labelledby={headingId} data-testid="collective-action">
      <div className="card-body">
        <h3 className="h5 card-title" id={headingId}>{a.title}</h3>
        <div className="d-flex flex-wrap gap-2 align-items-center mb-2">
          <StatusTag status={a.status} />
          <span>{t(`collective.kind.${a.kind}`)}</span>
          <span className="text-secondary">· {period}</span>
        </div>
        {a.description && <p>{a.description}</p>}
        <ActionBar record={a} label={t('collective.actions', { title: a.title })} items={[
          { action: 'edit', label: t('collective.edit'), context: a.title, outline: true, onClick: () => setDialog('edit') },
          { action: 'start', label: t('collective.start'), context: a.title, onClick: () => setDialog('start') },
          { action: 'complete', label: t('collective.complete'), context: a.title, onClick: () => setDialog('complete') },
          { action: 'cancel', label: t('collective.cancel'), context: a.title, color: 'danger', outline: true, onClick: () => setDialog('cancel') },
        ]} />
        <h4 className="h6 mt-3">{t('collective.results')}</h4>
        <dl className="row mb-0" data-testid="collective-results">
          {RESULTS.map((k) => (
            <div key={k} className="col-6 col-md-4 mb-2" data-result={k}>
              <dt className="small fw-normal text-secondary">{t(`collective.result.${k}`)}</dt>
              <dd className="fs-5 fw-semibold mb-0">{a.results[k]}</dd>
            </div>
          ))}
        </dl>
        {(a.participants.length > 0 || offers(a, 'add_participant')) && (
          <>
            <h4 className="h6 mt-3">{t('collective.participants')}</h4>
            {a.participants.length === 0 ? <p>{t('collective.noParticipants')}</p> : (
              <ul className="list-unstyled" data-testid="collective-participants">
                {a.participants.map((p) => (
                  <li key={p.member_id} className="d-flex flex-wrap gap-2 align-items-center mb-1">
                    <span>{p.organization.name} <span className="small text-secondary">({t(`orgKind.${p.organization_kind}`)})</span></span>
                    <ActionBar record={p} size="sm" items={[{
                      action: 'delete', label: t('collective.removeParticipant'), context: p.organization.name, color: 'danger', outline: true,
                      onClick: () => setRemoving({ what: 'participant', id: p.member_id, name: p.organization.name }),
                    }]} />
                  </li>
                ))}
              </ul>
            )}
            <ActionBar record={a} items={[
              { action: 'add_participant', label: t('collective.addParticipant'), context: a.title, outline: true, onClick: () => setDialog('participant') },
            ]} />
          </>
        )}
        {(a.target_employers.length > 0 || offers(a, 'add_employer')) && (
          <>
            <h4 className="h6 mt-3">{t('collective.employers')}</h4>
            {a.target_employers.length === 0 ? <p>{t('collective.noEmployers')}</p> : (
              <ul className="list-unstyled" data-testid="collective-employers">
                {a.target_employers.map((e) => (
                  <li key={e.organization.id} className="d-flex flex-wrap gap-2 align-items-center mb-1">
                    <span>{e.organization.name}</span>
                    <ActionBar record={e} size="sm" items={[{
                      action: 'delete', label: t('collective.removeEmployer'), context: e.organization.name, color: 'danger', outline: true,
                      onClick: () => setRemoving({ what: 'employer', id: e.organization.id, name: e.organization.name }),
                    }]} />
                  </li>
                ))}
              </ul>
            )}
            <ActionBar record={a} items={[
              { action: 'add_employer', label: t('collective.addEmployer'), context: a.title, outline: true, onClick: () => setDialog('employer') },
            ]} />
          </>
        )}
        {(readsBeneficiaries || offers(a, 'add_beneficiary')) && (
          <>
            <h4 className="h6 mt-3">{t('collective.beneficiaries')}</h4>
            <ActionBar record={a} items={[
              { action: 'add_beneficiary', label: t('collective.addBeneficiary'), context: a.title, outline: true, onClick: () => setDialog('beneficiary') },
            ]}>
              {readsBeneficiaries && (
                <Button color="primary" outline size="sm" aria-expanded={showBeneficiaries} aria-controls={`${headingId}-beneficiaries`}
                        onClick={() => setShowBeneficiaries((s) => !s)}>
                  {showBeneficiaries ? t('collective.hideBeneficiaries') : t('collective.showBeneficiaries')}
                </Button>
              )}
            </ActionBar>
            <div id={`${headingId}-beneficiaries`}>
              {showBeneficiaries && <Beneficiaries action={a} onRemove={setRemoving} />}
            </div>
          </>
        )}
      </div>
      {dialog === 'edit' && <EditActionDialog action={a} onClose={() => setDialog(null)} />}
      {(dialog === 'start' || dialog === 'complete' || dialog === 'cancel') && <MoveDialog action={a} move={dialog} onClose={() => setDialog(null)} />}
      {dialog === 'participant' && <AddParticipantDialog action={a} network={network} onClose={() => setDialog(null)} />}
      {dialog === 'employer' && <AddEmployerDialog action={a} onClose={() => setDialog(null)} />}
      {dialog === 'beneficiary' && <AddBeneficiaryDialog action={a} onClose={() => setDialog(null)} />}
      {removing && <RemoveDialog action={a} removal={removing} onClose={() => setRemoving(null)} />}
    </article>
  );
}

function useBeneficiaries(action: Action) {
  return useQuery({
    queryKey: queryKeys.sub('networks', action.network_id, 'collective-beneficiaries', { action: action.id }),
    queryFn: () => unwrap(api.GET('/api/v1/collective-actions/{id}/beneficiaries', { params: { path: { id: action.id }, query: { limit: 200 } } })),
  });
}

function Beneficiaries({ action, onRemove }: { action: Action; onRemove: (r: Removal) => void }) {
  const { t } = useTranslation();
  const list = useBeneficiaries(action);
  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  if (list.data.items.length === 0) return <p>{t('collective.noBeneficiaries')}</p>;
  return (
    <div className="table-responsive">
      <table className="table app-stack-table mt-2" data-testid="collective-beneficiaries">
        <caption className="visually-hidden">{t('collective.beneficiaries')}: {action.title}</caption>
        <thead><tr>
          <th scope="col">{t('collective.agency')}</th><th scope="col">{t('collective.state')}</th>
          <th scope="col"><span className="visually-hidden">{t('common.actions')}</span></th>
        </tr></thead>
        <tbody>
          {list.data.items.map((b) => (
            <tr key={b.id} data-current={b.current}>
              <th scope="row" data-label={t('collective.agency')}>
                <Link to={`/cases/${b.case_id}`}>{t('collective.caseOf', { agency: b.agency.name })}</Link>
              </th>
              <td data-label={t('collective.state')}>
                {b.current ? t('collective.current') : t('collective.removed')}
                <div className="small text-secondary">
                  {t('collective.addedOn', { when: formatDateTime(b.added_at) })}
                  {b.removed_at && <> · {t('collective.removedOn', { when: formatDateTime(b.removed_at) })}</>}
                </div>
              </td>
              <td data-label={t('common.actions')}>
                <ActionBar record={b} size="sm" items={[{
                  action: 'delete', label: t('collective.removeBeneficiary'), context: t('collective.caseOf', { agency: b.agency.name }),
                  color: 'danger', outline: true,
                  onClick: () => onRemove({ what: 'beneficiary', id: b.case_id, name: t('collective.caseOf', { agency: b.agency.name }) }),
                }]} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface ActionForm { kind: Kind | ''; title: string; description: string; starts_on: string; ends_on: string }

function formOf(a: Action | null): ActionForm {
  return { kind: a?.kind ?? '', title: a?.title ?? '', description: a?.description ?? '', starts_on: a?.starts_on ?? '', ends_on: a?.ends_on ?? '' };
}

/** Plans a new action (no `versioned`) or edits one at the version read. */
function ActionFormDialog({ networkId, versioned, onClose }: { networkId: string; versioned?: Versioned<Action>; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const errors = useFormErrors();
  const base = formOf(versioned?.record ?? null);
  const [form, setForm] = useState<ActionForm>(base);
  const set = (k: keyof ActionForm, v: string) => { setForm((f) => ({ ...f, [k]: v })); errors.clearField(k); };
  const m = useMutation({
    mutationFn: () => {
      const text = (v: string) => v.trim() || null;
      if (!versioned) {
        return unwrap(api.POST('/api/v1/networks/{id}/collective-actions', {
          params: { path: { id: networkId } },
          body: { kind: form.kind as Kind, title: form.title.trim(), description: text(form.description), starts_on: form.starts_on || null, ends_on: form.ends_on || null },
        }));
      }
      // Only what changed (a JSON Merge Patch), at the version read.
      const patch: S['CollectiveActionPatch'] = {};
      if (form.kind !== base.kind) patch.kind = form.kind as Kind;
      if (form.title.trim() !== base.title) patch.title = form.title.trim();
      if (form.description.trim() !== base.description) patch.description = text(form.description);
      if (form.starts_on !== base.starts_on) patch.starts_on = form.starts_on || null;
      if (form.ends_on !== base.ends_on) patch.ends_on = form.ends_on || null;
      return unwrap(api.PATCH('/api/v1/collective-actions/{id}', {
        params: { path: { id: versioned.record.id }, header: ifMatch(versioned.etag) }, body: patch,
      }));
    },
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => errors.fromError(e),
  });
  function submit() {
    const missing: Record<string, string> = {};
    if (!form.kind) missing.kind = t('validation.required');
    if (!form.title.trim()) missing.title = t('validation.required');
    if (form.starts_on && !isIsoDate(form.starts_on)) missing.starts_on = t('validation.invalid_date');
    if (form.ends_on && !isIsoDate(form.ends_on)) missing.ends_on = t('validation.invalid_date');
    else if (form.starts_on && form.ends_on && isIsoDate(form.starts_on) && form.ends_on < form.starts_on) missing.ends_on = t('collective.dateOrder');
    if (Object.keys(missing).length) {
      errors.setGeneral(null);
      errors.setFields(missing);
      return;
    }
    m.mutate();
  }
  const title = versioned ? t('collective.editTitle', { title: versioned.record.title }) : t('collective.new');
  return (
    <FormDialog isOpen title={title} submitLabel={versioned ? t('collective.save') : t('collective.create')} pending={m.isPending}
                general={errors.general} onCancel={onClose} onSubmit={submit}>
      <ErrorSummary errors={errors.fields} fieldIds={{ kind: 'collective-kind', title: 'collective-title', description: 'collective-description', starts_on: 'collective-starts_on', ends_on: 'collective-ends_on' }} />
      <SelectField id="collective-kind" label={t('collective.kindLabel')} required value={form.kind} error={errors.fields.kind}
                   placeholder={t('networks.choose')}
                   options={(ENUMS.CollectiveActionKind as readonly Kind[]).map((k) => ({ value: k, label: t(`collective.kind.${k}`) }))}
                   onChange={(e) => set('kind', e.target.value)} />
      <TextField id="collective-title" label={t('collective.titleLabel')} required value={form.title} maxLength={200} error={errors.fields.title}
                 onChange={(e) => set('title', e.target.value)} />
      <TextAreaField id="collective-description" label={t('collective.descriptionLabel')} value={form.description} maxLength={4000}
                     error={errors.fields.description} onChange={(e) => set('description', e.target.value)} />
      <div className="row">
        <div className="col-12 col-sm-6">
          <DateField id="collective-starts_on" label={t('collective.startsOn')} value={form.starts_on} error={errors.fields.starts_on}
                     onChange={(v) => set('starts_on', v)} />
        </div>
        <div className="col-12 col-sm-6">
          <DateField id="collective-ends_on" label={t('collective.endsOn')} value={form.ends_on} error={errors.fields.ends_on}
                     onChange={(v) => set('ends_on', v)} />
        </div>
      </div>
    </FormDialog>
  );
}

function EditActionDialog({ action, onClose }: { action: Action; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <EditDialogLoader<Action>
      queryKey={queryKeys.sub('networks', action.network_id, 'collective-action', { id: action.id })}
      read={() => unwrapVersioned(api.GET('/api/v1/collective-actions/{id}', { params: { path: { id: action.id } } }))}
      title={t('collective.editTitle', { title: action.title })} onClose={onClose}>
      {(versioned) => <ActionFormDialog networkId={action.network_id} versioned={versioned} onClose={onClose} />}
    </EditDialogLoader>
  );
}

/** Start, complete (a reason if one wishes) or cancel (a reason required). */
function MoveDialog({ action, move, onClose }: { action: Action; move: Move; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const errors = useFormErrors();
  const [reason, setReason] = useState('');
  const required = move === 'cancel';
  const m = useMutation({
    mutationFn: () => {
      const path = { path: { id: action.id } };
      if (move === 'cancel') return unwrap(api.POST('/api/v1/collective-actions/{id}/cancel', { params: path, body: { reason: reason.trim() } }));
      const body = reason.trim() ? { reason: reason.trim() } : null;
      return unwrap(move === 'start'
        ? api.POST('/api/v1/collective-actions/{id}/start', { params: path, body })
        : api.POST('/api/v1/collective-actions/{id}/complete', { params: path, body }));
    },
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => errors.fromError(e),
  });
  return (
    <FormDialog isOpen title={t(`collective.moveTitle.${move}`, { title: action.title })} submitLabel={t(`collective.${move}`)}
                danger={move === 'cancel'} pending={m.isPending} general={errors.general} onCancel={onClose}
                onSubmit={() => {
                  if (required && !reason.trim()) { errors.setFields({ reason: t('validation.required') }); return; }
                  m.mutate();
                }}>
      <TextAreaField id="collective-reason" label={required ? t('collective.reason') : t('collective.reasonOptional')} required={required}
                     value={reason} maxLength={2000} error={errors.fields.reason}
                     onChange={(e) => { setReason(e.target.value); errors.clearField('reason'); }} />
    </FormDialog>
  );
}

/** A picker dialog: one select, its options, what to send; the server's refusal shown at the field. */
function PickDialog({ title, field, label, hint, options, empty, pending, send, onClose }: {
  title: string;
  field: string;
  label: string;
  hint?: string;
  options: { value: string; label: string }[] | undefined;
  empty: string;
  pending?: boolean;
  send: (value: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const errors = useFormErrors();
  const [value, setValue] = useState('');
  const m = useMutation({
    mutationFn: () => send(value),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => errors.fromError(e),
  });
  const id = `collective-${field}`;
  return (
    <FormDialog isOpen title={title} submitLabel={title} pending={m.isPending || pending} general={errors.general} onCancel={onClose}
                onSubmit={() => {
                  if (!value) { errors.setFields({ [field]: t('validation.required') }); return; }
                  m.mutate();
                }}>
      <ErrorSummary errors={errors.fields} fieldIds={{ [field]: id }} />
      {options === undefined ? <Loading /> : options.length === 0 && !value ? <p>{empty}</p> : (
        <SelectField id={id} label={label} hint={hint} required value={value} error={errors.fields[field]} placeholder={t('networks.choose')}
                     options={options} onChange={(e) => { setValue(e.target.value); errors.clearField(field); }} />
      )}
    </FormDialog>
  );
}

function AddParticipantDialog({ action, network, onClose }: { action: Action; network: Network; onClose: () => void }) {
  const { t } = useTranslation();
  const members = useQuery({
    queryKey: queryKeys.sub('networks', network.id, 'members', { history: false }),
    queryFn: () => unwrap(api.GET('/api/v1/networks/{id}/members', { params: { path: { id: network.id }, query: { limit: 200 } } })),
  });
  const taking = new Set(action.participants.map((p) => p.member_id));
  const options = members.data?.items.filter((m) => m.active && !taking.has(m.id))
    .map((m) => ({ value: m.id, label: `${m.organization.name} (${t(`orgKind.${m.organization_kind}`)})` }));
  return (
    <PickDialog title={t('collective.addParticipant')} field="member_id" label={t('collective.participantLabel')} options={options}
                empty={t('collective.noCandidates')} onClose={onClose}
                send={(member_id) => unwrap(api.POST('/api/v1/collective-actions/{id}/participants', { params: { path: { id: action.id } }, body: { member_id } }))} />
  );
}

function AddEmployerDialog({ action, onClose }: { action: Action; onClose: () => void }) {
  const { t } = useTranslation();
  const employers = useAllOrganizations({ kind: 'employer' });
  const targeted = new Set(action.target_employers.map((e) => e.organization.id));
  const options = employers.data?.filter((o) => o.active && !targeted.has(o.id)).map((o) => ({ value: o.id, label: o.name }));
  return (
    <PickDialog title={t('collective.addEmployer')} field="organization_id" label={t('collective.employerLabel')} options={options}
                empty={t('collective.noEmployerCandidates')} onClose={onClose}
                send={(organization_id) => unwrap(api.POST('/api/v1/collective-actions/{id}/employers', { params: { path: { id: action.id } }, body: { organization_id } }))} />
  );
}

/** The caller's cases (an agency operator's own; the coordinator's, the district's) of the agencies taking part. */
function AddBeneficiaryDialog({ action, onClose }: { action: Action; onClose: () => void }) {
  const { t } = useTranslation();
  const cases = useQuery({
    queryKey: queryKeys.everything('cases', { for: 'collective-beneficiary' }),
    queryFn: async () => {
      const out: S['CaseOut'][] = [];
      let after: string | undefined;
      for (let i = 0; i < 10; i++) {
        const page = await unwrap(api.GET('/api/v1/cases', { params: { query: { limit: 200, after } } }));
        out.push(...page.items);
        if (!page.next) break;
        after = page.next;
      }
      return out;
    },
  });
  const current = useBeneficiaries(action);
  const agencies = new Set(action.participants.map((p) => p.organization.id));
  const already = new Set((current.data?.items ?? []).filter((b) => b.current).map((b) => b.case_id));
  const options = cases.data && !current.isPending
    ? cases.data.filter((c) => agencies.has(c.agency.id) && !already.has(c.id))
      .map((c) => ({ value: c.id, label: t('collective.caseOption', { name: `${c.person.first_name} ${c.person.last_name}`, status: t(`status.case.${c.status}`) }) }))
      .sort((a, b) => a.label.localeCompare(b.label, 'it'))
    : undefined;
  return (
    <PickDialog title={t('collective.addBeneficiary')} field="case_id" label={t('collective.caseLabel')} hint={t('collective.caseHint')}
                options={options} empty={t('collective.noCases')} onClose={onClose}
                send={(case_id) => unwrap(api.POST('/api/v1/collective-actions/{id}/beneficiaries', { params: { path: { id: action.id } }, body: { case_id } }))} />
  );
}

interface Removal { what: 'participant' | 'employer' | 'beneficiary'; id: string; name: string }

function RemoveDialog({ action, removal, onClose }: { action: Action; removal: Removal; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidate();
  const message = useErrorMessage();
  const m = useMutation({
    mutationFn: () => unwrap(removal.what === 'participant'
      ? api.DELETE('/api/v1/collective-actions/{id}/participants/{member_id}', { params: { path: { id: action.id, member_id: removal.id } } })
      : removal.what === 'employer'
        ? api.DELETE('/api/v1/collective-actions/{id}/employers/{organization_id}', { params: { path: { id: action.id, organization_id: removal.id } } })
        : api.DELETE('/api/v1/collective-actions/{id}/beneficiaries/{case_id}', { params: { path: { id: action.id, case_id: removal.id } } })),
    onSuccess: async () => { await invalidate(); onClose(); },
  });
  const text = removal.what === 'participant' ? t('collective.removeParticipantText', { name: removal.name })
    : removal.what === 'employer' ? t('collective.removeEmployerText', { name: removal.name }) : t('collective.removeBeneficiaryText');
  return (
    <ConfirmDialog isOpen title={`${t('collective.remove')}: ${removal.name}`} confirmLabel={t('collective.remove')} danger
                   onCancel={onClose} onConfirm={() => { if (!m.isPending) m.mutate(); }}>
      <p>{text}</p>
      {m.isError && <div className="alert alert-danger" role="alert">{message(m.error)}</div>}
    </ConfirmDialog>
  );
}
