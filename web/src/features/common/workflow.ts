// Shared reads of the workflow: catalogue, thresholds, agencies, meetings (cached, for pickers and boards).
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { queryKeys } from '../../api/queryKeys';
import type { Measure, Meeting, Threshold } from '../../api/types';

export async function all<T>(fetchPage: (after?: string) => Promise<{ items: T[]; next?: string | null }>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (let i = 0; i < 50; i++) {
    const page = await fetchPage(after);
    out.push(...page.items);
    if (!page.next) break;
    after = page.next;
  }
  return out;
}

export function fetchAllMeasures(options: { activeOnly?: boolean } = {}): Promise<Measure[]> {
  return all<Measure>((after) => unwrap(api.GET('/api/v1/measures', {
    params: { query: { limit: 200, after, ...(options.activeOnly ? { active: true } : {}) } },
  })));
}

export function useMeasures(options: { activeOnly?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.everything('measures', options),
    queryFn: () => fetchAllMeasures(options),
    staleTime: 60_000,
  });
}

export function fetchAllThresholds(filter: { agency_id?: string } = {}): Promise<Threshold[]> {
  return all<Threshold>((after) => unwrap(api.GET('/api/v1/thresholds', { params: { query: { limit: 200, after, ...filter } } })));
}

export function useThresholds(filter: { agency_id?: string } = {}, enabled = true) {
  return useQuery({
    queryKey: queryKeys.everything('thresholds', filter),
    queryFn: () => fetchAllThresholds(filter),
    enabled,
  });
}

export function useAgencies(enabled = true) {
  return useQuery({
    queryKey: queryKeys.everything('organizations', { kind: 'accredited_agency', active: true }),
    queryFn: async () => (await all((after) => unwrap(api.GET('/api/v1/organizations', {
      params: { query: { limit: 200, after, kind: 'accredited_agency' } },
    })))).filter((o) => o.active).sort((a, b) => a.name.localeCompare(b.name, 'it')),
    staleTime: 60_000,
    enabled,
  });
}

export function fetchAllMeetings(): Promise<Meeting[]> {
  return all<Meeting>((after) => unwrap(api.GET('/api/v1/meetings', { params: { query: { limit: 200, after } } })));
}

export function useMeetings(enabled = true) {
  return useQuery({ queryKey: queryKeys.everything('meetings'), queryFn: fetchAllMeetings, enabled });
}

/** The open meeting, else the next planned one (the one the table is working on). */
export function currentMeeting(meetings: Meeting[] | undefined): Meeting | undefined {
  if (!meetings) return undefined;
  const open = meetings.find((m) => m.status === 'open');
  if (open) return open;
  return meetings.filter((m) => m.status === 'planned').sort((a, b) => a.scheduled_for.localeCompare(b.scheduled_for))[0];
}

export function personName(p: { first_name: string; last_name: string }): string {
  return `${p.last_name} ${p.first_name}`;
}
