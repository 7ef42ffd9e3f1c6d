// The meeting board (Tavolo Sistema Lavoro): open a planned meeting, build the agenda from the
// referrals waiting, see for each item the person, needs, the eligibility of each active measure
// (in the agenda itself) and the agencies' remaining budget, record decisions, close (applies
// them all) and print the minutes. What can be done is what the meeting and each item allow
// (`allowed_actions`); the board asks for what it shows in a fixed number of requests, however
// long the agenda.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { API_ORIGIN, API_PREFIX } from '../../api/base';
import { authFetch } from '../../api/authFetch';
import { queryKeys } from '../../api/queryKeys';
import type { AgendaItem, Meeting, Measure, MeasureFit, Referral, Threshold } from '../../api/types';
import { ActionBar, allows } from '../../components/Actions';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { SelectField } from '../../components/Form';
import { Page } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { useErrorMessage } from '../../components/errors';
import { formatCents, formatDate, formatDateTime } from '../../lib/format';
import { all, personName, useAgencies, useMeasures, useThresholds } from '../common/workflow';
import { DecisionDialog } from './DecisionDialog';
import { MeetingEditDialog } from './MeetingEditDialog';

export const agendaKey = (meetingId: string) => queryKeys.sub('meetings', meetingId, 'agenda');

export function MeetingBoardPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const agenda = useQuery({
    queryKey: agendaKey(id!),
    queryFn: () => unwrap(api.GET('/api/v1/meetings/{id}/agenda', { params: { path: { id: id! } } })),
  });
  const m = agenda.data?.meeting;
  const title = m?.title ?? t('meetings.meeting');
  return (
    <Page title={title} crumbs={[{ label: t('meetings.title'), to: '/meetings' }, { label: title }]}
          subtitle={m ? <>{formatDate(m.scheduled_for)}{m.location ? ` · ${m.location}` : ''} · <StatusBadge kind="meeting" status={m.status} /></> : undefined}
          actions={m ? <BoardActions meeting={m} undecided={agenda.data!.items.filter((i) => !i.decision).length} /> : undefined}>
      {agenda.isPending ? <Loading /> : agenda.isError ? <ErrorState error={agenda.error} onRetry={() => void agenda.refetch()} /> :
        <Board meeting={agenda.data.meeting} items={agenda.data.items} />}
    </Page>
  );
}

async function openMinutes(meetingId: string) {
  // The minutes need the bearer token: fetch them, then show them in a new tab to print.
  const tab = window.open('', '_blank');
  const res = await authFetch(new Request(`${API_ORIGIN}${API_PREFIX}/meetings/${meetingId}/minutes?format=html`, {
    headers: { Accept: 'text/html' },
  }));
  const html = await res.text();
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  if (tab) tab.location.href = url;
  else window.location.href = url;
}

function BoardActions({ meeting: m, undecided }: { meeting: Meeting; undecided: number }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const [confirm, setConfirm] = useState<'open' | 'close' | null>(null);
  const [editing, setEditing] = useState(false);
  const invalidate = () => Promise.all((['meetings', 'referrals', 'cases', 'thresholds'] as const).map((r) =>
    qc.invalidateQueries({ queryKey: queryKeys.all(r) })));
  const transition = useMutation({
    mutationFn: (action: 'open' | 'close') => action === 'open'
      ? unwrap(api.POST('/api/v1/meetings/{id}/open', { params: { path: { id: m.id } } }))
      : unwrap(api.POST('/api/v1/meetings/{id}/close', { params: { path: { id: m.id } } })),
    onSettled: () => { setConfirm(null); void invalidate(); },
  });
  return (
    <div>
      {transition.isError && <div className="alert alert-danger w-100" role="alert">{message(transition.error)}</div>}
      <ActionBar record={m} label={t('common.actions')} items={[
        { action: 'open', label: t('meetings.open'), onClick: () => setConfirm('open'), pending: transition.isPending },
        { action: 'close', label: t('meetings.close'), onClick: () => setConfirm('close'), pending: transition.isPending },
        { action: 'edit', label: t('meetings.edit'), outline: true, onClick: () => setEditing(true) },
      ]}>
        <Button color="primary" outline onClick={() => void openMinutes(m.id)}>
          {m.closed_at ? t('meetings.minutes') : t('meetings.minutesDraft')}
        </Button>
      </ActionBar>
      {editing && <MeetingEditDialog meetingId={m.id} onClose={() => setEditing(false)} />}
      <ConfirmDialog isOpen={confirm === 'open'} title={t('meetings.openTitle')} confirmLabel={t('meetings.open')}
                     onConfirm={() => transition.mutate('open')} onCancel={() => setConfirm(null)}>
        {t('meetings.openText')}
      </ConfirmDialog>
      <ConfirmDialog isOpen={confirm === 'close'} title={t('meetings.closeTitle')} confirmLabel={t('meetings.close')}
                     onConfirm={() => transition.mutate('close')} onCancel={() => setConfirm(null)}>
        <p>{t('meetings.closeText', { count: m.decision_count })}</p>
        {undecided > 0 && <p className="fw-semibold">{t('meetings.closeUndecided', { count: undecided })}</p>}
      </ConfirmDialog>
    </div>
  );
}

