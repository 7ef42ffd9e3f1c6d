// "Risposte condivise": what the network's members offer in each response area (seed 003) —
// who may use it, how to access it, places, dates — listed by area, filtered by area and state.
// A member's users offer a response for their own organization (those who manage the network
// for any member); the coordinators make an offered one available; the member or the
// coordinators withdraw it — as each response's `allowed_actions` say. The offering member sees
// how many times it was proposed on cases (`proposal_count`), never which.
import './responses.messages';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ENUMS } from '../../api/enums.gen';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import type { Network } from '../../api/types';
import { ActionBar, allows } from '../../components/Actions';
import { DataList } from '../../components/DataList';
import { DateField, isIsoDate } from '../../components/DateField';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { ErrorState, Loading } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDate } from '../../lib/format';
import { showProblem } from './formErrors';
import { useMembers } from './NetworkDialogs';
import { RESPONSE_AREAS, ResponseBadge, type ResponseArea } from './WorkingGroups';

type S = components['schemas'];
export type SharedResponse = S['SharedResponseOut'];
type SharedResponseStatus = S['SharedResponseStatus'];
const STATUSES = ENUMS.SharedResponseStatus;

export function sharedResponsesKey(networkId: string, filter?: { area: string; status: string }) {
  return queryKeys.sub('networks', networkId, 'shared-responses', filter);
}

function useResponsesInvalidate(networkId: string) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: sharedResponsesKey(networkId) });
}

export function SharedResponses({ networkId, network }: { networkId: string; network: Network }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState({ area: '', status: '' });
  const [dialog, setDialog] = useState<{ to: 'offer' } | { to: 'withdraw'; response: SharedResponse } | null>(null);
  const invalidate = useResponsesInvalidate(networkId);
  const list = useQuery({
    queryKey: sharedResponsesKey(networkId, filter),
    queryFn: () => unwrap(api.GET('/api/v1/networks/{id}/shared-responses', {
      params: {
        path: { id: networkId },
        query: {
          limit: 200, ...(filter.area ? { area: filter.area as ResponseArea } : {}),
          ...(filter.status ? { status: filter.status as SharedResponseStatus } : {}),
        },
      },
    })),
  });
  const makeAvailable = useMutation({
    mutationFn: (r: SharedResponse) => unwrap(api.POST('/api/v1/shared-responses/{id}/make-available', { params: { path: { id: r.id } } })),
    onSuccess: invalidate,
  });
  const items = list.data?.items ?? [];
  const areas = RESPONSE_AREAS.filter((a) => items.some((r) => r.area === a));
  const failed = makeAvailable.error;
  return (
    <section className="mb-4" aria-labelledby="shared-responses-h" data-testid="shared-responses">
      <h2 className="h4" id="shared-responses-h">{t('responses.shared.title')}</h2>
      <ActionBar record={network} items={[
        { action: 'add_shared_response', label: t('responses.action.add_shared_response'), onClick: () => setDialog({ to: 'offer' }) },
      ]} />
      <div className="row mt-3">
        <div className="col-12 col-sm-6">
          <SelectField id="shared-filter-area" label={t('responses.shared.filterArea')} value={filter.area} placeholder={t('responses.shared.allAreas')}
                       options={RESPONSE_AREAS.map((a) => ({ value: a, label: t(`responses.area.${a}`) }))}
                       onChange={(e) => setFilter((f) => ({ ...f, area: e.target.value }))} />
        </div>
        <div className="col-12 col-sm-6">
          <SelectField id="shared-filter-status" label={t('responses.shared.filterStatus')} value={filter.status}
                       placeholder={t('responses.shared.allStatuses')}
                       options={STATUSES.map((s) => ({ value: s, label: t(`responses.status.sharedResponse.${s}`) }))}
                       onChange={(e) => setFilter((f) => ({ ...f, status: e.target.value }))} />
        </div>
      </div>
      {failed && (
        <div className="alert alert-danger" role="alert">{(failed as { problem?: { detail?: string } }).problem?.detail ?? failed.message}</div>
      )}
      {list.isPending && <Loading />}
      {list.isError && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && (items.length === 0 ? <p>{t('responses.shared.none')}</p> : areas.map((area) => (
        <div key={area} className="mt-2" data-area={area}>
          <h3 className="h5">{t(`responses.area.${area}`)}</h3>
          <ul className="list-unstyled">
            {items.filter((r) => r.area === area).map((r) => (
              <li key={r.id}>
                <ResponseCard r={r} pending={makeAvailable.isPending && makeAvailable.variables?.id === r.id}
                              onMakeAvailable={() => makeAvailable.mutate(r)} onWithdraw={() => setDialog({ to: 'withdraw', response: r })} />
              </li>
            ))}
          </ul>
        </div>
      )))}
      {dialog?.to === 'offer' && <OfferDialog networkId={networkId} network={network} onClose={() => setDialog(null)} />}
      {dialog?.to === 'withdraw' && <WithdrawDialog networkId={networkId} response={dialog.response} onClose={() => setDialog(null)} />}
    </section>
  );
}

