// "Sedute": the meetings of one network (forum sessions, assemblies, consultations, working
// groups — or the table's monthly sessions), the open one first, then the planned, then the
// closed ones; each opens where it is run. Those who manage the network plan a new one.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { Network } from '../../api/types';
import { ActionBar } from '../../components/Actions';
import { ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDate } from '../../lib/format';
import { all } from '../common/workflow';
import { sortMeetings } from '../meetings/MeetingsPage';
import { useMembers } from './NetworkDialogs';
import { meetingPath, NetworkMeetingForm } from './NetworkMeetingForm';

export function networkMeetingsKey(networkId: string) {
  return queryKeys.everything('meetings', { network_id: networkId });
}

export function NetworkMeetings({ network }: { network: Network }) {
  const { t } = useTranslation();
  const [planning, setPlanning] = useState(false);
  const members = useMembers(network.id, false);
  const meetings = useQuery({
    queryKey: networkMeetingsKey(network.id),
    queryFn: async () => sortMeetings(await all((after) => unwrap(api.GET('/api/v1/meetings', {
      params: { query: { network_id: network.id, limit: 200, after } },
    })))),
  });
  return (
    <section className="mb-4" aria-labelledby="meetings-h" data-testid="network-meetings">
      <h2 className="h4" id="meetings-h">{t('networks.meetings.title')}</h2>
      <ActionBar record={network} items={[
        { action: 'edit', label: t('networks.meetings.new'), onClick: () => setPlanning(true) },
      ]} />
      {meetings.isPending && <Loading />}
      {meetings.isError && <ErrorState error={meetings.error} onRetry={() => void meetings.refetch()} />}
      {meetings.data && (meetings.data.length === 0 ? <p className="mt-2">{t('networks.meetings.none')}</p> : (
        <div className="table-responsive">
          <table className="table app-stack-table mt-2">
            <caption className="visually-hidden">{t('networks.meetings.title')}</caption>
            <thead><tr>
              <th scope="col">{t('meetings.date')}</th><th scope="col">{t('meetings.meeting')}</th>
              <th scope="col">{t('networks.meetings.kind')}</th><th scope="col">{t('networks.meetings.present')}</th>
              <th scope="col">{t('referrals.status')}</th>
            </tr></thead>
            <tbody>
              {meetings.data.map((m) => (
                <tr key={m.id} data-testid="network-meeting">
                  <td data-label={t('meetings.date')} className="nowrap">{formatDate(m.scheduled_for)}</td>
                  <th scope="row" data-label={t('meetings.meeting')}>
                    <Link to={meetingPath(network, m.id)}>{m.title}</Link>
                    {m.location && <div className="small text-secondary fw-normal">{m.location}</div>}
                  </th>
                  <td data-label={t('networks.meetings.kind')}>{t(`meetings.kind.${m.kind}`)}</td>
                  <td data-label={t('networks.meetings.present')}>{m.attendees.filter((a) => a.attendance === 'present').length}</td>
                  <td data-label={t('referrals.status')}><StatusBadge kind="meeting" status={m.status} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {planning && members.data && (
        <NetworkMeetingForm network={network} members={members.data.items} onClose={() => setPlanning(false)} />
      )}
    </section>
  );
}
