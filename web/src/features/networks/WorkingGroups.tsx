// "Gruppi di lavoro": a network's working groups, one per response area at a time (seed 003),
// listed by area with the members taking part and the dates they joined and left. Those who
// manage the network start a group, add a member, record that one leaves and close the group
// (which ends every participation and frees the area), as the network's, each group's and each
// participation's `allowed_actions` say.
import './responses.messages';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ENUMS } from '../../api/enums.gen';
import { isApiError } from '../../api/problem';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import type { Member, Network } from '../../api/types';
import { ActionBar } from '../../components/Actions';
import { DataList } from '../../components/DataList';
import { DateField, isIsoDate } from '../../components/DateField';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { ErrorState, Loading } from '../../components/States';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDate } from '../../lib/format';
import { showProblem } from './formErrors';
import { useMembers } from './NetworkDialogs';

type S = components['schemas'];
export type WorkingGroup = S['WorkingGroupOut'];
export type GroupMember = S['GroupMemberOut'];
export type ResponseArea = S['ResponseArea'];
export const RESPONSE_AREAS = ENUMS.ResponseArea;

export function workingGroupsKey(networkId: string) {
  return queryKeys.sub('networks', networkId, 'working-groups');
}

const BADGE: Record<string, string> = {
  active: 'bg-success', closed: 'bg-secondary', offered: 'bg-info text-dark', available: 'bg-success', withdrawn: 'bg-secondary',
};

