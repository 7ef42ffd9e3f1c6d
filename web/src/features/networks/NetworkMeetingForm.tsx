// Plans a meeting of a network, or edits one at the version read: its kind (those that fit the
// network: the table holds only its monthly sessions, the other networks never), title, date,
// place, the members attending — each with the people who come on its behalf and their
// attendance — and the topics on the agenda. The API's field errors land on the member or the
// topic they name (`attendees[2].people[0]`, `topics[1].title`).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, unwrap } from '../../api/client';
import { ifMatch, type Versioned } from '../../api/etag';
import { queryKeys } from '../../api/queryKeys';
import {
  ATTENDANCES, MEETING_KINDS, type Attendance, type AttendeeInput, type Meeting, type MeetingKind, type Member, type Network,
  type TopicInput,
} from '../../api/types';
import { DateField, isIsoDate } from '../../components/DateField';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { useFormErrors } from '../../components/useFormErrors';
import { showProblem } from './formErrors';

/** The kinds a meeting of this network may be. */
export function kindsFor(network: Network): MeetingKind[] {
  return MEETING_KINDS.filter((k) => (k === 'monthly_table') === (network.kind === 'coordination_table'));
}

/** Where a meeting is run: the table's board, or the network's meeting page. */
export function meetingPath(network: Network, meetingId: string): string {
  return network.kind === 'coordination_table' ? `/meetings/${meetingId}` : `/networks/${network.id}/meetings/${meetingId}`;
}

interface Row {
  attendance: Attendance | '';
  people: string;
}

interface TopicRow {
  key: number;
  title: string;
  notes: string;
}

const names = (s: string) => s.split(/[,\n]/).map((p) => p.trim()).filter(Boolean);