function Board({ meeting: m, items }: { meeting: Meeting; items: AgendaItem[] }) {
  const { t } = useTranslation();
  // Names and standard amounts of the measures the eligibility lists by id; budgets; agencies.
  const measures = useMeasures({ activeOnly: true });
  const thresholds = useThresholds();
  const agencies = useAgencies();
  const [deciding, setDeciding] = useState<AgendaItem | null>(null);
  return (
    <div className="row">
      <div className="col-12 col-xl-8">
        <section aria-labelledby="agenda-title">
          <h2 id="agenda-title" className="h4">{t('meetings.agenda')} <span className="badge bg-secondary">{items.length}</span></h2>
          {!allows(m, 'add_agenda_item') && allows(m, 'open') && <div className="alert alert-info">{t('meetings.plannedHint')}</div>}
          {items.length === 0 ? <EmptyState title={t('meetings.agendaEmpty')} /> : (
            <ol className="list-unstyled">
              {items.map((item, i) => (
                <li key={item.id}>
                  <AgendaCard item={item} n={i + 1} meeting={m} measures={measures.data ?? []} onDecide={() => setDeciding(item)} />
                </li>
              ))}
            </ol>
          )}
        </section>
        {allows(m, 'add_agenda_item') && (
          <>
            <WaitingReferrals meeting={m} onAgenda={new Set(items.map((i) => i.referral?.id).filter(Boolean) as string[])} />
            <CaseReviewAdder meeting={m} onAgenda={new Set(items.map((i) => i.case?.id).filter(Boolean) as string[])} />
          </>
        )}
      </div>
      <div className="col-12 col-xl-4">
        <BudgetPanel thresholds={thresholds.data} isPending={thresholds.isPending} error={thresholds.error} />
        {m.participants.length > 0 && (
          <section aria-labelledby="participants-title" className="mt-4">
            <h2 id="participants-title" className="h5">{t('meetings.participants')}</h2>
            <ul className="small">{m.participants.map((p) => <li key={p}>{p}</li>)}</ul>
          </section>
        )}
      </div>
      {deciding && (
        <DecisionDialog meeting={m} item={deciding} measures={measures.data ?? []} thresholds={thresholds.data ?? []}
                        agencies={agencies.data ?? []} onClose={() => setDeciding(null)} />
      )}
    </div>
  );
}

function AgendaCard({ item, n, meeting, measures, onDecide }: {
  item: AgendaItem; n: number; meeting: Meeting; measures: Measure[]; onDecide: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const r = item.referral;
  const c = item.case;
  const person = r?.person ?? c?.person;
  const d = item.decision;
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/meetings/{id}/agenda/{item_id}', { params: { path: { id: meeting.id, item_id: item.id } } })),
    onSuccess: () => Promise.all([qc.invalidateQueries({ queryKey: queryKeys.all('meetings') }), qc.invalidateQueries({ queryKey: queryKeys.all('referrals') })]),
  });
  const headingId = `item-${item.id}`;
  const who = person ? personName(person) : '';
  return (
    <article className="card card-bg mb-3 agenda-item" aria-labelledby={headingId} data-testid="agenda-item">
      <div className="card-body">
        <div className="d-flex flex-wrap justify-content-between gap-2">
          <h3 id={headingId} className="h5 mb-1">
            {n}. {person ? personName(person) : '—'}
            <span className="visually-hidden">, </span>
            <small className="ms-2 font-monospace fw-normal text-secondary">{person?.tax_code}</small>
          </h3>
          <div>{d ? <StatusBadge kind="decision" status={d.decision} /> : <span className="badge bg-light text-dark border">{t('meetings.undecided')}</span>}</div>
        </div>
        {r && (
          <>
            <p className="small mb-2">
              {r.organization.name} · {t(`source.${r.source}`)} · {t('referrals.urgency')}: <StatusBadge kind="urgency" status={r.urgency} />
            </p>
            <p className="mb-1"><strong>{t('referrals.needs')}:</strong> {r.needs.map((x) => t(`need.${x}`)).join(', ')}</p>
            <p className="mb-2"><strong>{t('referrals.reason')}:</strong> {r.reason}</p>
          </>
        )}
        {c && (
          <p className="mb-2">{t('meetings.caseReview')}: <StatusBadge kind="case" status={c.status} /> · {c.agency.name}
            {' · '}<Link to={`/cases/${c.id}`}>{t('cases.openWorkspace')}</Link></p>
        )}
        {item.eligibility.length > 0 && <EligibilityList fits={item.eligibility} measures={measures} />}
        {d && (
          <div className="app-decision mb-2" data-testid="decision">
            <strong>{t('meetings.decision')}:</strong> {t(`status.decision.${d.decision}`)}
            {d.agency && <> · {d.agency.name}</>}
            {d.measure_ids.length > 0 && <> · {d.measure_ids.map((mid) => measureCode(mid, item.eligibility, measures)).join(', ')}</>}
            {d.reason && <div className="small">{d.reason}</div>}
          </div>
        )}
        {remove.isError && <div className="alert alert-danger" role="alert">{message(remove.error)}</div>}
        <ActionBar record={meeting} size="sm" label={t('common.actions')} items={[
          { action: 'add_decision', label: d ? t('meetings.changeDecision') : t('meetings.decide'), context: `— ${who}`, onClick: onDecide },
          {
            action: 'delete', record: item, label: t('meetings.removeItem'), context: `— ${who}`, color: 'danger', outline: true,
            onClick: () => remove.mutate(), pending: remove.isPending,
          },
        ]} />
      </div>
    </article>
  );
}

