// The monthly table's meetings: the open/next one first, then the others; plan a new one.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { Meeting } from '../../api/types';
import { TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { ListPage } from '../../components/ListView';
import { StatusBadge } from '../../components/StatusBadge';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDate } from '../../lib/format';
import { fetchAllMeetings } from '../common/workflow';
import { DateField, isIsoDate } from '../../components/DateField';

const ORDER = { open: 0, planned: 1, closed: 2 } as const;

/** The open meeting first, then the planned ones by date, then the closed ones, latest first. */
export function sortMeetings(meetings: Meeting[]): Meeting[] {
  return [...meetings].sort((a, b) =>
    ORDER[a.status] - ORDER[b.status] || (a.status === 'closed' ? b.scheduled_for.localeCompare(a.scheduled_for) : a.scheduled_for.localeCompare(b.scheduled_for)));
}

export function MeetingsPage() {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  return (
    <ListPage<Meeting>
      title={t('meetings.title')} subtitle={t('meetings.subtitle')}
      actions={<Button color="primary" onClick={() => setCreating(true)}>{t('meetings.new')}</Button>}
      resource="meetings" fetchAll={fetchAllMeetings} sort={sortMeetings}
      caption={t('meetings.title')} rowKey={(m) => m.id} empty={t('meetings.empty')}
      columns={[
        { header: t('meetings.date'), className: 'nowrap', cell: (m) => formatDate(m.scheduled_for) },
        {
          header: t('meetings.meeting'), rowHeader: true,
          cell: (m) => <><Link to={`/meetings/${m.id}`}>{m.title}</Link>
            {m.location && <div className="small text-secondary fw-normal">{m.location}</div>}</>,
        },
        { header: t('meetings.agendaCount'), cell: (m) => m.agenda_count },
        { header: t('meetings.decisionCount'), cell: (m) => m.decision_count },
        { header: t('referrals.status'), cell: (m) => <StatusBadge kind="meeting" status={m.status} /> },
      ]}>
      {creating && <NewMeetingDialog onClose={() => setCreating(false)} />}
    </ListPage>
  );
}

function NewMeetingDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [date, setDate] = useState('');
  const [location, setLocation] = useState('');
  const [participants, setParticipants] = useState('');
  const errors = useFormErrors();
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/meetings', {
      body: {
        scheduled_for: date, location: location.trim() || null,
        participants: participants.split('\n').map((p) => p.trim()).filter(Boolean),
      },
    })),
    onSuccess: async (m) => {
      await qc.invalidateQueries({ queryKey: queryKeys.all('meetings') });
      navigate(`/meetings/${m.id}`);
    },
    onError: (e) => errors.fromError(e),
  });
  return (
    <FormDialog isOpen title={t('meetings.new')} submitLabel={t('common.save')} pending={create.isPending} general={errors.general}
                onCancel={onClose} onSubmit={() => {
                  if (!date) { errors.setFields({ scheduled_for: t('validation.required') }); return; }
                  if (!isIsoDate(date)) { errors.setFields({ scheduled_for: t('dateField.invalid') }); return; }
                  create.mutate();
                }}>
      <DateField id="scheduled_for" label={t('meetings.date')} required value={date} error={errors.fields.scheduled_for}
                 onChange={(v) => { setDate(v); errors.clearField('scheduled_for'); }} />
      <TextField id="location" label={t('meetings.location')} value={location} error={errors.fields.location}
                 onChange={(e) => setLocation(e.target.value)} />
      <TextAreaField id="participants" label={t('meetings.participants')} hint={t('meetings.participantsHint')} value={participants}
                     error={errors.fields.participants} onChange={(e) => setParticipants(e.target.value)} />
    </FormDialog>
  );
}
