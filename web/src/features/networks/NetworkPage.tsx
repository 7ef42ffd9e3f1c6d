// One network: what it is for, who coordinates it, whether it meets its kind's rules (each rule
// with its reason, as the API says), its members with their adhesion history, the resources
// they pledged with the totals, and the state moves the API allows (activate, suspend, resume,
// close — the last two with a reason) — and, where the API allows, the forms: edit the network,
// add and withdraw members, pledge resources and move them (NetworkDialogs.tsx); its agreements
// (Agreements.tsx), its documents, its meetings (NetworkMeetings.tsx, each on
// NetworkMeetingPage.tsx) and the requests to join (JoinRequests.tsx).
import { useMutation, useQuery } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, unwrap } from '../../api/client';
import { isApiError } from '../../api/problem';
import { queryKeys } from '../../api/queryKeys';
import type { components } from '../../api/schema';
import { ActionBar, offers } from '../../components/Actions';
import { DataList } from '../../components/DataList';
import { TextAreaField } from '../../components/Form';
import { FormDialog } from '../../components/FormDialog';
import { Page } from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { StatusBadge } from '../../components/StatusBadge';
import { useFormErrors } from '../../components/useFormErrors';
import { formatCents, formatDate } from '../../lib/format';
import { DocumentsSection } from '../documents/DocumentsSection';
import { AddMemberDialog, PledgeDialog, ResourceMoveDialog, useMembers, useNetworkInvalidate, WithdrawMemberDialog, type ResourceMove } from './NetworkDialogs';
import { Agreements } from './Agreements';
import { CollectiveActions } from './CollectiveActions';
import { JoinRequests } from './JoinRequests';
import { NetworkMeetings } from './NetworkMeetings';
import { SharedResponses } from './SharedResponses';
import { WorkingGroups } from './WorkingGroups';
import { ComplianceBadge, type Network } from './NetworksPage';

type Member = components['schemas']['MemberOut'];
type Amounts = components['schemas']['Amounts'];
type Resource = components['schemas']['ResourceOut'];

export function NetworkPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [dialog, setDialog] = useState<'suspend' | 'close' | null>(null);
  const network = useQuery({
    queryKey: queryKeys.detail('networks', id),
    queryFn: () => unwrap(api.GET('/api/v1/networks/{id}', { params: { path: { id } } })),
  });
  const invalidate = useNetworkInvalidate();
  const move = useMutation({
    mutationFn: (to: 'activate' | 'resume') => unwrap(to === 'activate'
      ? api.POST('/api/v1/networks/{id}/activate', { params: { path: { id } }, body: null })
      : api.POST('/api/v1/networks/{id}/resume', { params: { path: { id } }, body: null })),
    onSuccess: invalidate,
  });
  if (network.isPending) return <Page title={t('networks.title')}><Loading /></Page>;
  if (network.isError) return <Page title={t('networks.title')}><ErrorState error={network.error} onRetry={() => void network.refetch()} /></Page>;
  const n = network.data;
  const refused = move.error && isApiError(move.error) ? move.error : null;
  return (
    <Page title={n.name} subtitle={t(`networks.kind.${n.kind}`)}
          crumbs={[{ to: '/networks', label: t('networks.title') }]}>
      <div className="d-flex flex-wrap gap-2 align-items-center mb-3">
        <StatusBadge kind="network" status={n.status} />
        <ComplianceBadge compliant={n.compliance.compliant} />
      </div>
      <ActionBar record={n} label={t('networks.actions')} items={[
        { action: 'edit', label: t('networks.edit'), outline: true, onClick: () => navigate(`/networks/${id}/edit`) },
        { action: 'activate', label: t('networks.activate'), onClick: () => move.mutate('activate') },
        { action: 'resume', label: t('networks.resume'), onClick: () => move.mutate('resume') },
        { action: 'suspend', label: t('networks.suspend'), color: 'secondary', onClick: () => setDialog('suspend') },
        { action: 'close', label: t('networks.close'), color: 'danger', onClick: () => setDialog('close') },
      ]} />
      {refused && (
        <div className="alert alert-danger mt-2" role="alert">
          {refused.problem?.detail ?? refused.message}
        </div>
      )}
      <DataList items={[
        [t('networks.purpose'), n.purpose],
        [t('networks.coordinator'), n.coordinating_organization?.name],
        [t('networks.promoter'), n.promoter_organization?.name],
        [t('networks.objectives'), [...n.objectives.map((o) => t(`networks.objective.${o}`)), n.objectives_other].filter(Boolean).join('; ') || null],
        [t('networks.joinRequests'), n.accepts_join_requests ? t('common.yes') : t('common.no')],
      ]} />
      <Compliance n={n} />
      <Members id={id} network={n} />
      <Resources id={id} network={n} />
      <Agreements networkId={id} network={n} />
      <NetworkDocuments id={id} network={n} />
      <NetworkMeetings network={n} />
      <WorkingGroups networkId={id} network={n} />
      <SharedResponses networkId={id} network={n} />
      {n.kind === 'territorial_partnership' && <CollectiveActions network={n} />}
      {(n.allowed_actions.includes('edit') || n.allowed_actions.includes('add_member')) && <JoinRequests networkId={id} />}
      {dialog && <ReasonDialog id={id} to={dialog} onClose={() => setDialog(null)} />}
    </Page>
  );
}

