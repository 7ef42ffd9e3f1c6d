// "Impegni": the action items recorded at a meeting — what, which member answers for it, by
// when, its state — and the follow-up: the items still open from the network's earlier
// meetings. While a meeting is open those who run it add items; an open item's owner and due
// date are changed in place, and it is marked done or dropped (with a reason, required to
// drop), as each item's `allowed_actions` say.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ifMatch } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import type { ActionItem, ActionItemPatch, Meeting, Member } from '../../api/types';
import { ActionBar, allows } from '../../components/Actions';
import { DateField, isIsoDate } from '../../components/DateField';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDate } from '../../lib/format';
import { showProblem } from './formErrors';

export function actionItemsKey(meetingId: string) {
  return queryKeys.sub('meetings', meetingId, 'action-items');
}

/**
 * The version of an action item, as its `ETag` would carry it: the API has no read of one item
 * (`GET /action-items/{id}`), and its list sends no `ETag`s, so the version is the one the API
 * derives from `updated_at` (microseconds since the epoch, quoted). A stale one still gets `412`.
 */
export function actionItemVersion(item: ActionItem): string {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/.exec(item.updated_at);
  if (!m) return '';
  const seconds = BigInt(Math.floor(Date.parse(`${m[1]}${m[3]}`) / 1000));
  const micros = BigInt((m[2] ?? '').padEnd(6, '0').slice(0, 6));
  return `"${(seconds * 1000000n + micros).toString()}"`;
}

function useInvalidateItems() {
  const qc = useQueryClient();
  // The follow-up of later meetings shows these items too.
  return () => qc.invalidateQueries({ queryKey: queryKeys.all('meetings') });
}

export function ActionItems({ meeting, members }: { meeting: Meeting; members: Member[] }) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: actionItemsKey(meeting.id),
    queryFn: () => unwrap(api.GET('/api/v1/meetings/{id}/action-items', { params: { path: { id: meeting.id } } })),
  });
  const active = members.filter((m) => m.active);
  return (
    <>
      <section className="mb-4" aria-labelledby="action-items-h" data-testid="action-items">
        <h2 className="h4" id="action-items-h">{t('networks.actionItems.title')}</h2>
        {allows(meeting, 'add_action_item') && <AddActionItem meetingId={meeting.id} members={active} />}
        {q.isPending && <Loading />}
        {q.isError && <ErrorState error={q.error} onRetry={() => void q.refetch()} />}
        {q.data && (q.data.items.length === 0 ? <p>{t('networks.actionItems.none')}</p> : (
          <ul className="list-unstyled">
            {q.data.items.map((a) => <li key={`${a.id}-${a.updated_at}`}><ActionItemRow item={a} members={active} /></li>)}
          </ul>
        ))}
      </section>
      {q.data && q.data.follow_up.length > 0 && (
        <section className="mb-4" aria-labelledby="follow-up-h" data-testid="follow-up">
          <h2 className="h4" id="follow-up-h">{t('networks.actionItems.followUp')}</h2>
          <p className="small">{t('networks.actionItems.followUpHint')}</p>
          <ul className="list-unstyled">
            {q.data.follow_up.map((a) => <li key={`${a.id}-${a.updated_at}`}><ActionItemRow item={a} members={active} /></li>)}
          </ul>
        </section>
      )}
    </>
  );
}

