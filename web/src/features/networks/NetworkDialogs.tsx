// The network page's forms: an organization adheres (role, date — today unless told —, the act
// that approved it), a member withdraws (date, reason), a member pledges a resource (kind, an
// amount in euro or in hours, a period), a resource changes state (made available, used,
// withdrawn, each confirmed). Shown only where the API's `allowed_actions` offer them.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ENUMS } from '../../api/enums.gen';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import { useMe } from '../../auth/AuthContext';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DateField, isIsoDate } from '../../components/DateField';
import { ErrorSummary, RadioGroup, SelectField, TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { useErrorMessage } from '../../components/errors';
import { useFormErrors } from '../../components/useFormErrors';
import { parseEuroToCents, todayISO } from '../../lib/format';
import { useAllOrganizations } from '../admin/queries';

type Member = components['schemas']['MemberOut'];
type Resource = components['schemas']['ResourceOut'];
type Role = components['schemas']['MemberRole'];
type ResourceKind = components['schemas']['ResourceKind'];
type MemberInput = components['schemas']['MemberInput'];
type ResourceInput = components['schemas']['ResourceInput'];

/** The network's members: today's, or with `history` everyone who ever adhered. */
export function useMembers(id: string, history: boolean) {
  return useQuery({
    queryKey: queryKeys.sub('networks', id, 'members', { history }),
    queryFn: () => unwrap(api.GET('/api/v1/networks/{id}/members', {
      params: { path: { id }, query: { limit: 200, ...(history ? { include: 'history' as const } : {}) } },
    })),
  });
}

export function useNetworkInvalidate() {
  const qc = useQueryClient();
  // ['networks'] covers the list, each network and what hangs under it.
  return () => qc.invalidateQueries({ queryKey: queryKeys.all('networks') });
}

/** An organization adheres to the network. `memberIds`: the organizations already members today. */
export function AddMemberDialog({ networkId, memberIds, onClose }: { networkId: string; memberIds: string[]; onClose: () => void }) {
  const { t } = useTranslation();
  const organizations = useAllOrganizations();
  const invalidate = useNetworkInvalidate();
  const errors = useFormErrors();
  const [organization, setOrganization] = useState('');
  const [role, setRole] = useState<Role>('member');
  const [joinedOn, setJoinedOn] = useState(todayISO());
  const [actNumber, setActNumber] = useState('');
  const [actDate, setActDate] = useState('');
  const m = useMutation({
    mutationFn: (body: MemberInput) => unwrap(api.POST('/api/v1/networks/{id}/members', { params: { path: { id: networkId } }, body })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => errors.fromError(e),
  });
  function submit() {
    const missing: Record<string, string> = {};
    if (!organization) missing.organization_id = t('validation.required');
    if (joinedOn && !isIsoDate(joinedOn)) missing.joined_on = t('validation.invalid_date');
    if (actNumber.trim() || actDate) {
      if (!actNumber.trim()) missing['approval_act.number'] = t('validation.required');
      if (!actDate) missing['approval_act.date'] = t('validation.required');
      else if (!isIsoDate(actDate)) missing['approval_act.date'] = t('validation.invalid_date');
    }
    if (Object.keys(missing).length) {
      errors.setGeneral(null);
      errors.setFields(missing);
      return;
    }
    m.mutate({
      organization_id: organization, role, joined_on: joinedOn || null,
      approval_act: actNumber.trim() ? { number: actNumber.trim(), date: actDate } : null,
    });
  }
  const options = (organizations.data ?? []).filter((o) => o.active && !memberIds.includes(o.id))
    .map((o) => ({ value: o.id, label: `${o.name} (${t(`orgKind.${o.kind}`)})` }));
  return (
    <FormDialog isOpen title={t('networks.addMember')} submitLabel={t('networks.addMember')} pending={m.isPending}
                general={errors.general} onCancel={onClose} onSubmit={submit}>
      <ErrorSummary errors={errors.fields} />
      <SelectField id="organization_id" label={t('networks.organization')} required value={organization} error={errors.fields.organization_id}
                   placeholder={t('networks.choose')} options={options}
                   onChange={(e) => { setOrganization(e.target.value); errors.clearField('organization_id'); }} />
      <SelectField id="role" label={t('networks.roleLabel')} value={role} error={errors.fields.role}
                   options={(ENUMS.MemberRole as readonly Role[]).map((r) => ({ value: r, label: t(`networks.role.${r}`) }))}
                   onChange={(e) => { setRole(e.target.value as Role); errors.clearField('role'); }} />
      <DateField id="joined_on" label={t('networks.joinedOnLabel')} value={joinedOn} error={errors.fields.joined_on}
                 hint={t('networks.joinedOnHint')} onChange={(v) => { setJoinedOn(v); errors.clearField('joined_on'); }} />
      <fieldset className="mb-2">
        <legend className="app-label fs-6 fw-semibold">{t('networks.actOptional')}</legend>
        <div className="row">
          <div className="col-12 col-sm-6">
            <TextField id="approval_act-number" label={t('networks.actNumber')} value={actNumber} maxLength={50}
                       error={errors.fields['approval_act.number']}
                       onChange={(e) => { setActNumber(e.target.value); errors.clearField('approval_act.number'); }} />
          </div>
          <div className="col-12 col-sm-6">
            <DateField id="approval_act-date" label={t('networks.actDate')} value={actDate} error={errors.fields['approval_act.date']}
                       onChange={(v) => { setActDate(v); errors.clearField('approval_act.date'); }} />
          </div>
        </div>
      </fieldset>
    </FormDialog>
  );
}

/** A member leaves the network, on a date (today unless told) and for a reason. */
export function WithdrawMemberDialog({ member, onClose }: { member: Member; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useNetworkInvalidate();
  const errors = useFormErrors();
  const [on, setOn] = useState(todayISO());
  const [reason, setReason] = useState('');
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/members/{id}/withdraw', {
      params: { path: { id: member.id } }, body: { reason: reason.trim(), withdrawn_on: on || null },
    })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => errors.fromError(e),
  });
  function submit() {
    const missing: Record<string, string> = {};
    if (on && !isIsoDate(on)) missing.withdrawn_on = t('validation.invalid_date');
    if (!reason.trim()) missing.reason = t('validation.required');
    if (Object.keys(missing).length) {
      errors.setGeneral(null);
      errors.setFields(missing);
      return;
    }
    m.mutate();
  }
  return (
    <FormDialog isOpen title={t('networks.withdrawTitle', { name: member.organization.name })} submitLabel={t('networks.withdrawMember')}
                danger pending={m.isPending} general={errors.general} onCancel={onClose} onSubmit={submit}>
      <ErrorSummary errors={errors.fields} />
      <p>{t('networks.withdrawText')}</p>
      <DateField id="withdrawn_on" label={t('networks.withdrawnOnLabel')} value={on} error={errors.fields.withdrawn_on}
                 hint={t('networks.joinedOnHint')} onChange={(v) => { setOn(v); errors.clearField('withdrawn_on'); }} />
      <TextAreaField id="reason" label={t('networks.reason')} required value={reason} error={errors.fields.reason} maxLength={2000}
                     onChange={(e) => { setReason(e.target.value); errors.clearField('reason'); }} />
    </FormDialog>
  );
}

