// One meeting of a network (a forum session, a pact assembly, a consultation, a working group):
// kind, date, place, state; the members attending with the people who came and their
// attendance; the topics; open, edit and close it as the API allows; its action items and the
// follow-up of the earlier ones; and the minutes — read here from the printable HTML the API
// renders (a draft until it closes, frozen after) and downloaded as PDF.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { api, unwrap, unwrapVersioned } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { Meeting, Network } from '../../api/types';
import { ActionBar } from '../../components/Actions';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataList } from '../../components/DataList';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { useErrorMessage } from '../../components/errors';
import { formatDate, formatDateTime } from '../../lib/format';
import { downloadMinutesPdf, minutesHtml } from '../meetings/minutes';
import { MinutesView } from '../meetings/MinutesView';
import { ActionItems } from './ActionItems';
import { useMembers } from './NetworkDialogs';
import { NetworkMeetingForm } from './NetworkMeetingForm';

export function NetworkMeetingPage() {
  const { id = '', meetingId = '' } = useParams();
  const { t } = useTranslation();
  const network = useQuery({
    queryKey: queryKeys.detail('networks', id),
    queryFn: () => unwrap(api.GET('/api/v1/networks/{id}', { params: { path: { id } } })),
  });
  const meeting = useQuery({
    queryKey: queryKeys.detail('meetings', meetingId),
    queryFn: () => unwrapVersioned(api.GET('/api/v1/meetings/{id}', { params: { path: { id: meetingId } } })),
  });
  const m = meeting.data?.record;
  const title = m?.title ?? t('meetings.meeting');
  const crumbs = [{ to: '/networks', label: t('networks.title') },
    ...(network.data ? [{ to: `/networks/${id}`, label: network.data.name }] : [])];
  if (meeting.isPending || network.isPending) return <Page title={title} crumbs={crumbs}><Loading /></Page>;
  if (meeting.isError) return <Page title={title} crumbs={crumbs}><ErrorState error={meeting.error} onRetry={() => void meeting.refetch()} /></Page>;
  if (network.isError) return <Page title={title} crumbs={crumbs}><ErrorState error={network.error} onRetry={() => void network.refetch()} /></Page>;
  return (
    <Page title={title} crumbs={crumbs}
          subtitle={<>{t(`meetings.kind.${m!.kind}`)} · {formatDate(m!.scheduled_for)}{m!.location ? ` · ${m!.location}` : ''} · <StatusBadge kind="meeting" status={m!.status} /></>}>
      <MeetingBody network={network.data} meeting={m!} etag={meeting.data.etag} />
    </Page>
  );
}