/** A new item, recorded while the meeting is open; what was typed stays when the API refuses it. */
function AddActionItem({ meetingId, members }: { meetingId: string; members: Member[] }) {
  const { t } = useTranslation();
  const invalidate = useInvalidateItems();
  const errors = useFormErrors();
  const [title, setTitle] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  const m = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/meetings/{id}/action-items', {
      params: { path: { id: meetingId } }, body: { title: title.trim(), owner_member_id: owner || null, due_on: due || null },
    })),
    onSuccess: async () => { setTitle(''); setOwner(''); setDue(''); errors.clear(); await invalidate(); },
    onError: (e) => showProblem(t, errors, e, (f) => (f === 'title' ? 'item-title' : f === 'owner_member_id' ? 'item-owner'
      : f === 'due_on' ? 'item-due' : null)),
  });
  function submit() {
    const missing: Record<string, string> = {};
    if (!title.trim()) missing['item-title'] = t('validation.required');
    else if (title.trim().length < 2) missing['item-title'] = t('validation.too_short');
    if (due && !isIsoDate(due)) missing['item-due'] = t('validation.invalid_date');
    if (Object.keys(missing).length) {
      errors.setGeneral(null);
      errors.setFields(missing);
      return;
    }
    m.mutate();
  }
  return (
    <form className="border rounded p-3 mb-3" noValidate aria-labelledby="add-item-h" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <h3 className="h6" id="add-item-h">{t('networks.actionItems.add')}</h3>
      <ErrorSummary errors={errors.fields} general={errors.general} />
      <TextField id="item-title" label={t('networks.actionItems.what')} required value={title} maxLength={300} error={errors.fields['item-title']}
                 onChange={(e) => { setTitle(e.target.value); errors.clearField('item-title'); }} />
      <div className="row">
        <div className="col-12 col-sm-6">
          <SelectField id="item-owner" label={t('networks.actionItems.owner')} value={owner} error={errors.fields['item-owner']}
                       placeholder={t('networks.actionItems.noOwner')}
                       options={members.map((x) => ({ value: x.id, label: x.organization.name }))}
                       onChange={(e) => { setOwner(e.target.value); errors.clearField('item-owner'); }} />
        </div>
        <div className="col-12 col-sm-6">
          <DateField id="item-due" label={t('networks.actionItems.due')} value={due} error={errors.fields['item-due']}
                     onChange={(v) => { setDue(v); errors.clearField('item-due'); }} />
        </div>
      </div>
      <Button color="primary" type="submit" disabled={m.isPending}>{m.isPending ? t('common.saving') : t('networks.actionItems.add')}</Button>
    </form>
  );
}