export function NetworkMeetingForm({ network, members, read, onClose }: {
  network: Network;
  /** Today's members of the network. */
  members: Member[];
  /** The meeting to edit, with its version; absent for a new one. */
  read?: Versioned<Meeting>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const errors = useFormErrors();
  const m0 = read?.record;
  const kinds = kindsFor(network);
  const active = members.filter((m) => m.active);
  const [kind, setKind] = useState<MeetingKind>(m0?.kind ?? kinds[0]);
  const [title, setTitle] = useState(m0?.title ?? '');
  const [date, setDate] = useState(m0?.scheduled_for ?? '');
  const [location, setLocation] = useState(m0?.location ?? '');
  const [rows, setRows] = useState<Record<string, Row>>(() => Object.fromEntries(active.map((m) => {
    const a = m0?.attendees.find((x) => x.member_id === m.id);
    return [m.id, { attendance: a?.attendance ?? '', people: a?.people.join(', ') ?? '' }];
  })));
  const [topics, setTopics] = useState<TopicRow[]>(() => (m0?.topics ?? []).map((x, i) => ({ key: i, title: x.title, notes: x.notes ?? '' })));
  const [nextKey, setNextKey] = useState(1000);
  // Who is sent in which order: the API's `attendees[i]` is the i-th of these.
  const listed = active.filter((m) => rows[m.id]?.attendance || names(rows[m.id]?.people ?? '').length);
  const sentTopics = topics.filter((x) => x.title.trim() || x.notes.trim());

  const rename = (field: string): string | null => {
    let r = /^attendees\[(\d+)\]\.(member_id|people|attendance)/.exec(field);
    if (r) {
      const m = listed[Number(r[1])];
      return m ? `attendee-${m.id}-${r[2] === 'attendance' ? 'attendance' : 'people'}` : null;
    }
    r = /^topics\[(\d+)\]\.(title|notes)$/.exec(field);
    if (r) {
      const x = sentTopics[Number(r[1])];
      return x ? `topic-${x.key}-${r[2]}` : null;
    }
    return ['kind', 'title', 'scheduled_for', 'location'].includes(field) ? field : null;
  };

  const body = () => {
    const attendees: AttendeeInput[] = listed.map((m) => ({
      member_id: m.id, people: names(rows[m.id].people), attendance: rows[m.id].attendance || 'present',
    }));
    const agenda: TopicInput[] = sentTopics.map((x) => ({ title: x.title.trim(), notes: x.notes.trim() || null }));
    return { title: title.trim(), scheduled_for: date, location: location.trim() || null, attendees, topics: agenda };
  };
  const save = useMutation({
    mutationFn: () => {
      const b = body();
      return read
        ? unwrap(api.PATCH('/api/v1/meetings/{id}', {
          params: { path: { id: read.record.id }, header: ifMatch(read.etag) },
          body: { ...b, title: b.title || read.record.title },
        }))
        : unwrap(api.POST('/api/v1/meetings', { body: { ...b, title: b.title || null, network_id: network.id, kind } }));
    },
    onSuccess: async (saved) => {
      await qc.invalidateQueries({ queryKey: queryKeys.all('meetings') });
      onClose();
      if (!read) navigate(meetingPath(network, saved.id));
    },
    onError: (e) => showProblem(t, errors, e, rename),
  });

  function submit() {
    const missing: Record<string, string> = {};
    if (title.trim() && title.trim().length < 2) missing.title = t('validation.too_short');
    if (!date) missing.scheduled_for = t('validation.required');
    else if (!isIsoDate(date)) missing.scheduled_for = t('validation.invalid_date');
    for (const x of sentTopics) {
      if (!x.title.trim()) missing[`topic-${x.key}-title`] = t('validation.required');
      else if (x.title.trim().length < 2) missing[`topic-${x.key}-title`] = t('validation.too_short');
    }
    for (const m of listed) {
      if (names(rows[m.id].people).some((p) => p.length > 200)) missing[`attendee-${m.id}-people`] = t('networks.meetings.nameTooLong');
    }
    if (Object.keys(missing).length) {
      errors.setGeneral(null);
      errors.setFields(missing);
      return;
    }
    save.mutate();
  }

  const setRow = (id: string, patch: Partial<Row>) => {
    setRows((r) => ({ ...r, [id]: { ...r[id], ...patch } }));
    errors.clearField(`attendee-${id}-people`);
    errors.clearField(`attendee-${id}-attendance`);
  };
  const setTopic = (key: number, patch: Partial<TopicRow>) => {
    setTopics((ts) => ts.map((x) => (x.key === key ? { ...x, ...patch } : x)));
    errors.clearField(`topic-${key}-title`);
    errors.clearField(`topic-${key}-notes`);
  };
  return (
    <FormDialog isOpen size="lg" title={read ? t('networks.meetings.editTitle') : t('networks.meetings.new')}
                submitLabel={read ? t('common.save') : t('networks.meetings.create')} pending={save.isPending} general={null}
                onCancel={onClose} onSubmit={submit}>
      <ErrorSummary errors={errors.fields} general={errors.general} fieldIds={{ kind: 'meeting-kind', title: 'meeting-title' }} />
      {!read && kinds.length > 1 && (
        <SelectField id="meeting-kind" label={t('networks.meetings.kind')} value={kind} error={errors.fields.kind}
                     options={kinds.map((k) => ({ value: k, label: t(`meetings.kind.${k}`) }))}
                     onChange={(e) => { setKind(e.target.value as MeetingKind); errors.clearField('kind'); }} />
      )}
      <TextField id="meeting-title" label={t('networks.meetings.titleLabel')} value={title} maxLength={200} error={errors.fields.title}
                 hint={read ? undefined : t('networks.meetings.titleHint')}
                 onChange={(e) => { setTitle(e.target.value); errors.clearField('title'); }} />
      <div className="row">
        <div className="col-12 col-sm-6">
          <DateField id="scheduled_for" label={t('meetings.date')} required value={date} error={errors.fields.scheduled_for}
                     onChange={(v) => { setDate(v); errors.clearField('scheduled_for'); }} />
        </div>
        <div className="col-12 col-sm-6">
          <TextField id="location" label={t('meetings.location')} value={location} maxLength={300} error={errors.fields.location}
                     onChange={(e) => { setLocation(e.target.value); errors.clearField('location'); }} />
        </div>
      </div>
      <fieldset className="mb-3">
        <legend className="h6">{t('networks.meetings.attendees')}</legend>
        <p className="small">{t('networks.meetings.attendeesHint')}</p>
        {active.length === 0 && <p>{t('networks.noMembers')}</p>}
        {active.map((m) => (
          <div className="row border-bottom pt-2" key={m.id} data-testid="attendee-row">
            <p className="col-12 fw-semibold mb-2">{m.organization.name}</p>
            <div className="col-12 col-sm-5">
              <SelectField id={`attendee-${m.id}-attendance`} label={t('networks.meetings.attendance')}
                           value={rows[m.id]?.attendance ?? ''} error={errors.fields[`attendee-${m.id}-attendance`]}
                           placeholder={t('networks.meetings.notListed')}
                           aria-label={`${t('networks.meetings.attendance')} — ${m.organization.name}`}
                           options={ATTENDANCES.map((a) => ({ value: a, label: t(`meetings.attendance.${a}`) }))}
                           onChange={(e) => setRow(m.id, { attendance: e.target.value as Attendance | '' })} />
            </div>
            <div className="col-12 col-sm-7">
              <TextField id={`attendee-${m.id}-people`} label={t('networks.meetings.people')} value={rows[m.id]?.people ?? ''}
                         aria-label={`${t('networks.meetings.people')} — ${m.organization.name}`} hint={t('networks.meetings.peopleHint')}
                         error={errors.fields[`attendee-${m.id}-people`]}
                         onChange={(e) => setRow(m.id, { people: e.target.value })} />
            </div>
          </div>
        ))}
      </fieldset>
      <fieldset className="mb-2">
        <legend className="h6">{t('networks.meetings.topics')}</legend>
        {topics.map((x, i) => (
          <div key={x.key} className="border rounded p-2 mb-2" data-testid="topic-row">
            <TextField id={`topic-${x.key}-title`} label={t('networks.meetings.topicTitle', { n: i + 1 })} value={x.title} maxLength={300}
                       error={errors.fields[`topic-${x.key}-title`]} onChange={(e) => setTopic(x.key, { title: e.target.value })} />
            <TextAreaField id={`topic-${x.key}-notes`} label={t('networks.meetings.topicNotes', { n: i + 1 })} value={x.notes} rows={2}
                           maxLength={4000} error={errors.fields[`topic-${x.key}-notes`]}
                           onChange={(e) => setTopic(x.key, { notes: e.target.value })} />
            <Button color="danger" outline size="sm" type="button" onClick={() => setTopics((ts) => ts.filter((y) => y.key !== x.key))}>
              {t('networks.meetings.removeTopic', { n: i + 1 })}
            </Button>
          </div>
        ))}
        <Button color="primary" outline size="sm" type="button"
                onClick={() => { setTopics((ts) => [...ts, { key: nextKey, title: '', notes: '' }]); setNextKey((k) => k + 1); }}>
          {t('networks.meetings.addTopic')}
        </Button>
      </fieldset>
    </FormDialog>
  );
}