/** A state as a badge with its name (colour is never the only signal). */
export function ResponseBadge({ kind, status }: { kind: 'workingGroup' | 'sharedResponse'; status: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${BADGE[status] ?? 'bg-secondary'} badge-status`} data-status={status}>
      {t(`responses.status.${kind}.${status}`, { defaultValue: status })}
    </span>
  );
}

function useGroupsInvalidate(networkId: string) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: workingGroupsKey(networkId) });
}

type Dialog =
  | { to: 'create' }
  | { to: 'add_member' | 'close'; group: WorkingGroup }
  | { to: 'leave'; group: WorkingGroup; member: GroupMember };

export function WorkingGroups({ networkId, network }: { networkId: string; network: Network }) {
  const { t } = useTranslation();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const list = useQuery({
    queryKey: workingGroupsKey(networkId),
    queryFn: () => unwrap(api.GET('/api/v1/networks/{id}/working-groups', { params: { path: { id: networkId }, query: { limit: 200 } } })),
  });
  const items = list.data?.items ?? [];
  const areas = RESPONSE_AREAS.filter((a) => items.some((g) => g.area === a));
  return (
    <section className="mb-4" aria-labelledby="working-groups-h" data-testid="working-groups">
      <h2 className="h4" id="working-groups-h">{t('responses.groups.title')}</h2>
      <ActionBar record={network} items={[
        { action: 'add_working_group', label: t('responses.action.add_working_group'), onClick: () => setDialog({ to: 'create' }) },
      ]} />
      {list.isPending && <Loading />}
      {list.isError && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && (items.length === 0 ? <p className="mt-2">{t('responses.groups.none')}</p> : areas.map((area) => (
        <div key={area} className="mt-3" data-area={area}>
          <h3 className="h5">{t(`responses.area.${area}`)}</h3>
          <ul className="list-unstyled">
            {items.filter((g) => g.area === area)
              .sort((a, b) => (a.status === b.status ? 0 : a.status === 'active' ? -1 : 1))
              .map((g) => (
                <li key={g.id}>
                  <GroupCard g={g} onAction={(to, member) => setDialog(to === 'leave' && member ? { to, group: g, member }
                    : { to: to as 'add_member' | 'close', group: g })} />
                </li>
              ))}
          </ul>
        </div>
      )))}
      {dialog?.to === 'create' && <CreateGroupDialog networkId={networkId} groups={items} onClose={() => setDialog(null)} />}
      {dialog?.to === 'add_member' && <AddGroupMemberDialog networkId={networkId} group={dialog.group} onClose={() => setDialog(null)} />}
      {dialog?.to === 'leave' && <LeaveDialog networkId={networkId} group={dialog.group} member={dialog.member} onClose={() => setDialog(null)} />}
      {dialog?.to === 'close' && <CloseGroupDialog networkId={networkId} group={dialog.group} onClose={() => setDialog(null)} />}
    </section>
  );
}

function GroupCard({ g, onAction }: { g: WorkingGroup; onAction: (to: 'add_member' | 'close' | 'leave', member?: GroupMember) => void }) {
  const { t } = useTranslation();
  const headingId = useId();
  const anyActions = g.members.some((m) => m.allowed_actions.length > 0 || (m.blocked_actions?.length ?? 0) > 0);
  return (
    <article className="card card-bg mb-3" aria-labelledby={headingId} data-testid="working-group">
      <div className="card-body">
        <div className="d-flex flex-wrap justify-content-between gap-2">
          <h4 className="h5 mb-1" id={headingId}>{g.name}</h4>
          <ResponseBadge kind="workingGroup" status={g.status} />
        </div>
        <p className="small text-secondary mb-2">
          {t(`responses.area.${g.area}`)} · {t('responses.groups.memberCount', { count: g.member_count })}
        </p>
        <DataList items={[
          [t('responses.groups.purpose'), g.purpose],
          [t('responses.groups.closedOn'), g.closed_on ? formatDate(g.closed_on) : null],
          [t('responses.groups.closeReason'), g.close_reason],
        ]} />
        <ActionBar record={g} size="sm" label={t('responses.groups.actionsOf', { name: g.name })} items={[
          { action: 'add_member', label: t('responses.action.add_member'), context: g.name, onClick: () => onAction('add_member') },
          { action: 'close', label: t('responses.action.close'), context: g.name, color: 'danger', outline: true, onClick: () => onAction('close') },
        ]} />
        {g.members.length === 0 ? <p className="mt-2 mb-0">{t('responses.groups.noMembers')}</p> : (
          <div className="table-responsive mt-2">
            <table className="table app-stack-table mb-0">
              <caption className="visually-hidden">{t('responses.groups.members')}: {g.name}</caption>
              <thead><tr>
                <th scope="col">{t('responses.groups.organization')}</th>
                <th scope="col">{t('responses.groups.joinedOn')}</th>
                <th scope="col">{t('responses.groups.leftOn')}</th>
                {anyActions && <th scope="col"><span className="visually-hidden">{t('common.actions')}</span></th>}
              </tr></thead>
              <tbody>
                {g.members.map((m) => (
                  <tr key={m.id} data-active={m.active}>
                    <th scope="row" data-label={t('responses.groups.organization')}>{m.organization.name}</th>
                    <td data-label={t('responses.groups.joinedOn')}>{formatDate(m.joined_on)}</td>
                    <td data-label={t('responses.groups.leftOn')}>{m.left_on ? formatDate(m.left_on) : '—'}</td>
                    {anyActions && (
                      <td data-label={t('common.actions')}>
                        <ActionBar record={m} size="sm" items={[{
                          action: 'leave', label: t('responses.action.leave'), context: m.organization.name, color: 'danger', outline: true,
                          onClick: () => onAction('leave', m),
                        }]} />
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </article>
  );
}

/** A problem the API answers with a code of its own (one active group per area) said in our words. */
function groupProblem(t: ReturnType<typeof useTranslation>['t'], errors: ReturnType<typeof useFormErrors>, e: unknown,
  rename: (field: string) => string | null) {
  if (isApiError(e) && e.problem?.code === 'working_group_exists') {
    errors.setFields({ area: t('responses.errors.working_group_exists') });
    errors.setGeneral(null);
    return;
  }
  showProblem(t, errors, e, rename);
}

function CreateGroupDialog({ networkId, groups, onClose }: { networkId: string; groups: WorkingGroup[]; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useGroupsInvalidate(networkId);
  const errors = useFormErrors();
  const taken = new Set(groups.filter((g) => g.status === 'active').map((g) => g.area));
  const [area, setArea] = useState<string>(RESPONSE_AREAS.find((a) => !taken.has(a)) ?? '');
  const [name, setName] = useState('');
  const [purpose, setPurpose] = useState('');
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/networks/{id}/working-groups', {
      params: { path: { id: networkId } },
      body: { area: area as ResponseArea, name: name.trim() || null, purpose: purpose.trim() || null },
    })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => groupProblem(t, errors, e, (f) => (['area', 'name', 'purpose'].includes(f) ? f : null)),
  });
  function submit() {
    const missing: Record<string, string> = {};
    if (!area) missing.area = t('validation.required');
    else if (taken.has(area as ResponseArea)) missing.area = t('responses.errors.working_group_exists');
    if (name.trim() && name.trim().length < 2) missing.name = t('validation.too_short');
    if (Object.keys(missing).length) { errors.setGeneral(null); errors.setFields(missing); return; }
    m.mutate();
  }
  return (
    <FormDialog isOpen title={t('responses.groups.newTitle')} submitLabel={t('responses.groups.create')} pending={m.isPending}
                general={null} onCancel={onClose} onSubmit={submit}>
      <ErrorSummary errors={errors.fields} general={errors.general} fieldIds={{ area: 'group-area', name: 'group-name', purpose: 'group-purpose' }} />
      <SelectField id="group-area" label={t('responses.groups.area')} required value={area} error={errors.fields.area} placeholder=""
                   options={RESPONSE_AREAS.map((a) => ({ value: a, label: t(`responses.area.${a}`) }))}
                   onChange={(e) => { setArea(e.target.value); errors.clearField('area'); }} />
      <TextField id="group-name" label={t('responses.groups.name')} hint={t('responses.groups.nameHint')} value={name} maxLength={200}
                 error={errors.fields.name} onChange={(e) => { setName(e.target.value); errors.clearField('name'); }} />
      <TextAreaField id="group-purpose" label={t('responses.groups.purpose')} value={purpose} maxLength={4000} rows={3}
                     error={errors.fields.purpose} onChange={(e) => { setPurpose(e.target.value); errors.clearField('purpose'); }} />
    </FormDialog>
  );
}

function AddGroupMemberDialog({ networkId, group, onClose }: { networkId: string; group: WorkingGroup; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useGroupsInvalidate(networkId);
  const errors = useFormErrors();
  const members = useMembers(networkId, false);
  const inGroup = new Set(group.members.filter((m) => !m.left_on).map((m) => m.member_id));
  const candidates = (members.data?.items ?? []).filter((x: Member) => x.active && !inGroup.has(x.id));
  const [memberId, setMemberId] = useState('');
  const [joinedOn, setJoinedOn] = useState('');
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/working-groups/{id}/members', {
      params: { path: { id: group.id } }, body: { member_id: memberId, joined_on: joinedOn || null },
    })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => showProblem(t, errors, e, (f) => (f === 'member_id' || f === 'joined_on' ? f : null)),
  });
  function submit() {
    const missing: Record<string, string> = {};
    if (!memberId) missing.member_id = t('validation.required');
    if (joinedOn && !isIsoDate(joinedOn)) missing.joined_on = t('validation.invalid_date');
    if (Object.keys(missing).length) { errors.setGeneral(null); errors.setFields(missing); return; }
    m.mutate();
  }
  return (
    <FormDialog isOpen title={t('responses.groups.addMemberTitle', { name: group.name })} submitLabel={t('responses.groups.add')}
                pending={m.isPending} general={null} onCancel={onClose} onSubmit={submit}>
      <ErrorSummary errors={errors.fields} general={errors.general} fieldIds={{ member_id: 'group-member' }} />
      {members.isPending && <Loading />}
      {members.data && candidates.length === 0 && <p>{t('responses.groups.noCandidates')}</p>}
      <SelectField id="group-member" label={t('responses.groups.member')} required value={memberId} error={errors.fields.member_id}
                   placeholder="" options={candidates.map((x) => ({ value: x.id, label: x.organization.name }))}
                   onChange={(e) => { setMemberId(e.target.value); errors.clearField('member_id'); }} />
      <DateField id="joined_on" label={t('responses.groups.joinedOnLabel')} hint={t('responses.groups.dateHint')} value={joinedOn}
                 error={errors.fields.joined_on} onChange={(v) => { setJoinedOn(v); errors.clearField('joined_on'); }} />
    </FormDialog>
  );
}

function LeaveDialog({ networkId, group, member, onClose }: {
  networkId: string; group: WorkingGroup; member: GroupMember; onClose: () => void;
}) {
  const { t } = useTranslation();
  const invalidate = useGroupsInvalidate(networkId);
  const errors = useFormErrors();
  const [leftOn, setLeftOn] = useState('');
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/working-groups/{id}/members/{member_id}/leave', {
      params: { path: { id: group.id, member_id: member.member_id } }, body: { left_on: leftOn || null },
    })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => showProblem(t, errors, e, (f) => (f === 'left_on' ? f : null)),
  });
  return (
    <FormDialog isOpen danger title={t('responses.groups.leaveTitle', { organization: member.organization.name, name: group.name })}
                submitLabel={t('responses.action.leave')} pending={m.isPending} general={null} onCancel={onClose}
                onSubmit={() => {
                  if (leftOn && !isIsoDate(leftOn)) { errors.setGeneral(null); errors.setFields({ left_on: t('validation.invalid_date') }); return; }
                  m.mutate();
                }}>
      <ErrorSummary errors={errors.fields} general={errors.general} />
      <DateField id="left_on" label={t('responses.groups.leftOnLabel')} hint={t('responses.groups.dateHint')} value={leftOn}
                 error={errors.fields.left_on} onChange={(v) => { setLeftOn(v); errors.clearField('left_on'); }} />
    </FormDialog>
  );
}

function CloseGroupDialog({ networkId, group, onClose }: { networkId: string; group: WorkingGroup; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useGroupsInvalidate(networkId);
  const errors = useFormErrors();
  const [reason, setReason] = useState('');
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/working-groups/{id}/close', {
      params: { path: { id: group.id } }, body: { reason: reason.trim() || null },
    })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => showProblem(t, errors, e, (f) => (f === 'reason' ? f : null)),
  });
  return (
    <FormDialog isOpen danger title={t('responses.groups.closeTitle', { name: group.name })} submitLabel={t('responses.action.close')}
                pending={m.isPending} general={null} onCancel={onClose} onSubmit={() => m.mutate()}>
      <ErrorSummary errors={errors.fields} general={errors.general} />
      <p>{t('responses.groups.closeText')}</p>
      <TextAreaField id="close-reason" label={t('responses.groups.reason')} value={reason} maxLength={2000} rows={3}
                     error={errors.fields.reason} onChange={(e) => { setReason(e.target.value); errors.clearField('reason'); }} />
    </FormDialog>
  );
}
