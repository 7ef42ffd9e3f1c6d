// Edits a meeting's details (title, date, place, participants) until it is closed.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { ifMatch } from '../../api/etag';
import type { Meeting } from '../../api/types';
import type { components } from '../../api/schema';
import { TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { StaleNotice } from '../../components/StaleNotice';
import { useErrorMessage } from '../../components/errors';
import { useEditForm } from '../../components/useEditForm';
import { useFormErrors } from '../../components/useFormErrors';
import { useUnsavedChanges } from '../../components/useUnsavedChanges';

type MeetingPatch = components['schemas']['MeetingPatch'];

interface MeetingForm extends Record<string, unknown> {
  title: string;
  scheduled_for: string;
  location: string;
  participants: string;
}

function meetingForm(m: Meeting): MeetingForm {
  return { title: m.title, scheduled_for: m.scheduled_for, location: m.location ?? '', participants: m.participants.join('\n') };
}

const lines = (s: string) => s.split('\n').map((p) => p.trim()).filter(Boolean);

export function MeetingEditDialog({ meeting, onClose }: { meeting: Meeting; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const edit = useEditForm<MeetingForm>(meetingForm(meeting), meeting.updated_at);
  const errors = useFormErrors();
  const { dialog, bypass } = useUnsavedChanges(edit.dirty);
  const { form } = edit;
  const set = <K extends keyof MeetingForm>(k: K, v: MeetingForm[K]) => {
    edit.set(k, v);
    errors.clearField(k as string);
  };
  const close = () => {
    bypass();
    onClose();
  };

  const save = useMutation({
    mutationFn: (body: MeetingPatch) => unwrap(api.PATCH('/api/v1/meetings/{id}', {
      params: { path: { id: meeting.id }, header: ifMatch(edit.version) }, body,
    })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['meetings'] });
      close();
    },
    onError: (e) => edit.saveFailed(e, errors),
  });
  const reload = useMutation({
    mutationFn: () => unwrap(api.GET('/api/v1/meetings/{id}', { params: { path: { id: meeting.id } } })),
    onSuccess: (fresh) => edit.rebase(meetingForm(fresh), fresh.updated_at),
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
      <TextField id="scheduled_for" type="date" label={label('scheduled_for')} required value={form.scheduled_for}
                 error={errors.fields.scheduled_for} onChange={(e) => set('scheduled_for', e.target.value)} />
      <TextField id="location" label={label('location')} value={form.location} error={errors.fields.location} maxLength={300}
                 onChange={(e) => set('location', e.target.value)} />
      <TextAreaField id="participants" label={label('participants')} hint={t('meetings.participantsHint')} value={form.participants}
                     error={errors.fields.participants ?? Object.entries(errors.fields).find(([k]) => k.startsWith('participants['))?.[1]}
                     onChange={(e) => set('participants', e.target.value)} />
    </FormDialog>
  );
}