/** One item: read-only, or with its owner and due date editable in place while open. */
function ActionItemRow({ item, members }: { item: ActionItem; members: Member[] }) {
  const { t } = useTranslation();
  const base = useId();
  const invalidate = useInvalidateItems();
  const errors = useFormErrors();
  const [owner, setOwner] = useState(item.owner_member_id ?? '');
  const [due, setDue] = useState(item.due_on ?? '');
  const [moving, setMoving] = useState<'done' | 'dropped' | null>(null);
  const editable = allows(item, 'edit');
  const changed = owner !== (item.owner_member_id ?? '') || due !== (item.due_on ?? '');
  const ids = { owner: `${base}-owner`, due: `${base}-due` };
  const save = useMutation({
    mutationFn: () => {
      const body: ActionItemPatch = {};
      if (owner !== (item.owner_member_id ?? '')) body.owner_member_id = owner || null;
      if (due !== (item.due_on ?? '')) body.due_on = due || null;
      return unwrap(api.PATCH('/api/v1/action-items/{id}', { params: { path: { id: item.id }, header: ifMatch(actionItemVersion(item)) }, body }));
    },
    onSuccess: async () => { errors.clear(); await invalidate(); },
    onError: (e) => showProblem(t, errors, e, (f) => (f === 'owner_member_id' ? ids.owner : f === 'due_on' ? ids.due : null)),
  });
  const ownerName = item.owner?.name ?? members.find((m) => m.id === item.owner_member_id)?.organization.name;
  // An owner who has left the network stays selectable on its own item.
  const options = members.map((x) => ({ value: x.id, label: x.organization.name }));
  if (item.owner_member_id && !options.some((o) => o.value === item.owner_member_id)) {
    options.push({ value: item.owner_member_id, label: ownerName ?? '…' });
  }
  return (
    <article className="card card-bg mb-2" aria-labelledby={`${base}-h`} data-testid="action-item">
      <div className="card-body">
        <div className="d-flex flex-wrap justify-content-between gap-2">
          <h3 className="h6 mb-1" id={`${base}-h`}>{item.title}</h3>
          <StatusBadge kind="actionItem" status={item.status} />
        </div>
        {!editable && (
          <p className="small mb-1">
            {t('networks.actionItems.owner')}: {ownerName ?? '—'} · {t('networks.actionItems.due')}: {item.due_on ? formatDate(item.due_on) : '—'}
          </p>
        )}
        {item.status_reason && <p className="small mb-1">{t('networks.actionItems.reason')}: {item.status_reason}</p>}
        {editable && (
          <form noValidate className="mt-2" aria-label={t('networks.actionItems.editOf', { title: item.title })}
                onSubmit={(e) => {
                  e.preventDefault();
                  if (due && !isIsoDate(due)) { errors.setGeneral(null); errors.setFields({ [ids.due]: t('validation.invalid_date') }); return; }
                  if (changed) save.mutate();
                }}>
            {errors.general && <div className="alert alert-danger" role="alert">{errors.general}</div>}
            <div className="row align-items-end">
              <div className="col-12 col-sm-5">
                <SelectField id={ids.owner} label={t('networks.actionItems.owner')} value={owner} error={errors.fields[ids.owner]}
                             placeholder={t('networks.actionItems.noOwner')} options={options}
                             onChange={(e) => { setOwner(e.target.value); errors.clearField(ids.owner); }} />
              </div>
              <div className="col-12 col-sm-4">
                <DateField id={ids.due} label={t('networks.actionItems.due')} value={due} error={errors.fields[ids.due]}
                           onChange={(v) => { setDue(v); errors.clearField(ids.due); }} />
              </div>
              <div className="col-12 col-sm-3 mb-4">
                <Button color="primary" outline size="sm" type="submit" disabled={!changed || save.isPending}>
                  {save.isPending ? t('common.saving') : t('common.save')}
                  <span className="visually-hidden"> — {item.title}</span>
                </Button>
              </div>
            </div>
          </form>
        )}
        <ActionBar record={item} size="sm" label={t('networks.actionItems.actionsOf', { title: item.title })} items={[
          { action: 'complete', label: t('networks.actionItems.complete'), context: item.title, onClick: () => setMoving('done') },
          { action: 'drop', label: t('networks.actionItems.drop'), context: item.title, color: 'danger', outline: true, onClick: () => setMoving('dropped') },
        ]} />
      </div>
      {moving && <StatusDialog item={item} to={moving} onClose={() => setMoving(null)} />}
    </article>
  );
}

/** Done (a note, if any) or dropped (why: required). */
function StatusDialog({ item, to, onClose }: { item: ActionItem; to: 'done' | 'dropped'; onClose: () => void }) {
  const { t } = useTranslation();
  const invalidate = useInvalidateItems();
  const errors = useFormErrors();
  const [reason, setReason] = useState('');
  const m = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/v1/action-items/{id}', {
      params: { path: { id: item.id }, header: ifMatch(actionItemVersion(item)) }, body: { status: to, reason: reason.trim() || null },
    })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => showProblem(t, errors, e, (f) => (f === 'reason' ? 'item-reason' : null)),
  });
  const label = to === 'done' ? t('networks.actionItems.complete') : t('networks.actionItems.drop');
  return (
    <FormDialog isOpen danger={to === 'dropped'} title={`${label}: ${item.title}`} submitLabel={label} pending={m.isPending} general={null}
                onCancel={onClose} onSubmit={() => {
                  const r = reason.trim();
                  if (to === 'dropped' && !r) { errors.setGeneral(null); errors.setFields({ 'item-reason': t('validation.required') }); return; }
                  if (r && r.length < 2) { errors.setGeneral(null); errors.setFields({ 'item-reason': t('validation.too_short') }); return; }
                  m.mutate();
                }}>
      <ErrorSummary errors={errors.fields} general={errors.general} />
      <TextAreaField id="item-reason" label={to === 'done' ? t('networks.actionItems.note') : t('networks.reason')} required={to === 'dropped'}
                     value={reason} maxLength={4000} error={errors.fields['item-reason']}
                     onChange={(e) => { setReason(e.target.value); errors.clearField('item-reason'); }} />
    </FormDialog>
  );
}