function Compliance({ n }: { n: Network }) {
  const { t } = useTranslation();
  return (
    <section className="mb-4" aria-labelledby="compliance-h" data-testid="compliance">
      <h2 className="h4" id="compliance-h">{t('networks.rulesTitle')}</h2>
      <ul className="list-unstyled">
        {n.compliance.reasons.map((r) => (
          <li key={r.rule} className="mb-1" data-met={r.met}>
            <span className={r.met ? 'text-success fw-semibold' : 'text-danger fw-semibold'}>
              {r.met ? t('networks.ruleMet') : t('networks.ruleNotMet')}
            </span>{' '}{r.message}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Members({ id, network }: { id: string; network: Network }) {
  const { t } = useTranslation();
  const [history, setHistory] = useState(false);
  const [adding, setAdding] = useState(false);
  const [withdrawing, setWithdrawing] = useState<Member | null>(null);
  const members = useMembers(id, history);
  const current = useMembers(id, false);
  const anyActions = members.data?.items.some((m) => m.allowed_actions.length > 0) ?? false;
  return (
    <section className="mb-4" aria-labelledby="members-h" data-testid="members">
      <div className="d-flex flex-wrap justify-content-between align-items-center gap-2">
        <h2 className="h4 mb-0" id="members-h">{t('networks.membersTitle')}</h2>
        <Button color="primary" outline size="sm" aria-pressed={history} onClick={() => setHistory((h) => !h)}>
          {history ? t('networks.currentOnly') : t('networks.showHistory')}
        </Button>
      </div>
      <ActionBar record={network} className="mt-2" items={[
        { action: 'add_member', label: t('networks.addMember'), onClick: () => setAdding(true) },
      ]} />
      {members.isPending && <Loading />}
      {members.isError && <ErrorState error={members.error} />}
      {members.data && (members.data.items.length === 0
        ? <p className="mt-2">{t('networks.noMembers')}</p>
        : (
          <div className="table-responsive">
            <table className="table app-stack-table mt-2">
              <caption className="visually-hidden">{t('networks.membersTitle')}</caption>
              <thead><tr>
                <th scope="col">{t('networks.organization')}</th><th scope="col">{t('networks.roleLabel')}</th>
                <th scope="col">{t('networks.joinedOn')}</th><th scope="col">{t('networks.act')}</th>
                <th scope="col">{t('networks.withdrawnOn')}</th>
                {anyActions && <th scope="col"><span className="visually-hidden">{t('common.actions')}</span></th>}
              </tr></thead>
              <tbody>
                {members.data.items.map((m: Member) => (
                  <tr key={m.id} data-active={m.active}>
                    <th scope="row" data-label={t('networks.organization')}>{m.organization.name}
                      <div className="small text-secondary fw-normal">{t(`orgKind.${m.organization_kind}`)}</div></th>
                    <td data-label={t('networks.roleLabel')}>{t(`networks.role.${m.role}`)}</td>
                    <td data-label={t('networks.joinedOn')}>{formatDate(m.joined_on)}</td>
                    <td data-label={t('networks.act')}>{m.approval_act
                      ? t('networks.actText', { number: m.approval_act.number, date: formatDate(m.approval_act.date) }) : '—'}</td>
                    <td data-label={t('networks.withdrawnOn')}>{m.withdrawn_on ? `${formatDate(m.withdrawn_on)}${m.withdrawal_reason ? ` — ${m.withdrawal_reason}` : ''}` : '—'}</td>
                    {anyActions && (
                      <td data-label={t('common.actions')}>
                        <ActionBar record={m} size="sm" items={[{
                          action: 'withdraw', label: t('networks.withdrawMember'), context: m.organization.name, color: 'danger', outline: true,
                          onClick: () => setWithdrawing(m),
                        }]} />
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      {adding && <AddMemberDialog networkId={id} memberIds={(current.data?.items ?? []).map((m) => m.organization.id)}
                                  onClose={() => setAdding(false)} />}
      {withdrawing && <WithdrawMemberDialog member={withdrawing} onClose={() => setWithdrawing(null)} />}
    </section>
  );
}

function useAmount() {
  const { t } = useTranslation();
  return (a: Amounts) => [a.amount_cents ? formatCents(a.amount_cents) : null, a.hours ? t('networks.hours', { count: a.hours }) : null]
    .filter(Boolean).join(' + ') || '—';
}

function Resources({ id, network }: { id: string; network: Network }) {
  const { t } = useTranslation();
  const amount = useAmount();
  const [pledging, setPledging] = useState(false);
  const [moving, setMoving] = useState<{ resource: Resource; move: ResourceMove } | null>(null);
  const members = useMembers(id, false);
  const resources = useQuery({
    queryKey: queryKeys.sub('networks', id, 'resources'),
    queryFn: () => unwrap(api.GET('/api/v1/networks/{id}/resources', { params: { path: { id }, query: { limit: 200 } } })),
  });
  return (
    <section className="mb-4" aria-labelledby="resources-h" data-testid="resources">
      <h2 className="h4" id="resources-h">{t('networks.resourcesTitle')}</h2>
      <ActionBar record={network} items={[
        { action: 'add_resource', label: t('networks.pledge'), onClick: () => setPledging(true) },
      ]} />
      {resources.isPending && <Loading />}
      {resources.isError && <ErrorState error={resources.error} />}
      {resources.data && (
        <>
          <p data-testid="resources-total"><strong>{t('networks.total')}</strong> {amount(resources.data.totals.network)}</p>
          {resources.data.totals.by_kind.length > 0 && (
            <ul>
              {resources.data.totals.by_kind.map((k) => (
                <li key={k.kind}>{t(`networks.resourceKind.${k.kind}`)}: {amount(k)}</li>
              ))}
            </ul>
          )}
          {resources.data.items.length === 0 ? <p>{t('networks.noResources')}</p> : (
            <div className="table-responsive">
              <table className="table app-stack-table">
                <caption className="visually-hidden">{t('networks.resourcesTitle')}</caption>
                <thead><tr>
                  <th scope="col">{t('networks.organization')}</th><th scope="col">{t('networks.resourceKindLabel')}</th>
                  <th scope="col">{t('networks.amount')}</th><th scope="col">{t('networks.period')}</th>
                  <th scope="col">{t('referrals.status')}</th>
                  {resources.data.items.some((r) => r.allowed_actions.length > 0) && (
                    <th scope="col"><span className="visually-hidden">{t('common.actions')}</span></th>
                  )}
                </tr></thead>
                <tbody>
                  {resources.data.items.map((r) => (
                    <tr key={r.id}>
                      <th scope="row" data-label={t('networks.organization')}>{r.organization.name}
                        {r.description && <div className="small text-secondary fw-normal">{r.description}</div>}</th>
                      <td data-label={t('networks.resourceKindLabel')}>{t(`networks.resourceKind.${r.kind}`)}</td>
                      <td data-label={t('networks.amount')}>{amount({ amount_cents: r.amount_cents ?? 0, hours: r.hours ?? 0, count: 1 })}</td>
                      <td data-label={t('networks.period')}>{[r.valid_from, r.valid_to].map((d) => (d ? formatDate(d) : '…')).join(' – ')}</td>
                      <td data-label={t('referrals.status')}><StatusBadge kind="resource" status={r.status} /></td>
                      {resources.data.items.some((x) => x.allowed_actions.length > 0) && (
                        <td data-label={t('common.actions')}>
                          <ActionBar record={r} size="sm" items={(['make_available', 'use', 'withdraw'] as const).map((move) => ({
                            action: move, label: t(`networks.move.${move}`), context: `${t(`networks.resourceKind.${r.kind}`)}, ${r.organization.name}`,
                            color: move === 'withdraw' ? 'danger' as const : 'primary' as const, outline: true,
                            onClick: () => setMoving({ resource: r, move }),
                          }))} />
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      {pledging && members.data && <PledgeDialog networkId={id} members={members.data.items} onClose={() => setPledging(false)} />}
      {moving && <ResourceMoveDialog resource={moving.resource} move={moving.move} onClose={() => setMoving(null)} />}
    </section>
  );
}

/** The network's own files (statutes, reports) and its agreements' texts; those who manage it upload. */
function NetworkDocuments({ id, network }: { id: string; network: Network }) {
  const { t } = useTranslation();
  // Those who manage the network are offered `edit` (allowed, or blocked once it is closed).
  const manages = offers(network, 'edit');
  return (
    <DocumentsSection owner="network" id={id} canUpload={manages} title={t('networks.documents.title')}
                      fileLabel={t('networks.documents.file')} />
  );
}

function ReasonDialog({ id, to, onClose }: { id: string; to: 'suspend' | 'close'; onClose: () => void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const errors = useFormErrors();
  const invalidate = useNetworkInvalidate();
  const m = useMutation({
    mutationFn: () => unwrap(to === 'suspend'
      ? api.POST('/api/v1/networks/{id}/suspend', { params: { path: { id } }, body: { reason: reason.trim() } })
      : api.POST('/api/v1/networks/{id}/close', { params: { path: { id } }, body: { reason: reason.trim() } })),
    onSuccess: async () => { await invalidate(); onClose(); },
    onError: (e) => errors.fromError(e),
  });
  return (
    <FormDialog isOpen title={t(`networks.${to}`)} submitLabel={t(`networks.${to}`)} pending={m.isPending} general={errors.general}
                onCancel={onClose} onSubmit={() => {
                  if (!reason.trim()) { errors.setFields({ reason: t('validation.required') }); return; }
                  m.mutate();
                }}>
      <TextAreaField id="reason" label={t('networks.reason')} required value={reason} error={errors.fields.reason}
                     onChange={(e) => { setReason(e.target.value); errors.clearField('reason'); }} />
    </FormDialog>
  );
}
