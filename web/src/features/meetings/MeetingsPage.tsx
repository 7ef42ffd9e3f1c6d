// The monthly table's meetings: the open/next one first, then the others; plan a new one.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDate } from '../../lib/format';
import { useMeetings } from '../common/workflow';

const ORDER = { open: 0, planned: 1, closed: 2 } as const;

export function MeetingsPage() {
  const { t } = useTranslation();
  const meetings = useMeetings();
  const [creating, setCreating] = useState(false);
  const sorted = [...(meetings.data ?? [])].sort((a, b) =>
    ORDER[a.status] - ORDER[b.status] || (a.status === 'closed' ? b.scheduled_for.localeCompare(a.scheduled_for) : a.scheduled_for.localeCompare(b.scheduled_for)));
  return (
    <Page title={t('meetings.title')} subtitle={t('meetings.subtitle')}
          actions={<Button color="primary" onClick={() => setCreating(true)}>{t('meetings.new')}</Button>}>
      {meetings.isPending ? <Loading /> : meetings.isError ? <ErrorState error={meetings.error} onRetry={() => void meetings.refetch()} /> :
        sorted.length === 0 ? <EmptyState title={t('meetings.empty')} /> : (
          <div className="table-responsive">
            <table className="table table-hover">
              <caption className="visually-hidden">{t('meetings.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('meetings.date')}</th>
                  <th scope="col">{t('meetings.meeting')}</th>
                  <th scope="col">{t('meetings.agendaCount')}</th>
                  <th scope="col">{t('meetings.decisionCount')}</th>
                  <th scope="col">{t('referrals.status')}</th>
                </tr>
              </thead>
              <tbody>
                {sorted.map((m) => (
                  <tr key={m.id}>
                    <td className="nowrap">{formatDate(m.scheduled_for)}</td>
                    <th scope="row"><Link to={`/meetings/${m.id}`}>{m.title}</Link>
                      {m.location && <div className="small text-secondary fw-normal">{m.location}</div>}</th>
                    <td>{m.agenda_count}</td>
                    <td>{m.decision_count}</td>
                    <td><StatusBadge kind="meeting" status={m.status} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      {creating && <NewMeetingDialog onClose={() => setCreating(false)} />}
    </Page>
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
      await qc.invalidateQueries({ queryKey: ['meetings'] });
      navigate(`/meetings/${m.id}`);
    },
    onError: (e) => errors.fromError(e),
  });
  return (
    <FormDialog isOpen title={t('meetings.new')} submitLabel={t('common.save')} pending={create.isPending} general={errors.general}
                onCancel={onClose} onSubmit={() => {
                  if (!date) { errors.setFields({ scheduled_for: t('validation.required') }); return; }
                  create.mutate();
                }}>
      <TextField id="scheduled_for" type="date" label={t('meetings.date')} required value={date} error={errors.fields.scheduled_for}
                 onChange={(e) => { setDate(e.target.value); errors.clearField('scheduled_for'); }} />
      <TextField id="location" label={t('meetings.location')} value={location} error={errors.fields.location}
                 onChange={(e) => setLocation(e.target.value)} />
      <TextAreaField id="participants" label={t('meetings.participants')} hint={t('meetings.participantsHint')} value={participants}
                     error={errors.fields.participants} onChange={(e) => setParticipants(e.target.value)} />
    </FormDialog>
  );
}