function measureCode(id: string, fits: MeasureFit[], measures: Measure[]): string {
  return fits.find((f) => f.measure_id === id)?.measure_code ?? measures.find((m) => m.id === id)?.code ?? id;
}

/** The person's eligibility for every active measure of the district, as the agenda brings it. */
function EligibilityList({ fits, measures }: { fits: MeasureFit[]; measures: Measure[] }) {
  const { t } = useTranslation();
  const name = (f: MeasureFit) => measures.find((m) => m.id === f.measure_id)?.name;
  return (
    <details className="mb-2 eligibility">
      <summary>
        {t('meetings.eligibility')}:{' '}
        {fits.map((f) => (
          <span key={f.measure_id} className={`badge me-1 ${f.eligible ? 'bg-success' : 'bg-light text-dark border'}`}>
            {f.measure_code} {f.eligible ? '✓' : '✗'}
            <span className="visually-hidden"> {f.eligible ? t('meetings.eligible') : t('meetings.notEligible')}</span>
          </span>
        ))}
      </summary>
      <ul className="small mt-2">
        {fits.map((f) => (
          <li key={f.measure_id}>
            <strong>{f.measure_code}{name(f) ? ` – ${name(f)}` : ''}:</strong> {f.eligible ? t('meetings.eligible') : t('meetings.notEligible')}
            <ul>
              {f.reasons.map((r) => (
                <li key={r.rule}>
                  <span aria-hidden="true">{r.met ? '✓' : '✗'} </span>
                  <span className="visually-hidden">{r.met ? t('meetings.ruleMet') : t('meetings.ruleNotMet')}: </span>
                  {t(`eligibilityRule.${r.rule}`, { defaultValue: r.rule })} — {r.message}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </details>
  );
}

function BudgetPanel({ thresholds, isPending, error }: { thresholds?: Threshold[]; isPending: boolean; error: unknown }) {
  const { t } = useTranslation();
  const byAgency = new Map<string, Threshold[]>();
  for (const th of thresholds ?? []) byAgency.set(th.agency_name, [...(byAgency.get(th.agency_name) ?? []), th]);
  return (
    <section aria-labelledby="budget-title" className="card card-bg">
      <div className="card-body">
        <h2 id="budget-title" className="h5">{t('meetings.budgetTitle')}</h2>
        {isPending ? <Loading /> : error ? <ErrorState error={error} /> : (
          [...byAgency.entries()].sort(([a], [b]) => a.localeCompare(b, 'it')).map(([agency, ths]) => (
            <div key={agency} className="mb-3">
              <h3 className="h6 mb-1">{agency}</h3>
              <table className="table table-sm mb-0">
                <caption className="visually-hidden">{t('meetings.budgetOf', { agency })}</caption>
                <thead><tr><th scope="col">{t('catalogue.measure')}</th><th scope="col" className="text-end">{t('budget.remaining')}</th></tr></thead>
                <tbody>
                  {ths.map((th) => (
                    <tr key={th.id}><th scope="row" className="fw-normal">{th.measure_code}</th>
                      <td className="text-end nowrap">{formatCents(th.remaining_cents)}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))
        )}
      </div>
    </section>
  );
}

/** Referrals the table may take up: sent (or deferred by an earlier meeting) and not on this agenda. */
function WaitingReferrals({ meeting, onAgenda }: { meeting: Meeting; onAgenda: Set<string> }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const waiting = useQuery({
    queryKey: queryKeys.everything('referrals', { status: ['submitted', 'deferred'] }),
    queryFn: async () => {
      const [submitted, deferred] = await Promise.all((['submitted', 'deferred'] as const).map((status) =>
        all<Referral>((after) => unwrap(api.GET('/api/v1/referrals', { params: { query: { status, limit: 200, after } } })))));
      return [...submitted, ...deferred];
    },
  });
  const add = useMutation({
    mutationFn: (r: Referral) => unwrap(api.POST('/api/v1/meetings/{id}/agenda', { params: { path: { id: meeting.id } }, body: { referral_id: r.id } })),
    onSuccess: (agenda) => {
      qc.setQueryData(agendaKey(meeting.id), agenda);
      return Promise.all([qc.invalidateQueries({ queryKey: queryKeys.all('referrals') }),
        qc.invalidateQueries({ queryKey: queryKeys.everything('meetings') })]);
    },
  });
  const list = (waiting.data ?? []).filter((r) => !onAgenda.has(r.id));
  return (
    <section aria-labelledby="waiting-title" className="mt-4">
      <h2 id="waiting-title" className="h4">{t('meetings.waiting')} <span className="badge bg-secondary">{list.length}</span></h2>
      <p className="small">{t('meetings.waitingHint')}</p>
      {add.isError && <div className="alert alert-danger" role="alert">{message(add.error)}</div>}
      {waiting.isPending ? <Loading /> : waiting.isError ? <ErrorState error={waiting.error} onRetry={() => void waiting.refetch()} /> :
        list.length === 0 ? <EmptyState title={t('meetings.waitingEmpty')} /> : (
          <ul className="list-group mb-3">
            {list.map((r) => (
              <li key={r.id} className="list-group-item d-flex flex-wrap justify-content-between align-items-center gap-2" data-testid="waiting-referral">
                <div>
                  <Link to={`/referrals/${r.id}`} className="fw-semibold">{personName(r.person)}</Link>
                  <span className="ms-2 small font-monospace">{r.person.tax_code}</span>
                  <div className="small">{r.organization.name} · {r.needs.map((x) => t(`need.${x}`)).join(', ')} · {formatDateTime(r.submitted_at)}
                    {' · '}<StatusBadge kind="referral" status={r.status} /></div>
                </div>
                <ActionBar record={meeting} size="sm" items={[{
                  action: 'add_agenda_item', label: t('meetings.addToAgenda'), context: `— ${personName(r.person)}`, outline: true,
                  onClick: () => add.mutate(r), pending: add.isPending,
                }]} />
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}

function CaseReviewAdder({ meeting, onAgenda }: { meeting: Meeting; onAgenda: Set<string> }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const message = useErrorMessage();
  const [caseId, setCaseId] = useState('');
  const cases = useQuery({
    queryKey: queryKeys.everything('cases', { open: true }),
    // The cases still followed (a closed case is not reviewed).
    queryFn: async () => (await all((after) => unwrap(api.GET('/api/v1/cases', { params: { query: { limit: 200, after } } }))))
      .filter((c) => c.closed_at == null),
  });
  const add = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/meetings/{id}/agenda', { params: { path: { id: meeting.id } }, body: { case_id: caseId } })),
    onSuccess: (agenda) => {
      setCaseId('');
      qc.setQueryData(agendaKey(meeting.id), agenda);
      return qc.invalidateQueries({ queryKey: queryKeys.everything('meetings') });
    },
  });
  const options = (cases.data ?? []).filter((c) => !onAgenda.has(c.id)).map((c) => ({
    value: c.id, label: `${personName(c.person)} · ${c.agency.name} · ${t(`status.case.${c.status}`)}${c.overdue ? ` · ${t('cases.overdue')}` : ''}`,
  }));
  return (
    <section aria-labelledby="review-title" className="mt-4">
      <h2 id="review-title" className="h4">{t('meetings.caseReviews')}</h2>
      {add.isError && <div className="alert alert-danger" role="alert">{message(add.error)}</div>}
      {cases.isError ? <ErrorState error={cases.error} onRetry={() => void cases.refetch()} /> : (
        <form className="d-flex flex-wrap align-items-end gap-3" onSubmit={(e) => { e.preventDefault(); if (caseId) add.mutate(); }}>
          <SelectField id="review-case" label={t('meetings.caseToReview')} value={caseId} className="flex-grow-1"
                       placeholder={cases.isPending ? t('common.loading') : t('admin.choose')}
                       onChange={(e) => setCaseId(e.target.value)} options={options} />
          <Button color="primary" outline type="submit" className="mb-4" disabled={!caseId || add.isPending}>{t('meetings.addToAgenda')}</Button>
        </form>
      )}
    </section>
  );
}
