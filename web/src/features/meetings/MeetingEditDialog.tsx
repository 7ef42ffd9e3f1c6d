// Edits a meeting's details (title, date, place, participants) while the API allows it. The
// board shows the meeting inside its agenda, without a version: the meeting itself is read when
// the dialog opens, and saved with that read's ETag.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrapVersioned } from '../../api/client';
import { ifMatch, type Versioned } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import type { Meeting } from '../../api/types';
import type { components } from '../../api/schema';
import { EditDialogLoader } from '../../components/EditDialogLoader';
import { TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { StaleNotice } from '../../components/StaleNotice';
import { useErrorMessage } from '../../components/errors';
import { useEditForm } from '../../components/useEditForm';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';
import { DateField } from '../../components/DateField';

type MeetingPatch = components['schemas']['MeetingPatch'];

interface MeetingFields {
  title: string;
  scheduled_for: string;
  location: string;
  participants: string;
}

function meetingForm(m: Meeting): MeetingFields {
  return { title: m.title, scheduled_for: m.scheduled_for, location: m.location ?? '', participants: m.participants.join('\n') };
}

const lines = (s: string) => s.split('\n').map((p) => p.trim()).filter(Boolean);

export function readMeeting(id: string): Promise<Versioned<Meeting>> {
  return unwrapVersioned(api.GET('/api/v1/meetings/{id}', { params: { path: { id } } }));
}

export function MeetingEditDialog({ meetingId, onClose }: { meetingId: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <EditDialogLoader queryKey={queryKeys.detail('meetings', meetingId)} read={() => readMeeting(meetingId)}
                      title={t('meetings.editTitle')} onClose={onClose}>
      {(read) => <MeetingForm read={read} onClose={onClose} />}
    </EditDialogLoader>
  );
}

function MeetingForm({ read, onClose }: { read: Versioned<Meeting>; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const meeting = read.record;
  const edit = useEditForm<MeetingFields>(meetingForm(meeting), read.etag);
  const errors = useFormErrors();
  const { dialog, bypass } = useUnsavedChanges(edit.dirty);
  const { form } = edit;
  const set = <K extends keyof MeetingFields>(k: K, v: MeetingFields[K]) => {
    edit.set(k, v);
    errors.clearField(k as string);
  };
  const close = () => {
    bypass();
    onClose();
  };

  const save = useMutation({
    mutationFn: (body: MeetingPatch) => unwrapVersioned(api.PATCH('/api/v1/meetings/{id}', {
      params: { path: { id: meeting.id }, header: ifMatch(edit.version) }, body,
    })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: queryKeys.all('meetings') });
      close();
    },
    onError: (e) => edit.saveFailed(e, errors),
  });
  const reload = useMutation({
    mutationFn: () => readMeeting(meeting.id),
    onSuccess: (fresh) => edit.rebase(meetingForm(fresh.record), fresh.etag),
  });

  function submit() {
    const missing: Record<string, string> = {};
    if (form.title.trim().length < 2) missing.title = form.title.trim() ? t('validation.too_short') : t('validation.required');
    if (!form.scheduled_for) missing.scheduled_for = t('validation.required');
    if (Object.keys(missing).length) {
      errors.setGeneral(null);
      errors.setFields(missing);
      return;
    }
    const body: MeetingPatch = {};
    const c = edit.changes;
    if ('title' in c && form.title.trim() !== edit.base.title) body.title = form.title.trim();
    if ('scheduled_for' in c) body.scheduled_for = form.scheduled_for;
    // An emptied place is cleared with null.
    if ('location' in c && form.location.trim() !== edit.base.location) body.location = form.location.trim() || null;
    if ('participants' in c && JSON.stringify(lines(form.participants)) !== JSON.stringify(lines(edit.base.participants))) {
      body.participants = lines(form.participants);
    }
    if (Object.keys(body).length === 0) {
      close();
      return;
    }
    save.mutate(body);
  }

  const label = (f: string) => t(`meetings.field.${f}`, { defaultValue: f });
  return (
    <FormDialog isOpen title={t('meetings.editTitle')} submitLabel={t('common.save')} pending={save.isPending}
                general={errors.general} onCancel={close} onSubmit={submit}>
      {dialog}
      <StaleNotice stale={edit.stale} reloading={reload.isPending} onReload={() => reload.mutate()}
                   reloadError={reload.isError ? message(reload.error) : null}
                   conflicts={edit.rebased?.conflicts ?? null} fieldLabel={label} />
      <TextField id="title" label={label('title')} required value={form.title} error={errors.fields.title} maxLength={200}
                 onChange={(e) => set('title', e.target.value)} />
      <DateField id="scheduled_for" label={label('scheduled_for')} required value={form.scheduled_for}
                 error={errors.fields.scheduled_for} onChange={(v) => set('scheduled_for', v)} />
      <TextField id="location" label={label('location')} value={form.location} error={errors.fields.location} maxLength={300}
                 onChange={(e) => set('location', e.target.value)} />
      <TextAreaField id="participants" label={label('participants')} hint={t('meetings.participantsHint')} value={form.participants}
                     error={errors.fields.participants ?? Object.entries(errors.fields).find(([k]) => k.startsWith('participants['))?.[1]}
                     onChange={(e) => set('participants', e.target.value)} />
    </FormDialog>
  );
}