function MeetingBody({ network, meeting: m, etag }: { network: Network; meeting: Meeting; etag: string | null }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const members = useMembers(network.id, false);
  const [confirm, setConfirm] = useState<'open' | 'close' | null>(null);
  const [editing, setEditing] = useState(false);
  const move = useMutation({
    mutationFn: (to: 'open' | 'close') => unwrap(to === 'open'
      ? api.POST('/api/v1/meetings/{id}/open', { params: { path: { id: m.id } } })
      : api.POST('/api/v1/meetings/{id}/close', { params: { path: { id: m.id } } })),
    onSettled: async () => { setConfirm(null); await qc.invalidateQueries({ queryKey: queryKeys.all('meetings') }); },
  });
  return (
    <>
      {move.isError && <div className="alert alert-danger" role="alert">{message(move.error)}</div>}
      <ActionBar record={m} label={t('common.actions')} items={[
        { action: 'open', label: t('meetings.open'), onClick: () => setConfirm('open'), pending: move.isPending },
        { action: 'edit', label: t('meetings.edit'), outline: true, onClick: () => setEditing(true) },
        { action: 'close', label: t('meetings.close'), color: 'danger', onClick: () => setConfirm('close'), pending: move.isPending },
      ]} />
      <div className="row mt-3">
        <div className="col-12 col-lg-6">
          <section className="mb-4" aria-labelledby="attendees-h" data-testid="attendees">
            <h2 className="h4" id="attendees-h">{t('networks.meetings.attendees')}</h2>
            {m.attendees.length === 0 ? <p>{t('networks.meetings.noAttendees')}</p> : (
              <ul className="list-unstyled">
                {m.attendees.map((a) => (
                  <li key={a.member_id} className="mb-2" data-attendance={a.attendance}>
                    <span className="fw-semibold">{a.organization.name}</span>{' '}
                    <span className={`badge ${a.attendance === 'present' ? 'bg-success' : 'bg-light text-dark border'}`}>
                      {t(`meetings.attendance.${a.attendance}`)}
                    </span>
                    {a.people.length > 0 && <div className="small">{a.people.join(', ')}</div>}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
        <div className="col-12 col-lg-6">
          <section className="mb-4" aria-labelledby="topics-h" data-testid="topics">
            <h2 className="h4" id="topics-h">{t('networks.meetings.topics')}</h2>
            {m.topics.length === 0 ? <p>{t('networks.meetings.noTopics')}</p> : (
              <ol>
                {m.topics.map((x, i) => (
                  <li key={i} className="mb-2">
                    <span className="fw-semibold">{x.title}</span>
                    {x.notes && <div className="small" style={{ whiteSpace: 'pre-line' }}>{x.notes}</div>}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </div>
      </div>
      <ActionItems meeting={m} members={members.data?.items ?? []} />
      <Minutes meeting={m} />
      {editing && members.data && (
        <NetworkMeetingForm network={network} members={members.data.items} read={{ record: m, etag }} onClose={() => setEditing(false)} />
      )}
      <ConfirmDialog isOpen={confirm === 'open'} title={t('meetings.openTitle')} confirmLabel={t('meetings.open')}
                     onConfirm={() => move.mutate('open')} onCancel={() => setConfirm(null)}>
        {t('networks.meetings.openText')}
      </ConfirmDialog>
      <ConfirmDialog isOpen={confirm === 'close'} title={t('meetings.closeTitle')} confirmLabel={t('meetings.close')} danger
                     onConfirm={() => move.mutate('close')} onCancel={() => setConfirm(null)}>
        {t('networks.meetings.closeText')}
      </ConfirmDialog>
    </>
  );
}

/** The minutes: read in the page (the API's printable HTML, rebuilt as text: MinutesView) or downloaded as PDF. */
function Minutes({ meeting: m }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const message = useErrorMessage();
  const [shown, setShown] = useState(false);
  const html = useQuery({
    queryKey: queryKeys.sub('meetings', m.id, 'minutes', { status: m.status, updated: m.updated_at }),
    queryFn: () => minutesHtml(m.id),
    enabled: shown,
  });
  const pdf = useMutation({ mutationFn: () => downloadMinutesPdf(m.id, `verbale-${m.scheduled_for}.pdf`) });
  const closed = m.status === 'closed';
  return (
    <section className="mb-4" aria-labelledby="minutes-h" data-testid="minutes">
      <h2 className="h4" id="minutes-h">{closed ? t('networks.meetings.minutes') : t('networks.meetings.minutesDraft')}</h2>
      <p className="small">{closed ? t('networks.meetings.minutesFrozen') : t('networks.meetings.minutesDraftHint')}</p>
      <DataList items={[[t('networks.meetings.closedAt'), m.closed_at ? formatDateTime(m.closed_at) : null]]} />
      <div className="d-flex flex-wrap gap-2 mb-2">
        <Button color="primary" outline aria-expanded={shown} onClick={() => setShown((s) => !s)}>
          {shown ? t('networks.meetings.hideMinutes') : t('networks.meetings.readMinutes')}
        </Button>
        <Button color="primary" outline disabled={pdf.isPending} onClick={() => pdf.mutate()}>{t('networks.meetings.downloadPdf')}</Button>
      </div>
      {pdf.isError && <div className="alert alert-danger" role="alert">{message(pdf.error)}</div>}
      {shown && (html.isPending ? <Loading /> : html.isError ? <ErrorState error={html.error} onRetry={() => void html.refetch()} /> : (
        <MinutesView html={html.data} label={t('networks.meetings.minutesFrame', { title: m.title })} />
      ))}
    </section>
  );
}