/** A member pledges its own resources: an amount in euro or hours, a kind, a period. */
export function PledgeDialog({ networkId, members, onClose }: { networkId: string; members: Member[]; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const invalidate = useNetworkInvalidate();
  const errors = useFormErrors();
  const active = members.filter((m) => m.active);
  const own = active.find((m) => m.organization.id === me.organization?.id);
  const [organization, setOrganization] = useState(own?.organization.id ?? (active.length === 1 ? active[0].organization.id : ''));
  const [kind, setKind] = useState<ResourceKind | ''>('');
  const [unit, setUnit] = useState<'euro' | 'hours'>('euro');
  const [amount, setAmount] = useState('');
  const [description, setDescription] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const amountField = unit === 'euro' ? 'amount_cents' : 'hours';
  const m = useMutation({
    mutationFn: (body: ResourceInput) => unwrap(api.POST('/api/v1/networks/{id}/resources', { params: { path: { id: networkId } }, body })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => errors.fromError(e),
  });
  function submit() {
    const missing: Record<string, string> = {};
    if (!organization) missing.organization_id = t('validation.required');
    if (!kind) missing.kind = t('validation.required');
    let cents: number | null = null;
    let hours: number | null = null;
    if (!amount.trim()) missing[amountField] = t('validation.required');
    else if (unit === 'euro') {
      cents = parseEuroToCents(amount);
      if (cents === null || cents <= 0) missing.amount_cents = t('validation.format');
    } else {
      hours = /^\d+$/.test(amount.trim()) ? Number(amount.trim()) : null;
      if (hours === null || hours <= 0) missing.hours = t('networks.wholeHours');
    }
    if (from && !isIsoDate(from)) missing.valid_from = t('validation.invalid_date');
    if (to && !isIsoDate(to)) missing.valid_to = t('validation.invalid_date');
    else if (from && to && isIsoDate(from) && to < from) missing.valid_to = t('networks.periodOrder');
    if (Object.keys(missing).length) {
      errors.setGeneral(null);
      errors.setFields(missing);
      return;
    }
    m.mutate({
      organization_id: organization, kind: kind as ResourceKind, amount_cents: cents, hours,
      description: description.trim() || null, valid_from: from || null, valid_to: to || null,
    });
  }
  const clearAmount = () => { errors.clearField('amount_cents'); errors.clearField('hours'); };
  return (
    <FormDialog isOpen title={t('networks.pledge')} submitLabel={t('networks.pledge')} pending={m.isPending}
                general={errors.general} onCancel={onClose} onSubmit={submit}>
      <ErrorSummary errors={errors.fields} fieldIds={{ amount_cents: 'resource-amount', hours: 'resource-amount' }} />
      <SelectField id="organization_id" label={t('networks.pledgingMember')} required value={organization} error={errors.fields.organization_id}
                   placeholder={t('networks.choose')}
                   options={active.map((x) => ({ value: x.organization.id, label: x.organization.name }))}
                   onChange={(e) => { setOrganization(e.target.value); errors.clearField('organization_id'); }} />
      <SelectField id="kind" label={t('networks.resourceKindLabel')} required value={kind} error={errors.fields.kind}
                   placeholder={t('networks.choose')}
                   options={(ENUMS.ResourceKind as readonly ResourceKind[]).map((k) => ({ value: k, label: t(`networks.resourceKind.${k}`) }))}
                   onChange={(e) => { setKind(e.target.value as ResourceKind); errors.clearField('kind'); }} />
      <RadioGroup id="resource-unit" legend={t('networks.unit')} value={unit}
                  options={[{ value: 'euro', label: t('networks.unitEuro') }, { value: 'hours', label: t('networks.unitHours') }]}
                  onChange={(v) => { setUnit(v as 'euro' | 'hours'); clearAmount(); }} />
      <TextField id="resource-amount" label={unit === 'euro' ? t('networks.amountEuro') : t('networks.amountHours')} required
                 inputMode={unit === 'euro' ? 'decimal' : 'numeric'} value={amount}
                 error={errors.fields.amount_cents ?? errors.fields.hours}
                 onChange={(e) => { setAmount(e.target.value); clearAmount(); }} />
      <TextAreaField id="description" label={t('networks.description')} value={description} error={errors.fields.description} maxLength={2000}
                     onChange={(e) => { setDescription(e.target.value); errors.clearField('description'); }} />
      <div className="row">
        <div className="col-12 col-sm-6">
          <DateField id="valid_from" label={t('networks.validFrom')} value={from} error={errors.fields.valid_from}
                     onChange={(v) => { setFrom(v); errors.clearField('valid_from'); }} />
        </div>
        <div className="col-12 col-sm-6">
          <DateField id="valid_to" label={t('networks.validTo')} value={to} error={errors.fields.valid_to}
                     onChange={(v) => { setTo(v); errors.clearField('valid_to'); }} />
        </div>
      </div>
    </FormDialog>
  );
}

export type ResourceMove = 'make_available' | 'use' | 'withdraw';

/** A resource changes state, once confirmed. */
export function ResourceMoveDialog({ resource, move, onClose }: { resource: Resource; move: ResourceMove; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useNetworkInvalidate();
  const message = useErrorMessage();
  const path = { params: { path: { id: resource.id } } };
  const m = useMutation({
    mutationFn: () => unwrap(move === 'make_available' ? api.POST('/api/v1/resources/{id}/make-available', path)
      : move === 'use' ? api.POST('/api/v1/resources/{id}/use', path) : api.POST('/api/v1/resources/{id}/withdraw', path)),
    onSuccess: async () => { await invalidate(); onClose(); },
  });
  return (
    <ConfirmDialog isOpen title={t(`networks.move.${move}`)} confirmLabel={t(`networks.move.${move}`)} danger={move === 'withdraw'}
                   onCancel={onClose} onConfirm={() => { if (!m.isPending) m.mutate(); }}>
      <p>{t(`networks.moveText.${move}`, { kind: t(`networks.resourceKind.${resource.kind}`), organization: resource.organization.name })}</p>
      {m.isError && <div className="alert alert-danger" role="alert">{message(m.error)}</div>}
    </ConfirmDialog>
  );
}