function ResponseCard({ r, pending, onMakeAvailable, onWithdraw }: {
  r: SharedResponse; pending: boolean; onMakeAvailable: () => void; onWithdraw: () => void;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const validity = r.valid_from || r.valid_to
    ? `${r.valid_from ? formatDate(r.valid_from) : '…'} – ${r.valid_to ? formatDate(r.valid_to) : '…'}` : null;
  return (
    <article className="card card-bg mb-3" aria-labelledby={headingId} data-testid="shared-response">
      <div className="card-body">
        <div className="d-flex flex-wrap justify-content-between gap-2">
          <h4 className="h5 mb-1 text-break" id={headingId}>{r.title}</h4>
          <ResponseBadge kind="sharedResponse" status={r.status} />
        </div>
        <p className="small text-secondary mb-2">{t('responses.shared.offeredBy')} {r.organization.name}</p>
        <DataList items={[
          [t('responses.shared.whoMayUse'), r.who_may_use],
          [t('responses.shared.howToAccess'), r.how_to_access],
          [t('responses.shared.description'), r.description],
          [t('responses.shared.capacity'), r.capacity != null ? String(r.capacity) : t('responses.shared.noLimit')],
          [t('responses.shared.validity'), validity],
          [t('responses.shared.proposals'), t('responses.shared.proposalCount', { count: r.proposal_count })],
          [t('responses.shared.withdrawalReason'), r.withdrawal_reason],
        ]} />
        <ActionBar record={r} size="sm" label={t('responses.shared.actionsOf', { title: r.title })} items={[
          { action: 'make_available', label: t('responses.action.make_available'), context: r.title, pending, onClick: onMakeAvailable },
          { action: 'withdraw', label: t('responses.action.withdraw'), context: r.title, color: 'danger', outline: true, onClick: onWithdraw },
        ]} />
      </div>
    </article>
  );
}

interface OfferFields {
  memberId: string;
  area: string;
  title: string;
  whoMayUse: string;
  howToAccess: string;
  description: string;
  capacity: string;
  validFrom: string;
  validTo: string;
}

const FIELDS: Record<string, keyof OfferFields> = {
  member_id: 'memberId', area: 'area', title: 'title', who_may_use: 'whoMayUse', how_to_access: 'howToAccess',
  description: 'description', capacity: 'capacity', valid_from: 'validFrom', valid_to: 'validTo',
};

/** Offers a response for the caller's own member (or, for those who manage the network, any member). */
function OfferDialog({ networkId, network, onClose }: { networkId: string; network: Network; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useResponsesInvalidate(networkId);
  const errors = useFormErrors();
  // Those who manage the network (offered `edit`) offer for any member; a member's users for theirs.
  const manages = allows(network, 'edit');
  const members = useMembers(networkId, false);
  const [form, setForm] = useState<OfferFields>({
    memberId: '', area: '', title: '', whoMayUse: '', howToAccess: '', description: '', capacity: '', validFrom: '', validTo: '',
  });
  const set = (k: keyof OfferFields, field: string) => (v: string) => { setForm((f) => ({ ...f, [k]: v })); errors.clearField(field); };
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/networks/{id}/shared-responses', {
      params: { path: { id: networkId } },
      body: {
        member_id: form.memberId || null, area: form.area as ResponseArea, title: form.title.trim(), who_may_use: form.whoMayUse.trim(),
        how_to_access: form.howToAccess.trim(), description: form.description.trim() || null,
        capacity: form.capacity.trim() ? Number(form.capacity) : null, valid_from: form.validFrom || null, valid_to: form.validTo || null,
      },
    })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => showProblem(t, errors, e, (f) => (f in FIELDS ? f : null)),
  });
  function submit() {
    const missing: Record<string, string> = {};
    if (!form.area) missing.area = t('validation.required');
    for (const [field, key] of [['title', 'title'], ['who_may_use', 'whoMayUse'], ['how_to_access', 'howToAccess']] as const) {
      const v = form[key].trim();
      if (!v) missing[field] = t('validation.required');
      else if (v.length < 2) missing[field] = t('validation.too_short');
    }
    const cap = form.capacity.trim();
    if (cap && !(/^\d+$/.test(cap) && Number(cap) >= 1 && Number(cap) <= 100000)) missing.capacity = t('responses.shared.capacityInvalid');
    if (form.validFrom && !isIsoDate(form.validFrom)) missing.valid_from = t('validation.invalid_date');
    if (form.validTo && !isIsoDate(form.validTo)) missing.valid_to = t('validation.invalid_date');
    else if (form.validFrom && form.validTo && isIsoDate(form.validFrom) && form.validTo < form.validFrom) {
      missing.valid_to = t('responses.shared.periodOrder');
    }
    if (Object.keys(missing).length) { errors.setGeneral(null); errors.setFields(missing); return; }
    m.mutate();
  }
  return (
    <FormDialog isOpen size="lg" title={t('responses.shared.newTitle')} submitLabel={t('responses.shared.offer')} pending={m.isPending}
                general={null} onCancel={onClose} onSubmit={submit}>
      <ErrorSummary errors={errors.fields} general={errors.general} fieldIds={{
        member_id: 'sr-member', area: 'sr-area', title: 'sr-title', who_may_use: 'sr-who', how_to_access: 'sr-how',
        description: 'sr-description', capacity: 'sr-capacity',
      }} />
      {manages && (
        <SelectField id="sr-member" label={t('responses.shared.member')} value={form.memberId} error={errors.fields.member_id}
                     placeholder={t('responses.shared.ownMember')}
                     options={(members.data?.items ?? []).filter((x) => x.active).map((x) => ({ value: x.id, label: x.organization.name }))}
                     onChange={(e) => set('memberId', 'member_id')(e.target.value)} />
      )}
      <SelectField id="sr-area" label={t('responses.groups.area')} required value={form.area} error={errors.fields.area} placeholder=""
                   options={RESPONSE_AREAS.map((a) => ({ value: a, label: t(`responses.area.${a}`) }))}
                   onChange={(e) => set('area', 'area')(e.target.value)} />
      <TextField id="sr-title" label={t('responses.shared.titleLabel')} required value={form.title} maxLength={200} error={errors.fields.title}
                 onChange={(e) => set('title', 'title')(e.target.value)} />
      <TextAreaField id="sr-who" label={t('responses.shared.whoMayUse')} required value={form.whoMayUse} maxLength={2000} rows={2}
                     error={errors.fields.who_may_use} onChange={(e) => set('whoMayUse', 'who_may_use')(e.target.value)} />
      <TextAreaField id="sr-how" label={t('responses.shared.howToAccess')} required value={form.howToAccess} maxLength={2000} rows={2}
                     error={errors.fields.how_to_access} onChange={(e) => set('howToAccess', 'how_to_access')(e.target.value)} />
      <TextAreaField id="sr-description" label={t('responses.shared.description')} value={form.description} maxLength={4000} rows={3}
                     error={errors.fields.description} onChange={(e) => set('description', 'description')(e.target.value)} />
      <TextField id="sr-capacity" label={t('responses.shared.capacity')} hint={t('responses.shared.capacityHint')} inputMode="numeric"
                 value={form.capacity} maxLength={6} error={errors.fields.capacity} onChange={(e) => set('capacity', 'capacity')(e.target.value)} />
      <div className="row">
        <div className="col-12 col-sm-6">
          <DateField id="valid_from" label={t('responses.shared.validFrom')} value={form.validFrom} error={errors.fields.valid_from}
                     onChange={set('validFrom', 'valid_from')} />
        </div>
        <div className="col-12 col-sm-6">
          <DateField id="valid_to" label={t('responses.shared.validTo')} value={form.validTo} error={errors.fields.valid_to}
                     onChange={set('validTo', 'valid_to')} />
        </div>
      </div>
    </FormDialog>
  );
}

function WithdrawDialog({ networkId, response, onClose }: { networkId: string; response: SharedResponse; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useResponsesInvalidate(networkId);
  const errors = useFormErrors();
  const [reason, setReason] = useState('');
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/shared-responses/{id}/withdraw', {
      params: { path: { id: response.id } }, body: { reason: reason.trim() || null },
    })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => showProblem(t, errors, e, (f) => (f === 'reason' ? f : null)),
  });
  return (
    <FormDialog isOpen danger title={t('responses.shared.withdrawTitle', { title: response.title })} submitLabel={t('responses.action.withdraw')}
                pending={m.isPending} general={null} onCancel={onClose} onSubmit={() => m.mutate()}>
      <ErrorSummary errors={errors.fields} general={errors.general} />
      <p>{t('responses.shared.withdrawText')}</p>
      <TextAreaField id="withdraw-reason" label={t('responses.shared.reason')} value={reason} maxLength={2000} rows={3}
                     error={errors.fields.reason} onChange={(e) => { setReason(e.target.value); errors.clearField('reason'); }} />
    </FormDialog>
  );
}
